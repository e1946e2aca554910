package e2e

import (
	"testing"
)

// TestPrivacyAndMembershipPagesPassTheChecks visits, as the people who use
// them, the pages added for support needs kept per project, approvals,
// finance exports, the public page's preview and changing, removing or
// leaving a membership. Each page gets the checks every page gets: axe, the
// skip link, 320-pixel reflow, no browser error, no empty list, and (with
// JavaScript off) the Nu HTML Checker. Nothing is submitted: other journeys
// and the handler tests do that.
func TestPrivacyAndMembershipPagesPassTheChecks(t *testing.T) {
	modes(t, func(t *testing.T, js bool, _ string) {
		lead := newTab(t, js)
		lead.signIn("aisha.khan@example.org")
		project := lead.projectID("Improving stroke rehabilitation at home")
		lead.visit(project + "/members")
		roleLink := eval[string](lead, `document.querySelector('[data-testid=members] a[href$="/role"]')?.getAttribute('href') || ''`)
		removeLink := eval[string](lead, `document.querySelector('[data-testid=members] a[href$="/remove"]')?.getAttribute('href') || ''`)
		if roleLink == "" || removeLink == "" {
			lead.fail("the members page offers no change of role (%q) or removal (%q)", roleLink, removeLink)
		}
		lead.visit(roleLink)
		lead.visit(removeLink)
		lead.visit(project + "/claims/exports")
		lead.visit(project + "/public-preview")
		lead.visit(project + "/history")

		// David is in both demo projects: he may copy what he told one
		// project into the other, and see who has read his needs.
		david := newTab(t, js)
		david.signIn("david.okafor@example.org")
		david.visit(project + "/support/me")
		david.visit(project + "/support/me/copy")
		david.visit(project + "/leave")

		grace := newTab(t, js)
		grace.signIn("grace.obi@example.org")
		grace.visit("/approvals")

		admin := newTab(t, js)
		admin.signIn("admin@example.org")
		admin.visit("/admin/approvers")
	})
}

// TestPersonFirstProjectPagesPassTheChecks visits the project page as each
// demo person sees it (a lay partner's part, a staff partner's, the lead's
// and the facilitator's work lists), with the project menu, and the
// Meetings and Steps pages the menu adds. Each gets every page's checks.
func TestPersonFirstProjectPagesPassTheChecks(t *testing.T) {
	modes(t, func(t *testing.T, js bool, _ string) {
		for _, email := range []string{"margaret.jones@example.org", "priya.patel@example.org",
			"aisha.khan@example.org", "tom.evans@example.org"} {
			person := newTab(t, js)
			person.signIn(email)
			project := person.projectID("Improving stroke rehabilitation at home")
			person.visit(project)
			if person.count("[data-testid=project-menu] a") < 5 {
				person.fail("%s: the project page has no project menu", email)
			}
			person.visit(project + "/meetings")
			person.visit(project + "/steps")
		}
	})
}
