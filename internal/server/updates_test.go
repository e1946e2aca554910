package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// updatesOf is what a person's Updates page lists, as they read it.
func updatesOf(t *testing.T, c *client) string {
	t.Helper()
	return text(c.open(t, "/updates").doc, "main")
}

// told checks that each person in yes has an update saying want on their
// Updates page, and nobody in no (the person who made the change among
// them) has.
func told(t *testing.T, want string, yes, no map[string]*client) {
	t.Helper()
	for who, c := range yes {
		if !strings.Contains(updatesOf(t, c), want) {
			t.Errorf("%s has no update saying %q", who, want)
		}
	}
	for who, c := range no {
		if strings.Contains(updatesOf(t, c), want) {
			t.Errorf("%s was told %q, but it does not concern them", who, want)
		}
	}
}

// Each change tells, on their Updates page, the people it concerns and
// never the person who made it; every change is made through the page's
// own form.
func TestUpdatesReachThosePeopleConcernedAndNotTheActor(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	lead, fac, lay, staff := sp.leadC, sp.facC, sp.layC, sp.staffC
	who := func(names ...string) map[string]*client {
		all := map[string]*client{"lead": lead, "facilitator": fac, "lay partner": lay, "staff partner": staff}
		m := map[string]*client{}
		for _, n := range names {
			m[n] = all[n]
		}
		return m
	}

	idea := sp.suggest(t, lay, "Evening meetings", "After work suits carers.")
	t.Run("NewIdea", func(t *testing.T) {
		told(t, sp.lay.Name+" suggested an idea", who("lead", "facilitator", "staff partner"), who("lay partner"))
	})

	wantRedirect(t, staff.open(t, idea).form("Save my vote").check("Support").submit(), idea)
	t.Run("CommentOnYourIdea", func(t *testing.T) {
		wantRedirect(t, staff.open(t, idea).form("Send comment").fill("Your comment", "Yes please").submit(), idea)
		told(t, sp.staff.Name+" commented on the idea", who("lay partner"), who("staff partner", "lead", "facilitator"))
	})
	t.Run("ReplyToYourComment", func(t *testing.T) {
		wantRedirect(t, lay.open(t, idea).form("Send reply").fill("Your reply", "Thank you").submit(), idea)
		told(t, sp.lay.Name+" commented on the idea", who("staff partner"), who("lay partner", "lead", "facilitator"))
	})
	t.Run("YourIdeaAnswered", func(t *testing.T) {
		wantRedirect(t, fac.open(t, idea).form("Save the answer").check("Adopted").fill("Why?", "Easy to do").submit(), idea)
		told(t, "\"Evening meetings\" has been answered: Adopted", who("lay partner"), who("facilitator", "lead", "staff partner"))
	})
	t.Run("ActionOnAnIdeaYouSuggestedOrVotedOnMoves", func(t *testing.T) {
		wantRedirect(t, lead.open(t, idea).form("Add action").fill("What will be done", "Book the hall").
			fill("Who will do it", "Community team").fill("By when", "2030-03-01").submit(), idea)
		wantRedirect(t, lead.open(t, idea).form("Update").fill("Progress", "Done").submit(), idea)
		told(t, "\"Book the hall\" is now Done", who("lay partner", "staff partner"), who("lead", "facilitator"))
	})
	t.Run("PurposeChanged", func(t *testing.T) {
		res := lead.open(t, sp.path("/steps/be-clear/purpose")).form("Save new version").
			fill("What the project is for", "Better visits for carers").submit()
		wantRedirect(t, res, sp.path("/steps/be-clear"))
		told(t, "changed the purpose statement", who("lay partner", "staff partner", "facilitator"), who("lead"))
	})
	t.Run("YourFourRsWritten", func(t *testing.T) {
		res := lead.open(t, sp.path("/steps/understand/members/"+itoa(sp.lay.ID))).form("Save 4Rs").
			fill("Role", "Carer voice").fill("Remit", "Visits").fill("Relationships", "All").fill("Responsibility", "Share").submit()
		wantRedirect(t, res, sp.path("/steps/understand"))
		told(t, "your role description (4Rs)", who("lay partner"), who("lead", "staff partner", "facilitator"))
	})
	t.Run("StepWaitsForYourSignOff", func(t *testing.T) {
		step := sp.path("/steps/identify")
		wantRedirect(t, lead.open(t, step).form("Start this step").submit(), step)
		wantRedirect(t, lead.open(t, step).form("Sign off this step").submit(), step)
		told(t, "is waiting for you to sign it off", who("lay partner"), who("lead", "staff partner", "facilitator"))
	})
	t.Run("MeetingArranged", func(t *testing.T) {
		res := fac.open(t, sp.path("/steps/support")).form("Arrange meeting").fill("What is the meeting?", "Evening workshop").
			fill("Date", "2030-03-04").fill("Starts at", "18:00").fill("Ends at", "20:00").
			fill("Where (the place and address)", "Library").submit()
		wantRedirect(t, res, sp.path("/meetings/"))
		told(t, "A meeting has been arranged in "+sp.p.Title+": Evening workshop", who("lead", "lay partner", "staff partner"), who("facilitator"))
	})
	t.Run("ClaimToApproveAndClaimDecided", func(t *testing.T) {
		claimThroughForm(t, sp, lay, sp.lay, "4.50")
		told(t, "sent an expense claim of £4.50", who("lead"), who("lay partner", "staff partner"))
		res := lead.open(t, sp.path("/claims")).form("Reject "+sp.lay.Name).fill("Reason, if rejecting", "No receipt").submit()
		wantRedirect(t, res, sp.path("/claims"))
		told(t, "£4.50 in "+sp.p.Title+" was not approved. The reason: No receipt", who("lay partner"), who("lead", "staff partner"))
	})
}

// An update is seen when its person opens it through its link, which
// leads to the thing; the header counts the rest, in words a screen
// reader says as one phrase; "mark all as seen" clears the count.
func TestOpeningAnUpdateMarksItSeen(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	sp.suggest(t, sp.layC, "Evening meetings", "Why")
	idea := sp.suggest(t, sp.layC, "Large print", "Why")
	pg := sp.leadC.open(t, "/projects")
	if got := fold(text(pg.doc, "[data-testid=updates-link]")); got != "Updates, 2 new" {
		t.Errorf("header says %q, want %q", got, "Updates, 2 new")
	}
	link, _ := sp.leadC.open(t, "/updates").doc.Find("[data-testid=update] a").First().Attr("href")
	res := sp.leadC.get(link)
	wantRedirect(t, res, idea)
	if got := fold(text(sp.leadC.open(t, "/projects").doc, "[data-testid=updates-link]")); got != "Updates, 1 new" {
		t.Errorf("after opening one, header says %q", got)
	}
	// Someone else's update is not theirs to open.
	wantStatus(t, sp.staffC.get(link), http.StatusNotFound)

	wantRedirect(t, sp.leadC.open(t, "/updates").form("Mark all as seen").submit(), "/updates")
	pg = sp.leadC.open(t, "/updates")
	if pg.doc.Find("[data-testid=updates-count]").Length() != 0 || pg.doc.Find("[data-testid=update] .nhsuk-tag").Length() != 0 {
		t.Error("updates still new after marking all as seen")
	}
	if pg.has("Mark all as seen") {
		t.Error("offers to mark all as seen with nothing new")
	}
}

// A person with 1,000 updates gets them a page at a time, newest first.
func TestUpdatesPageWithAThousandUpdatesIsPaginated(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	if _, err := sp.e.tx.Exec(context.Background(), `
		INSERT INTO updates (user_id, project_id, kind, line, link)
		SELECT $1, $2::bigint, 'new_idea', 'Update number ' || i, '/projects/' || $2::bigint FROM generate_series(1, 1000) i`,
		sp.lay.ID, sp.p.ID); err != nil {
		t.Fatal(err)
	}
	pg := sp.layC.open(t, "/updates")
	items := pg.doc.Find("[data-testid=update]")
	if items.Length() != 50 {
		t.Fatalf("%d updates on the first page, want 50", items.Length())
	}
	if first := fold(items.First().Find("a").Text()); first != "Update number 1000" {
		t.Errorf("first is %q, want the newest", first)
	}
	if got := fold(text(pg.doc, "[data-testid=updates-link]")); got != "Updates, 99+ new" {
		t.Errorf("header says %q", got)
	}
	next, _ := pg.doc.Find("[data-testid=update-pages] a[rel=next]").Attr("href")
	pg = sp.layC.open(t, next)
	if first := fold(pg.doc.Find("[data-testid=update] a").First().Text()); first != "Update number 950" {
		t.Errorf("page 2 starts with %q", first)
	}
	last := sp.layC.open(t, "/updates?page=20")
	if n := last.doc.Find("[data-testid=update]").Length(); n != 50 || last.doc.Find("[data-testid=update-pages] a[rel=next]").Length() != 0 {
		t.Errorf("last page: %d updates, or a next link", n)
	}
	wantStatus(t, sp.layC.get("/updates?page=21"), http.StatusNotFound)
}

// The settings page has one choice per kind, starting from the defaults:
// a lay partner hears at once of what concerns them personally and in the
// digest of the rest; staff get digests. A choice changes only its kind.
func TestNotificationChoicesPerKind(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	pg := sp.layC.open(t, "/account/notifications")
	checked := func(pg *page, name string) string {
		return pg.doc.Find("input[name="+name+"][checked]").AttrOr("value", "")
	}
	for name, want := range map[string]string{"notify-answered": "immediate", "notify-claim_decided": "immediate",
		"notify-meeting": "immediate", "notify-new_idea": "daily", "notify-purpose": "daily"} {
		if got := checked(pg, name); got != want {
			t.Errorf("lay partner's %s defaults to %q, want %q", name, got, want)
		}
	}
	if got := checked(sp.staffC.open(t, "/account/notifications"), "notify-answered"); got != "daily" {
		t.Errorf("staff's answers default to %q, want daily", got)
	}
	f := pg.form("Save my choices")
	f.values.Set("notify-new_idea", "none")
	wantRedirect(t, f.submit(), "/account")
	pg = sp.layC.open(t, "/account/notifications")
	if checked(pg, "notify-new_idea") != "none" || checked(pg, "notify-answered") != "immediate" {
		t.Error("the choice was not kept, or changed another kind")
	}
	// A choice left out comes back with the error and the rest kept.
	f = pg.form("Save my choices")
	f.values.Del("notify-meeting")
	res := f.submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := sp.layC.pageOf(t, "/account/notifications", res)
	if again.doc.Find(".nhsuk-error-summary a[href='#notify-meeting']").Length() != 1 || checked(again, "notify-new_idea") != "none" {
		t.Error("no error for the missing choice, or the others were lost")
	}
	// From the account page.
	if _, ok := sp.layC.open(t, "/account").doc.Find("a[href='/account/notifications']").Attr("href"); !ok {
		t.Error("the account page does not link to the choices")
	}
}

// The unsubscribe link in an email asks before it stops anything (mail
// scanners open links); confirming, or a mail program's one-click POST
// with no session and from no page of ours, turns only the kinds that
// email carried to "Updates page only".
func TestUnsubscribeLinkChangesOnlyItsKind(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	idea := sp.suggest(t, sp.layC, "Evening meetings", "Why")
	wantRedirect(t, sp.facC.open(t, idea).form("Save the answer").check("Adopted").fill("Why?", "Easy").submit(), idea)
	var listUnsub string
	if err := sp.e.tx.QueryRow(context.Background(), `
		SELECT list_unsubscribe FROM emails WHERE to_address = $1 AND kind = 'news_answered'`, sp.lay.Email).Scan(&listUnsub); err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(listUnsub, "http://coproduce.test")
	pref := func(kind string) string {
		var n string
		err := sp.e.tx.QueryRow(context.Background(), `
			SELECT coalesce((SELECT notify FROM notify_preferences WHERE user_id = $1 AND kind = $2), 'default')`, sp.lay.ID, kind).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	anon := sp.e.client()
	pg := anon.open(t, path)
	if !strings.Contains(text(pg.doc, "main"), "Answers to your ideas") || pref("answered") != "default" {
		t.Fatal("the link's page does not name the kind, or opening it changed something")
	}
	// A mail program's one-click POST: a form body, no cookie, an origin
	// that is not ours.
	req := url.Values{"List-Unsubscribe": {"One-Click"}}
	res := anon.postFrom(path, req, "https://mail.example.net")
	wantStatus(t, res, http.StatusOK)
	if got := pref("answered"); got != "none" {
		t.Errorf("answers: %q, want none", got)
	}
	for _, k := range []string{"new_idea", "comment", "meeting", "claim_decided"} {
		if got := pref(k); got != "default" {
			t.Errorf("%s changed to %q", k, got)
		}
	}
	// The page's own confirm button works too, and a made-up token finds
	// nothing.
	wantStatus(t, anon.open(t, path).form("Yes, stop these emails").submit(), http.StatusOK)
	wantStatus(t, anon.post("/unsubscribe/not-a-token", req), http.StatusNotFound)
	// Other cross-site posts are still refused.
	wantStatus(t, sp.layC.postFrom("/updates", url.Values{"up_to": {"1"}}, "https://mail.example.net"), http.StatusForbidden)
}

// postFrom posts a form as another site's page or a mail provider would:
// the browser's headers say cross-site, from origin.
func (c *client) postFrom(path string, form url.Values, origin string) *httptest.ResponseRecorder {
	c.e.t.Helper()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", origin)
	return c.do(req)
}
