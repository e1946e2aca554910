package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAgendaToMinutes: a facilitator builds a meeting's agenda, one item
// discussing a lay partner's idea; after the meeting starts he writes the
// minutes, records the meeting's decision on the idea and publishes them.
// The lay partner reads the minutes, comments, and finds on her idea that
// it was decided at the meeting. Every page gets the checks every page
// gets (axe, the skip link, reflow, no browser error, and with JavaScript
// off the Nu HTML Checker).
func TestAgendaToMinutes(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		tom := newTab(t, js)
		tom.signIn("tom.evans@example.org")
		project := newProject(tom, "Agenda"+suffix, "margaret.jones@example.org")

		margaret := newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		margaret.visit(project + "/steps/build")
		margaret.fill("#title", "Large print exercise sheets")
		margaret.fill("#body", "So that I can read them without my glasses.")
		margaret.click("[data-testid=make-proposal]")
		idea := strings.SplitN(margaret.path(), "?", 2)[0]

		// Each tab has two minutes: Tom and Margaret go on in fresh ones.
		tom = newTab(t, js)
		tom.signIn("tom.evans@example.org")
		tom.visit(project + "/steps/support")
		tom.fill("#title", "Workshop on exercise sheets")
		tom.fill("#date", "04032027")
		tom.fill("#start", "1000AM")
		tom.fill("#end", "1200PM")
		tom.fill("#venue", "Community centre, High Street")
		tom.click("[data-testid=create-meeting]")
		meeting := strings.SplitN(tom.path(), "?", 2)[0]
		tom.click("[data-testid=change-agenda]")
		tom.fill("#title", "Welcome")
		tom.fill("#time", "1000AM")
		tom.click("[data-testid=add-agenda-item]")
		tom.fill("#title", "Exercise sheets")
		tom.choose("#ideas")
		tom.click("[data-testid=add-agenda-item]")
		if got := tom.text("[data-testid=agenda-builder]"); !strings.Contains(got, "2. Exercise sheets") || !strings.Contains(got, "Large print exercise sheets") {
			tom.fail("the agenda reads %q", got)
		}

		margaret.visit(meeting)
		if got := margaret.text("[data-testid=meeting-agenda]"); !strings.Contains(got, "1. Welcome") || !strings.Contains(got, "At 10:00") {
			margaret.fail("the meeting's agenda reads %q", got)
		}

		meetingStarts(t, meeting)
		tom = newTab(t, js)
		tom.signIn("tom.evans@example.org")
		tom.visit(meeting)
		tom.click("[data-testid=write-minutes]")
		tom.fill("textarea[name=discussion]", "Everyone introduced themselves.")
		tom.click("[data-testid=save-notes]")
		tom.do(chromedp.Click(chromedp.CSS("[data-testid=decide]")))
		tom.choose(`form[action$="/decision"] input[name=response][value=adopted]`)
		tom.fill(`form[action$="/decision"] textarea[name=rationale]`, "Everyone agreed large print helps.")
		tom.click("[data-testid=record-decision]")
		tom.click("[data-testid=publish-minutes]")
		if tom.count("[data-testid=minutes-published]") != 1 {
			tom.fail("the minutes do not say they are published")
		}

		margaret = newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		margaret.visit(meeting)
		margaret.click("[data-testid=read-minutes]")
		if got := margaret.text("main"); !strings.Contains(got, "Everyone introduced themselves.") || !strings.Contains(got, "Large print exercise sheets") {
			margaret.fail("the minutes read %q", got)
		}
		margaret.fill("#body", "Thank you for writing these up.")
		margaret.click("[data-testid=add-minute-comment]")
		if got := margaret.text("[data-testid=minute-comments]"); !strings.Contains(got, "Thank you for writing these up.") {
			margaret.fail("the comments read %q", got)
		}
		margaret.visit(idea)
		if got := margaret.text("[data-testid=decided-at]"); !strings.HasPrefix(got, "Decided at the meeting on ") {
			margaret.fail("the idea says %q, not where it was decided", got)
		}
		margaret.click("[data-testid=decided-at] a")
		if !strings.HasSuffix(margaret.path(), "/minutes") {
			margaret.fail("the idea's link went to %s, not the minutes", margaret.path())
		}
	})
}
