package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	p := s.page(r, "admin_users.title")
	p.Nav = "admin"
	p.Notice = noticeFrom(r)
	return s.render(w, r, http.StatusOK, views.AdminUsersPage(p, users))
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request) error {
	return s.setUserDisabled(w, r, true)
}

func (s *Server) enableUser(w http.ResponseWriter, r *http.Request) error {
	return s.setUserDisabled(w, r, false)
}

// setUserDisabled disables or re-enables an account; disabling ends its
// sessions at once. Administrators cannot disable themselves, so an
// installation cannot be locked out by one click.
func (s *Server) setUserDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil {
		return coproduce.ErrNotFound
	}
	admin := userFrom(r.Context())
	if id == admin.ID {
		return coproduce.ErrForbidden
	}
	if err := s.store.SetUserDisabled(r.Context(), admin.ID, id, disabled); err != nil {
		return err
	}
	notice := "user-enabled"
	if disabled {
		notice = "user-disabled"
	}
	return redirect(w, r, "/admin/users?notice="+notice)
}

// setUserRole gives an account the staff role (which may start projects)
// or takes it back to partner. Only administrators do this: no invitation
// ever makes a staff account.
func (s *Server) setUserRole(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil {
		return coproduce.ErrNotFound
	}
	if err := parseForm(r); err != nil {
		return err
	}
	admin := userFrom(r.Context())
	if id == admin.ID {
		return coproduce.ErrForbidden
	}
	role := coproduce.SystemRole(r.PostForm.Get("role"))
	if role != coproduce.RoleStaff && role != coproduce.RolePartner {
		return errBadRequest
	}
	if err := s.store.SetUserRole(r.Context(), admin.ID, id, role); err != nil {
		return err
	}
	return redirect(w, r, "/admin/users?notice=user-role-changed")
}

// confirmErase asks an administrator to confirm erasing a person.
func (s *Server) confirmErase(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil {
		return coproduce.ErrNotFound
	}
	u, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	p := s.page(r, "erase.title")
	p.Nav = "admin"
	return s.render(w, r, http.StatusOK, views.ErasePage(p, *u))
}

// eraseUser removes a person's personal data; their contributions stay as
// "Former participant". Administrators cannot erase themselves.
func (s *Server) eraseUser(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil {
		return coproduce.ErrNotFound
	}
	admin := userFrom(r.Context())
	if id == admin.ID {
		return coproduce.ErrForbidden
	}
	if err := s.store.EraseUser(r.Context(), admin.ID, id); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "erased a person", "user_id", id)
	return redirect(w, r, "/admin/users?notice=user-erased")
}
