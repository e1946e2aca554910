package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

func groupInput(r *http.Request) (coproduce.GroupInput, error) {
	if err := parseForm(r); err != nil {
		return coproduce.GroupInput{}, err
	}
	base, err := postedVersion(r)
	if err != nil {
		return coproduce.GroupInput{}, err
	}
	f := r.PostForm
	in := coproduce.GroupInput{
		Name: f.Get("name"), Description: f.Get("description"), Affected: coproduce.Affected(f.Get("affected")),
		Reach: f.Get("reach"), Included: f.Get("included"), ExclusionReason: f.Get("exclusion_reason"),
		BaseVersion: base, FormToken: f.Get("form_token"),
	}
	in.Normalize()
	return in, nil
}

func (s *Server) addGroup(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	in, err := groupInput(r)
	if err != nil {
		return err
	}
	if verr := asValidation(in.Validate()); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderStep(w, r, http.StatusUnprocessableEntity, coproduce.StepIdentify, stepForms{group: &f})
	}
	if _, err := s.store.CreateGroup(r.Context(), access.User.ID, p.ID, in); err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepIdentify, "?notice=group-added"))
}

// groupParam loads the group in the URL, within the current project only.
func (s *Server) groupParam(r *http.Request) (coproduce.StakeholderGroup, error) {
	p, _ := projectFrom(r.Context())
	id, err := strconv.ParseInt(chi.URLParam(r, "groupID"), 10, 64)
	if err != nil {
		return coproduce.StakeholderGroup{}, coproduce.ErrNotFound
	}
	return s.store.Group(r.Context(), p.ID, id)
}

func (s *Server) editGroup(w http.ResponseWriter, r *http.Request) error {
	_, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	g, err := s.groupParam(r)
	if err != nil {
		return err
	}
	included := "yes"
	if !g.Included {
		included = "no"
	}
	values := url.Values{"name": {g.Name}, "description": {g.Description}, "affected": {string(g.Affected)},
		"reach": {g.Reach}, "included": {included}, "exclusion_reason": {g.ExclusionReason},
		"version": {strconv.Itoa(g.Version)}}
	return s.renderGroupEdit(w, r, http.StatusOK, g, views.NewForm(values, nil), false)
}

func (s *Server) renderGroupEdit(w http.ResponseWriter, r *http.Request, status int, g coproduce.StakeholderGroup, f views.Form, stale bool) error {
	p, _ := projectFrom(r.Context())
	st, err := s.store.Stage(r.Context(), p.ID, coproduce.StepIdentify)
	if err != nil {
		return err
	}
	page := s.page(r, "identify.edit_title")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.GroupEditPage(page, *p, st, g, f, stale))
}

func (s *Server) updateGroup(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	g, err := s.groupParam(r)
	if err != nil {
		return err
	}
	in, err := groupInput(r)
	if err != nil {
		return err
	}
	if verr := asValidation(in.Validate()); verr != nil {
		return s.renderGroupEdit(w, r, http.StatusUnprocessableEntity, g, views.NewForm(r.PostForm, verr), false)
	}
	err = s.store.UpdateGroup(r.Context(), access.User.ID, p.ID, g.ID, in)
	if errors.Is(err, coproduce.ErrStale) {
		values := cloneValues(r.PostForm)
		values.Set("version", strconv.Itoa(g.Version))
		return s.renderGroupEdit(w, r, http.StatusConflict, g, views.NewForm(values, staleError("name")), true)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepIdentify, "?notice=group-saved"))
}

func (s *Server) removeGroup(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	g, err := s.groupParam(r)
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
	err = s.store.DeleteGroup(r.Context(), access.User.ID, p.ID, g.ID, base)
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, stepPath(p.ID, coproduce.StepIdentify, "?notice=group-changed"))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepIdentify, "?notice=group-removed"))
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
