package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func TestErasureLeavesNoTrace(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	ctx := context.Background()
	const name, email = "Zebedee Quillfeather", "zebedee.quillfeather@example.test"
	// The person is invited, joins, and takes part in every way.
	step := sp.path("/steps/select")
	wantRedirect(t, sp.leadC.post(step+"/invitations", url.Values{"name": {name}, "email": {email}, "role": {"lay_partner"}, "message": {"Hello"}}), step)
	z := e.client()
	wantRedirect(t, z.post(e.lastLink(email, "/invitations/")+"/accept", url.Values{"name": {name}}), sp.path(""))
	path := sp.propose(t, z, "An idea of mine")
	z.post(path+"/comments", url.Values{"body": {"A comment of mine"}, "form_token": {"z1"}})
	z.post(path+"/vote", url.Values{"choice": {"support"}})
	z.post(sp.path("/support/me"), url.Values{"hearing_loop": {"yes"}, "other": {"Please call me Zeb"}})
	z.postMultipart(sp.path("/claims"), url.Values{"category": {"parking"}, "incurred_on": {"2026-11-01"}, "amount": {"3"}}, pngBytes)
	z.post("/sign-in/link", url.Values{"link_email": {email}})
	u, err := e.store.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	// A facilitator books Zebedee a taxi to a meeting.
	starts := time.Now().Add(48 * time.Hour)
	meetingID, err := e.store.CreateMeeting(ctx, sp.facilitator.ID, coproduce.Meeting{ProjectID: sp.p.ID,
		Title: "Workshop", StartsAt: starts, EndsAt: starts.Add(time.Hour), Venue: "Hall"})
	if err != nil {
		t.Fatal(err)
	}
	arranged := sp.path("/meetings/" + itoa(meetingID) + "/arrangements/" + itoa(u.ID))
	wantRedirect(t, sp.facC.post(arranged, url.Values{"note": {"A taxi collects Zeb at 9am"}}), sp.path("/meetings/"))

	admin := e.signedIn(sp.admin)
	wantStatus(t, admin.get("/admin/users/"+itoa(u.ID)+"/erase"), http.StatusOK)
	wantStatus(t, sp.leadC.post("/admin/users/"+itoa(u.ID)+"/erase", nil), http.StatusForbidden)
	wantRedirect(t, admin.post("/admin/users/"+itoa(u.ID)+"/erase", nil), "/admin/users")

	t.Run("NoCountersOrRolesKeyedByTheirAccount", func(t *testing.T) {
		if n := e.count(`SELECT count(*) FROM sign_in_failures WHERE key LIKE 'post:%:' || $1`, itoa(u.ID)); n != 0 {
			t.Errorf("%d posting counters still keyed by the erased account", n)
		}
		if n := e.count(`SELECT count(*) FROM approvers WHERE user_id = $1`, u.ID); n != 0 {
			t.Errorf("the erased account is still an approver")
		}
	})

	t.Run("NoTableHoldsTheirNameOrEmail", func(t *testing.T) {
		rows, err := e.tx.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
		if err != nil {
			t.Fatal(err)
		}
		tables, _ := pgx.CollectRows(rows, pgx.RowTo[string])
		if len(tables) < 20 {
			t.Fatalf("only %d tables found", len(tables))
		}
		for _, table := range tables {
			for _, needle := range []string{"Zebedee", "Quillfeather", "zebedee.quillfeather", "Please call me Zeb", "A taxi collects Zeb"} {
				if n := e.count(`SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()+` x WHERE x::text ILIKE '%' || $1 || '%'`, needle); n != 0 {
					t.Errorf("%s still holds %q in %d rows", table, needle, n)
				}
			}
		}
	})
	t.Run("ContributionsStayAsFormerParticipant", func(t *testing.T) {
		d := doc(t, sp.leadC.get(path))
		if !strings.Contains(text(d, "[data-testid=comments]"), "Former participant") || !strings.Contains(text(d, "[data-testid=comments]"), "A comment of mine") {
			t.Errorf("comments: %s", text(d, "[data-testid=comments]"))
		}
		if got := cells(d, "[data-testid=tally-lay] td"); !strings.HasPrefix(got, "1|") {
			t.Errorf("vote gone: %s", got)
		}
	})
	t.Run("SessionsAreEnded", func(t *testing.T) {
		wantRedirect(t, z.get("/projects"), "/sign-in")
	})
	t.Run("Audited", func(t *testing.T) {
		if n := e.count(`SELECT count(*) FROM audit_events WHERE action = $1 AND actor_id = $2`, coproduce.AuditUserErase, sp.admin.ID); n != 1 {
			t.Errorf("%d erase events", n)
		}
	})
}

// The finding: erasing a person whose name has ' & < > or " left it in
// stored email bodies, HTML-escaped (O&#39;Neill, 24 copies after one
// idea). Erasure now leaves no copy in any form: the test database is
// dumped (pg_dump --data-only) and searched, case-blind, for the name as
// typed, in each HTML-escaped form, and for its distinctive family name.
func TestErasureLeavesNoCopyInAnyForm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := pgtest.Clone(t)
	pool := pgtest.Pool(t, dbURL)
	e := newEnvOn(t, postgres.NewStore(pool))
	read, err := pool.Begin(ctx) // read committed: sees what the server commits
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = read.Rollback(ctx) })
	e.tx = read
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	p := pgtest.Project(t, e.store, lead)
	other := pgtest.Member(t, e.store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	if err := e.store.SetNotify(ctx, other.ID, coproduce.NotifyDaily); err != nil { // digest lines
		t.Fatal(err)
	}
	admin := pgtest.User(t, e.store, coproduce.RoleAdmin)
	leadC, otherC := e.signedIn(lead), e.signedIn(other)
	path := func(s string) string { return "/projects/" + itoa(p.ID) + s }

	const name = `Zoë "Zee" <Zed> & O'Quillfeather`
	const email = "zoe.oquillfeather@example.test"
	res := leadC.open(t, path("/steps/select")).form("Send invitation").
		fill("Their name", name).fill("Their email address", email).check("Lay partner").
		fill("A personal message (optional)", "Welcome, "+name).submit()
	wantRedirect(t, res, path("/steps/select"))
	z := e.client()
	wantRedirect(t, z.open(t, e.lastLink(email, "/invitations/")).form("Yes, I will take part").submit(), path(""))
	zoe, err := e.store.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	// They take part; others write about them.
	res = z.open(t, path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", "Large print sheets").fill("Tell us more", "From me").submit()
	idea := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
	wantRedirect(t, res, path("/proposals/"))
	wantRedirect(t, z.open(t, idea).form("Send comment").fill("Your comment", "My comment").submit(), idea)
	wantRedirect(t, otherC.open(t, idea).form("Send comment").fill("Your comment", "I agree with "+name).submit(), idea)
	wantRedirect(t, leadC.open(t, idea).form("Save the answer").check("Adopted").fill("Why?", "As "+name+" said").submit(), idea)
	wantRedirect(t, leadC.open(t, idea).form("Add action").fill("What will be done", "Print them with "+name).
		fill("Who will do it", name).fill("By when", "2030-01-31").check("Not started").submit(), idea)
	wantRedirect(t, leadC.open(t, path("/steps/build")).form("Save notes").fill("Notes for this step", "Thanks to "+name+", and to Ms. O'Quillfeather again").submit(), path("/steps/build"))
	wantRedirect(t, z.open(t, path("/claims")).form("Send claim").check("Parking").
		fill("Date", time.Now().AddDate(0, 0, -1).Format("2006-01-02")).fill("Amount in pounds (for anything else)", "3").submit(), path("/claims"))
	wantRedirect(t, leadC.open(t, path("/claims")).form("Approve "+name).submit(), path("/claims"))
	wantRedirect(t, leadC.open(t, path("/claims")).form("Send approved items to finance").submit(), path("/claims/exports"))

	dump := func() string {
		t.Helper()
		bin, err := pgtest.ProgramDir()
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(filepath.Join(bin, "pg_dump"), "--data-only", "--dbname", dbURL).Output()
		if err != nil {
			t.Fatalf("pg_dump: %v", err)
		}
		return strings.ToLower(string(out))
	}
	forms := []string{name, "Quillfeather", email,
		html.EscapeString(name), // &#39; &#34;
		strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(name),
		strings.NewReplacer("'", "&#x27;").Replace(name), `\"Zee\"`}
	before := dump()
	if n := strings.Count(before, strings.ToLower(html.EscapeString(name))); n == 0 {
		t.Fatalf("the test made no HTML-escaped copy of the name to erase")
	}
	if !strings.Contains(before, "quillfeather") {
		t.Fatal("the name is not in the database before erasure")
	}

	wantRedirect(t, e.signedIn(admin).open(t, "/admin/users/"+itoa(zoe.ID)+"/erase").form("Erase their personal data").submit(), "/admin/users")

	after := dump()
	for _, f := range forms {
		if n := strings.Count(after, strings.ToLower(f)); n != 0 {
			t.Errorf("%d copies of %q left after erasure", n, f)
		}
	}
	if t.Failed() {
		for _, line := range strings.Split(after, "\n") {
			if strings.Contains(line, "quillfeather") {
				t.Log(line)
			}
		}
	}
	// What they and others wrote stays, naming them as a former participant.
	d := leadC.open(t, idea).doc
	if got := text(d, "main"); !strings.Contains(got, "I agree with Former participant") || !strings.Contains(got, "My comment") {
		t.Errorf("the idea's page after erasure: %s", got)
	}
}
