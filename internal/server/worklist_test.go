package server_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/server"
)

// workItems reads the work list's items of one kind from the project page
// as c sees it: each item's words, its hint and its tag.
func workItems(t *testing.T, sp *stepProject, c *client, kind string) []string {
	t.Helper()
	d := c.open(t, sp.path("")).doc
	return d.Find("li:has([data-testid=" + kind + "])").Map(func(_ int, s *goquery.Selection) string {
		return fold(s.Text())
	})
}

// wantWork checks that the work list shows one item of the kind, with
// every one of the words, or (no words) none.
func wantWork(t *testing.T, sp *stepProject, c *client, kind string, words ...string) {
	t.Helper()
	items := workItems(t, sp, c, kind)
	if len(words) == 0 {
		if len(items) != 0 {
			t.Errorf("%s: %q, want none", kind, items)
		}
		return
	}
	if len(items) != 1 {
		t.Fatalf("%s: %q, want one item", kind, items)
	}
	for _, w := range words {
		if !strings.Contains(items[0], w) {
			t.Errorf("%s: %q, want %q", kind, items[0], w)
		}
	}
}

// TestTheLeadsWorkListShowsEachKindOfWaitingItem makes each kind of thing
// that waits for a lead, through the pages, and checks that the work list
// shows it while it waits and not before or after.
func TestTheLeadsWorkListShowsEachKindOfWaitingItem(t *testing.T) {
	t.Parallel()
	t.Run("NothingWaiting", func(t *testing.T) {
		t.Parallel()
		sp := newStepProject(t)
		d := sp.leadC.open(t, sp.path("")).doc
		if n := d.Find("[data-testid=work-list]").Length(); n != 0 || text(d, "[data-testid=work-none]") == "" {
			t.Errorf("a new project's work list has %d lists and says %q", n, text(d, "[data-testid=work-none]"))
		}
		for _, c := range []*client{sp.layC, sp.staffC} {
			if c.open(t, sp.path("")).doc.Find("#work-list").Length() != 0 {
				t.Error("a partner is shown the work list")
			}
		}
	})
	t.Run("IdeasNearingAndPastTheirAnswerDate", func(t *testing.T) {
		t.Parallel()
		sp := newStepProject(t)
		idea := sp.suggest(t, sp.layC, "Quiet waiting room", "Too loud.")
		sp.suggest(t, sp.staffC, "Staff idea", "Not a lay partner's.")
		sp.e.exec(`UPDATE proposals SET created_at = now() - interval '20 days 23 hours'`)
		time.Sleep(server.IdeasFreshForTests) // changed behind the server's back: the kept parts age out
		wantWork(t, sp, sp.leadC, "work-idea")
		sp.e.exec(`UPDATE proposals SET created_at = now() - interval '22 days'`)
		time.Sleep(server.IdeasFreshForTests) // changed behind the server's back: the kept parts age out
		wantWork(t, sp, sp.leadC, "work-idea", "Answer the idea “Quiet waiting room”", "waited 22 days", "Due soon")
		sp.e.exec(`UPDATE proposals SET created_at = now() - interval '30 days'`)
		time.Sleep(server.IdeasFreshForTests) // changed behind the server's back: the kept parts age out
		wantWork(t, sp, sp.facC, "work-idea", "waited 30 days", "Overdue")
		wantRedirect(t, sp.leadC.open(t, idea).form("Save the answer").check("Adopted").fill("Why?", "Yes").submit(), idea)
		wantWork(t, sp, sp.leadC, "work-idea")
	})
	t.Run("ManyIdeasWaiting", func(t *testing.T) {
		t.Parallel()
		sp := newStepProject(t)
		for i := range 12 {
			if i%5 == 0 {
				sp.aMinutePasses() // one person may suggest 5 ideas a minute
			}
			sp.suggest(t, sp.layC, "Waiting idea "+itoa(int64(i+1)), "Still no answer.")
		}
		sp.e.exec(`UPDATE proposals SET created_at = now() - interval '30 days' - id * interval '1 minute'`)
		time.Sleep(server.IdeasFreshForTests) // changed behind the server's back: the kept parts age out
		// Each later idea is made a minute older: idea 12 has waited
		// longest, and ideas 1 and 2 are the two left out.
		ideas := strings.Join(workItems(t, sp, sp.leadC, "work-idea"), "\n")
		if n := strings.Count(ideas, "Answer the idea"); n != 10 || !strings.HasPrefix(ideas, "Answer the idea “Waiting idea 12”") ||
			strings.Contains(ideas, "Waiting idea 1”") || strings.Contains(ideas, "Waiting idea 2”") {
			t.Errorf("%d waiting ideas named, want the oldest 10:\n%s", n, ideas)
		}
		wantWork(t, sp, sp.leadC, "work-ideas-more", "2 more ideas are waiting for an answer", "Step 6, Build, lists every open idea")
		// Its link leads to the two left out.
		rest := openLink(t, sp.leadC, sp.path(""), "work-ideas-more")
		open := rest.doc.Find("[data-testid=open-proposals] h3 a").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		if !slices.Contains(open, "Waiting idea 1") || !slices.Contains(open, "Waiting idea 2") {
			t.Errorf("%s does not list the ideas left out of the work list: %q", rest.path, open)
		}
	})
	t.Run("ClaimsWaitingForTheirDecision", func(t *testing.T) {
		t.Parallel()
		sp := newStepProject(t)
		wantWork(t, sp, sp.leadC, "work-claim")
		claimThroughForm(t, sp, sp.layC, sp.lay, "4.50")
		wantWork(t, sp, sp.leadC, "work-claim", "Decide "+sp.lay.Name+"'s claim for £4.50", "Parking")
		// A facilitator may not decide it, so it does not wait for them.
		wantWork(t, sp, sp.facC, "work-claim")
		wantRedirect(t, sp.leadC.open(t, sp.path("/claims")).form("Approve "+sp.lay.Name).submit(), sp.path("/claims"))
		wantWork(t, sp, sp.leadC, "work-claim")
	})
	t.Run("StepsWaitingForTheirSignOff", func(t *testing.T) {
		t.Parallel()
		sp := newStepProject(t)
		step := sp.path("/steps/identify")
		wantWork(t, sp, sp.leadC, "work-sign-off")
		wantRedirect(t, sp.leadC.open(t, step).form("Start this step").submit(), step)
		wantWork(t, sp, sp.leadC, "work-sign-off", "Sign off step 1: Identify")
		wantWork(t, sp, sp.facC, "work-sign-off")
		wantRedirect(t, sp.leadC.open(t, step).form("Sign off this step").submit(), step)
		wantWork(t, sp, sp.leadC, "work-sign-off")
		// Now it waits for a lay partner's co-signature: hers to do.
		if got := text(sp.layC.open(t, sp.path("")).doc, "[data-testid=prompt-co-sign]"); got != "Co-sign step 1: Identify" {
			t.Errorf("lay partner's co-sign item %q", got)
		}
	})
	t.Run("MembersWhoHaveNotReadThePurpose", func(t *testing.T) {
		t.Parallel()
		sp := newStepProject(t)
		wantWork(t, sp, sp.leadC, "work-not-read")
		res := sp.leadC.open(t, sp.path("/steps/be-clear/purpose")).form("Save new version").
			fill("What the project is for", "Better rehab at home").submit()
		wantRedirect(t, res, sp.path("/steps/be-clear"))
		wantWork(t, sp, sp.leadC, "work-not-read", "members have not read the purpose statement", sp.lay.Name)
		if got := text(sp.layC.open(t, sp.path("")).doc, "[data-testid=prompt-purpose]"); got != "Read the new purpose statement" {
			t.Errorf("lay partner's purpose item %q", got)
		}
	})
	t.Run("MembersWhoHaveNotAgreedTheir4Rs", func(t *testing.T) {
		t.Parallel()
		sp := newStepProject(t)
		wantWork(t, sp, sp.leadC, "work-not-agreed")
		res := sp.leadC.open(t, sp.path("/steps/understand/members/"+itoa(sp.lay.ID))).form("Save 4Rs").
			fill("Role", "Reviewer").fill("Remit", "Leaflets").fill("Relationships", "Buddy").fill("Responsibility", "Read").submit()
		wantRedirect(t, res, sp.path("/steps/understand"))
		wantWork(t, sp, sp.leadC, "work-not-agreed", "1 member has not agreed their 4Rs", sp.lay.Name)
		step := sp.path("/steps/understand")
		wantRedirect(t, sp.layC.open(t, step).form("I agree with my 4Rs").submit(), step)
		wantWork(t, sp, sp.leadC, "work-not-agreed")
	})
	t.Run("InvitationsUnansweredOrExpiring", func(t *testing.T) {
		t.Parallel()
		sp := newStepProject(t)
		wantWork(t, sp, sp.leadC, "work-invitation")
		res := sp.leadC.open(t, sp.path("/steps/select")).form("Send invitation").
			fill("Their name", "Rosa Invited").fill("Their email address", "rosa@outside.example").check("Lay partner").submit()
		wantRedirect(t, res, sp.path("/steps/select"))
		wantWork(t, sp, sp.leadC, "work-invitation", "Rosa Invited has not answered their invitation", "Waiting")
		sp.e.exec(`UPDATE invitations SET expires_at = now() + interval '3 days'`)
		time.Sleep(server.IdeasFreshForTests) // changed behind the server's back: the kept parts age out
		wantWork(t, sp, sp.leadC, "work-invitation", "Ends this week")
		sp.e.exec(`UPDATE invitations SET expires_at = now() - interval '1 hour'`)
		time.Sleep(server.IdeasFreshForTests) // changed behind the server's back: the kept parts age out
		wantWork(t, sp, sp.leadC, "work-invitation")
	})
	t.Run("ActionsPastDue", func(t *testing.T) {
		t.Parallel()
		sp, _ := overdueSetup(t)
		wantWork(t, sp, sp.leadC, "work-action", "Action past its due date: Print the big-print leaflet", "Leaflets in big print")
		sp.e.exec(`UPDATE action_items SET status = 'done'`)
		time.Sleep(server.IdeasFreshForTests) // the shared parts are kept for a second
		wantWork(t, sp, sp.leadC, "work-action")
	})
	t.Run("TheNextMeetingsAccessNotArranged", func(t *testing.T) {
		t.Parallel()
		sp := newStepProject(t)
		res := sp.facC.open(t, sp.path("/steps/support")).form("Arrange meeting").fill("What is the meeting?", "Workshop").
			fill("Date", "2099-03-04").fill("Starts at", "10:00").fill("Ends at", "12:00").
			fill("Where (the place and address)", "Upstairs room").submit()
		meeting, _, _ := strings.Cut(res.Header().Get("Location"), "?")
		wantRedirect(t, sp.layC.open(t, sp.path("/support/me")).form("Save").check("Step-free access").submit(), sp.path("/steps/support"))
		wantWork(t, sp, sp.leadC, "work-access")
		wantRedirect(t, sp.layC.open(t, meeting).form("Send my answer").check("Yes").submit(), meeting)
		wantWork(t, sp, sp.facC, "work-access", "Arrange access for Workshop", "Step-free access (1 person)")
		sp.e.exec(`UPDATE meetings SET step_free = true`)
		time.Sleep(server.IdeasFreshForTests) // changed behind the server's back: the kept parts age out
		wantWork(t, sp, sp.leadC, "work-access")
	})
}
