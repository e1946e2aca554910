package e2e

import (
	"strings"
	"testing"
)

// Siân joins a project and is asked about her communication needs; she
// says yes, tells the support form she reads braille and wants texts, and
// lets the leads see a short note; Tom sees it beside her name.
func TestCommunicationNeedsAskedOnJoiningAndFlagged(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		title := "Telling us how to reach you" + suffix // not a catalogue message: the Welsh sweep reads this title
		lead := newTab(t, js)
		lead.signIn("tom.evans@example.org")
		lead.visit("/projects/new")
		lead.fill("#title", title)
		lead.click("form[action='/projects/new'] button")
		project := strings.SplitN(lead.path(), "?", 2)[0]
		lead.visit(project + "/members")
		lead.fill("#email", "sian.williams@example.org")
		lead.choose("input[name=role][value=lay_partner]")
		lead.click("form[action$='/members'] button")

		admin := newTab(t, js)
		admin.signIn("admin@example.org")
		link := linkInOutbox(admin, "sian.williams@example.org\x00"+title, "/invitations/")
		sian := newTab(t, js)
		sian.signIn("sian.williams@example.org")
		sian.visit(link)
		sian.click("[data-testid=accept]")
		sian.continuePastLinkReads() // the administrator read her invitation's link
		if got := sian.text("h1"); got != "Do you have any communication needs?" {
			sian.fail("after joining: %q at %s", got, sian.path())
		}
		sian.choose("#has_needs")
		sian.click("[data-testid=ask-continue]")
		sian.choose("#braille")
		sian.choose("input[name=contact_way][value=text]")
		sian.fill("#phone", "07700 900 982")
		sian.choose("input[name=share_flags][value=yes]")
		sian.click("[data-testid=save-support]")
		if !strings.HasPrefix(sian.path(), project+"/steps/support") {
			sian.fail("after saving: %s", sian.path())
		}

		// A tab lives two minutes: Tom looks in a new one.
		lead = newTab(t, js)
		lead.signIn("tom.evans@example.org")
		lead.visit(project + "/members")
		if got := lead.text("[data-testid=comms-flag]"); !strings.Contains(got, "Braille") || !strings.Contains(got, "Contact by text") {
			lead.fail("the note beside Siân's name: %q", got)
		}
	})
}
