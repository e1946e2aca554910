package e2e

import (
	"strings"
	"testing"
)

// lang is the language the page says it is in.
func (b *tab) lang() string { return eval[string](b, `document.documentElement.lang`) }

// TestWelshJourney: a lay partner switches to Cymraeg with the link at the
// top of the page, reads their projects, a project and their account page
// in Welsh (each passing axe, the skip link and the 320px check), and
// switches back to English on the same page. The choice is this browser's
// alone: nobody's saved language changes, so other journeys are untouched.
func TestWelshJourney(t *testing.T) {
	modes(t, func(t *testing.T, js bool, _ string) {
		b := newTab(t, js)
		b.signIn("sian.williams@example.org")
		project := b.projectID("Improving stroke rehabilitation at home")
		b.visit(project)
		if got := b.text("[data-testid=language-link]"); got != "Cymraeg" || b.lang() != "en" {
			b.fail("on the English page the language link says %q (page lang %q)", got, b.lang())
		}
		b.click("[data-testid=language-link]")
		if b.path() != project || b.lang() != "cy" {
			b.fail("after Cymraeg: at %s, lang %q; want %s in Welsh", b.path(), b.lang(), project)
		}
		if got := b.text("[data-testid=language-link]"); got != "English" {
			b.fail("on the Welsh page the language link says %q", got)
		}
		if got := b.text(".nhsuk-skip-link"); got != "Neidio i'r prif gynnwys" {
			b.fail("the skip link says %q", got)
		}
		b.visit("/projects")
		if got := b.text("h1"); got != "Eich prosiectau" || b.lang() != "cy" {
			b.fail("the projects page in Welsh has heading %q (lang %q)", got, b.lang())
		}
		b.visit("/account")
		if got := b.text("#language-heading + form legend"); !strings.HasPrefix(got, "Pa iaith hoffech chi") {
			b.fail("the account page asks %q", got)
		}
		b.click("[data-testid=language-link]")
		if b.path() != "/account" || b.lang() != "en" || b.text("h1") != "Your account" {
			b.fail("after English: at %s, lang %q, heading %q", b.path(), b.lang(), b.text("h1"))
		}
	})
}
