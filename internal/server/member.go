package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/web/views"
)

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) error {
	return s.renderMembers(w, r, http.StatusOK, views.NewForm(nil, nil))
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	p, access := projectFrom(r.Context())
	members, err := s.store.Members(r.Context(), p.ID)
	if err != nil {
		return err
	}
	all, err := s.store.Invitations(r.Context(), p.ID)
	if err != nil {
		return err
	}
	var invited []coproduce.Invitation
	for _, inv := range all {
		if inv.Status == coproduce.InvitationPending {
			invited = append(invited, inv)
		}
	}
	flags, err := s.flagsFor(r)
	if err != nil {
		return err
	}
	page := s.page(r, "members.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.MembersPage(page, *p, members, invited, access.CanManage(), access.IsMember(), f,
		access.CanFacilitate(), flags))
}

// addMember invites an existing account to the project: nobody becomes a
// member without agreeing, so they get an email with an invitation to accept
// or decline, and are listed as invited until they answer. People without
// an account are invited at step 2 (select).
func (s *Server) addMember(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.NewMembership{
		Email: coproduce.OneLine(r.PostForm.Get("email")),
		Role:  coproduce.ProjectRole(r.PostForm.Get("role")),
	}
	invalid := func(field, msg string) error {
		values := url.Values{"email": {in.Email}, "role": {string(in.Role)}}
		v := &coproduce.ValidationError{}
		v.Add(field, msg)
		return s.renderMembers(w, r, http.StatusUnprocessableEntity, views.NewForm(values, v))
	}
	if verr := asValidation(in.Validate()); verr != nil {
		return s.renderMembers(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr))
	}
	u, err := s.store.UserByEmail(r.Context(), in.Email)
	if errors.Is(err, coproduce.ErrNotFound) {
		return invalid("email", "members.error.no_account")
	}
	if err != nil {
		return err
	}
	role, err := s.store.ProjectRoleOf(r.Context(), p.ID, u.ID)
	if err != nil {
		return err
	}
	if role != "" {
		return invalid("email", "members.error.already_member")
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	inv := coproduce.InvitationInput{Name: u.Name, Email: u.Email, Role: in.Role}
	mail := s.invitationEmail(r, p, access.User, inv.Name, inv.Email, inv.Role, "", token)
	_, err = s.store.CreateInvitation(r.Context(), access.User.ID, p.ID, inv, postgres.HashToken(token), mail)
	if errors.Is(err, coproduce.ErrConflict) {
		return invalid("email", "members.error.already_invited")
	}
	if err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "/members?notice=member-invited"))
}

// memberParam loads the member named in the URL, within the project.
func (s *Server) memberParam(r *http.Request) (coproduce.Member, error) {
	p, _ := projectFrom(r.Context())
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil {
		return coproduce.Member{}, coproduce.ErrNotFound
	}
	return s.store.Member(r.Context(), p.ID, id)
}

// editMemberRole shows a lead the form to give a member another role.
func (s *Server) editMemberRole(w http.ResponseWriter, r *http.Request) error {
	_, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	m, err := s.memberParam(r)
	if err != nil {
		return err
	}
	return s.renderMemberRole(w, r, http.StatusOK, m, views.NewForm(url.Values{"role": {string(m.Role)}}, nil))
}

func (s *Server) renderMemberRole(w http.ResponseWriter, r *http.Request, status int, m coproduce.Member, f views.Form) error {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "member_role.title")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.MemberRolePage(page, *p, m, f))
}

// changeMemberRole gives a member another role: audited, and the person
// is told by email. The last lead keeps the role.
func (s *Server) changeMemberRole(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	m, err := s.memberParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	role := coproduce.ProjectRole(r.PostForm.Get("role"))
	invalid := func(msg string) error {
		v := &coproduce.ValidationError{}
		v.Add("role", msg)
		return s.renderMemberRole(w, r, http.StatusUnprocessableEntity, m, views.NewForm(r.PostForm, v))
	}
	if !role.Valid() {
		return invalid("error.project_role.invalid")
	}
	// The email is in the member's language, not the page's.
	member, err := s.store.UserByID(r.Context(), m.UserID)
	if err != nil {
		return err
	}
	l := s.writingTo(s.cfg.Catalog.Localizer(""), member)
	data := map[string]any{"Name": m.Name, "From": access.User.Name, "Project": p.TitleIn(l.Lang()),
		"Old": l.T("project_role." + string(m.Role)), "New": l.T("project_role." + string(role))}
	mail := message{to: m.Email, toName: m.Name, kind: "role_change", subject: l.T("email.role_change.subject", data),
		paragraphs: []string{l.T("email.greeting", data), l.T("email.role_change.body", data)},
		link:       s.absoluteURL(projectPath(p.ID, "/")), linkText: l.T("email.role_change.link", data)}.email()
	err = s.store.ChangeMemberRole(r.Context(), access.User.ID, p.ID, m.UserID, role, mail)
	if errors.Is(err, coproduce.ErrLastLead) {
		return invalid("members.error.last_lead_role")
	}
	if err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "/members?notice=member-role-changed"))
}

// confirmRemoveMember asks a lead to confirm taking a member out.
func (s *Server) confirmRemoveMember(w http.ResponseWriter, r *http.Request) error {
	_, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	m, err := s.memberParam(r)
	if err != nil {
		return err
	}
	return s.renderRemoveMember(w, r, http.StatusOK, m, "")
}

func (s *Server) renderRemoveMember(w http.ResponseWriter, r *http.Request, status int, m coproduce.Member, problem string) error {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "member_remove.title")
	page.Nav = "projects"
	page.HasErrors = problem != ""
	return s.render(w, r, status, views.MemberRemovePage(page, *p, m, problem))
}

// removeMember takes a member out of the project. What they contributed
// stays.
func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	m, err := s.memberParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = s.store.RemoveMember(r.Context(), access.User.ID, p.ID, m.UserID)
	if errors.Is(err, coproduce.ErrLastLead) {
		return s.renderRemoveMember(w, r, http.StatusUnprocessableEntity, m, "members.error.last_lead_remove")
	}
	if err != nil {
		return err
	}
	if m.UserID == access.User.ID && !access.User.IsAdmin() {
		// A lead who took themself out can no longer see the project.
		return redirect(w, r, "/projects?notice=project-left")
	}
	return redirect(w, r, projectPath(p.ID, "/members?notice=member-removed"))
}

// confirmLeave asks a member to confirm leaving the project, saying what
// leaving means.
func (s *Server) confirmLeave(w http.ResponseWriter, r *http.Request) error {
	_, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	return s.renderLeave(w, r, http.StatusOK, "")
}

func (s *Server) renderLeave(w http.ResponseWriter, r *http.Request, status int, problem string) error {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "leave.title")
	page.Nav = "projects"
	page.HasErrors = problem != ""
	return s.render(w, r, status, views.LeavePage(page, *p, problem))
}

// leave takes the signed-in person out of the project. The last lead
// cannot leave.
func (s *Server) leave(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err := s.store.RemoveMember(r.Context(), access.User.ID, p.ID, access.User.ID)
	if errors.Is(err, coproduce.ErrLastLead) {
		return s.renderLeave(w, r, http.StatusUnprocessableEntity, "leave.error.last_lead")
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/projects?notice=project-left")
}
