package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/web/views"
)

// loadPurpose fills the "be clear" page: the current statement, who has
// acknowledged it, and earlier versions.
func (s *Server) loadPurpose(r *http.Request, v *views.StepView) error {
	ctx := r.Context()
	cur, err := s.store.CurrentPurpose(ctx, v.Project.ID)
	switch {
	case errors.Is(err, coproduce.ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	v.Purpose = &cur
	if v.Acks, err = s.store.PurposeAcknowledgements(ctx, v.Project.ID); err != nil {
		return err
	}
	v.Versions, err = s.store.PurposeVersions(ctx, v.Project.ID)
	return err
}

func purposeValues(p *coproduce.Purpose) url.Values {
	if p == nil {
		return url.Values{"version": {"0"}}
	}
	values := url.Values{"version": {strconv.Itoa(p.Version)}}
	for _, f := range coproduce.PurposeFields {
		en, cy := p.Part(f)
		values.Set(f, en)
		values.Set(f+"_cy", cy)
	}
	return values
}

// currentPurpose returns the current statement, or nil when none exists.
func (s *Server) currentPurpose(r *http.Request, projectID int64) (*coproduce.Purpose, error) {
	cur, err := s.store.CurrentPurpose(r.Context(), projectID)
	if errors.Is(err, coproduce.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &cur, nil
}

func (s *Server) editPurpose(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	cur, err := s.currentPurpose(r, p.ID)
	if err != nil {
		return err
	}
	return s.renderPurposeEdit(w, r, http.StatusOK, cur, views.NewForm(purposeValues(cur), nil), false)
}

func (s *Server) renderPurposeEdit(w http.ResponseWriter, r *http.Request, status int, latest *coproduce.Purpose, f views.Form, stale bool) error {
	p, _ := projectFrom(r.Context())
	st, err := s.store.Stage(r.Context(), p.ID, coproduce.StepBeClear)
	if err != nil {
		return err
	}
	if err := setFormToken(&f); err != nil {
		return err
	}
	page := s.page(r, "purpose.edit_title")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.PurposeEditPage(page, *p, st, latest, f, stale))
}

func (s *Server) savePurpose(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	base, err := postedVersion(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := coproduce.PurposeInput{Purpose: f.Get("purpose"), Expectations: f.Get("expectations"), Fixed: f.Get("fixed"),
		OpenToChange: f.Get("open_to_change"), ContributionsUse: f.Get("contributions_use"),
		ExpensesPolicy: f.Get("expenses_policy"), PurposeCy: f.Get("purpose_cy"),
		ExpectationsCy: f.Get("expectations_cy"), FixedCy: f.Get("fixed_cy"), OpenToChangeCy: f.Get("open_to_change_cy"),
		ContributionsUseCy: f.Get("contributions_use_cy"), ExpensesPolicyCy: f.Get("expenses_policy_cy"),
		Bilingual: p.Bilingual, BaseVersion: base, FormToken: f.Get("form_token")}
	in.Normalize()
	if verr := asValidation(in.Validate()); verr != nil {
		return s.renderPurposeEdit(w, r, http.StatusUnprocessableEntity, nil, views.NewForm(f, verr), false)
	}
	_, err = s.store.CreatePurposeVersion(r.Context(), access.User.ID, p.ID, in, mail.PurposeChanged(s.writer(), p, access.User))
	if errors.Is(err, coproduce.ErrStale) {
		latest, err := s.currentPurpose(r, p.ID)
		if err != nil {
			return err
		}
		values := cloneValues(f)
		values.Set("version", strconv.Itoa(latest.Version))
		return s.renderPurposeEdit(w, r, http.StatusConflict, latest, views.NewForm(values, staleError("purpose")), true)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepBeClear, "?notice=purpose-saved"))
}

func (s *Server) showPurposeVersion(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	n, err := strconv.Atoi(chi.URLParam(r, "version"))
	if err != nil {
		return coproduce.ErrNotFound
	}
	pv, err := s.store.PurposeVersion(r.Context(), p.ID, n)
	if err != nil {
		return err
	}
	page := s.page(r, "purpose.version_title")
	page.Nav = "projects"
	return s.render(w, r, http.StatusOK, views.PurposeVersionPage(page, *p, pv))
}

func (s *Server) acknowledgePurpose(w http.ResponseWriter, r *http.Request) error {
	return s.acknowledge(w, r, coproduce.StepBeClear, s.store.AcknowledgePurpose, "purpose-changed", "purpose-acknowledged")
}

// acknowledge records that a member has read the version of something they
// were shown (the purpose statement, their 4Rs). If it changed meanwhile,
// they are sent back to read the new version.
func (s *Server) acknowledge(w http.ResponseWriter, r *http.Request, step coproduce.Step,
	record func(ctx context.Context, projectID, userID int64, version int) error, changed, done string) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	n, err := postedVersion(r)
	if err != nil {
		return err
	}
	err = record(r.Context(), p.ID, access.User.ID, n)
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, stepPath(p.ID, step, "?notice="+changed))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, step, "?notice="+done))
}
