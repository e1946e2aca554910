package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/web/views"
)

// showApprovers lets an administrator name the organisation's approvers:
// the staff who approve staff expense claims, leads' included.
func (s *Server) showApprovers(w http.ResponseWriter, r *http.Request) error {
	return s.renderApprovers(w, r, http.StatusOK, views.NewForm(nil, nil))
}

func (s *Server) renderApprovers(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	approvers, err := s.store.Approvers(r.Context())
	if err != nil {
		return err
	}
	p := s.page(r, "approvers.title")
	p.Nav = "admin"
	p.Notice = noticeFrom(r)
	p.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.ApproversPage(p, approvers, f))
}

func (s *Server) addApprover(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	v := &coproduce.ValidationError{}
	if !coproduce.ValidEmail(email) {
		v.Add("email", "error.email.invalid")
		if email == "" {
			v.Fields[0].Message = "error.email.required"
		}
		return s.renderApprovers(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, v))
	}
	_, err := s.store.AddApprover(r.Context(), userFrom(r.Context()).ID, email)
	switch {
	case errors.Is(err, coproduce.ErrNotFound):
		v.Add("email", "approvers.error.no_account")
	case errors.Is(err, postgres.ErrNotStaff):
		v.Add("email", "approvers.error.not_staff")
	case errors.Is(err, coproduce.ErrConflict):
		v.Add("email", "approvers.error.already")
	case err != nil:
		return err
	}
	if v.Err() != nil {
		return s.renderApprovers(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, v))
	}
	return redirect(w, r, "/admin/approvers?notice=approver-added")
}

func (s *Server) removeApprover(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil {
		return coproduce.ErrNotFound
	}
	if err := s.store.RemoveApprover(r.Context(), userFrom(r.Context()).ID, id); err != nil {
		return err
	}
	return redirect(w, r, "/admin/approvers?notice=approver-removed")
}
