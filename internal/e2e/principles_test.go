package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// TestPrinciplesCheckSideBySide: Aisha starts a round of the principles
// check in the stroke project; three lay partners and three staff each
// find it waiting on their project page and answer it (Margaret first sends
// it half done and is shown what is missing); Aisha closes the round, and
// its result shows lay partners and staff side by side, the principles
// where they differ by a point or more, and that partners experience less
// than step 4 chose. Every page gets the checks every page gets (axe, the
// skip link, reflow at 320px, no browser error).
func TestPrinciplesCheckSideBySide(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		aisha := newTab(t, js)
		aisha.signIn("aisha.khan@example.org")
		project := aisha.projectID(strokeProject)
		aisha.visit(project + "/evaluate/principles")
		aisha.fill("#title", "Journey review"+suffix)
		aisha.click("[data-testid=start-round]")
		if aisha.count("[data-testid=open-round]") != 1 {
			aisha.fail("no open round after starting one")
		}

		for i, p := range []struct {
			email string
			score int
			level int
		}{
			{"margaret.jones@example.org", 2, 2}, {"david.okafor@example.org", 2, 1}, {"sian.williams@example.org", 3, 2},
			{"aisha.khan@example.org", 4, 3}, {"tom.evans@example.org", 4, 3}, {"priya.patel@example.org", 4, 3},
		} {
			b := newTab(t, js)
			b.signIn(p.email)
			b.visit(project)
			b.click("[data-testid=prompts] a[href*='/evaluate/principles/rounds/']")
			if i == 0 {
				b.choose("input[name=score_assets][value='4']")
				b.click("[data-testid=send-answer]")
				if got := b.text("[data-testid=error-summary]"); !strings.Contains(got, "Choose how far the project has gone") {
					b.fail("the error summary says %q", got)
				}
			}
			for _, pr := range []string{"assets", "capabilities", "mutuality", "networks", "blurring_roles", "catalysts"} {
				b.choose(fmt.Sprintf("input[name=score_%s][value='%d']", pr, p.score))
			}
			b.choose(fmt.Sprintf("input[name=level][value='%d']", p.level))
			b.click("[data-testid=send-answer]")
			if got := b.text("main"); !strings.Contains(got, "Your answers have been saved") {
				b.fail("no confirmation after answering: %q", got)
			}
		}

		aisha = newTab(t, js)
		aisha.signIn("aisha.khan@example.org")
		aisha.visit(project + "/evaluate/principles")
		aisha.click("[data-testid=close-round]")
		round := "section[data-testid^=round-]:first-of-type"
		if got := aisha.text(round + " h2"); got != "Journey review"+suffix {
			aisha.fail("the newest round is %q", got)
		}
		if aisha.count(round+" svg[data-testid^=chart-]") != 1 {
			aisha.fail("no picture of the round")
		}
		if got := aisha.text(round + " table[data-testid^=figures-] tbody tr:first-child"); !strings.Contains(got, "2.3") || !strings.Contains(got, "4.0") {
			aisha.fail("the first principle's figures read %q", got)
		}
		if got := aisha.text(round + " [data-testid=gaps]"); !strings.Contains(got, "Blurring roles") {
			aisha.fail("the differences read %q", got)
		}
		if got := aisha.text(round + " [data-testid=level-gap]"); !strings.Contains(got, "“Co-design”") || !strings.Contains(got, "“Recognition”") {
			aisha.fail("the level flag reads %q", got)
		}
	})
}

// TestMeetingCheckAfterTheWorkshop: Margaret was at the stroke project's
// first workshop; she says how it went from the meeting's page, is thanked
// there, and the picture of how meetings went still shows no lay partners'
// figures (two of them answered, fewer than three). Every page gets the
// checks every page gets.
func TestMeetingCheckAfterTheWorkshop(t *testing.T) {
	modes(t, func(t *testing.T, js bool, _ string) {
		margaret := newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		project := margaret.projectID(strokeProject)
		margaret.visit(project + "/evaluate/meetings")
		id := eval[string](margaret, `(document.querySelector('section[data-testid^=meeting-]') || {dataset: {testid: ''}}).dataset.testid`)
		if !strings.HasPrefix(id, "meeting-") {
			margaret.fail("no meeting on the page of how meetings went")
		}
		margaret.visit(project + "/meetings/" + strings.TrimPrefix(id, "meeting-"))
		margaret.click("[data-testid=meeting-check] a")
		for _, q := range []string{"listened", "took_part", "difference"} {
			margaret.choose(fmt.Sprintf("input[name=q_%s][value='4']", q))
		}
		margaret.click("[data-testid=send-check]")
		if got := margaret.text("[data-testid=meeting-check]"); !strings.Contains(got, "Thank you for saying how this meeting went.") {
			margaret.fail("the meeting page says %q", got)
		}
		margaret.visit(project + "/evaluate/meetings")
		if margaret.count("[data-testid=too-few-lay]") != 1 || margaret.count("svg[data-testid^=chart-]") != 1 {
			margaret.fail("the page should show staff's figures and say why lay partners' are not shown")
		}
	})
}
