package server_test

import (
	"context"
	"maps"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// A create form sent twice (a double click, the back button and send
// again, a slow connection) makes one record, and the second send lands
// the person where the first did, not on an error.

// twice submits the same filled form a second time, as its own person.
func sendTwice(t *testing.T, f *filledForm) (first, second string) {
	t.Helper()
	res := f.submit()
	if res.Code != http.StatusSeeOther {
		t.Fatalf("first send: %d\n%s", res.Code, res.Body)
	}
	first = res.Header().Get("Location")
	res = f.submit()
	if res.Code != http.StatusSeeOther {
		t.Fatalf("second send: %d, want the same redirect as the first\n%s", res.Code, res.Body)
	}
	return first, res.Header().Get("Location")
}

func TestAnIdeaSentTwiceIsOneIdea(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	f := sp.layC.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", "Evening visits").fill("Tell us more", "Many of us work in the day.")
	first, second := sendTwice(t, f)
	if first != second {
		t.Errorf("second send went to %q, want %q (the idea the first made)", second, first)
	}
	if n := sp.e.count(`SELECT count(*) FROM proposals WHERE project_id = $1 AND title = 'Evening visits'`, sp.p.ID); n != 1 {
		t.Errorf("%d ideas, want 1", n)
	}
	if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE project_id = $1 AND action = 'proposal.create'`, sp.p.ID); n != 1 {
		t.Errorf("%d ideas in the history, want 1", n)
	}
	if n := sp.e.count(`SELECT count(*) FROM updates WHERE kind = 'new_idea' AND project_id = $1`, sp.p.ID); n != 3 {
		t.Errorf("%d updates of the idea, want one for each of the 3 other members", n)
	}
	page := sp.layC.open(t, second)
	if got := fold(page.doc.Find("h1").Text()); got != "Evening visits" {
		t.Errorf("second send shows %q, want the idea", got)
	}
	// A fresh form (the page opened again) makes a new idea.
	wantRedirect(t, sp.layC.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", "Evening visits").fill("Tell us more", "Again, on purpose.").submit(), sp.path("/proposals/"))
	if n := sp.e.count(`SELECT count(*) FROM proposals WHERE project_id = $1 AND title = 'Evening visits'`, sp.p.ID); n != 2 {
		t.Errorf("%d ideas after a second, fresh form, want 2", n)
	}
}

func TestAClaimSentTwiceIsOneClaim(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	f := sp.layC.open(t, sp.path("/claims")).form("Send claim").check("Parking").
		fill("Date", yesterday).fill("Amount in pounds", "3.20")
	first, second := sendTwice(t, f)
	if first != second {
		t.Errorf("second send went to %q, want %q", second, first)
	}
	if n := sp.e.count(`SELECT count(*) FROM claims WHERE user_id = $1`, sp.lay.ID); n != 1 {
		t.Errorf("%d claims, want 1", n)
	}
	page := sp.layC.open(t, second)
	if got := page.doc.Find(".nhsuk-table__body .nhsuk-table__row, tbody tr").Length(); got != 1 {
		t.Errorf("claims page lists %d claims, want 1", got)
	}
}

// sendAtOnce sends the same filled form n times at the same moment, each
// from its own copy of the person's browser.
func sendAtOnce(t *testing.T, f *filledForm, n int) []int {
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range codes {
		c := *f.p.c
		c.cookies = maps.Clone(f.p.c.cookies)
		p := *f.p
		p.c = &c
		g := *f
		g.p = &p
		wg.Go(func() { codes[i] = g.submit().Code })
	}
	wg.Wait()
	return codes
}

// clonedMember is a lay partner of a project in a database of its own, for
// tests that send at the same time over several connections.
func clonedMember(t *testing.T) (*env, *pgxpool.Pool, *coproduce.Project, *coproduce.User, *client) {
	pool := pgtest.Pool(t, pgtest.Clone(t))
	store := postgres.NewStore(pool)
	e := newEnvOn(t, store)
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	lay := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	return e, pool, p, lay, e.signedIn(lay)
}

func countIn(t *testing.T, pool *pgxpool.Pool, query string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTheSameIdeaSentAtOnceIsOneIdea(t *testing.T) {
	t.Parallel()
	_, store, p, _, c := clonedMember(t)
	f := c.open(t, "/projects/"+itoa(p.ID)+"/steps/build").form("Suggest this idea").
		fill("Your idea in a sentence", "Quiet room").fill("Tell us more", "Somewhere to wait.")
	for i, code := range sendAtOnce(t, f, 5) {
		if code != http.StatusSeeOther {
			t.Errorf("send %d: %d, want a redirect", i, code)
		}
	}
	if n := countIn(t, store, `SELECT count(*) FROM proposals WHERE project_id = $1`, p.ID); n != 1 {
		t.Errorf("%d ideas, want 1", n)
	}
}

func TestTheSameClaimSentAtOnceIsOneClaim(t *testing.T) {
	t.Parallel()
	_, store, p, lay, c := clonedMember(t)
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	f := c.open(t, "/projects/"+itoa(p.ID)+"/claims").form("Send claim").check("Parking").
		fill("Date", yesterday).fill("Amount in pounds", "3.20")
	for i, code := range sendAtOnce(t, f, 8) {
		if code != http.StatusSeeOther {
			t.Errorf("send %d: %d, want a redirect", i, code)
		}
	}
	if n := countIn(t, store, `SELECT count(*) FROM claims WHERE user_id = $1`, lay.ID); n != 1 {
		t.Errorf("%d claims, want 1", n)
	}
}

func TestAMeetingSentTwiceIsOneMeeting(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	f := sp.facC.open(t, sp.path("/steps/support")).form("Arrange meeting").
		fill("What is the meeting?", "Planning day").fill("Date", "2027-03-04").fill("Starts at", "10:00").
		fill("Ends at", "12:00").fill("Where (the place and address)", "Community centre")
	first, second := sendTwice(t, f)
	if first != second {
		t.Errorf("second send went to %q, want %q (the meeting the first made)", second, first)
	}
	if n := sp.e.count(`SELECT count(*) FROM meetings WHERE project_id = $1`, sp.p.ID); n != 1 {
		t.Errorf("%d meetings, want 1", n)
	}
	if got := fold(sp.facC.open(t, second).doc.Find("h1").Text()); got != "Planning day" {
		t.Errorf("second send shows %q, want the meeting", got)
	}
}

func TestAGroupSentTwiceIsOneGroup(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	f := sp.leadC.open(t, sp.path("/steps/identify")).form("Add group").
		fill("Name of the group", "Carers").check("Directly").check("Yes")
	sendTwice(t, f)
	if n := sp.e.count(`SELECT count(*) FROM stakeholder_groups WHERE project_id = $1`, sp.p.ID); n != 1 {
		t.Errorf("%d groups, want 1", n)
	}
}

func TestAnActionSentTwiceIsOneAction(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	res := sp.layC.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", "A leaflet").fill("Tell us more", "Why it would help.").submit()
	wantRedirect(t, res, sp.path("/proposals/"))
	idea := res.Header().Get("Location")
	wantRedirect(t, sp.leadC.open(t, idea).form("Save the answer").check("Adopted").submit(), sp.path("/proposals/"))
	f := sp.leadC.open(t, idea).form("Add action").fill("What will be done", "Print the leaflet.").
		fill("Who will do it", "Sam").fill("By when", "2027-03-27")
	sendTwice(t, f)
	if n := sp.e.count(`SELECT count(*) FROM action_items a JOIN proposals p ON p.id = a.proposal_id WHERE p.project_id = $1`, sp.p.ID); n != 1 {
		t.Errorf("%d actions, want 1", n)
	}
}
func TestAProjectSentTwiceIsOneProject(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	f := sp.leadC.open(t, "/projects/new").form("Create project").fill("Title", "Better discharge letters")
	first, second := sendTwice(t, f)
	if first != second {
		t.Errorf("second send went to %q, want %q (the project the first made)", second, first)
	}
	if n := sp.e.count(`SELECT count(*) FROM projects WHERE title = 'Better discharge letters'`); n != 1 {
		t.Errorf("%d projects, want 1", n)
	}
}
func TestAPurposeSentTwiceIsOneVersion(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	f := sp.leadC.open(t, sp.path("/steps/be-clear/purpose")).form("Save new version").
		fill("What the project is for", "Clearer letters when people leave hospital.")
	sendTwice(t, f)
	if n := sp.e.count(`SELECT count(*) FROM purpose_versions WHERE project_id = $1`, sp.p.ID); n != 1 {
		t.Errorf("%d purpose versions, want 1", n)
	}
}
func TestAnInvitationSentTwiceIsOneInvitation(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	f := sp.leadC.open(t, sp.path("/steps/select")).form("Send invitation").fill("Their name", "Ann Other").
		fill("Their email address", "ann.other@example.test").check("Lay partner")
	sendTwice(t, f)
	if n := sp.e.count(`SELECT count(*) FROM invitations WHERE project_id = $1`, sp.p.ID); n != 1 {
		t.Errorf("%d invitations, want 1", n)
	}
	if n := sp.e.count(`SELECT count(*) FROM emails WHERE to_address = 'ann.other@example.test'`); n != 1 {
		t.Errorf("%d emails to the invited person, want 1", n)
	}
}
