package server_test

import (
	"strings"
	"testing"
)

// The project page keeps the parts every viewer sees alike for a second,
// but a change made through the server drops them: a lay partner who has
// just looked at the page, suggests an idea and comes straight back sees
// it among the newest ideas.
func TestOwnChangeShowsAtOnceOnTheProjectPage(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	before := sp.layC.open(t, sp.path("")).doc.Find("main").Text()
	const title = "A ramp at the side door of the clinic"
	if strings.Contains(before, title) {
		t.Fatal("the idea is there before it was suggested")
	}
	wantRedirect(t, sp.layC.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", title).fill("Tell us more", "Wheelchairs cannot use the front steps.").
		submit(), sp.path("/proposals/"))
	latest := sp.layC.open(t, sp.path("")).doc.Find("[data-testid=latest-ideas]").Text()
	if !strings.Contains(latest, title) {
		t.Error("the new idea is not on the project page straight after it was suggested")
	}
}

// A lay partner's view keeps the page's shared parts without the work
// list; the lead who looks within the same second still gets hers.
func TestLeadGetsHerWorkListAfterALayPartnersView(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	wantRedirect(t, sp.leadC.open(t, sp.path("/steps/be-clear/purpose")).form("Save new version").
		fill("What the project is for", "Better rehab at home").submit(), sp.path("/steps/be-clear"))
	sp.layC.open(t, sp.path(""))
	wantWork(t, sp, sp.leadC, "work-not-read", "members have not read the purpose statement", sp.lay.Name)
	if n := sp.layC.open(t, sp.path("")).doc.Find("#work-list").Length(); n != 0 {
		t.Error("a lay partner got the work list kept from the lead's view")
	}
}
