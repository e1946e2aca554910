package e2e

import (
	"strings"
	"testing"
)

// newProject has a lead create a project and invite a lay partner who has
// an account; the partner accepts (nobody joins without agreeing). It
// returns the project's path.
func newProject(b *tab, title, partnerEmail string) string {
	b.t.Helper()
	b.visit("/projects/new")
	b.fill("#title", title)
	b.click("form[action='/projects/new'] button")
	path := b.path()
	path = strings.SplitN(path, "?", 2)[0]
	b.visit(path + "/members")
	b.fill("#email", partnerEmail)
	b.choose("input[name=role][value=lay_partner]")
	b.click("form[action$='/members'] button")
	acceptInvitation(b, partnerEmail, title)
	return path
}

// acceptInvitation has the person with this email accept their invitation
// to the project with this title: an administrator finds the email in the
// outbox, and the person, signed in, says yes.
func acceptInvitation(b *tab, email, title string) {
	b.t.Helper()
	admin := newTab(b.t, b.js)
	admin.signIn("admin@example.org")
	link := linkInOutbox(admin, email+"\x00"+title, "/invitations/")
	person := newTab(b.t, b.js)
	person.signIn(email)
	person.visit(link)
	person.click("[data-testid=accept]")
}

func TestLeadWalksTheStepsAndALayPartnerCoSigns(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		lead := newTab(t, js)
		lead.signIn("aisha.khan@example.org")
		project := newProject(lead, "Walking the steps"+suffix, "david.okafor@example.org")

		// Step 1: identify.
		lead.visit(project + "/steps/identify")
		lead.fill("#name", "People who have had a stroke")
		lead.choose("input[name=affected][value=direct]")
		lead.fill("#reach", "The stroke club and the ward")
		lead.choose("input[name=included][value=yes]")
		lead.click("form[action$='/groups'] button")
		if got := lead.text("[data-testid=groups]"); !strings.Contains(got, "People who have had a stroke") {
			lead.fail("group not listed: %s", got)
		}
		// Step 3: be clear.
		lead.visit(project + "/steps/be-clear")
		lead.click("[data-testid=edit-purpose]")
		lead.fill("#purpose", "Rehabilitation at home that fits daily life.")
		lead.fill("#expectations", "Four meetings of two hours, over three months.")
		lead.fill("#fixed", "The number of therapists.")
		lead.click("form[action$='/purpose'] button")
		// Step 4: choose.
		lead.visit(project + "/steps/choose")
		lead.choose("input[name=level][value=co_design]")
		lead.choose("input[name=stage][value=co_design]")
		lead.choose("input[name=scope][value=system]")
		lead.choose("input[name=methods][value=workshop]")
		lead.fill("#rationale_workshop", "People can try ideas out together.")
		lead.click("form[action$='/approach'] button")
		if got := lead.text("[data-testid=approach]"); !strings.Contains(got, "Workshops") {
			lead.fail("approach: %s", got)
		}
		// Step 7: understand, for the lay partner.
		lead.visit(project + "/steps/understand")
		lead.visit(eval[string](lead, `Array.from(document.querySelectorAll('[data-testid=four-rs] tr')).find(r => r.textContent.includes('David Okafor')).querySelector('a').getAttribute('href')`))
		lead.fill("#role", "Lay partner")
		lead.fill("#remit", "How home visits are planned")
		lead.fill("#relationships", "Buddy: Priya Patel")
		lead.fill("#responsibility", "Come to the four workshops")
		lead.click("form[action*='/steps/understand/members/'] button")
		// The lead signs off steps 1, 3, 4 and 7.
		for _, step := range []string{"identify", "be-clear", "choose", "understand"} {
			lead.visit(project + "/steps/" + step)
			lead.click("[data-testid=sign-off]")
		}

		partner := newTab(t, js)
		partner.signIn("david.okafor@example.org")
		partner.visit(project)
		if partner.count("[data-testid=prompt-purpose]") != 1 {
			partner.fail("not asked to read the purpose")
		}
		partner.click("[data-testid=prompt-purpose]")
		partner.click("[data-testid=acknowledge-purpose]")
		partner.visit(project + "/steps/understand")
		partner.click("[data-testid=acknowledge-four-rs]")
		for _, step := range []string{"identify", "be-clear", "choose", "understand"} {
			partner.visit(project + "/steps/" + step)
			partner.click("[data-testid=sign-off]")
			if got := partner.text("[data-testid=stage-status]"); !strings.Contains(got, "Complete") {
				partner.fail("step %s: %s", step, got)
			}
		}
		partner.visit(project)
		if n := partner.count("[data-testid=steps] li[data-status=complete]"); n != 4 {
			partner.fail("%d steps complete, want 4", n)
		}
		lead.visit(project + "/reports/project.html")
		if got := lead.text("[data-testid=report-sign-offs]"); !strings.Contains(got, "Lay partner") {
			lead.fail("report sign-offs: %s", got)
		}
		lead.visit(project + "/history")
		if got := lead.text("main"); !strings.Contains(got, "Signed off") && !strings.Contains(got, "sign") {
			lead.fail("history does not show the sign-offs")
		}
	})
}
