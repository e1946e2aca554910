package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/web/views"
)

// stepParam reads the step from the URL; an unknown step is 404.
func stepParam(r *http.Request) (coproduce.Step, error) {
	step, ok := coproduce.StepBySlug(chi.URLParam(r, "step"))
	if !ok {
		return 0, coproduce.ErrNotFound
	}
	return step, nil
}

func stepPath(projectID int64, step coproduce.Step, suffix string) string {
	return projectPath(projectID, "/steps/"+step.Slug()+suffix)
}

// postedVersion reads the version a form was based on.
func postedVersion(r *http.Request) (int, error) {
	v, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || v < 0 {
		return 0, errBadRequest
	}
	return v, nil
}

// stepForms carries forms that failed, to show again with their errors;
// nil ones are filled from the stored data.
type stepForms struct {
	notes, group, approach, myLevel, invite, proposal, meeting, buddy, signOff *views.Form
}

func (s *Server) showStep(w http.ResponseWriter, r *http.Request) error {
	step, err := stepParam(r)
	if err != nil {
		return err
	}
	return s.renderStep(w, r, http.StatusOK, step, stepForms{})
}

// renderStep draws a step page with its stored data and any failed form.
func (s *Server) renderStep(w http.ResponseWriter, r *http.Request, status int, step coproduce.Step, forms stepForms) error {
	ctx := r.Context()
	p, access := projectFrom(ctx)
	st, err := s.store.Stage(ctx, p.ID, step)
	if err != nil {
		return err
	}
	v := views.StepView{Project: *p, Access: access, Stage: st}
	v.SignOffForm = formOr(forms.signOff, nil)
	v.Notes = formOr(forms.notes, url.Values{"notes": {st.Notes}, "version": {strconv.Itoa(st.Version)}})
	v.SignOffForm = formOr(forms.signOff, nil)
	if err := s.loadStepData(r, &v, forms); err != nil {
		return err
	}
	page := s.page(r, "")
	page.TitleText = i18n.FromContext(ctx).T("step.page_title", map[string]any{
		"N": int(step), "Step": i18n.FromContext(ctx).T("step." + step.Slug()), "Title": titleFor(ctx, p)})
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = status == http.StatusUnprocessableEntity || status == http.StatusConflict
	return s.render(w, r, status, views.StepPage(page, v))
}

func formOr(f *views.Form, stored url.Values) views.Form {
	if f != nil {
		return *f
	}
	return views.NewForm(stored, nil)
}

// setFormToken gives a create form a new token, so that the same form
// sent twice makes one record (postgres.onceForToken). A form shown again
// with its errors gets a new one too: nothing was made from the old.
func setFormToken(f *views.Form) error {
	token, err := newToken()
	if err != nil {
		return err
	}
	if f.Values == nil {
		f.Values = url.Values{}
	}
	f.Values.Set("form_token", token)
	return nil
}

// loadStepData fills the parts of the page that belong to its step.
func (s *Server) loadStepData(r *http.Request, v *views.StepView, forms stepForms) error {
	ctx := r.Context()
	id := v.Project.ID
	var err error
	switch v.Stage.Step {
	case coproduce.StepIdentify:
		v.Groups, err = s.store.Groups(ctx, id)
		v.GroupForm = formOr(forms.group, url.Values{"version": {"0"}})
		if err == nil {
			err = setFormToken(&v.GroupForm)
		}
	case coproduce.StepSelect:
		err = s.loadSelect(r, v, forms)
	case coproduce.StepBeClear:
		err = s.loadPurpose(r, v)
	case coproduce.StepChoose:
		err = s.loadApproach(r, v, forms)
	case coproduce.StepSupport:
		err = s.loadSupport(r, v, forms)
	case coproduce.StepBuild:
		err = s.loadBuild(r, v, forms)
	case coproduce.StepUnderstand:
		v.FourRs, err = s.store.FourRsList(ctx, id)
	}
	return err
}

func (s *Server) setStageStatus(w http.ResponseWriter, r *http.Request) error {
	step, err := stepParam(r)
	if err != nil {
		return err
	}
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	to := coproduce.StageStatus(r.PostForm.Get("status"))
	if to != coproduce.StageNotStarted && to != coproduce.StageInProgress {
		return errBadRequest
	}
	base, err := postedVersion(r)
	if err != nil {
		return err
	}
	err = s.store.SetStageStatus(r.Context(), access.User.ID, p.ID, step, to, base)
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, stepPath(p.ID, step, "?notice=stage-changed"))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, step, "?notice=status-changed"))
}

func (s *Server) signOffStage(w http.ResponseWriter, r *http.Request) error {
	step, err := stepParam(r)
	if err != nil {
		return err
	}
	p, access := projectFrom(r.Context())
	if step == coproduce.StepBuild && access.Role == coproduce.RoleLead {
		if err := parseForm(r); err != nil {
			return err
		}
		if r.PostForm.Get("confirm_waiting") != "yes" {
			waiting, err := s.buildWaiting(r)
			if err != nil {
				return err
			}
			if waiting {
				var v coproduce.ValidationError
				v.Add("confirm_waiting", "error.sign_off.confirm_waiting")
				f := views.NewForm(r.PostForm, &v)
				return s.renderStep(w, r, http.StatusUnprocessableEntity, step, stepForms{signOff: &f})
			}
		}
	}
	err = s.store.SignOffStage(r.Context(), access, p.ID, step, mail.SignOffWaiting(s.writer(), p, access, step))
	if errors.Is(err, coproduce.ErrPurposeNotRead) {
		v := &coproduce.ValidationError{}
		v.Add("confirm-purpose", "error.sign_off.purpose_not_read")
		f := views.NewForm(nil, v)
		return s.renderStep(w, r, http.StatusConflict, step, stepForms{signOff: &f})
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, step, "?notice=signed-off"))
}

func (s *Server) saveStageNotes(w http.ResponseWriter, r *http.Request) error {
	step, err := stepParam(r)
	if err != nil {
		return err
	}
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
	in := coproduce.NotesInput{Notes: coproduce.CleanText(r.PostForm.Get("notes")), BaseVersion: base}
	if verr := asValidation(in.Validate()); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderStep(w, r, http.StatusUnprocessableEntity, step, stepForms{notes: &f})
	}
	err = s.store.UpdateStageNotes(r.Context(), access.User.ID, p.ID, step, in)
	if errors.Is(err, coproduce.ErrStale) {
		return s.staleNotes(w, r, step)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, step, "?notice=notes-saved"))
}

// staleNotes shows the notes form again after someone else saved first:
// the person's text is kept, the newer notes are shown, and the next save
// is based on them.
func (s *Server) staleNotes(w http.ResponseWriter, r *http.Request, step coproduce.Step) error {
	p, _ := projectFrom(r.Context())
	st, err := s.store.Stage(r.Context(), p.ID, step)
	if err != nil {
		return err
	}
	values := url.Values{"notes": {r.PostForm.Get("notes")}, "version": {strconv.Itoa(st.Version)}}
	v := &coproduce.ValidationError{}
	v.Add("notes", "error.stale.notes")
	f := views.NewForm(values, v)
	return s.renderStep(w, r, http.StatusConflict, step, stepForms{notes: &f})
}

// staleError is the validation error shown when a save was refused because
// someone else saved first.
func staleError(field string) *coproduce.ValidationError {
	v := &coproduce.ValidationError{}
	v.Add(field, "error.stale")
	return v
}

// buildWaiting reports whether the build step still has ideas waiting more
// than 28 days for an answer or actions past their due date.
func (s *Server) buildWaiting(r *http.Request) (bool, error) {
	p, _ := projectFrom(r.Context())
	proposals, err := s.store.Proposals(r.Context(), p.ID)
	if err != nil {
		return false, err
	}
	actions, err := s.store.Actions(r.Context(), p.ID)
	if err != nil {
		return false, err
	}
	ideas, late := views.BuildWaiting(proposals, actions, time.Now())
	return len(ideas) > 0 || len(late) > 0, nil
}
