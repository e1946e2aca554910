package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/web/views"
)

// memberFourRs loads the 4Rs of the member in the URL, within the current
// project only.
func (s *Server) memberFourRs(r *http.Request) (coproduce.FourRs, error) {
	p, _ := projectFrom(r.Context())
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil {
		return coproduce.FourRs{}, coproduce.ErrNotFound
	}
	return s.store.FourRsFor(r.Context(), p.ID, id)
}

func fourRsValues(f coproduce.FourRs) url.Values {
	return url.Values{"role": {f.Role}, "remit": {f.Remit}, "relationships": {f.Relationships},
		"responsibility": {f.Responsibility}, "version": {strconv.Itoa(f.Version)}}
}

func (s *Server) editFourRs(w http.ResponseWriter, r *http.Request) error {
	_, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	f, err := s.memberFourRs(r)
	if err != nil {
		return err
	}
	return s.renderFourRsEdit(w, r, http.StatusOK, f, views.NewForm(fourRsValues(f), nil), false)
}

func (s *Server) renderFourRsEdit(w http.ResponseWriter, r *http.Request, status int, member coproduce.FourRs, f views.Form, stale bool) error {
	p, _ := projectFrom(r.Context())
	st, err := s.store.Stage(r.Context(), p.ID, coproduce.StepUnderstand)
	if err != nil {
		return err
	}
	page := s.page(r, "four_rs.edit_title")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.FourRsEditPage(page, *p, st, member, f, stale))
}

func (s *Server) saveFourRs(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	member, err := s.memberFourRs(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	base, err := postedVersion(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := coproduce.FourRsInput{Role: f.Get("role"), Remit: f.Get("remit"), Relationships: f.Get("relationships"),
		Responsibility: f.Get("responsibility"), BaseVersion: base}
	in.Normalize()
	if verr := asValidation(in.Validate()); verr != nil {
		return s.renderFourRsEdit(w, r, http.StatusUnprocessableEntity, member, views.NewForm(f, verr), false)
	}
	err = s.store.SaveFourRs(r.Context(), access.User.ID, p.ID, member.UserID, in, mail.FourRsWritten(s.writer(), p, access.User, member.UserID))
	if errors.Is(err, coproduce.ErrStale) {
		values := cloneValues(f)
		values.Set("version", strconv.Itoa(member.Version))
		return s.renderFourRsEdit(w, r, http.StatusConflict, member, views.NewForm(values, staleError("role")), true)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepUnderstand, "?notice=four-rs-saved"))
}

func (s *Server) acknowledgeFourRs(w http.ResponseWriter, r *http.Request) error {
	return s.acknowledge(w, r, coproduce.StepUnderstand, s.store.AcknowledgeFourRs, "four-rs-changed", "four-rs-acknowledged")
}
