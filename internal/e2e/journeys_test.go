package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

const demoPassword = "coproduce-demo"

// modes runs a journey with JavaScript on and off. The journey opens its
// tabs with newTab(t, js); suffix keeps the two runs' data apart.
func modes(t *testing.T, journey func(t *testing.T, js bool, suffix string)) {
	for _, js := range []bool{true, false} {
		name, suffix := "JavaScriptOn", " (JS on)"
		if !js {
			name, suffix = "JavaScriptOff", " (JS off)"
		}
		t.Run(name, func(t *testing.T) { journey(t, js, suffix) })
	}
}

// signIn signs in with the keyboard alone: Tab to each field, type, Enter.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.visit("/sign-in")
	b.tabTo("#email")
	b.typeKeys(email)
	b.tabTo("#password")
	b.typeKeys(demoPassword)
	b.pressEnter()
	b.continuePastLinkReads()
	if p := b.path(); !strings.HasPrefix(p, "/projects") {
		b.fail("signing in as %s went to %s", email, p)
	}
}

// continuePastLinkReads: a person whose sign-in or invitation link an
// administrator read in the outbox (as other journeys here do) is told so
// once, at their next sign-in, before they go on.
func (b *tab) continuePastLinkReads() {
	b.t.Helper()
	if !strings.HasPrefix(b.path(), "/account/link-read") {
		return
	}
	b.check()
	if got := b.text("[data-testid=link-reads]"); !strings.Contains(got, "read by the administrator") {
		b.fail("the link-read notice says %q", got)
	}
	b.click("[data-testid=link-read-continue]")
}

func TestSignIn(t *testing.T) {
	modes(t, func(t *testing.T, js bool, _ string) {
		t.Run("WrongPasswordShowsTheErrorSummary", func(t *testing.T) {
			b := newTab(t, js)
			b.visit("/sign-in")
			b.tabTo("#email")
			b.typeKeys("margaret.jones@example.org")
			b.tabTo("#password")
			b.typeKeys("not my password")
			b.pressEnter()
			if got := b.text("[data-testid=error-summary]"); !strings.Contains(got, "not right") {
				b.fail("error summary: %q", got)
			}
			if v := eval[string](b, `document.querySelector('#email').value`); v != "margaret.jones@example.org" {
				b.fail("email not kept: %q", v)
			}
		})
		t.Run("SignOutReturnsToSignIn", func(t *testing.T) {
			b := newTab(t, js)
			b.signIn("priya.patel@example.org")
			b.click("[data-testid=sign-out]")
			if p := b.path(); !strings.HasPrefix(p, "/sign-in") {
				b.fail("after signing out: %s", p)
			}
			b.visit("/projects")
			if p := b.path(); !strings.HasPrefix(p, "/sign-in") {
				b.fail("still signed in: %s", p)
			}
		})
	})
}

func TestLeadCreatesAProjectAndAddsAMember(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		b := newTab(t, js)
		b.signIn("aisha.khan@example.org")
		b.click("a[href='/projects/new']")
		// The whole form by keyboard.
		b.tabTo("#title")
		b.typeKeys("Faster falls follow-up" + suffix)
		b.tabTo("#summary")
		b.typeKeys("People who fall at home, and their carers, redesign the follow-up visit.")
		b.tabTo("button[type=submit]")
		b.pressEnter()
		if got := b.text("[data-testid=project-title]"); got != "Faster falls follow-up"+suffix {
			b.fail("project title %q", got)
		}
		if n := b.count("[data-testid=steps] li"); n != 7 {
			b.fail("%d steps listed, want 7", n)
		}
		if n := b.count("[data-testid=tracker] circle"); n != 7 {
			b.fail("%d steps drawn, want 7", n)
		}
		b.click("a[href$='/members']")
		b.fill("#email", "sian.williams@example.org")
		b.choose("input[name=role][value=lay_partner]")
		b.click("form[action$='/members'] button")
		if got := b.text("[data-testid=invited]"); !strings.Contains(got, "Siân Williams") {
			b.fail("invitation not listed: %s", got)
		}
		if got := b.text("[data-testid=members]"); strings.Contains(got, "Siân Williams") {
			b.fail("a member before saying yes: %s", got)
		}
		acceptInvitation(b, "sian.williams@example.org", "Faster falls follow-up"+suffix)
		b.visit(b.path())
		if got := b.text("[data-testid=members]"); !strings.Contains(got, "Siân Williams") {
			b.fail("not a member after saying yes: %s", got)
		}
	})
}

func TestLayPartnerSeesOnlyTheirOwnProjects(t *testing.T) {
	modes(t, func(t *testing.T, js bool, _ string) {
		b := newTab(t, js)
		b.signIn("margaret.jones@example.org")
		got := b.text("[data-testid=project-list] h2")
		if !strings.Contains(got, "Improving stroke rehabilitation at home") || strings.Contains(got, "Better discharge") {
			b.fail("projects listed: %s", got)
		}
		if b.count("a[href='/projects/new']") != 0 {
			b.fail("a lay partner is offered to create a project")
		}
	})
}

func TestAdministratorManagesAccounts(t *testing.T) {
	modes(t, func(t *testing.T, js bool, _ string) {
		b := newTab(t, js)
		b.signIn("admin@example.org")
		b.visit("/admin/users")
		if got := b.text("[data-testid=users]"); !strings.Contains(got, "Margaret Jones") {
			b.fail("users: %s", got)
		}
		b.visit("/admin/outbox")
		b.visit("/admin/rates")
		b.visit("/admin/audit")
		b.visit("/account")
	})
}

// projectID finds a demo project's id from the project list.
func (b *tab) projectID(title string) string {
	b.t.Helper()
	b.visit("/projects")
	href := eval[string](b, fmt.Sprintf(`(Array.from(document.querySelectorAll('[data-testid=project-list] a')).find(a => a.textContent.trim() === %q) || {}).getAttribute?.('href') || ''`, title))
	if !regexp.MustCompile(`^/projects/\d+$`).MatchString(href) {
		b.fail("no project %q", title)
	}
	return href
}
