package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/web/views"
)

func (sp *stepProject) propose(t *testing.T, c *client, title string) string {
	t.Helper()
	res := c.post(sp.path("/proposals"), url.Values{"title": {title}, "body": {"Because it matters.\nSee https://example.org/x"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("propose: %d\n%s", res.Code, res.Body)
	}
	return strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
}

func TestProposalFeedbackLoop(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	e.store.SetNotify(context.Background(), sp.staff.ID, coproduce.NotifyDaily)
	e.store.SetNotify(context.Background(), sp.facilitator.ID, coproduce.NotifyNone)
	path := sp.propose(t, sp.layC, "Text reminders before home visits")

	t.Run("MembersAreToldAsTheyPrefer", func(t *testing.T) {
		// The lead made no choice: staff get new ideas in the daily digest.
		for _, tc := range []struct {
			u      *coproduce.User
			emails int
			digest int
		}{{sp.lead, 0, 1}, {sp.staff, 0, 1}, {sp.facilitator, 0, 0}, {sp.lay, 0, 0}} {
			if n := e.count(`SELECT count(*) FROM emails WHERE to_address = $1 AND kind = 'news_new_idea'`, tc.u.Email); n != tc.emails {
				t.Errorf("%s: %d emails, want %d", tc.u.Name, n, tc.emails)
			}
			if n := e.count(`SELECT count(*) FROM digest_items WHERE user_id = $1`, tc.u.ID); n != tc.digest {
				t.Errorf("%s: %d digest items, want %d", tc.u.Name, n, tc.digest)
			}
		}
	})
	t.Run("BodyKeepsLineBreaksAndMakesLinks", func(t *testing.T) {
		d := doc(t, sp.leadC.get(path))
		if href, _ := d.Find("[data-testid=proposal-body] a").Attr("href"); href != "https://example.org/x" {
			t.Errorf("link %q", href)
		}
		if d.Find("[data-testid=proposal-body] br").Length() != 1 {
			t.Error("line break lost")
		}
	})
	t.Run("VotesAreTalliedByRole", func(t *testing.T) {
		wantRedirect(t, sp.layC.post(path+"/vote", url.Values{"choice": {"support"}}), path)
		wantRedirect(t, sp.staffC.post(path+"/vote", url.Values{"choice": {"object"}, "reason": {"Costs"}}), path)
		wantRedirect(t, sp.leadC.post(path+"/vote", url.Values{"choice": {"support"}}), path)
		// Changing a vote replaces it.
		wantRedirect(t, sp.staffC.post(path+"/vote", url.Values{"choice": {"neutral"}}), path)
		d := doc(t, sp.layC.get(path))
		if got := cells(d, "[data-testid=tally-lay] td"); got != "1|0|0" {
			t.Errorf("lay tally %s", got)
		}
		if got := cells(d, "[data-testid=tally-staff] td"); got != "1|1|0" {
			t.Errorf("staff tally %s", got)
		}
		if d.Find("[data-testid=tally-chart] rect").Length() < 4 {
			t.Error("no tally chart")
		}
		wantStatus(t, sp.layC.post(path+"/vote", url.Values{"choice": {"maybe"}}), http.StatusUnprocessableEntity)
	})
	t.Run("NotAdoptedNeedsAReason", func(t *testing.T) {
		res := sp.leadC.post(path+"/respond", url.Values{"response": {"not_adopted"}, "rationale": {"  "}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if doc(t, res).Find("#rationale-error").Length() != 1 {
			t.Error("no rationale error")
		}
		if n := e.count(`SELECT count(*) FROM proposals WHERE status = 'closed'`); n != 0 {
			t.Error("closed without a reason")
		}
	})
	t.Run("PartnersCannotAnswer", func(t *testing.T) {
		for _, c := range []*client{sp.layC, sp.staffC} {
			wantStatus(t, c.post(path+"/respond", url.Values{"response": {"adopted"}}), http.StatusForbidden)
		}
	})
	t.Run("AdoptedWithActionsAppearsInYouSaidWeDid", func(t *testing.T) {
		wantRedirect(t, sp.facC.post(path+"/respond", url.Values{"response": {"adopted"}, "rationale": {"Cheap and asked for by many"}}), path)
		if n := e.count(`SELECT count(*) FROM emails WHERE to_address = $1 AND kind = 'news_answered'`, sp.lay.Email); n != 1 {
			t.Errorf("author told %d times", n)
		}
		res := sp.leadC.post(path+"/actions", url.Values{"description": {"Set up text reminders"}, "owner": {"Community team"}, "due_on": {"2027-03-01"}, "status": {"in_progress"}})
		wantRedirect(t, res, path)
		wantStatus(t, sp.leadC.post(path+"/actions", url.Values{"description": {"x"}, "owner": {"y"}, "due_on": {"31/02/2027"}, "status": {"done"}}), http.StatusUnprocessableEntity)
		got := text(doc(t, sp.layC.get(sp.path("/steps/build"))), "[data-testid=you-said-we-did]")
		for _, want := range []string{"Text reminders before home visits", "Adopted", "Cheap and asked for", "Set up text reminders", "Community team", "In progress"} {
			if !strings.Contains(got, want) {
				t.Errorf("you said, we did lacks %q: %s", want, got)
			}
		}
		// Votes are closed with the answer.
		wantRedirect(t, sp.layC.post(path+"/vote", url.Values{"choice": {"object"}}), path+"?notice=proposal-closed")
	})
}

func TestNotAdoptedRuleIsAlsoADatabaseConstraint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	p := pgtest.Project(t, e.store, lead)
	id, err := e.store.CreateProposal(context.Background(), lead.ID, p.ID, coproduce.ProposalInput{Title: "A", Body: "B"})
	if err != nil {
		t.Fatal(err)
	}
	err = e.store.RespondToProposal(context.Background(), lead.ID, p.ID, id, coproduce.ResponseInput{Response: coproduce.NotAdopted})
	if err == nil {
		t.Error("not adopted without a reason was stored")
	}
}

func TestComments(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	path := sp.propose(t, sp.staffC, "Longer visits")
	comment := func(c *client, body, token, parent string) *httptest.ResponseRecorder {
		form := url.Values{"body": {body}, "form_token": {token}}
		if parent != "" {
			form.Set("parent", parent)
		}
		return c.post(path+"/comments", form)
	}

	t.Run("DoubleClickLeavesOneComment", func(t *testing.T) {
		wantRedirect(t, comment(sp.layC, "I agree <b>strongly</b>", "tok-1", ""), path)
		wantRedirect(t, comment(sp.layC, "I agree <b>strongly</b>", "tok-1", ""), path)
		if n := e.count(`SELECT count(*) FROM comments WHERE body LIKE 'I agree%'`); n != 1 {
			t.Errorf("%d comments", n)
		}
		d := doc(t, sp.leadC.get(path))
		if d.Find("[data-testid=comments] b").Length() != 0 || !strings.Contains(text(d, "[data-testid=comments]"), "<b>strongly</b>") {
			t.Error("HTML in a comment was not shown as text")
		}
	})
	var parent int64
	e.tx.QueryRow(context.Background(), `SELECT id FROM comments WHERE body LIKE 'I agree%'`).Scan(&parent)

	t.Run("RepliesGoOneLevelDeep", func(t *testing.T) {
		wantRedirect(t, comment(sp.leadC, "Thank you", "tok-2", itoa(parent)), path)
		var reply int64
		e.tx.QueryRow(context.Background(), `SELECT id FROM comments WHERE body = 'Thank you'`).Scan(&reply)
		wantStatus(t, comment(sp.layC, "A reply to a reply", "tok-3", itoa(reply)), http.StatusNotFound)
		if doc(t, sp.layC.get(path)).Find(".app-replies [data-testid=comment]").Length() != 1 {
			t.Error("reply not shown under its comment")
		}
	})
	t.Run("AuthorsEditForFifteenMinutes", func(t *testing.T) {
		edit := sp.path("/comments/" + itoa(parent) + "/edit")
		wantStatus(t, sp.staffC.get(edit), http.StatusForbidden)
		wantStatus(t, sp.staffC.post(edit, url.Values{"body": {"Hijacked"}}), http.StatusForbidden)
		wantRedirect(t, sp.layC.post(edit, url.Values{"body": {"I agree, strongly"}}), path)
		e.exec(`UPDATE comments SET created_at = now() - interval '16 minutes' WHERE id = $1`, parent)
		wantStatus(t, sp.layC.post(edit, url.Values{"body": {"Too late"}}), http.StatusForbidden)
		if !strings.Contains(text(doc(t, sp.leadC.get(path)), "[data-testid=comments]"), "I agree, strongly") {
			t.Error("edit not shown")
		}
	})
	t.Run("FacilitatorsHideWithAReason", func(t *testing.T) {
		hide := sp.path("/comments/" + itoa(parent) + "/hide")
		wantStatus(t, sp.layC.post(hide, url.Values{"reason": {"no"}}), http.StatusForbidden)
		wantStatus(t, sp.facC.post(hide, url.Values{"reason": {""}}), http.StatusUnprocessableEntity)
		wantRedirect(t, sp.facC.post(hide, url.Values{"reason": {"It named a patient"}}), path)
		d := doc(t, sp.layC.get(path))
		if got := text(d, "[data-testid=hidden-comment]"); got != "Hidden by a facilitator: It named a patient" {
			t.Errorf("hidden notice %q", got)
		}
		if strings.Contains(d.Text(), "I agree, strongly") {
			t.Error("hidden words still shown")
		}
		if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'comment.hide' AND actor_id = $1`, sp.facilitator.ID); n != 1 {
			t.Errorf("%d audit events", n)
		}
	})
	t.Run("EmptyAndOverlongAreFieldErrors", func(t *testing.T) {
		wantStatus(t, comment(sp.layC, "   ", "tok-4", ""), http.StatusUnprocessableEntity)
		wantStatus(t, comment(sp.layC, strings.Repeat("x", 5001), "tok-5", ""), http.StatusUnprocessableEntity)
	})
	t.Run("OutsidersCannotTakePart", func(t *testing.T) {
		wantStatus(t, comment(sp.outsideC, "Hello", "tok-6", ""), http.StatusNotFound)
		wantStatus(t, sp.outsideC.post(path+"/vote", url.Values{"choice": {"support"}}), http.StatusNotFound)
		wantStatus(t, sp.outsideC.get(path), http.StatusNotFound)
	})
}

func TestLayPartnersUnansweredProposalIsFlaggedAfter28Days(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	sp.propose(t, sp.layC, "Old idea")
	sp.propose(t, sp.staffC, "Old staff idea")
	sp.e.exec(`UPDATE proposals SET created_at = now() - interval '29 days'`)
	d := doc(t, sp.leadC.get(sp.path("/steps/build")))
	if n := d.Find("[data-testid=overdue]").Length(); n != 1 {
		t.Errorf("%d flagged, want 1 (the lay partner's)", n)
	}
	// Partners see the overdue ideas in a warning; leads in their work list.
	if got := cells(doc(t, sp.staffC.get(sp.path(""))), "[data-testid=overdue-proposals] li"); !strings.Contains(got, "Old idea") ||
		strings.Contains(got, "Old staff idea") {
		t.Errorf("project page's overdue list: %q, want only the lay partner's idea", got)
	}
	if got := cells(doc(t, sp.leadC.get(sp.path(""))), "[data-testid=work-idea]"); !strings.Contains(got, "Old idea") ||
		strings.Contains(got, "Old staff idea") {
		t.Errorf("lead's work list: %q, want only the lay partner's idea", got)
	}
}

func TestProjectPageListsTheNewestIdeasWithTheirCounts(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	path := sp.propose(t, sp.layC, "Counted idea")
	sp.layC.post(path+"/vote", url.Values{"choice": {"support"}})
	sp.staffC.post(path+"/vote", url.Values{"choice": {"object"}})
	sp.staffC.post(path+"/comments", url.Values{"body": {"One"}, "form_token": {"a"}})
	sp.layC.post(path+"/comments", url.Values{"body": {"Two"}, "form_token": {"b"}})
	row := doc(t, sp.facC.get(sp.path(""))).Find("[data-testid=latest-ideas] tbody tr")
	if row.Length() != 1 {
		t.Fatalf("%d ideas listed", row.Length())
	}
	got := row.Find("td").Map(func(_ int, td *goquery.Selection) string { return strings.TrimSpace(td.Text()) })
	if want := []string{"Counted idea", "1 / 0 / 0", "0 / 0 / 1", "2"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("row %q, want %q (lay support, staff object, two comments)", got, want)
	}
}

func TestFiftyIdenticalVotesAtOnceLeaveOne(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	pool := pgtest.Pool(t, dbURL)
	store := postgres.NewStore(pool)
	e := newEnvOn(t, store)
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	id, err := store.CreateProposal(context.Background(), lead.ID, p.ID, coproduce.ProposalInput{Title: "A", Body: "B"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.server)
	defer srv.Close()
	c := e.signedIn(lead)
	cookie := c.cookies["coproduce_session"]
	var wg sync.WaitGroup
	codes := make([]int, 50)
	for i := range codes {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/projects/"+itoa(p.ID)+"/proposals/"+itoa(id)+"/vote",
				strings.NewReader("choice=support"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.AddCookie(cookie)
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		})
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusSeeOther {
			t.Errorf("post %d: %d", i, code)
		}
	}
	var n int
	pool.QueryRow(context.Background(), `SELECT count(*) FROM votes WHERE proposal_id = $1`, id).Scan(&n)
	if n != 1 {
		t.Errorf("%d votes, want 1", n)
	}
}

func TestLongDiscussionsArePaged(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	path := sp.propose(t, sp.layC, "Popular idea")
	for i := range views.CommentsPerPage + 4 {
		sp.aMinutePasses() // one person may post 10 comments a minute
		sp.layC.post(path+"/comments", url.Values{"body": {"Comment " + itoa(int64(i+1))}, "form_token": {"p" + itoa(int64(i))}})
	}
	res := sp.staffC.post(path+"/comments", url.Values{"body": {"The newest"}, "form_token": {"last"}})
	wantRedirect(t, res, path+"?page=2&notice=comment-added#comment-")
	first := doc(t, sp.staffC.get(path))
	if n := first.Find("[data-testid=comments] > li").Length(); n != views.CommentsPerPage {
		t.Errorf("page 1 shows %d comments", n)
	}
	if first.Find("[data-testid=comment-pages] a[rel=next]").Length() != 1 || text(first, "[data-testid=comment-page]") != "Page 1 of 2 of the discussion, oldest first." {
		t.Error("no link to the next page, or no word of which page this is")
	}
	second := doc(t, sp.staffC.get(path+"?page=2"))
	if got := text(second, "[data-testid=comments]"); !strings.Contains(got, "The newest") || strings.Contains(got, "Comment 1 ") {
		t.Errorf("page 2: %s", got)
	}
	// A page past the end shows the last page.
	if got := text(doc(t, sp.staffC.get(path+"?page=99")), "[data-testid=comments]"); !strings.Contains(got, "The newest") {
		t.Errorf("page 99: %s", got)
	}
}
