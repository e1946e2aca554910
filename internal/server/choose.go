package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// loadApproach fills the "choose" page: the project's choices (and the
// form to change them), each member's level and the spread.
func (s *Server) loadApproach(r *http.Request, v *views.StepView, forms stepForms) error {
	ctx := r.Context()
	a, err := s.store.Approach(ctx, v.Project.ID)
	switch {
	case err == nil:
		v.Approach = &a
	case !errors.Is(err, coproduce.ErrNotFound):
		return err
	}
	v.ApproachForm = formOr(forms.approach, approachValues(v.Approach))
	if v.Involvements, err = s.store.Involvements(ctx, v.Project.ID); err != nil {
		return err
	}
	mine := url.Values{}
	for _, i := range v.Involvements {
		if i.UserID == v.Access.User.ID {
			mine.Set("my_level", string(i.Level))
		}
	}
	v.MyLevel = formOr(forms.myLevel, mine)
	return nil
}

func approachValues(a *coproduce.Approach) url.Values {
	if a == nil {
		return url.Values{"version": {"0"}}
	}
	values := url.Values{"level": {string(a.Level)}, "level_rationale": {a.LevelRationale},
		"stage": {string(a.Stage)}, "stage_rationale": {a.StageRationale},
		"scope": {string(a.Scope)}, "scope_rationale": {a.ScopeRationale}, "version": {strconv.Itoa(a.Version)}}
	for m, why := range a.Methods {
		values.Add("methods", string(m))
		values.Set("rationale_"+string(m), why)
	}
	return values
}

func (s *Server) saveApproach(w http.ResponseWriter, r *http.Request) error {
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
	in := coproduce.ApproachInput{
		Level: coproduce.Level(f.Get("level")), LevelRationale: f.Get("level_rationale"),
		Stage: coproduce.EngagementStage(f.Get("stage")), StageRationale: f.Get("stage_rationale"),
		Scope: coproduce.Scope(f.Get("scope")), ScopeRationale: f.Get("scope_rationale"),
		Methods: map[coproduce.Method]string{}, BaseVersion: base,
	}
	for _, m := range f["methods"] {
		in.Methods[coproduce.Method(m)] = f.Get("rationale_" + m)
	}
	in.Normalize()
	if verr := asValidation(in.Validate()); verr != nil {
		form := views.NewForm(f, verr)
		return s.renderStep(w, r, http.StatusUnprocessableEntity, coproduce.StepChoose, stepForms{approach: &form})
	}
	err = s.store.SaveApproach(r.Context(), access.User.ID, p.ID, in)
	if errors.Is(err, coproduce.ErrStale) {
		// The page shows the newer choices above the form; the person's own
		// are kept in the form, to be saved on top of the newer ones.
		a, err := s.store.Approach(r.Context(), p.ID)
		if err != nil {
			return err
		}
		values := cloneValues(f)
		values.Set("version", strconv.Itoa(a.Version))
		form := views.NewForm(values, staleError("level"))
		return s.renderStep(w, r, http.StatusConflict, coproduce.StepChoose, stepForms{approach: &form})
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepChoose, "?notice=approach-saved"))
}

func (s *Server) setInvolvement(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	level := coproduce.Level(r.PostForm.Get("my_level"))
	if !coproduce.ValidLevel(level) {
		v := &coproduce.ValidationError{}
		v.Add("my_level", "error.involvement.required")
		form := views.NewForm(r.PostForm, v)
		return s.renderStep(w, r, http.StatusUnprocessableEntity, coproduce.StepChoose, stepForms{myLevel: &form})
	}
	if err := s.store.SetInvolvement(r.Context(), p.ID, access.User.ID, level); err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepChoose, "?notice=involvement-saved"))
}
