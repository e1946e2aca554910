package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// clickLinkIn follows the link inside container whose text contains words.
func (b *tab) clickLinkIn(container, words string) {
	b.t.Helper()
	href := eval[string](b, fmt.Sprintf(`(Array.from(document.querySelectorAll('%s a')).find(a => a.textContent.includes(%s)) || {getAttribute: () => ''}).getAttribute('href')`,
		container, jsString(words)))
	if href == "" {
		b.fail("no link %q in %s", words, container)
	}
	b.visit(href)
}

// Tom Evans, the stroke project's facilitator, talks to Margaret Jones on
// the phone and records, with her agreement, her idea and her vote on it.
// The idea page says who recorded it for whom; Margaret sees it when she
// next signs in.
func TestFacilitatorRecordsForALayPartner(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		title := "Call-back after discharge" + suffix
		recorded := "Recorded by Tom Evans for Margaret Jones, by phone on "
		// openRecordFor signs Tom in on a fresh tab (each tab has its own
		// time limit) and opens the list of things to record for Margaret,
		// told by phone.
		openRecordFor := func() (*tab, string) {
			tom := newTab(t, js)
			tom.signIn("tom.evans@example.org")
			project := tom.projectID("Improving stroke rehabilitation at home")
			tom.visit(project + "/members")
			tom.clickLinkIn("[data-testid=members]", "Record something for Margaret Jones")
			tom.choose("input[name=how][value=phone]")
			tom.choose("input[name=agreed]")
			tom.click("[data-testid=record-continue]")
			return tom, project
		}

		tom, project := openRecordFor()
		tom.click("[data-testid=record-idea]")
		if got := tom.text("[data-testid=on-behalf]"); !strings.Contains(got, "You are recording this for Margaret Jones") {
			tom.fail("no banner on the idea form: %q", got)
		}
		tom.fill("#title", title)
		tom.fill("#body", "Margaret says a phone call a week after coming home would have helped her.")
		tom.click("[data-testid=make-proposal]")
		if got := tom.text("[data-testid=recorded]"); !strings.Contains(got, recorded) {
			tom.fail("the idea page does not say who recorded it: %q", got)
		}

		// Her vote on it, from the same call.
		tom, _ = openRecordFor()
		tom.clickLinkIn("[data-testid=record-ideas]", title)
		if got := tom.text("[data-testid=on-behalf]"); !strings.Contains(got, "Margaret Jones") {
			tom.fail("no banner on the idea page: %q", got)
		}
		tom.choose("input[name=choice][value=support]")
		tom.click("[data-testid=vote]")

		// Margaret sees what was recorded for her.
		margaret := newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		margaret.visit(project)
		got := margaret.text("[data-testid=recorded-for-you]")
		for _, want := range []string{"Your idea “" + title + "”", "Your vote on “" + title + "”", recorded} {
			if !strings.Contains(got, want) {
				margaret.fail("Recorded for you lacks %q: %q", want, got)
			}
		}
	})
}

// Dorothy Price has no email address and takes part by phone. Tom Evans
// records her idea and her vote on it from a call; the idea page names
// them both, and her vote is counted with the lay partners'.
func TestAMemberWithoutEmailTakesPartThroughHerFacilitator(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		title := "A large-print exercise diary" + suffix
		openRecordFor := func() *tab {
			tom := newTab(t, js)
			tom.signIn("tom.evans@example.org")
			tom.visit(tom.projectID("Improving stroke rehabilitation at home") + "/members")
			tom.clickLinkIn("[data-testid=members]", "Record something for Dorothy Price")
			tom.choose("input[name=how][value=phone]")
			tom.choose("input[name=agreed]")
			tom.click("[data-testid=record-continue]")
			return tom
		}
		tom := openRecordFor()
		tom.click("[data-testid=record-idea]")
		tom.fill("#title", title)
		tom.fill("#body", "Dorothy says a diary she can read would help her keep going.")
		tom.click("[data-testid=make-proposal]")
		if got := tom.text("[data-testid=recorded]"); !strings.Contains(got, "Recorded by Tom Evans for Dorothy Price, by phone on ") {
			tom.fail("the idea page does not say who recorded it for her: %q", got)
		}

		tom = openRecordFor()
		tom.clickLinkIn("[data-testid=record-ideas]", title)
		tom.choose("input[name=choice][value=support]")
		tom.click("[data-testid=vote]")
		if got := tom.text("[data-testid=tally-lay]"); !strings.Contains(got, "1") {
			tom.fail("her support is not counted as a lay partner's: %q", got)
		}
		tom.check()
	})
}
