package server_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// lastLink finds the newest email to an address and returns the path of
// the link in it that starts with prefix.
func (e *env) lastLink(to, prefix string) string {
	e.t.Helper()
	var body string
	err := e.tx.QueryRow(context.Background(),
		`SELECT text_body FROM emails WHERE to_address = $1 ORDER BY id DESC LIMIT 1`, to).Scan(&body)
	if err != nil {
		e.t.Fatalf("no email to %s: %v", to, err)
	}
	m := regexp.MustCompile(`http://coproduce\.test(` + regexp.QuoteMeta(prefix) + `[A-Za-z0-9_-]+)`).FindStringSubmatch(body)
	if m == nil {
		e.t.Fatalf("no %s link in:\n%s", prefix, body)
	}
	return m[1]
}

func TestInvitationJourney(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	ctx := context.Background()
	g, _ := e.store.CreateGroup(ctx, sp.lead.ID, sp.p.ID, coproduce.GroupInput{Name: "Carers", Affected: "indirect", Included: "yes"})
	e.store.CreatePurposeVersion(ctx, sp.lead.ID, sp.p.ID, coproduce.PurposeInput{Purpose: "Redesign rehab at home", Fixed: "The budget"})
	step := sp.path("/steps/select")
	invite := url.Values{"name": {"Pat Carer"}, "email": {"pat@example.test"}, "group": {itoa(g.ID)}, "role": {"lay_partner"}, "message": {"We would love your view."}}

	wantRedirect(t, sp.leadC.post(step+"/invitations", invite), step)
	link := e.lastLink("pat@example.test", "/invitations/")
	token := strings.TrimPrefix(link, "/invitations/")

	t.Run("OnlyAHashOfTheTokenIsStored", func(t *testing.T) {
		sum := sha256.Sum256([]byte(token))
		if n := e.count(`SELECT count(*) FROM invitations WHERE token_hash = $1`, sum[:]); n != 1 {
			t.Errorf("%d invitations with the token's hash", n)
		}
		if n := e.count(`SELECT count(*) FROM invitations WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'`, token); n != 0 {
			t.Error("token stored in plain")
		}
	})
	t.Run("CoverageCountsTheInvitation", func(t *testing.T) {
		d := doc(t, sp.leadC.get(step))
		if got := cells(d, "[data-testid=coverage] [data-group-id='"+itoa(g.ID)+"'] td"); got != "1|0" {
			t.Errorf("invited/joined = %q", got)
		}
		if d.Find("[data-testid=coverage-chart] rect").Length() == 0 {
			t.Error("no chart")
		}
	})
	t.Run("SecondPendingInvitationIsAFieldError", func(t *testing.T) {
		res := sp.leadC.post(step+"/invitations", invite)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if doc(t, res).Find("#email-error").Length() != 1 {
			t.Error("no field error")
		}
	})
	t.Run("TheLinkShowsThePurposeBeforeAccepting", func(t *testing.T) {
		d := doc(t, e.client().get(link))
		if !strings.Contains(text(d, "[data-testid=purpose]"), "Redesign rehab at home") {
			t.Error("purpose not shown")
		}
		if !strings.Contains(text(d, "[data-testid=invitation-message]"), "We would love your view.") {
			t.Error("message not shown")
		}
		if v, _ := d.Find("input#name").Attr("value"); v != "Pat Carer" {
			t.Errorf("name not offered: %q", v)
		}
	})
	t.Run("AcceptingMakesAnAccountAndSignsIn", func(t *testing.T) {
		pat := e.client()
		res := pat.post(link+"/accept", url.Values{"name": {"Pat"}})
		wantRedirect(t, res, sp.path(""))
		wantStatus(t, pat.get(sp.path("")), http.StatusOK)
		u, err := e.store.UserByEmail(ctx, "pat@example.test")
		if err != nil || u.Name != "Pat" || u.Role != coproduce.RolePartner {
			t.Fatalf("account %+v, %v", u, err)
		}
		if role, _ := e.store.ProjectRoleOf(ctx, sp.p.ID, u.ID); role != coproduce.RoleLayPartner {
			t.Errorf("role %q", role)
		}
		d := doc(t, sp.leadC.get(step))
		if got := cells(d, "[data-testid=coverage] [data-group-id='"+itoa(g.ID)+"'] td"); got != "1|1" {
			t.Errorf("invited/joined = %q", got)
		}
	})
	t.Run("TheLinkWorksOnce", func(t *testing.T) {
		res := e.client().get(link)
		wantStatus(t, res, http.StatusGone)
		if !strings.Contains(text(doc(t, res), "h1"), "already accepted") {
			t.Errorf("page: %q", text(doc(t, res), "h1"))
		}
		wantStatus(t, e.client().post(link+"/accept", url.Values{"name": {"Someone"}}), http.StatusGone)
	})
	t.Run("UnknownTokenSaysWhatToDo", func(t *testing.T) {
		res := e.client().get("/invitations/" + strings.Repeat("x", 43))
		wantStatus(t, res, http.StatusNotFound)
		if text(doc(t, res), "[data-testid=link-problem]") == "" {
			t.Error("no explanation")
		}
	})
}

func TestInvitationEndings(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	step := sp.path("/steps/select")
	send := func(email string) (string, int64) {
		t.Helper()
		wantRedirect(t, sp.leadC.post(step+"/invitations", url.Values{"name": {"X"}, "email": {email}, "role": {"staff_partner"}}), step)
		var id int64
		e.tx.QueryRow(context.Background(), `SELECT id FROM invitations WHERE email = $1`, email).Scan(&id)
		return e.lastLink(email, "/invitations/"), id
	}

	t.Run("Expired", func(t *testing.T) {
		link, id := send("late@example.test")
		e.exec(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, id)
		res := e.client().get(link)
		wantStatus(t, res, http.StatusGone)
		if !strings.Contains(text(doc(t, res), "h1"), "expired") {
			t.Errorf("h1 %q", text(doc(t, res), "h1"))
		}
		wantStatus(t, e.client().post(link+"/accept", url.Values{"name": {"Late"}}), http.StatusGone)
		if _, err := e.store.UserByEmail(context.Background(), "late@example.test"); err == nil {
			t.Error("account made from an expired invitation")
		}
		// Resending gives a new link that works; the old one stays dead.
		wantRedirect(t, sp.leadC.post(step+"/invitations/"+itoa(id)+"/resend", nil), step)
		fresh := e.lastLink("late@example.test", "/invitations/")
		if fresh == link {
			t.Fatal("same link resent")
		}
		wantStatus(t, e.client().get(fresh), http.StatusOK)
		wantStatus(t, e.client().get(link), http.StatusNotFound)
	})
	t.Run("Withdrawn", func(t *testing.T) {
		link, id := send("gone@example.test")
		wantRedirect(t, sp.leadC.post(step+"/invitations/"+itoa(id)+"/withdraw", nil), step)
		res := e.client().get(link)
		wantStatus(t, res, http.StatusGone)
		if !strings.Contains(text(doc(t, res), "h1"), "withdrawn") {
			t.Errorf("h1 %q", text(doc(t, res), "h1"))
		}
	})
	t.Run("Declined", func(t *testing.T) {
		link, _ := send("no@example.test")
		wantStatus(t, e.client().post(link+"/decline", nil), http.StatusOK)
		if !strings.Contains(text(doc(t, sp.leadC.get(step)), "[data-testid=invitations]"), "Said no") {
			t.Error("status not shown to the lead")
		}
		wantStatus(t, e.client().get(link), http.StatusGone)
	})
	t.Run("ExistingPasswordAccountSignsInAsUsual", func(t *testing.T) {
		staff := pgtest.User(t, e.store, coproduce.RoleStaff)
		link, _ := send(staff.Email)
		c := e.client()
		wantRedirect(t, c.post(link+"/accept", nil), "/sign-in")
		if c.sessionCookie() != "" {
			t.Error("a password account was signed in by an invitation link")
		}
		if role, _ := e.store.ProjectRoleOf(context.Background(), sp.p.ID, staff.ID); role != coproduce.RoleStaffPartner {
			t.Errorf("role %q", role)
		}
	})
	t.Run("OnlyLeadsAndFacilitatorsInvite", func(t *testing.T) {
		_, id := send("someone@example.test")
		for _, c := range []*client{sp.layC, sp.staffC} {
			wantStatus(t, c.post(step+"/invitations", url.Values{"name": {"Y"}, "email": {"y@example.test"}, "role": {"lead"}}), http.StatusForbidden)
			wantStatus(t, c.post(step+"/invitations/"+itoa(id)+"/withdraw", nil), http.StatusForbidden)
			wantStatus(t, c.post(step+"/invitations/"+itoa(id)+"/resend", nil), http.StatusForbidden)
		}
		wantStatus(t, sp.outsideC.post(step+"/invitations/"+itoa(id)+"/withdraw", nil), http.StatusNotFound)
		if n := e.count(`SELECT count(*) FROM invitations WHERE email = 'y@example.test'`); n != 0 {
			t.Error("invitation written")
		}
		if doc(t, sp.layC.get(step)).Find("[data-testid=send-invitation]").Length() != 0 {
			t.Error("invite form shown to a lay partner")
		}
		if strings.Contains(sp.layC.get(step).Body.String(), "someone@example.test") {
			t.Error("invitees' emails shown to a lay partner")
		}
	})
	t.Run("BadInput", func(t *testing.T) {
		res := sp.leadC.post(step+"/invitations", url.Values{"name": {""}, "email": {"not-an-email"}, "role": {"king"}, "message": {strings.Repeat("m", 2001)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		for _, f := range []string{"name", "email", "role", "message"} {
			if d.Find("#"+f+"-error").Length() != 1 {
				t.Errorf("no error for %s", f)
			}
		}
		wantStatus(t, sp.leadC.post(step+"/invitations", url.Values{"name": {"Z"}, "email": {"z@example.test"}, "role": {"lay_partner"}, "group": {"999999"}}), http.StatusUnprocessableEntity)
	})
}

func TestSignInLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RolePartner)

	t.Run("KnownAndUnknownEmailsGetTheSameAnswer", func(t *testing.T) {
		known := e.client().post("/sign-in/link", url.Values{"link_email": {u.Email}})
		unknown := e.client().post("/sign-in/link", url.Values{"link_email": {"nobody@example.test"}})
		if known.Code != unknown.Code || known.Header().Get("Location") != unknown.Header().Get("Location") {
			t.Errorf("answers differ: %d %s / %d %s", known.Code, known.Header().Get("Location"), unknown.Code, unknown.Header().Get("Location"))
		}
		if n := e.count(`SELECT count(*) FROM emails WHERE to_address = 'nobody@example.test'`); n != 0 {
			t.Error("email sent to an unknown address")
		}
	})
	t.Run("LinkSignsInOnce", func(t *testing.T) {
		e.client().post("/sign-in/link", url.Values{"link_email": {strings.ToUpper(u.Email)}})
		link := e.lastLink(u.Email, "/sign-in/link/")
		c := e.client()
		wantStatus(t, c.get(link), http.StatusOK)
		if c.sessionCookie() != "" {
			t.Error("opening the link signed in (mail scanners open links)")
		}
		wantRedirect(t, c.post(link, nil), "/projects")
		wantStatus(t, c.get("/projects"), http.StatusOK)
		again := e.client()
		wantStatus(t, again.post(link, nil), http.StatusGone)
		res := again.get(link)
		wantStatus(t, res, http.StatusGone)
		if !strings.Contains(text(doc(t, res), "h1"), "already been used") {
			t.Errorf("h1 %q", text(doc(t, res), "h1"))
		}
	})
	t.Run("LinkExpiresAfter15Minutes", func(t *testing.T) {
		e.client().post("/sign-in/link", url.Values{"link_email": {u.Email}})
		link := e.lastLink(u.Email, "/sign-in/link/")
		e.exec(`UPDATE sign_in_links SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`)
		wantStatus(t, e.client().post(link, nil), http.StatusGone)
		if !strings.Contains(text(doc(t, e.client().get(link)), "h1"), "expired") {
			t.Error("not told it expired")
		}
	})
	t.Run("InvalidEmailIsAFieldError", func(t *testing.T) {
		res := e.client().post("/sign-in/link", url.Values{"link_email": {"nope"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if doc(t, res).Find("#link_email-error").Length() != 1 {
			t.Error("no field error")
		}
	})
}
