package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// link follows the one link on the page whose text (spaces folded,
// visually hidden words included) is words, as a person clicking it would.
func (p *page) link(words string) *page {
	p.t.Helper()
	var hrefs []string
	p.doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		if fold(a.Text()) == words {
			hrefs = append(hrefs, a.AttrOr("href", ""))
		}
	})
	if len(hrefs) != 1 {
		p.t.Fatalf("%s: %d links say %q, want 1", p.path, len(hrefs), words)
	}
	return p.c.open(p.t, hrefs[0])
}

func (e *env) auditCount(projectID int64, action string, userID int64) int {
	e.t.Helper()
	return e.count(`SELECT count(*) FROM audit_events WHERE project_id = $1 AND action = $2 AND subject = $3`,
		projectID, action, "user:"+itoa(userID))
}

// A lead changes a member's role from the members page: the role changes,
// the change is audited, and the member is emailed in plain words.
func TestLeadChangesAMembersRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	p := pgtest.Project(t, e.store, lead)
	lay := pgtest.Member(t, e.store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	c := e.signedIn(lead)
	members := "/projects/" + itoa(p.ID) + "/members"

	form := c.open(t, members).link("Change role for " + lay.Name).form("Change role")
	res := form.check("Facilitator").submit()
	after := c.follow(t, res)
	if got := cells(after.doc, `[data-testid="members"] tbody td`); !strings.Contains(got, lay.Name+"|Facilitator|") {
		t.Errorf("members table after the change: %q", got)
	}
	if !strings.Contains(after.doc.Text(), "The role has been changed.") {
		t.Error("no confirmation that the role was changed")
	}
	if role, _ := e.store.ProjectRoleOf(context.Background(), p.ID, lay.ID); role != coproduce.RoleFacilitator {
		t.Errorf("role = %q, want facilitator", role)
	}
	if n := e.auditCount(p.ID, coproduce.AuditMembershipRole, lay.ID); n != 1 {
		t.Errorf("%d audit events for the role change, want 1", n)
	}
	var subject, body string
	if err := e.tx.QueryRow(context.Background(), `SELECT subject, text_body FROM emails WHERE to_address = $1 AND kind = 'role_change'`,
		lay.Email).Scan(&subject, &body); err != nil {
		t.Fatalf("no email told the member: %v", err)
	}
	if subject != "Your role in "+p.Title+" has changed" ||
		!strings.Contains(body, "You were: Lay partner. You are now: Facilitator.") {
		t.Errorf("email %q:\n%s", subject, body)
	}
	// A member who chose Welsh reads the project's Welsh title.
	titleCy := "Prosiect " + p.Title
	if err := e.store.UpdateProject(context.Background(), lead.ID, p.ID, coproduce.ProjectInput{Title: p.Title,
		Summary: p.Summary, TitleCy: titleCy, Status: p.Status}); err != nil {
		t.Fatal(err)
	}
	welsh := pgtest.Member(t, e.store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	if err := e.store.SetUserLanguage(context.Background(), welsh.ID, "cy"); err != nil {
		t.Fatal(err)
	}
	c.follow(t, c.open(t, members).link("Change role for "+welsh.Name).form("Change role").check("Facilitator").submit())
	if err := e.tx.QueryRow(context.Background(), `SELECT subject FROM emails WHERE to_address = $1 AND kind = 'role_change'`,
		welsh.Email).Scan(&subject); err != nil || subject != "Mae eich rôl yn "+titleCy+" wedi newid" {
		t.Errorf("the Welsh speaker's email: %q (%v)", subject, err)
	}
	// The history says it as a sentence.
	history := fold(c.open(t, "/projects/"+itoa(p.ID)+"/history").doc.Text())
	if !strings.Contains(history, "Changed a member's role") {
		t.Errorf("history does not show the role change:\n%s", history)
	}
}

// The project's only lead cannot be made something else, removed, or
// leave: each is refused with the reason, and nothing changes.
func TestTheLastLeadStays(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	p := pgtest.Project(t, e.store, lead)
	c := e.signedIn(lead)
	members := "/projects/" + itoa(p.ID) + "/members"

	res := c.open(t, members).link("Change role for " + lead.Name).form("Change role").check("Staff partner").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := c.pageOf(t, members, res)
	if got := text(again.doc, `[data-testid="error-summary"]`); !strings.Contains(got, "only engagement lead") {
		t.Errorf("error summary: %q", got)
	}
	res = c.open(t, members).link("Remove from project for " + lead.Name).form("Remove from project").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res = c.open(t, members).link("Leave this project").form("Leave this project").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := text(c.pageOf(t, members, res).doc, `[data-testid="error-summary"]`); !strings.Contains(got, "You are the project's only engagement lead") {
		t.Errorf("error summary on leaving: %q", got)
	}
	if role, _ := e.store.ProjectRoleOf(context.Background(), p.ID, lead.ID); role != coproduce.RoleLead {
		t.Errorf("role = %q, want lead", role)
	}
	if n := e.count(`SELECT count(*) FROM emails WHERE to_address = $1`, lead.Email); n != 0 {
		t.Errorf("%d emails sent for a refused change", n)
	}

	// With a second lead, the first may step down.
	second := pgtest.Member(t, e.store, p, coproduce.RoleStaff, coproduce.RoleLead)
	res = c.open(t, members).link("Change role for " + lead.Name).form("Change role").check("Staff partner").submit()
	c.follow(t, res)
	if role, _ := e.store.ProjectRoleOf(context.Background(), p.ID, lead.ID); role != coproduce.RoleStaffPartner {
		t.Errorf("role = %q after a second lead joined, want staff partner", role)
	}

	// With a third lead, the second takes themself out, and lands where
	// they still can go.
	pgtest.Member(t, e.store, p, coproduce.RoleStaff, coproduce.RoleLead)
	sc := e.signedIn(second)
	res = sc.open(t, members).link("Remove from project for " + second.Name).form("Remove from project").submit()
	if !strings.Contains(sc.follow(t, res).doc.Text(), "You have left the project.") {
		t.Error("a lead removing themself is not told they have left")
	}
	if n := e.auditCount(p.ID, coproduce.AuditMembershipLeave, second.ID); n != 1 {
		t.Errorf("%d audit events for the lead leaving, want 1", n)
	}
}

// A lead removes a member: their ideas stay, their support needs for the
// project go, and they can no longer see the project.
func TestLeadRemovesAMember(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	p := pgtest.Project(t, e.store, lead)
	lay := pgtest.Member(t, e.store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	ctx := context.Background()
	if _, err := e.store.CreateProposal(ctx, lay.ID, p.ID, coproduce.ProposalInput{Title: "Evening meetings", Body: "After work."}); err != nil {
		t.Fatal(err)
	}
	e.exec(`INSERT INTO support_profiles (project_id, user_id, hearing_loop) VALUES ($1, $2, true)`, p.ID, lay.ID)
	c := e.signedIn(lead)
	members := "/projects/" + itoa(p.ID) + "/members"

	confirm := c.open(t, members).link("Remove from project for " + lay.Name)
	if got := fold(confirm.doc.Find("main").Text()); !strings.Contains(got, "their ideas, comments, votes and expense claims") {
		t.Errorf("the confirmation does not say what stays: %q", got)
	}
	after := c.follow(t, confirm.form("Remove from project").submit())
	if strings.Contains(fold(after.doc.Find(`[data-testid="members"]`).Text()), lay.Name) {
		t.Error("the removed member is still listed")
	}
	if !strings.Contains(after.doc.Text(), "The person has been removed from the project.") {
		t.Error("no confirmation of the removal")
	}
	if n := e.count(`SELECT count(*) FROM proposals WHERE author_id = $1 AND project_id = $2`, lay.ID, p.ID); n != 1 {
		t.Errorf("%d ideas by the removed member, want 1 (contributions stay)", n)
	}
	if n := e.count(`SELECT count(*) FROM support_profiles WHERE user_id = $1 AND project_id = $2`, lay.ID, p.ID); n != 0 {
		t.Errorf("%d support profiles kept for the removed member, want 0", n)
	}
	if n := e.auditCount(p.ID, coproduce.AuditMembershipRemove, lay.ID); n != 1 {
		t.Errorf("%d audit events for the removal, want 1", n)
	}
	wantStatus(t, e.signedIn(lay).get("/projects/"+itoa(p.ID)+"/"), http.StatusNotFound)
}

// A member leaves a project from the members page, after a page that says
// what leaving means.
func TestMemberLeavesAProject(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	p := pgtest.Project(t, e.store, lead)
	lay := pgtest.Member(t, e.store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	c := e.signedIn(lay)

	confirm := c.open(t, "/projects/"+itoa(p.ID)+"/members").link("Leave this project")
	if got := fold(confirm.doc.Find("main").Text()); !strings.Contains(got, "What you have already given stays in the project") {
		t.Errorf("the confirmation does not say what leaving means: %q", got)
	}
	res := confirm.form("Leave this project").submit()
	wantRedirect(t, res, "/projects")
	after := c.follow(t, res)
	if !strings.Contains(after.doc.Text(), "You have left the project.") {
		t.Error("no confirmation of leaving")
	}
	if role, _ := e.store.ProjectRoleOf(context.Background(), p.ID, lay.ID); role != "" {
		t.Errorf("still a member as %q", role)
	}
	if n := e.auditCount(p.ID, coproduce.AuditMembershipLeave, lay.ID); n != 1 {
		t.Errorf("%d audit events for leaving, want 1", n)
	}
}

// Inviting someone who is already a member, from the members page or from
// step 2, is refused at sending with the reason, and nothing is sent.
func TestInvitingAMemberAgainIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	p := pgtest.Project(t, e.store, lead)
	lay := pgtest.Member(t, e.store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	c := e.signedIn(lead)

	members := "/projects/" + itoa(p.ID) + "/members"
	res := c.open(t, members).form("Send invitation").fill("Their email address", lay.Email).check("Staff partner").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := text(c.pageOf(t, members, res).doc, `[data-testid="error-summary"]`); !strings.Contains(got, "already a member") {
		t.Errorf("members page error summary: %q", got)
	}
	step := "/projects/" + itoa(p.ID) + "/steps/select"
	res = c.open(t, step).form("Send invitation").fill("Their name", lay.Name).
		fill("Their email address", strings.ToUpper(lay.Email)).check("Staff partner").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := c.pageOf(t, step, res)
	if got := text(again.doc, `[data-testid="error-summary"]`); !strings.Contains(got, "already a member") {
		t.Errorf("step 2 error summary: %q", got)
	}
	if got := again.doc.Find(`input[name="email"]`).AttrOr("value", ""); got != strings.ToUpper(lay.Email) {
		t.Errorf("email kept as %q", got)
	}
	if n := e.count(`SELECT count(*) FROM invitations WHERE project_id = $1`, p.ID); n != 0 {
		t.Errorf("%d invitations made for a member", n)
	}
}
