package server

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/coproduce/coproduce/internal/coproduce"
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
	page := s.page(r, "members.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.MembersPage(page, *p, members, access.CanManage(), f))
}

// addMember adds an existing account to the project. People without an
// account are invited instead (step 2, select).
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
	err = s.store.AddMember(r.Context(), access.User.ID, p.ID, u.ID, in.Role)
	if errors.Is(err, coproduce.ErrConflict) {
		return invalid("email", "members.error.already_member")
	}
	if err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "/members?notice=member-added"))
}
