package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// linkInOutbox has the administrator open the newest email to an address
// in the outbox and returns the path of its link that starts with prefix.
// to may be several words separated by "\x00", all of which the email's
// row must contain (the address and the project's title).
func linkInOutbox(b *tab, to, prefix string) string {
	b.t.Helper()
	b.visit("/admin/outbox")
	var words []string
	for _, w := range strings.Split(to, "\x00") {
		words = append(words, jsString(w))
	}
	href := eval[string](b, `(Array.from(document.querySelectorAll('[data-testid=outbox] tr')).find(r => [`+strings.Join(words, ",")+`].every(w => r.textContent.includes(w))) || {querySelector: () => null}).querySelector('a')?.getAttribute('href') || ''`)
	if href == "" {
		b.fail("no email to %s in the outbox", to)
	}
	b.visit(href)
	link := eval[string](b, `Array.from(document.querySelectorAll('[data-testid=email-body] a')).map(a => a.getAttribute('href')).join(' ')`)
	m := regexp.MustCompile(regexp.QuoteMeta(baseURL) + `(` + regexp.QuoteMeta(prefix) + `[A-Za-z0-9_-]+)`).FindStringSubmatch(link)
	if m == nil {
		b.fail("no %s link in the email: %s", prefix, link)
	}
	return m[1]
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", "\\'") + "'" }

func TestFromInvitationToYouSaidWeDid(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		email := "pat" + map[bool]string{true: "-on", false: "-off"}[js] + "@example.org"
		lead := newTab(t, js)
		lead.signIn("aisha.khan@example.org")
		project := lead.projectID("Improving stroke rehabilitation at home")
		lead.visit(project + "/steps/select")
		lead.fill("#name", "Pat Morgan"+suffix)
		lead.fill("#email", email)
		lead.choose("input[name=role][value=lay_partner]")
		lead.fill("#message", "We met at the stroke club.")
		lead.click("[data-testid=send-invitation]")
		if got := lead.text("[data-testid=invitations]"); !strings.Contains(got, "Pat Morgan"+suffix) {
			lead.fail("invitation not listed: %s", got)
		}

		admin := newTab(t, js)
		admin.signIn("admin@example.org")
		invitation := linkInOutbox(admin, email, "/invitations/")

		pat := newTab(t, js)
		pat.visit(invitation)
		if pat.count("[data-testid=invitation-project]") != 1 {
			pat.fail("invitation page does not name the project")
		}
		pat.fill("#name", "Pat")
		pat.click("[data-testid=accept]")
		// The administrator read Pat's invitation link in the outbox (there
		// is no mail server), so Pat is told who, and when, before going on.
		if got := pat.text("[data-testid=link-reads]"); !strings.Contains(got, "read by the administrator Alex Morgan") {
			pat.fail("not told the administrator read the invitation link: %q", got)
		}
		pat.click("[data-testid=link-read-continue]")
		if !strings.HasPrefix(pat.path(), project) {
			pat.fail("after accepting: %s", pat.path())
		}
		pat.click("[data-testid=sign-out]")

		// Later, Pat signs in with a one-time link, having no password.
		pat.visit("/sign-in")
		pat.fill("#link_email", email)
		pat.click("[data-testid=request-link]")
		signIn := linkInOutbox(admin, email, "/sign-in/link/")
		pat.visit(signIn)
		pat.click("[data-testid=use-link]")
		if got := pat.text("[data-testid=link-reads]"); !strings.Contains(got, "Your sign-in link was read by the administrator Alex Morgan") {
			pat.fail("not told the administrator read the sign-in link: %q", got)
		}

		// Pat proposes, comments and votes.
		pat.visit(project + "/steps/build")
		pat.fill("#title", "Text me the day before each visit"+suffix)
		pat.fill("#body", "Twice nobody came.\nA text would help me plan.")
		pat.click("[data-testid=make-proposal]")
		proposal := strings.SplitN(pat.path(), "?", 2)[0]
		pat.fill("#body", "My daughter could be there too.")
		pat.click("[data-testid=add-comment]")
		if got := pat.text("[data-testid=comments]"); !strings.Contains(got, "My daughter could be there too.") {
			pat.fail("comment not shown: %s", got)
		}
		pat.choose("input[name=choice][value=support]")
		pat.click("[data-testid=vote]")
		if got := pat.text("[data-testid=tally-lay] td"); !strings.HasPrefix(got, "1 ") {
			pat.fail("lay tally: %q", got)
		}

		// The lead answers and adds an action.
		lead.visit(proposal)
		lead.choose("input[name=response][value=adopted]")
		lead.fill("#rationale", "Cheap, and many of you asked for it.")
		lead.click("[data-testid=respond]")
		lead.fill("#description", "Set up text reminders")
		lead.fill("#owner", "Community stroke team")
		lead.fill("#due_on", "01032027")
		lead.click("[data-testid=add-action]")

		pat.visit(project + "/steps/build")
		got := pat.text("[data-testid=you-said-we-did]")
		for _, want := range []string{"Text me the day before each visit" + suffix, "Adopted", "Set up text reminders"} {
			if !strings.Contains(got, want) {
				pat.fail("you said, we did lacks %q: %s", want, got)
			}
		}
	})
}
