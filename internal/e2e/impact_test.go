package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// checkboxFor is the id of the checkbox whose label says words.
func (b *tab) checkboxFor(words string) string {
	b.t.Helper()
	id := eval[string](b, fmt.Sprintf(`(Array.from(document.querySelectorAll('label.nhsuk-checkboxes__label')).find(l => l.textContent.trim() === %q) || {}).htmlFor || ''`, words))
	if id == "" {
		b.fail("no checkbox labelled %q", words)
	}
	return "#" + id
}

// TestFacilitatorRecordsTheImpactOfAnIdea: Margaret suggests an idea in
// the demo's stroke project; Tom, its facilitator, records in the impact
// log the change it led to, linked to her idea and naming her as a
// contributor. Margaret finds on her idea that it changed something, reads
// it in the project report's "Involvement and its impact", and adds to
// the members' reflection. Every page gets the checks every page gets
// (axe, the skip link, reflow, no browser error, and with JavaScript off
// the Nu HTML Checker).
func TestFacilitatorRecordsTheImpactOfAnIdea(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		idea := "Bigger print on appointment letters" + suffix
		change := "Appointment letters in 16 point" + suffix
		margaret := newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		project := margaret.projectID("Improving stroke rehabilitation at home")
		margaret.visit(project + "/steps/build")
		margaret.fill("#title", idea)
		margaret.fill("#body", "I cannot read the times on the letters.")
		margaret.click("[data-testid=make-proposal]")
		ideaPath := strings.SplitN(margaret.path(), "?", 2)[0]

		tom := newTab(t, js)
		tom.signIn("tom.evans@example.org")
		tom.visit(project + "/evaluate/impact")
		tom.click("[data-testid=new-impact]")
		tom.click("[data-testid=add-impact]") // nothing filled in: the errors are shown
		if got := tom.text("[data-testid=error-summary]"); !strings.Contains(got, "Enter what changed, in a few words") {
			tom.fail("the error summary says %q", got)
		}
		tom.fill("#title", change)
		tom.fill("#what_changed", "Margaret showed us she could not read the times. Every letter now uses 16 point.")
		// A date field takes typed digits in the browser's own order; set
		// the value the form sends (YYYY-MM-DD) as the date picker does.
		yesterday := time.Now().AddDate(0, 0, -1)
		eval[bool](tom, fmt.Sprintf(`document.querySelector('#changed_on').value = %q, true`, yesterday.Format(time.DateOnly)))
		tom.choose(tom.checkboxFor(idea))
		tom.choose(tom.checkboxFor("Margaret Jones (Lay partner)"))
		tom.click("[data-testid=add-impact]")
		if got := tom.text("[data-testid=impact-log] > li:first-child"); !strings.Contains(got, change) || !strings.Contains(got, "Who contributed: Margaret Jones") ||
			!strings.Contains(got, "Changed on "+yesterday.Format("2 January 2006")) {
			tom.fail("the impact log reads %q", got)
		}
		tom.click(`[data-testid=impact-log] > li:first-child a[href*="/evaluate/impact/"]`)
		if got := eval[string](tom, `document.querySelector('#title').value`); got != change {
			tom.fail("the newest entry's page has the title %q", got)
		}

		margaret = newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		margaret.visit(ideaPath)
		if got := margaret.text("[data-testid=idea-impact]"); !strings.Contains(got, "This idea changed something:") || !strings.Contains(got, change) {
			margaret.fail("her idea says %q", got)
		}
		margaret.click("[data-testid=idea-impact] a")
		if !strings.HasSuffix(margaret.path(), "/evaluate/impact") {
			margaret.fail("the idea's link went to %s", margaret.path())
		}
		margaret.visit(project + "/reports/project.html")
		if got := margaret.text("[data-testid=report-involvement]"); !strings.Contains(got, "5. Critical reflection") || !strings.Contains(got, change) {
			margaret.fail("the report's involvement section reads %q", got)
		}
		margaret.visit(project + "/evaluate/reflection")
		margaret.fill("#reflection", "Being listened to about the letters made me want to do more.")
		margaret.click("[data-testid=save-reflection]")
		if got := margaret.text("[data-testid=reflection-versions]"); !strings.Contains(got, "by Margaret Jones") {
			margaret.fail("the versions read %q", got)
		}
	})
}
