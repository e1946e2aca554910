package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// openDetails opens a folded part of the page (a details element) by
// clicking its summary, as a person does; the page does not change.
func (b *tab) openDetails(sel string) {
	b.t.Helper()
	b.need(sel + " summary")
	b.do(chromedp.Click(chromedp.CSS(sel + " summary")))
}

// lastLink is the address of the last link matching sel, or "".
func (b *tab) lastLink(sel string) string {
	b.t.Helper()
	return eval[string](b, `[...document.querySelectorAll('`+sel+`')].pop()?.getAttribute('href') || ''`)
}

// TestAnIdeaChangesAfterItIsPut: Margaret gives a reason with her vote and
// it is shown; Tom hides her comment and shows it again; Aisha answers the
// idea and then changes the answer; Margaret withdraws another idea. Each
// page passes every page's checks.
func TestAnIdeaChangesAfterItIsPut(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		margaret := newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		project := margaret.projectID("Improving stroke rehabilitation at home")
		suggest := func(title string) string {
			margaret.visit(project + "/steps/build")
			margaret.fill("#title", title+suffix)
			margaret.fill("#body", "The hill from the car park is too steep after a stroke.")
			margaret.click("[data-testid=make-proposal]")
			return strings.SplitN(margaret.path(), "?", 2)[0]
		}
		idea := suggest("A lift from the car park")
		margaret.choose("input[name=choice][value=support]")
		margaret.fill("#reason", "I cannot walk up the hill")
		margaret.click("[data-testid=vote]")
		if got := margaret.text("[data-testid=vote-reasons]"); !strings.Contains(got, "(supports): I cannot walk up the hill") {
			margaret.fail("vote reasons: %q", got)
		}
		margaret.fill("#body", "Or a bench halfway up.")
		margaret.click("[data-testid=add-comment]")

		tom := newTab(t, js)
		tom.signIn("tom.evans@example.org")
		tom.visit(idea)
		tom.visit(tom.lastLink(`[data-testid=comment] a[href$="/hide"]`))
		tom.fill("#reason", "Checking it names nobody")
		tom.click("[data-testid=hide]")
		tom.visit(tom.lastLink(`[data-testid=comment] a[href$="/show"]`))
		tom.fill("#reason", "It names nobody")
		tom.click("[data-testid=show]")
		if got := tom.text("[data-testid=moderation-history]"); !strings.Contains(got, "It names nobody") {
			tom.fail("moderation history: %q", got)
		}

		aisha := newTab(t, js)
		aisha.signIn("aisha.khan@example.org")
		aisha.visit(idea)
		aisha.choose("input[name=response][value=not_adopted]")
		aisha.fill("#rationale", "The estates team says no lift fits.")
		aisha.click("[data-testid=respond]")
		aisha.openDetails("[data-testid=change-answer-details]")
		aisha.choose("input[name=response][value=adapted]")
		aisha.fill("#rationale", "A bench halfway up, and a drop-off point.")
		aisha.click("[data-testid=change-answer]")
		if got := aisha.text("[data-testid=answer-history]"); !strings.Contains(got, "it was Not adopted") {
			aisha.fail("answer history: %q", got)
		}

		withdrawn := suggest("Parking permits for carers")
		margaret.openDetails("[data-testid=withdraw-details]")
		margaret.fill("#withdraw_reason", "The council already gives them.")
		margaret.click("[data-testid=withdraw]")
		if got := margaret.text("[data-testid=withdrawn]"); !strings.Contains(got, "Withdrawn by its author") {
			margaret.fail("withdrawn idea %s says %q", withdrawn, got)
		}
		margaret.visit(project + "/steps/build")
		margaret.need("[data-testid=withdrawn-proposals]")
	})
}
