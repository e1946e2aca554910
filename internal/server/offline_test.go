package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// offlineProject is a project with a lead, a facilitator and a lay partner,
// the facilitator signed in.
type offlineProject struct {
	e           *env
	p           *coproduce.Project
	lead        *coproduce.User
	facilitator *coproduce.User
	partner     *coproduce.User
	fc          *client
	base        string
}

func newOfflineProject(t *testing.T) *offlineProject {
	t.Helper()
	e := newEnv(t)
	o := &offlineProject{e: e}
	o.lead = pgtest.User(t, e.store, coproduce.RoleStaff)
	o.p = pgtest.Project(t, e.store, o.lead)
	o.facilitator = pgtest.Member(t, e.store, o.p, coproduce.RoleStaff, coproduce.RoleFacilitator)
	o.partner = pgtest.Member(t, e.store, o.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	o.fc = e.signedIn(o.facilitator)
	o.base = "/projects/" + itoa(o.p.ID)
	return o
}

// addDorothy adds Dorothy Price through the members page's link and form,
// and returns her contact page.
func (o *offlineProject) addDorothy(t *testing.T) *page {
	t.Helper()
	members := o.fc.open(t, o.base+"/members")
	link := members.doc.Find(`a:contains("Add a member who does not use email")`)
	if href := link.AttrOr("href", ""); href != o.base+"/members/offline" {
		t.Fatalf("members page's link = %q", href)
	}
	res := o.fc.open(t, o.base+"/members/offline").form("Add them to the project").
		fill("Their full name", "Dorothy Price").check("By phone").fill("Phone number", "01632 960 001").
		check("Lay partner").check("On the phone").
		check("I have explained what taking part involves and they agreed to join").submit()
	wantRedirect(t, res, o.base+"/members/")
	return o.fc.follow(t, res)
}

func TestAFacilitatorAddsAMemberWhoDoesNotUseEmail(t *testing.T) {
	t.Parallel()
	o := newOfflineProject(t)

	// Nothing filled in: every problem is listed, and nobody is added.
	form := o.fc.open(t, o.base+"/members/offline").form("Add them to the project").fill("Their full name", "Dorothy Price")
	res := form.submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res)
	summary := fold(d.Find(".nhsuk-error-summary").Text())
	for _, want := range []string{"Select how they want to be contacted", "Select how they agreed to take part",
		"Confirm that they agreed to join the project"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary %q lacks %q", summary, want)
		}
	}
	if got := d.Find("#name").AttrOr("value", ""); got != "Dorothy Price" {
		t.Errorf("name kept = %q", got)
	}
	// By phone needs a phone number.
	res = o.fc.pageOf(t, o.base+"/members/offline", res).form("Add them to the project").check("By phone").
		check("On the phone").check("I have explained what taking part involves and they agreed to join").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(fold(doc(t, res).Text()), "Enter their phone number, as they want to be contacted by phone") {
		t.Error("no phone number asked for")
	}

	contact := o.addDorothy(t)
	body := fold(contact.doc.Find("main").Text())
	for _, want := range []string{"The member has been added", "How to reach Dorothy Price", "By phone", "01632 960 001",
		"No email address", "Agreed to take part by phone, recorded by " + o.facilitator.Name} {
		if !strings.Contains(body, want) {
			t.Errorf("contact page lacks %q:\n%s", want, body)
		}
	}
	members := o.fc.open(t, o.base+"/members")
	row := fold(members.doc.Find(`[data-testid="members"] tr:contains("Dorothy Price")`).Text())
	if !strings.Contains(row, "Takes part without email: By phone") || !strings.Contains(row, "Lay partner") {
		t.Errorf("members row = %q", row)
	}
	if n := o.e.count(`SELECT count(*) FROM audit_events WHERE action = 'membership.add_offline' AND project_id = $1`, o.p.ID); n != 1 {
		t.Errorf("%d audit events, want 1", n)
	}

	// Another lay partner sees Dorothy as a member, but not how to reach her.
	pc := o.e.signedIn(o.partner)
	theirs := pc.open(t, o.base+"/members")
	if !strings.Contains(theirs.doc.Text(), "Dorothy Price") || strings.Contains(theirs.doc.Text(), "Takes part without email") {
		t.Error("a lay partner's members page: Dorothy missing, or her contact way shown")
	}
	wantStatus(t, pc.get(strings.TrimPrefix(contact.path, "")), http.StatusForbidden)
}

func TestTheLetterCarriesACodeThatJoinsOnline(t *testing.T) {
	t.Parallel()
	o := newOfflineProject(t)
	contact := o.addDorothy(t)
	res := contact.form("Make the letter").fill("Phone number for them to call (optional)", "01632 960 123").submit()
	wantStatus(t, res, http.StatusOK)
	letter := doc(t, res)
	text := fold(letter.Find(`[data-testid="letter"]`).Text())
	for _, want := range []string{o.p.Title, "Dear Dorothy Price,", "What the project is for", "What taking part involves",
		"Expenses and payment", "for a meeting of up to 3 hours", "Your facilitator is " + o.facilitator.Name,
		"01632 960 123", "http://coproduce.test/join"} {
		if !strings.Contains(text, want) {
			t.Errorf("letter lacks %q:\n%s", want, text)
		}
	}
	code := fold(letter.Find(`[data-testid="join-code"]`).Text())
	if coproduce.NormalizeJoinCode(code) == "" {
		t.Fatalf("letter's code = %q", code)
	}
	if n := o.e.count(`SELECT count(*) FROM join_codes WHERE code_hash = $1`, postgres.HashToken(coproduce.NormalizeJoinCode(code))); n != 1 {
		t.Errorf("the code's hash stored %d times", n)
	}

	// Dorothy, at home, types the code as she reads it: small letters,
	// a space for the dash.
	dc := o.e.client()
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	res = dc.open(t, "/join").form("Continue").fill("The code on your letter", typed).submit()
	wantStatus(t, res, http.StatusOK)
	step2 := dc.pageOf(t, "/join", res)
	if h := fold(step2.doc.Find("h1").Text()); h != "Welcome, Dorothy Price" {
		t.Errorf("heading = %q", h)
	}
	// A short password is refused, the email kept.
	res = step2.form("Join online").fill("Your email address", "dorothy@example.org").fill("Choose a password", "short").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	step2 = dc.pageOf(t, "/join", res)
	if got := step2.doc.Find("#email").AttrOr("value", ""); got != "dorothy@example.org" {
		t.Errorf("email kept = %q", got)
	}
	res = step2.form("Join online").fill("Choose a password", "a long enough password").submit()
	wantRedirect(t, res, o.base+"?notice=welcome")
	project := dc.follow(t, res)
	if !strings.Contains(project.doc.Text(), o.p.Title) {
		t.Error("Dorothy is not shown her project")
	}
	u, err := o.e.store.UserByEmail(context.Background(), "dorothy@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if role, _ := o.e.store.ProjectRoleOf(context.Background(), o.p.ID, u.ID); role != coproduce.RoleLayPartner || u.Name != "Dorothy Price" {
		t.Errorf("Dorothy's account = %+v, role %q: not the same member", u, role)
	}
	// And she can sign in with it later.
	signIn := o.e.client().open(t, "/sign-in").form("Sign in").fill("Email address", "dorothy@example.org").
		fill("Password", "a long enough password").submit()
	wantStatus(t, signIn, http.StatusSeeOther)

	// The code works once.
	res = o.e.client().open(t, "/join").form("Continue").fill("The code on your letter", code).submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(fold(doc(t, res).Text()), "That code has run out or was already used") {
		t.Error("a used code is not explained")
	}
}

func TestAWrongOrExpiredCodeIsExplained(t *testing.T) {
	t.Parallel()
	o := newOfflineProject(t)
	contact := o.addDorothy(t)
	res := contact.form("Make the letter").submit()
	wantStatus(t, res, http.StatusOK)
	code := fold(doc(t, res).Find(`[data-testid="join-code"]`).Text())

	c := o.e.client()
	for typed, want := range map[string]string{
		"":           "Enter the code from your letter",
		"K7DM":       "The code has 8 letters and numbers",
		"KKKK-KKKK":  "We do not recognise that code",
		"K7DM-4QX0!": "The code has 8 letters and numbers",
	} {
		res := c.open(t, "/join").form("Continue").fill("The code on your letter", typed).submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if got := fold(d.Find(".nhsuk-error-summary").Text()); !strings.Contains(got, want) {
			t.Errorf("code %q: error summary %q, want %q", typed, got, want)
		}
	}
	if _, err := o.e.tx.Exec(context.Background(), `UPDATE join_codes SET expires_at = now() - interval '1 day'`); err != nil {
		t.Fatal(err)
	}
	res = c.open(t, "/join").form("Continue").fill("The code on your letter", code).submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := fold(doc(t, res).Find(".nhsuk-error-summary").Text()); !strings.Contains(got, "That code has run out or was already used: call your facilitator for a new letter") {
		t.Errorf("expired code: %q", got)
	}
}

func TestAnInvitationAcceptedByPhoneIsRecordedAsSuch(t *testing.T) {
	t.Parallel()
	o := newOfflineProject(t)
	_, err := o.e.store.CreateInvitation(context.Background(), o.facilitator.ID, o.p.ID, coproduce.InvitationInput{
		Name: "Ray Phone", Email: "ray.phone@example.org", Role: coproduce.RoleLayPartner},
		postgres.HashToken("a-token-for-ray-phone-long-enough"), coproduce.Email{To: "ray.phone@example.org", Subject: "Invitation"})
	if err != nil {
		t.Fatal(err)
	}
	res := o.fc.open(t, o.base+"/steps/select").form("They said yes on the phone Ray Phone").submit()
	wantRedirect(t, res, o.base+"/steps/select?notice=invitation-accepted-by-phone")
	page := o.fc.follow(t, res)
	row := fold(page.doc.Find(`[data-testid="invitations"] tr:contains("Ray Phone")`).Text())
	if !strings.Contains(row, "Accepted by phone, recorded by "+o.facilitator.Name+" on ") {
		t.Errorf("invitation row = %q", row)
	}
	if n := o.e.count(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = $1 AND u.email = 'ray.phone@example.org' AND m.joined_on_behalf_by = $2`, o.p.ID, o.facilitator.ID); n != 1 {
		t.Errorf("Ray's membership recorded %d times", n)
	}
	if n := o.e.count(`SELECT count(*) FROM audit_events WHERE action = 'invitation.accept_by_phone' AND actor_id = $1`, o.facilitator.ID); n != 1 {
		t.Errorf("%d audit events, want 1", n)
	}
	// A lay partner cannot.
	pc := o.e.signedIn(o.partner)
	if pc.open(t, o.base+"/steps/select").has("They said yes on the phone Ray Phone") {
		t.Error("a lay partner is offered the button")
	}
}
