package e2e

import (
	"strings"
	"testing"
)

// TestMeetingChangesJourney: a facilitator arranges a meeting, moves it
// from 10am to 2pm from its page, then cancels it with a reason; the lay
// partner sees the change on her Updates page and the meeting marked
// cancelled, with no reply form. (The emails themselves are read back from
// a real SMTP server in cmd/coproduce's TestMeetingChangesAndReminders...,
// since this harness sends to the outbox.) Every page gets the usual
// checks: axe, the keyboard, reflow, and the Nu HTML Checker without
// JavaScript.
func TestMeetingChangesJourney(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		tom := newTab(t, js)
		tom.signIn("tom.evans@example.org")
		project := newProject(tom, "Changes"+suffix, "margaret.jones@example.org")

		tom.visit(project + "/steps/support")
		tom.fill("#title", "Planning meeting"+suffix)
		tom.fill("#date", "04032027")
		tom.fill("#start", "1000AM")
		tom.fill("#end", "1200PM")
		tom.fill("#venue", "Community centre, High Street")
		tom.click("[data-testid=create-meeting]")
		meeting := strings.SplitN(tom.path(), "?", 2)[0]

		tom.click("[data-testid=edit-meeting]")
		tom.fill("#start", "0200PM")
		tom.fill("#end", "0400PM")
		tom.click("[data-testid=save-meeting]")
		if got := tom.text("[data-testid=notice]"); !strings.Contains(got, "Everyone in the project has been told") {
			tom.fail("after saving the change the page says %q", got)
		}
		if got := tom.text("[data-testid=meeting]"); !strings.Contains(got, "16:00") {
			tom.fail("the meeting page shows %q, not the new time", got)
		}

		margaret := newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		margaret.visit("/updates")
		if got := margaret.text("[data-testid=updates]"); !strings.Contains(got, "has changed: Planning meeting"+suffix) {
			margaret.fail("Margaret's updates do not tell of the change: %s", got)
		}
		margaret.visit(meeting)
		margaret.choose("input[name=attending][value=yes]")
		margaret.click("[data-testid=reply]")

		tom.visit(meeting + "/edit")
		tom.fill("#reason", "The centre is closed for repairs.")
		tom.click("[data-testid=cancel-meeting]")
		if got := tom.text("[data-testid=meeting-cancelled]"); !strings.Contains(got, "The centre is closed for repairs.") {
			tom.fail("the cancelled meeting shows %q", got)
		}

		margaret.visit(meeting)
		if got := margaret.text("[data-testid=meeting-cancelled]"); !strings.Contains(got, "This meeting is cancelled") {
			margaret.fail("Margaret sees %q, not that the meeting is cancelled", got)
		}
		if margaret.count("[data-testid=reply]") != 0 {
			margaret.fail("a cancelled meeting still takes replies")
		}
		margaret.visit(project + "/meetings")
	})
}
