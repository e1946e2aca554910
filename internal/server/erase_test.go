package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
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

	admin := e.signedIn(sp.admin)
	wantStatus(t, admin.get("/admin/users/"+itoa(u.ID)+"/erase"), http.StatusOK)
	wantStatus(t, sp.leadC.post("/admin/users/"+itoa(u.ID)+"/erase", nil), http.StatusForbidden)
	wantRedirect(t, admin.post("/admin/users/"+itoa(u.ID)+"/erase", nil), "/admin/users")

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
			for _, needle := range []string{"Zebedee", "Quillfeather", "zebedee.quillfeather", "Please call me Zeb"} {
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
