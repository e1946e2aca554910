package e2e

import (
	"strings"
	"testing"
)

// TestUpdatesPagesPassTheChecks: a lay partner suggests an idea; the lead
// sees the count in the header, reads her Updates page, opens the update
// (which leads to the idea), and visits her email choices. Each page gets
// the checks every page gets (axe, the skip link, reflow, no browser error,
// no empty list, and with JavaScript off the Nu HTML Checker).
func TestUpdatesPagesPassTheChecks(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		sian := newTab(t, js)
		sian.signIn("sian.williams@example.org")
		project := sian.projectID("Improving stroke rehabilitation at home")
		sian.visit("/updates")
		sian.visit(project + "/steps/build")
		sian.fill("#title", "Updates journey idea"+suffix)
		sian.fill("#body", "So that people hear of it.")
		sian.click("[data-testid=make-proposal]")

		lead := newTab(t, js)
		lead.signIn("aisha.khan@example.org")
		lead.visit("/projects")
		if got := lead.text("[data-testid=updates-link]"); !strings.Contains(got, "new") {
			lead.fail("the header says %q, with no count of new updates", got)
		}
		lead.visit("/updates")
		if !strings.Contains(lead.text("[data-testid=updates]"), "Updates journey idea"+suffix) {
			lead.fail("the lead's updates do not list the new idea")
		}
		lead.click("[data-testid=update] a")
		if !strings.Contains(lead.path(), "/proposals/") {
			lead.fail("opening the update went to %s, not the idea", lead.path())
		}
		lead.visit("/account")
		lead.visit("/account/notifications")
	})
}
