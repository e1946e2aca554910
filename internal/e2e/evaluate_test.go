package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// TestReadinessAndOutcomes: a lead creates a project and is pointed to
// the readiness check; she answers it, agreeing that she has a plan she
// cannot put aside, and her project page warns her of that answer. A lay
// partner suggests an outcome and supports it; the lead agrees it with a
// reason and says how it is measured; the lay partner adds a reading, and
// the chart and the table both show it. Every page gets the checks every
// page gets (axe, the skip link, reflow at 320 pixels, no browser error,
// and with JavaScript off the Nu HTML Checker).
func TestReadinessAndOutcomes(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		aisha := newTab(t, js)
		aisha.signIn("aisha.khan@example.org")
		project := newProject(aisha, "Evaluate"+suffix, "margaret.jones@example.org")

		aisha = newTab(t, js)
		aisha.signIn("aisha.khan@example.org")
		aisha.visit(project)
		aisha.click("[data-testid=take-readiness]")
		for _, st := range coproduce.ReadinessStatements {
			radio := "#" + coproduce.ReadinessAnswerField(st.Key) // the first: agree
			if !st.Do && st.Key != "own_agenda" {
				radio += "-3" // disagree
			}
			aisha.choose(radio)
		}
		aisha.fill("#"+coproduce.ReadinessNoteField("own_agenda"), "The trust's five-year plan")
		aisha.click("[data-testid=save-readiness]")
		aisha.visit(project)
		if got := aisha.text("[data-testid=readiness-warnings]"); !strings.Contains(got, "a plan or strategy that we cannot put to one side") {
			aisha.fail("the project page warns %q", got)
		}

		margaret := newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		margaret.visit(project)
		if margaret.count("[data-testid=readiness-warnings]") != 0 {
			margaret.fail("a lay partner is shown the lead's readiness warnings")
		}
		margaret.click("[data-testid=evaluate-link] a")
		margaret.click("[data-testid=evaluate-outcomes]")
		margaret.fill("#title", "Fewer missed visits")
		margaret.fill("#why", "Waiting in all day for a visit that does not come.")
		margaret.click("[data-testid=suggest-outcome]")
		outcome := strings.SplitN(margaret.path(), "?", 2)[0]
		margaret.choose("#choice")
		margaret.click("[data-testid=save-view]")

		// Each tab has two minutes: Aisha and Margaret go on in fresh ones.
		aisha = newTab(t, js)
		aisha.signIn("aisha.khan@example.org")
		aisha.visit(outcome)
		aisha.choose("#decision")
		aisha.fill("#reason", "Carers raised it most at the first workshop.")
		aisha.click("[data-testid=save-answer]")
		aisha.choose("#measure")
		aisha.fill("#unit", "missed visits a month")
		aisha.fill("#baseline", "12")
		aisha.fill("#target", "4")
		aisha.click("[data-testid=save-measure]")

		margaret = newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		margaret.visit(outcome)
		// The date of the reading starts as today.
		if got := eval[string](margaret, `document.querySelector('#taken_on').value`); got != time.Now().In(coproduce.UK).Format(time.DateOnly) {
			margaret.fail("the reading's date starts as %q, not today", got)
		}
		margaret.fill("#value", "9")
		margaret.fill("#source", "Ward records")
		margaret.click("[data-testid=add-reading]")
		if got := margaret.text("[data-testid=readings]"); !strings.Contains(got, "9 missed visits a month") || !strings.Contains(got, "Ward records") {
			margaret.fail("the readings table reads %q", got)
		}
		if n := margaret.count("[data-testid=outcome-chart] .app-outcome-chart__readings circle"); n != 1 {
			margaret.fail("the chart draws %d readings, want 1", n)
		}
		if got := margaret.text("[data-testid=outcome-chart] desc"); !strings.Contains(got, "9 missed visits a month") {
			margaret.fail("the chart is described as %q", got)
		}
	})
}
