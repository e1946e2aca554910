package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// margaretsProject is the finding's starting point: a lay partner who told
// one project (the stroke project) what she needs.
type margaretsProject struct {
	e           *env
	stroke      *coproduce.Project
	strokeLead  *coproduce.User
	margaret    *coproduce.User
	margaretC   *client
	strokeNeeds string
}

func newMargaretsProject(t *testing.T) *margaretsProject {
	t.Helper()
	e := newEnv(t)
	m := &margaretsProject{e: e, strokeNeeds: "Epilepsy: I need a quiet room"}
	m.strokeLead = pgtest.User(t, e.store, coproduce.RoleStaff)
	m.stroke = pgtest.Project(t, e.store, m.strokeLead)
	m.margaret = pgtest.Member(t, e.store, m.stroke, coproduce.RolePartner, coproduce.RoleLayPartner)
	m.margaretC = e.signedIn(m.margaret)
	res := m.margaretC.open(t, "/projects/"+itoa(m.stroke.ID)+"/support/me").form("Save").
		check("A British Sign Language (BSL) interpreter").fill("Anything else (optional)", m.strokeNeeds).submit()
	wantRedirect(t, res, "/projects/"+itoa(m.stroke.ID)+"/steps/support")
	return m
}

// newProjectAsStaff creates a project through the form, as any staff
// account may, and returns its path.
func newProjectAsStaff(t *testing.T, c *client, title string) string {
	t.Helper()
	res := c.open(t, "/projects/new").form("Create project").fill("Title", title).submit()
	wantRedirect(t, res, "/projects/")
	return strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
}

// TestStrangerCannotReadNeedsByAddingSomeone is the finding: a new staff
// account creates a project, adds Margaret from the members page, and
// opens her support page in the new project. She is not a member until she
// accepts, and even then the new project sees only what she tells it.
func TestStrangerCannotReadNeedsByAddingSomeone(t *testing.T) {
	t.Parallel()
	m := newMargaretsProject(t)
	e := m.e
	stranger := pgtest.User(t, e.store, coproduce.RoleStaff)
	sc := e.signedIn(stranger)
	project := newProjectAsStaff(t, sc, "Curious project")

	res := sc.open(t, project+"/members").form("Send invitation").
		fill("Their email address", m.margaret.Email).check("Lay partner").submit()
	wantRedirect(t, res, project+"/members")
	members := sc.follow(t, res)
	if strings.Contains(text(members.doc, "[data-testid=members]"), m.margaret.Name) {
		t.Error("Margaret is listed as a member before she agreed")
	}
	if got := text(members.doc, "[data-testid=invited]"); !strings.Contains(got, m.margaret.Name) {
		t.Errorf("Margaret is not listed as invited: %q", got)
	}

	herSupport := project + "/support/members/" + itoa(m.margaret.ID)
	res = sc.get(herSupport)
	wantStatus(t, res, http.StatusNotFound)
	if strings.Contains(res.Body.String(), "quiet room") {
		t.Fatal("her needs from another project were shown")
	}
	if n := e.count(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE u.email = $1 AND m.project_id <> $2`, m.margaret.Email, m.stroke.ID); n != 0 {
		t.Fatalf("Margaret was made a member of %d projects without agreeing", n)
	}

	// She answers the invitation in her email: yes.
	link := e.lastLink(m.margaret.Email, "/invitations/")
	res = m.margaretC.open(t, link).form("Yes, I will take part").submit()
	wantRedirect(t, res, project)

	// Now a member; the new project still sees only what she told it.
	page := sc.open(t, herSupport)
	got := text(page.doc, "[data-testid=member-support]")
	if strings.Contains(got, "quiet room") || strings.Contains(got, "Sign Language") || !strings.Contains(got, "Nothing given yet") {
		t.Errorf("the new project sees needs she gave another project: %q", got)
	}
	// Who invited her is kept, and that she agreed herself (not through a
	// facilitator on her behalf).
	if n := e.count(`SELECT count(*) FROM memberships WHERE user_id = $1 AND invited_by = $2
		AND joined_on_behalf_by IS NULL`, m.margaret.ID, stranger.ID); n != 1 {
		t.Errorf("invited_by not recorded: %d", n)
	}
}

// TestDecliningKeepsThePersonOut: an existing account that says no to the
// invitation from the members page never becomes a member.
func TestDecliningKeepsThePersonOut(t *testing.T) {
	t.Parallel()
	m := newMargaretsProject(t)
	lead := pgtest.User(t, m.e.store, coproduce.RoleStaff)
	lc := m.e.signedIn(lead)
	project := newProjectAsStaff(t, lc, "Another project")
	wantRedirect(t, lc.open(t, project+"/members").form("Send invitation").
		fill("Their email address", m.margaret.Email).check("Facilitator").submit(), project+"/members")
	link := m.e.lastLink(m.margaret.Email, "/invitations/")
	wantStatus(t, m.margaretC.open(t, link).form("No, thank you").submit(), http.StatusOK)
	if n := m.e.count(`SELECT count(*) FROM memberships WHERE user_id = $1`, m.margaret.ID); n != 1 {
		t.Errorf("%d memberships after saying no, want 1", n)
	}
	if got := text(lc.open(t, project+"/members").doc, "[data-testid=members]"); strings.Contains(got, m.margaret.Name) {
		t.Errorf("listed as a member after saying no: %q", got)
	}
}

// TestSupportCopy: in a second project, only the person may copy what they
// told an earlier one, from projects they are in, after seeing who will
// read it; it is audited, and nothing is copied by default.
func TestSupportCopy(t *testing.T) {
	t.Parallel()
	m := newMargaretsProject(t)
	e := m.e
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	second := pgtest.Project(t, e.store, lead)
	fac := pgtest.Member(t, e.store, second, coproduce.RoleStaff, coproduce.RoleFacilitator)
	if err := e.store.AddMember(t.Context(), lead.ID, second.ID, m.margaret.ID, coproduce.RoleLayPartner); err != nil {
		t.Fatal(err)
	}
	path := "/projects/" + itoa(second.ID)
	herSupport := path + "/support/members/" + itoa(m.margaret.ID)
	lc := e.signedIn(lead)
	if got := text(lc.open(t, herSupport).doc, "[data-testid=member-support]"); strings.Contains(got, "quiet room") {
		t.Fatalf("copied by default: %q", got)
	}

	own := m.margaretC.open(t, path+"/support/me")
	if _, ok := own.doc.Find("input#bsl_interpreter").Attr("checked"); ok {
		t.Error("her form in the second project starts from the first project's needs")
	}
	copyLink, ok := own.doc.Find("[data-testid=copy-support]").Attr("href")
	if !ok {
		t.Fatal("no link to copy what she told another project")
	}
	page := m.margaretC.open(t, copyLink)
	who := text(page.doc, "[data-testid=copy-readers]")
	for _, want := range []string{lead.Name, fac.Name, "Engagement lead", "Facilitator"} {
		if !strings.Contains(who, want) {
			t.Errorf("the copy page does not say %q will see it: %q", want, who)
		}
	}

	// Choosing nothing is an error, and copies nothing.
	res := page.form("Copy to this project").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := text(doc(t, res), ".nhsuk-error-summary"); !strings.Contains(got, "Choose what you want to copy") {
		t.Errorf("error summary: %q", got)
	}

	res = page.form("Copy to this project").check("What I told " + m.stroke.Title).submit()
	wantRedirect(t, res, path+"/support/me")
	got := text(lc.open(t, herSupport).doc, "[data-testid=member-support]")
	if !strings.Contains(got, "quiet room") || !strings.Contains(got, "Sign Language") {
		t.Errorf("not copied: %q", got)
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'support.copy' AND actor_id = $1 AND project_id = $2
		AND after->>'from_project' = $3`, m.margaret.ID, second.ID, itoa(m.stroke.ID)); n != 1 {
		t.Errorf("%d copy events", n)
	}

	t.Run("OnlyFromHerOwnProjects", func(t *testing.T) {
		other := pgtest.Project(t, e.store, lead)
		someone := pgtest.Member(t, e.store, other, coproduce.RolePartner, coproduce.RoleLayPartner)
		sc := e.signedIn(someone)
		wantRedirect(t, sc.open(t, "/projects/"+itoa(other.ID)+"/support/me").form("Save").
			fill("Anything else (optional)", "Someone else's secret").submit(), "/projects/")
		// Margaret forges the other project's id: she is not in it.
		wantStatus(t, m.margaretC.post(path+"/support/me/copy", url.Values{"from": {itoa(other.ID)}}), http.StatusNotFound)
		if got := text(lc.open(t, herSupport).doc, "[data-testid=member-support]"); strings.Contains(got, "Someone else") {
			t.Errorf("copied from a project she is not in: %q", got)
		}
		// Only the person themself copies: a lead cannot copy for her.
		wantStatus(t, lc.post(path+"/support/me/copy", url.Values{"from": {itoa(m.stroke.ID)}}), http.StatusNotFound)
	})
}

// TestLeavingAProjectRemovesWhatWasToldToIt: needs belong to the
// membership.
func TestLeavingAProjectRemovesWhatWasToldToIt(t *testing.T) {
	t.Parallel()
	m := newMargaretsProject(t)
	if n := m.e.count(`SELECT count(*) FROM support_profiles WHERE user_id = $1 AND project_id = $2`, m.margaret.ID, m.stroke.ID); n != 1 {
		t.Fatalf("%d profiles in the stroke project", n)
	}
	if _, err := m.e.tx.Exec(t.Context(), `DELETE FROM memberships WHERE user_id = $1 AND project_id = $2`, m.margaret.ID, m.stroke.ID); err != nil {
		t.Fatal(err)
	}
	if n := m.e.count(`SELECT count(*) FROM support_profiles WHERE user_id = $1`, m.margaret.ID); n != 0 {
		t.Errorf("%d profiles left after leaving", n)
	}
}

// TestInvitationNeverMakesAStaffAccount: someone invited as a facilitator
// or lead from outside gets a partner account, which cannot start projects;
// only an administrator gives the staff role, and that is audited.
func TestInvitationNeverMakesAStaffAccount(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	for _, role := range []string{"Facilitator", "Engagement lead", "Staff partner"} {
		email := strings.ToLower(strings.ReplaceAll(role, " ", ".")) + "@outside.example"
		res := sp.leadC.open(t, sp.path("/steps/select")).form("Send invitation").
			fill("Their name", "Outside "+role).fill("Their email address", email).check(role).submit()
		wantRedirect(t, res, sp.path("/steps/select"))
		c := sp.e.client()
		link := sp.e.lastLink(email, "/invitations/")
		wantRedirect(t, c.open(t, link).form("Yes, I will take part").submit(), sp.path(""))
		var sys string
		if err := sp.e.tx.QueryRow(t.Context(), `SELECT role FROM users WHERE email = $1`, email).Scan(&sys); err != nil {
			t.Fatal(err)
		}
		if sys != "partner" {
			t.Errorf("invited as %s: a %s account", role, sys)
		}
		wantStatus(t, c.get("/projects/new"), http.StatusForbidden)
	}

	// The administrator makes one of them staff from the accounts page.
	var id int64
	if err := sp.e.tx.QueryRow(t.Context(), `SELECT id FROM users WHERE email = 'facilitator@outside.example'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	ac := sp.e.signedIn(sp.admin)
	users := ac.open(t, "/admin/users")
	wantRedirect(t, users.form("Make staff Outside Facilitator").submit(), "/admin/users")
	if n := sp.e.count(`SELECT count(*) FROM users WHERE id = $1 AND role = 'staff'`, id); n != 1 {
		t.Error("not made staff")
	}
	if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE action = 'user.role' AND subject = $1
		AND actor_id = $2 AND after->>'role' = 'staff'`, "user:"+itoa(id), sp.admin.ID); n != 1 {
		t.Errorf("%d role events", n)
	}
	// Nobody else can give it.
	wantStatus(t, sp.leadC.post("/admin/users/"+itoa(sp.lay.ID)+"/role", url.Values{"role": {"staff"}}), http.StatusForbidden)
	wantStatus(t, ac.post("/admin/users/"+itoa(sp.lay.ID)+"/role", url.Values{"role": {"admin"}}), http.StatusBadRequest)
}

// TestPersonSeesWhoReadTheirNeeds: every reading by someone else, on the
// member page or in a meeting's access plan, is listed on the person's own
// support page, newest first, with the reader's name and role.
func TestPersonSeesWhoReadTheirNeeds(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	wantRedirect(t, sp.layC.open(t, sp.path("/support/me")).form("Save").check("A hearing loop").submit(), sp.path("/steps/support"))
	if got := text(sp.layC.open(t, sp.path("/support/me")).doc, "[data-testid=support-reads]"); !strings.Contains(got, "Nobody") {
		t.Errorf("before any reading: %q", got)
	}
	// Someone else with needs who does not say they are coming: the plan
	// does not read theirs.
	wantRedirect(t, sp.staffC.open(t, sp.path("/support/me")).form("Save").check("Large print").submit(), sp.path("/steps/support"))
	sp.facC.open(t, sp.path("/support/members/"+itoa(sp.lay.ID)))
	res := sp.facC.open(t, sp.path("/steps/support")).form("Arrange meeting").fill("What is the meeting?", "Workshop").
		fill("Date", "2027-03-04").fill("Starts at", "10:00").fill("Ends at", "12:00").
		fill("Where (the place and address)", "Community centre").submit()
	wantRedirect(t, res, sp.path("/meetings/"))
	meeting := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
	// The access plan reads the needs of those coming: she says she is.
	wantRedirect(t, sp.layC.open(t, meeting).form("Send my answer").check("Yes").submit(), meeting)
	sp.leadC.open(t, meeting)

	reads := sp.layC.open(t, sp.path("/support/me")).doc.Find("[data-testid=support-reads] li")
	if reads.Length() != 2 {
		t.Fatalf("%d readings listed, want 2: %q", reads.Length(), reads.Text())
	}
	newest, oldest := fold(reads.Eq(0).Text()), fold(reads.Eq(1).Text())
	if !strings.Contains(newest, sp.lead.Name+" (Engagement lead)") || !strings.Contains(newest, "meeting") {
		t.Errorf("newest reading: %q", newest)
	}
	if !strings.Contains(oldest, sp.facilitator.Name+" (Facilitator)") {
		t.Errorf("oldest reading: %q", oldest)
	}
	// Another member's page lists only their own (none: not coming).
	if got := text(sp.staffC.open(t, sp.path("/support/me")).doc, "[data-testid=support-reads]"); !strings.Contains(got, "Nobody") {
		t.Errorf("someone else's readings shown: %q", got)
	}
}

// TestEarlierMeetingReadsAreListed: before needs were kept per project, a
// meeting's access plan recorded one reading for the whole meeting, and
// read every member's needs. Each member sees it on their support page.
func TestEarlierMeetingReadsAreListed(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	if _, err := sp.e.tx.Exec(t.Context(), `INSERT INTO audit_events (actor_id, project_id, action, subject)
		VALUES ($1, $2, 'support.read', 'meeting:7')`, sp.facilitator.ID, sp.p.ID); err != nil {
		t.Fatal(err)
	}
	got := text(sp.layC.open(t, sp.path("/support/me")).doc, "[data-testid=support-reads]")
	if !strings.Contains(got, sp.facilitator.Name+" (Facilitator)") || !strings.Contains(got, "to plan a meeting") {
		t.Errorf("the earlier meeting reading is not listed: %q", got)
	}
	if got := text(sp.facC.open(t, sp.path("/support/me")).doc, "[data-testid=support-reads]"); !strings.Contains(got, "Nobody") {
		t.Errorf("the reader's own page lists their own reading: %q", got)
	}
}
