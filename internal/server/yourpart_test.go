package server_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// followLink opens the link whose words are words, as a person clicks it.
// Every link with those words must lead to the same place.
func (p *page) followLink(words string) *page {
	p.t.Helper()
	hrefs := map[string]bool{}
	var href string
	p.doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		if fold(a.Text()) == fold(words) {
			href = a.AttrOr("href", "")
			hrefs[href] = true
		}
	})
	if len(hrefs) != 1 {
		p.t.Fatalf("%s: %d places linked as %q, want 1", p.path, len(hrefs), words)
	}
	href, _, _ = strings.Cut(href, "#")
	return p.c.open(p.t, href)
}

// journeyProject is a project as the demo's people meet it: each has
// suggested an idea, which the lead has answered, with an action on the
// lay partner's, and a meeting is arranged.
type journeyProject struct {
	*stepProject
	meeting string
}

func newJourneyProject(t *testing.T) *journeyProject {
	t.Helper()
	jp := &journeyProject{stepProject: newStepProject(t)}
	sp := jp.stepProject
	for c, title := range map[*client]string{sp.layC: "Lay idea", sp.staffC: "Staff idea", sp.leadC: "Lead idea", sp.facC: "Facilitator idea"} {
		idea := sp.suggest(t, c, title, "Because.")
		wantRedirect(t, sp.leadC.open(t, idea).form("Save the answer").check("Adopted").fill("Why?", "We agree").submit(), idea)
	}
	res := sp.facC.open(t, sp.path("/steps/support")).form("Arrange meeting").fill("What is the meeting?", "Spring workshop").
		fill("Date", "2099-03-04").fill("Starts at", "10:00").fill("Ends at", "12:00").
		fill("Where (the place and address)", "Community centre").check("Step-free access").submit()
	wantRedirect(t, res, sp.path("/meetings/"))
	jp.meeting, _, _ = strings.Cut(res.Header().Get("Location"), "?")
	return jp
}

// A journey is the words of the links a person follows from the project
// page, and what the page they reach must offer.
type journey struct {
	name  string
	links func(idea string) []string
	there func(p *page, idea string) bool
}

var journeys = []journey{
	{"SuggestAnIdea", func(string) []string { return []string{"Ideas"} },
		func(p *page, _ string) bool { return p.has("Suggest this idea") }},
	{"ClaimExpenses", func(string) []string { return []string{"Expenses"} },
		func(p *page, _ string) bool { return p.has("Send claim") }},
	{"TheirSupportNeeds", func(string) []string { return []string{"Support"} },
		func(p *page, _ string) bool { return p.has("Save") }},
	{"TheNextMeeting", func(string) []string { return []string{"Meetings", "Spring workshop"} },
		func(p *page, _ string) bool { return p.has("Send my answer") && text(p.doc, "h1") == "Spring workshop" }},
	{"WhatHappenedToTheirIdea", func(idea string) []string { return []string{idea} },
		func(p *page, idea string) bool {
			return text(p.doc, "h1") == idea && strings.Contains(p.doc.Text(), "Adopted")
		}},
}

// TestEveryPageAPersonNeedsIsWithinTwoLinksOfTheProjectPage follows, for a
// person in each role, the links from the project page to what they came
// to do, and counts them: at most two each.
func TestEveryPageAPersonNeedsIsWithinTwoLinksOfTheProjectPage(t *testing.T) {
	t.Parallel()
	jp := newJourneyProject(t)
	people := []struct {
		name string
		c    *client
		idea string
	}{{"LayPartner", jp.layC, "Lay idea"}, {"StaffPartner", jp.staffC, "Staff idea"},
		{"Lead", jp.leadC, "Lead idea"}, {"Facilitator", jp.facC, "Facilitator idea"}}
	for _, who := range people {
		for _, j := range journeys {
			t.Run(who.name+"/"+j.name, func(t *testing.T) {
				p := who.c.open(t, jp.path(""))
				links := j.links(who.idea)
				for _, words := range links {
					p = p.followLink(words)
				}
				if len(links) > 2 {
					t.Errorf("%d links, want at most 2", len(links))
				}
				if !j.there(p, who.idea) {
					t.Errorf("after %q, %s does not offer what they came for", links, p.path)
				}
			})
		}
	}
}

// The lay partner's next meeting says what the venue has arranged for the
// needs she told the project, and what it has not.
func TestTheNextMeetingSaysWhatIsArrangedForThePerson(t *testing.T) {
	t.Parallel()
	jp := newJourneyProject(t)
	wantRedirect(t, jp.layC.open(t, jp.path("/support/me")).form("Save").check("Step-free access").check("A hearing loop").submit(),
		jp.path("/steps/support"))
	d := jp.layC.open(t, jp.path("")).doc
	got := text(d, "[data-testid=next-meeting]")
	for _, want := range []string{"Spring workshop", "4 March 2099, 10:00", "Community centre", "You have not replied yet",
		"The venue has: Step-free access.", "Not arranged yet: A hearing loop."} {
		if !strings.Contains(got, want) {
			t.Errorf("next meeting %q, want %q", got, want)
		}
	}
	if !strings.Contains(text(d, "[data-testid=prompt-meeting]"), "Say if you can come to Spring workshop") {
		t.Error("the unanswered meeting is not waiting for her")
	}
	wantRedirect(t, jp.layC.open(t, jp.meeting).form("Send my answer").check("Yes").submit(), jp.meeting)
	d = jp.layC.open(t, jp.path("")).doc
	if d.Find("[data-testid=prompt-meeting]").Length() != 0 || !strings.Contains(text(d, "[data-testid=next-meeting]"), "Yes, I am coming") {
		t.Errorf("after replying: waiting %q, next meeting %q", text(d, "[data-testid=prompts]"), text(d, "[data-testid=next-meeting]"))
	}
}

// With two meetings to come, replying to the next one leaves it the next
// meeting and the later one still waiting for a reply.
func TestTheLaterMeetingStillWaitsOnceTheNextIsAnswered(t *testing.T) {
	t.Parallel()
	jp := newJourneyProject(t)
	wantRedirect(t, jp.facC.open(t, jp.path("/steps/support")).form("Arrange meeting").fill("What is the meeting?", "Summer workshop").
		fill("Date", "2099-06-04").fill("Starts at", "10:00").fill("Ends at", "12:00").
		fill("Where (the place and address)", "Library").submit(), jp.path("/meetings/"))
	wantRedirect(t, jp.layC.open(t, jp.meeting).form("Send my answer").check("Yes").submit(), jp.meeting)

	d := jp.layC.open(t, jp.path("")).doc
	if got := text(d, "[data-testid=next-meeting-link]"); got != "Spring workshop" {
		t.Errorf("next meeting %q, want Spring workshop", got)
	}
	if got := text(d, "[data-testid=prompt-meeting]"); got != "Say if you can come to Summer workshop" {
		t.Errorf("waiting for a reply: %q, want only Summer workshop", got)
	}
}

// A partner's ideas show the answer and each action's progress; open
// ideas by others wait for their vote until they give it.
func TestAPartnerSeesTheirIdeasAnswersAndWhatWaitsForTheirVote(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	mine := sp.suggest(t, sp.layC, "Bigger signs", "Hard to read.")
	wantRedirect(t, sp.leadC.open(t, mine).form("Save the answer").check("Adopted").fill("Why?", "Cheap").submit(), mine)
	wantRedirect(t, sp.leadC.open(t, mine).form("Add action").fill("What will be done", "Order signs").
		fill("Who will do it", "Estates").fill("By when", "2099-01-31").check("In progress").submit(), mine)
	theirs := sp.suggest(t, sp.staffC, "Evening meetings", "After work.")

	d := sp.layC.open(t, sp.path("")).doc
	if got := text(d, "[data-testid=your-ideas]"); !strings.Contains(got, "Bigger signs") || !strings.Contains(got, "Adopted") ||
		!strings.Contains(got, "Order signs: In progress (due 31 January 2099)") {
		t.Errorf("your ideas: %q", got)
	}
	if got := text(d, "[data-testid=prompt-vote]"); got != "Vote on the idea “Evening meetings”" {
		t.Errorf("waiting to vote: %q", got)
	}
	wantRedirect(t, sp.layC.open(t, theirs).form("Save my vote").check("Support").submit(), theirs)
	if n := sp.layC.open(t, sp.path("")).doc.Find("[data-testid=prompt-vote]").Length(); n != 0 {
		t.Errorf("%d ideas wait for a vote after voting, want 0", n)
	}
	// The author is not asked to vote on their own idea.
	if got := text(sp.staffC.open(t, sp.path("")).doc, "[data-testid=prompt-vote]"); strings.Contains(got, "Evening meetings") {
		t.Errorf("the author is asked to vote on their own idea: %q", got)
	}
}

// Who to contact: the buddy with the address a buddy is there to be
// reached at, the leads by name only.
func TestWhoToContactShowsTheBuddyAndTheLeadsName(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	d := sp.layC.open(t, sp.path("")).doc
	if got := text(d, "[data-testid=contacts]"); !strings.Contains(got, "You do not have a buddy yet") ||
		!strings.Contains(got, sp.lead.Name) || strings.Contains(got, sp.lead.Email) {
		t.Errorf("contacts without a buddy: %q", got)
	}
	res := sp.leadC.open(t, sp.path("/steps/support")).form("Pair them").
		fill("Lay partner", sp.lay.Name).fill("Their buddy (staff)", sp.staff.Name).submit()
	wantRedirect(t, res, sp.path("/steps/support"))
	got := text(sp.layC.open(t, sp.path("")).doc, "[data-testid=contacts]")
	if !strings.Contains(got, sp.staff.Name) || !strings.Contains(got, sp.staff.Email) || strings.Contains(got, sp.lead.Email) {
		t.Errorf("contacts with a buddy: %q", got)
	}
	if sp.leadC.open(t, sp.path("")).doc.Find("[data-testid=contacts]").Length() != 0 {
		t.Error("a lead is shown who to contact")
	}
}

// The project menu is on every project page, shows only what the person
// may use, and marks where they are.
func TestTheProjectMenuIsOnEveryProjectPage(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	menu := func(c *client, path string) (string, string) {
		d := c.open(t, sp.path(path)).doc
		return cells(d, "[data-testid=project-menu] a"), text(d, "[data-testid=project-menu] [aria-current]")
	}
	for _, tc := range []struct{ path, current string }{{"", "Overview"}, {"/steps/build", "Ideas"},
		{"/meetings", "Meetings"}, {"/claims", "Expenses"}, {"/support/me", "Support"}, {"/steps", "Steps"},
		{"/steps/choose", "Steps"}, {"/evaluate", "Evaluate"}, {"/evaluate/outcomes", "Evaluate"}, {"/reports", "Reports"},
		{"/members", ""}} {
		items, current := menu(sp.layC, tc.path)
		if items != "Overview|Ideas|Meetings|Expenses|Support|Steps|Evaluate|Reports" || current != tc.current {
			t.Errorf("%s: menu %q, current %q, want current %q", tc.path, items, current, tc.current)
		}
	}
	admin := sp.e.signedIn(sp.admin)
	if items, _ := menu(admin, ""); items != "Overview|Ideas|Meetings|Steps|Evaluate|Reports" {
		t.Errorf("an administrator who is not a member sees %q", items)
	}
	if n := sp.layC.open(t, "/projects").doc.Find("[data-testid=project-menu]").Length(); n != 0 {
		t.Error("the project list has a project menu")
	}
}
