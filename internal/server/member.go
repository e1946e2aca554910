package server

import (
	"errors"
	"net/http"
	"net/url"

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
	page := s.page(r, "members.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.MembersPage(page, *p, members, invited, access.CanManage(), f))
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
