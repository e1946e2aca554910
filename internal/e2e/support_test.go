package e2e

import (
	"strings"
	"testing"
)

func TestSupportNeedsAndAnAccessibleMeeting(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		lead := newTab(t, js)
		lead.signIn("tom.evans@example.org")
		project := newProject(lead, "Support"+suffix, "margaret.jones@example.org")

		partner := newTab(t, js)
		partner.signIn("margaret.jones@example.org")
		partner.visit(project + "/steps/support")
		partner.click("[data-testid=edit-support]")
		partner.choose("#hearing_loop")
		partner.fill("#good_times", "Mornings")
		partner.click("[data-testid=save-support]")

		lead.visit(project + "/steps/support")
		lead.fill("#title", "First workshop")
		lead.fill("#date", "04032027")
		lead.fill("#start", "1000AM")
		lead.fill("#end", "1200PM")
		lead.fill("#venue", "Community centre, High Street")
		lead.choose("#step_free")
		lead.click("[data-testid=create-meeting]")
		meeting := strings.SplitN(lead.path(), "?", 2)[0]

		partner.visit(meeting)
		partner.choose("input[name=attending][value=yes]")
		partner.click("[data-testid=reply]")

		lead.visit(meeting)
		if got := lead.text("[data-testid=access-plan]"); !strings.Contains(got, "Margaret Jones") {
			lead.fail("access plan: %s", got)
		}
		if lead.count("[data-testid=venue-warning]") != 1 {
			lead.fail("no warning that the venue has no hearing loop")
		}
		lead.choose("input[name=present]")
		lead.click("[data-testid=save-attendance]")
	})
}
