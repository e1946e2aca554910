package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func TestCreateProject(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	c := e.signedIn(lead)

	t.Run("ShowsTheForm", func(t *testing.T) {
		d := doc(t, c.get("/projects/new"))
		if d.Find("form[action='/projects/new'] input#title").Length() != 1 {
			t.Error("no title field")
		}
	})

	t.Run("CreatesAndShowsTheTracker", func(t *testing.T) {
		res := c.post("/projects/new", url.Values{"title": {"  Better discharge  "}, "summary": {"Line one\nLine two"}, "status": {"active"}})
		wantRedirect(t, res, "/projects/")
		page := c.get(strings.TrimSuffix(res.Header().Get("Location"), "?notice=project-created"))
		wantStatus(t, page, http.StatusOK)
		d := doc(t, page)
		if got := text(d, "[data-testid=project-title]"); got != "Better discharge" {
			t.Errorf("title %q", got)
		}
		if d.Find("[data-testid=tracker] circle").Length() != 7 || d.Find("[data-testid=steps] li").Length() != 7 {
			t.Error("tracker does not show seven steps")
		}
		if got := text(d, "[data-testid=tracker] title"); !strings.Contains(got, "0 of 7 complete") {
			t.Errorf("tracker text equivalent %q", got)
		}
		if d.Find("[data-testid=edit-project]").Length() != 1 {
			t.Error("the lead has no edit link")
		}
	})

	t.Run("MissingTitleKeepsInputAndWritesNothing", func(t *testing.T) {
		before := e.count(`SELECT count(*) FROM projects`)
		res := c.post("/projects/new", url.Values{"title": {""}, "summary": {"Kept summary"}, "status": {"draft"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if !strings.Contains(text(d, "[data-testid=error-summary]"), "Enter a title") {
			t.Errorf("summary %q", text(d, "[data-testid=error-summary]"))
		}
		if text(d, "textarea#summary") != "Kept summary" {
			t.Errorf("summary not kept: %q", text(d, "textarea#summary"))
		}
		if d.Find("#title-error").Length() != 1 {
			t.Error("no error beside the field")
		}
		if after := e.count(`SELECT count(*) FROM projects`); after != before {
			t.Error("a project was written")
		}
	})

	t.Run("InvalidUTF8IsRefusedAndWritesNothing", func(t *testing.T) {
		// No browser sends it: every form refuses it with 400 (see
		// TestInvalidTextIsRefused).
		before := e.count(`SELECT count(*) FROM projects`)
		res := c.postBody("/projects/new", "title=Bad%ff%fe&status=draft")
		wantStatus(t, res, http.StatusBadRequest)
		if after := e.count(`SELECT count(*) FROM projects`); after != before {
			t.Error("a project was written")
		}
	})

	t.Run("OverlongTitleAndUnknownStatus", func(t *testing.T) {
		res := c.post("/projects/new", url.Values{"title": {strings.Repeat("a", 201)}, "status": {"sideways"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if d.Find("#title-error").Length() != 1 || d.Find("#status-error").Length() != 1 {
			t.Error("missing field errors")
		}
	})
}

func TestProjectAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	p := pgtest.Project(t, e.store, lead)
	partner := pgtest.Member(t, e.store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	outsider := pgtest.User(t, e.store, coproduce.RolePartner)
	staffOutsider := pgtest.User(t, e.store, coproduce.RoleStaff)
	admin := pgtest.User(t, e.store, coproduce.RoleAdmin)
	path := "/projects/" + itoa(p.ID)
	edit := url.Values{"title": {"Taken over"}, "status": {"closed"}}
	addMember := url.Values{"email": {outsider.Email}, "role": {"lead"}}

	t.Run("PartnerOutsideTheProjectSeesNothing", func(t *testing.T) {
		c := e.signedIn(outsider)
		wantStatus(t, c.get(path), http.StatusNotFound)
		wantStatus(t, c.get(path+"/members"), http.StatusNotFound)
		wantStatus(t, c.post(path+"/edit", edit), http.StatusNotFound)
		wantStatus(t, c.post(path+"/members", addMember), http.StatusNotFound)
		if strings.Contains(doc(t, c.get("/projects")).Text(), p.Title) {
			t.Error("project listed to an outsider")
		}
	})

	t.Run("StaffOutsideTheProjectSeesNothing", func(t *testing.T) {
		c := e.signedIn(staffOutsider)
		wantStatus(t, c.get(path), http.StatusNotFound)
	})

	t.Run("LayPartnerCanReadButNotChange", func(t *testing.T) {
		c := e.signedIn(partner)
		wantStatus(t, c.get(path), http.StatusOK)
		if doc(t, c.get(path)).Find("[data-testid=edit-project]").Length() != 0 {
			t.Error("edit link shown to a lay partner")
		}
		wantStatus(t, c.get(path+"/edit"), http.StatusForbidden)
		wantStatus(t, c.post(path+"/edit", edit), http.StatusForbidden)
		wantStatus(t, c.post(path+"/members", addMember), http.StatusForbidden)
		// A partner may not even smuggle a role in: nothing was written.
		if role, _ := e.store.ProjectRoleOf(t.Context(), p.ID, outsider.ID); role != "" {
			t.Errorf("outsider became %q", role)
		}
		got, _ := e.store.ProjectByID(t.Context(), p.ID)
		if got.Title != p.Title {
			t.Error("project changed")
		}
	})

	t.Run("PartnerCannotCreateProjects", func(t *testing.T) {
		c := e.signedIn(partner)
		before := e.count(`SELECT count(*) FROM projects`)
		wantStatus(t, c.get("/projects/new"), http.StatusForbidden)
		wantStatus(t, c.post("/projects/new", url.Values{"title": {"Mine"}, "status": {"draft"}}), http.StatusForbidden)
		if e.count(`SELECT count(*) FROM projects`) != before {
			t.Error("a project was written")
		}
		if doc(t, c.get("/projects")).Find("a[href='/projects/new']").Length() != 0 {
			t.Error("create button shown to a partner")
		}
	})

	t.Run("AdministratorSeesEveryProject", func(t *testing.T) {
		c := e.signedIn(admin)
		wantStatus(t, c.get(path), http.StatusOK)
		if !strings.Contains(doc(t, c.get("/projects")).Text(), p.Title) {
			t.Error("project not listed to the administrator")
		}
	})

	t.Run("LeadEditsTheProject", func(t *testing.T) {
		c := e.signedIn(lead)
		wantRedirect(t, c.post(path+"/edit", url.Values{"title": {"Renamed"}, "status": {"active"}}), path)
		if got := text(doc(t, c.get(path)), "[data-testid=project-title]"); got != "Renamed" {
			t.Errorf("title %q", got)
		}
	})

	t.Run("NonNumericAndMissingProjectsAre404", func(t *testing.T) {
		c := e.signedIn(admin)
		wantStatus(t, c.get("/projects/abc"), http.StatusNotFound)
		wantStatus(t, c.get("/projects/999999999"), http.StatusNotFound)
	})

	t.Run("OnlyAdministratorsManageAccounts", func(t *testing.T) {
		for _, u := range []*coproduce.User{lead, partner} {
			c := e.signedIn(u)
			wantStatus(t, c.get("/admin/users"), http.StatusForbidden)
			wantStatus(t, c.post("/admin/users/"+itoa(outsider.ID)+"/disable", nil), http.StatusForbidden)
		}
		got, _ := e.store.UserByID(t.Context(), outsider.ID)
		if got.Disabled {
			t.Error("account disabled by a non-administrator")
		}
		wantRedirect(t, e.client().get("/admin/users"), "/sign-in")
	})

	t.Run("AdministratorCannotDisableThemself", func(t *testing.T) {
		c := e.signedIn(admin)
		wantStatus(t, c.post("/admin/users/"+itoa(admin.ID)+"/disable", nil), http.StatusForbidden)
	})
}

func TestAddMember(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	p := pgtest.Project(t, e.store, lead)
	newcomer := pgtest.User(t, e.store, coproduce.RolePartner)
	c := e.signedIn(lead)
	path := "/projects/" + itoa(p.ID) + "/members"

	t.Run("InvitesAnExistingAccount", func(t *testing.T) {
		res := c.post(path, url.Values{"email": {strings.ToUpper(newcomer.Email)}, "role": {"lay_partner"}})
		wantRedirect(t, res, path)
		d := doc(t, c.get(path))
		if strings.Contains(text(d, "[data-testid=members]"), newcomer.Name) {
			t.Error("listed as a member before agreeing")
		}
		if !strings.Contains(text(d, "[data-testid=invited]"), newcomer.Name) {
			t.Error("not listed as invited")
		}
		if n := e.count(`SELECT count(*) FROM audit_events WHERE project_id = $1 AND action = 'invitation.send'`, p.ID); n != 1 {
			t.Errorf("%d audit events for the invitation", n)
		}
		if n := e.count(`SELECT count(*) FROM emails WHERE to_address = $1 AND kind = 'invitation'`, newcomer.Email); n != 1 {
			t.Errorf("%d invitation emails", n)
		}
	})

	t.Run("TwiceIsAFieldError", func(t *testing.T) {
		res := c.post(path, url.Values{"email": {newcomer.Email}, "role": {"facilitator"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(text(doc(t, res), "#email-error"), "already been invited") {
			t.Errorf("error %q", text(doc(t, res), "#email-error"))
		}
	})

	t.Run("AMemberAlreadyIsAFieldError", func(t *testing.T) {
		res := c.post(path, url.Values{"email": {lead.Email}, "role": {"facilitator"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(text(doc(t, res), "#email-error"), "already a member") {
			t.Errorf("error %q", text(doc(t, res), "#email-error"))
		}
	})

	t.Run("UnknownEmailIsAFieldError", func(t *testing.T) {
		res := c.post(path, url.Values{"email": {"stranger@example.test"}, "role": {"lay_partner"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if v, _ := d.Find("input#email").Attr("value"); v != "stranger@example.test" {
			t.Errorf("email not kept: %q", v)
		}
		if _, ok := d.Find("input[value=lay_partner]").Attr("checked"); !ok {
			t.Error("role not kept")
		}
	})

	t.Run("RoleIsRequired", func(t *testing.T) {
		res := c.post(path, url.Values{"email": {newcomer.Email}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if doc(t, res).Find("#role-error").Length() != 1 {
			t.Error("no role error")
		}
	})
}
