package e2e

import (
	"strings"
	"testing"
)

// A facilitator adds a lay partner who has no email address, after a phone
// call in which she agreed to take part, prints her letter, and she later
// joins online with the letter's code, as the same member. Every page is
// checked with axe, the keyboard and a narrow screen as it is visited.
func TestOfflineMemberAddedAndTheirLetterPrinted(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		lead := newTab(t, js)
		lead.signIn("tom.evans@example.org")
		project := newProject(lead, "Offline"+suffix, "margaret.jones@example.org")

		// A fresh tab for each part: a tab lives two minutes, and making
		// the project takes much of one on a busy machine.
		lead = newTab(t, js)
		lead.signIn("tom.evans@example.org")
		lead.visit(project + "/members")
		lead.click("a[href$='/members/offline']")
		lead.fill("#name", "Dorothy Price")
		lead.choose("input[name=contact_way][value=phone]")
		lead.fill("#phone", "01632 960 472")
		lead.fill("#address", "14 Heol y Nant\nCardiff\nCF14 6AB")
		lead.choose("input[name=role][value=lay_partner]")
		lead.choose("input[name=agreed][value=phone]")
		lead.choose("#confirm")
		lead.click("form[action$='/members/offline'] button")
		if got := lead.text("[data-testid=contact]"); !strings.Contains(got, "01632 960 472") ||
			!strings.Contains(got, "Agreed to take part by phone, recorded by Tom Evans") {
			lead.fail("contact details: %s", got)
		}

		lead = newTab(t, js)
		lead.signIn("tom.evans@example.org")
		lead.visit(project + "/members")
		if got := lead.text("[data-testid=members]"); !strings.Contains(got, "Dorothy Price") ||
			!strings.Contains(got, "Takes part without email: By phone") {
			lead.fail("members: %s", got)
		}
		lead.click("[data-testid=offline-note] + br + a")
		lead.fill("#call_phone", "01632 960 100")
		lead.click("form[action$='/letter'] button")
		letter := lead.text("[data-testid=letter]")
		for _, want := range []string{"Dear Dorothy Price,", "What the project is for", "Expenses and payment",
			"Your facilitator is Tom Evans.", "01632 960 100", "/join"} {
			if !strings.Contains(letter, want) {
				lead.fail("the letter lacks %q: %s", want, letter)
			}
		}
		if js && lead.count("button[data-print]:not([hidden])") != 1 {
			lead.fail("no print button with JavaScript on")
		}
		code := lead.text("[data-testid=join-code]")

		// Dorothy, at home, joins with the code.
		dorothy := newTab(t, js)
		dorothy.visit("/join")
		dorothy.fill("#code", strings.ToLower(code))
		dorothy.click("form[action='/join'] button")
		dorothy.fill("#email", "dorothy.price"+strings.NewReplacer(" ", "", "(", "", ")", "").Replace(strings.ToLower(suffix))+"@example.org")
		dorothy.fill("#password", "a long enough password")
		dorothy.click("form[action='/join/account'] button")
		if got := dorothy.text("main"); !strings.Contains(got, "Offline"+suffix) {
			dorothy.fail("Dorothy does not see her project: %s", got)
		}
	})
}
