package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

func outcomePath(projectID, id int64, suffix string) string {
	return evaluatePath(projectID, "/outcomes/"+strconv.FormatInt(id, 10)+suffix)
}

func (s *Server) listOutcomes(w http.ResponseWriter, r *http.Request) error {
	return s.renderOutcomes(w, r, http.StatusOK, nil)
}

// renderOutcomes draws the outcomes page, with the suggestion form as
// posted when it had errors. The form gets a new token each time.
func (s *Server) renderOutcomes(w http.ResponseWriter, r *http.Request, status int, posted *views.Form) error {
	p, access := projectFrom(r.Context())
	list, err := s.store.Outcomes(r.Context(), p.ID)
	if err != nil {
		return err
	}
	f := formOr(posted, nil)
	if err := setFormToken(&f); err != nil {
		return err
	}
	page := s.page(r, "outcomes.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.OutcomesPage(page, views.OutcomesView{Project: *p, Access: access, Outcomes: list, Form: f}))
}

func (s *Server) proposeOutcome(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.OutcomeInput{Title: r.PostForm.Get("title"), Why: r.PostForm.Get("why"), FormToken: r.PostForm.Get("form_token")}
	in.Normalize()
	if verr := asValidation(in.Validate()); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderOutcomes(w, r, http.StatusUnprocessableEntity, &f)
	}
	id, err := s.store.ProposeOutcome(r.Context(), access.User.ID, p.ID, in)
	if err != nil {
		return err
	}
	return redirect(w, r, outcomePath(p.ID, id, "?notice=outcome-proposed"))
}

// outcomeIDParam is the outcome's id from the address; the storage call
// checks that it is the project's.
func outcomeIDParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "outcomeID"), 10, 64)
	if err != nil || id <= 0 {
		return 0, coproduce.ErrNotFound
	}
	return id, nil
}

// outcomeForms carries a form that failed on an outcome's page.
type outcomeForms struct {
	view, answer, measure, reading, change, withdraw *views.Form
	status                                           int
}

func (s *Server) showOutcome(w http.ResponseWriter, r *http.Request) error {
	return s.renderOutcome(w, r, outcomeForms{status: http.StatusOK})
}

func (s *Server) renderOutcome(w http.ResponseWriter, r *http.Request, forms outcomeForms) error {
	ctx := r.Context()
	p, access := projectFrom(ctx)
	id, err := outcomeIDParam(r)
	if err != nil {
		return err
	}
	o, mine, err := s.store.OutcomePage(ctx, p.ID, id, access.User.ID)
	if err != nil {
		return err
	}
	v := views.OutcomeView{Project: *p, Access: access, Outcome: o,
		View:     formOr(forms.view, url.Values{"choice": {string(mine)}}),
		Answer:   formOr(forms.answer, nil),
		Measure:  formOr(forms.measure, nil),
		Reading:  formOr(forms.reading, url.Values{"taken_on": {time.Now().In(coproduce.UK).Format(time.DateOnly)}}),
		Change:   formOr(forms.change, url.Values{"title": {o.Title}, "why": {o.Why}}),
		Withdraw: formOr(forms.withdraw, nil),
	}
	if forms.measure == nil && o.Measure != "" { // start from the measure as it is
		v.Measure.Values = url.Values{"measure": {string(o.Measure)}, "unit": {o.Unit}}
		if o.Measure.Figures() {
			v.Measure.Values.Set("baseline", views.FigureInput(ctx, o.Measure, o.Baseline))
			v.Measure.Values.Set("target", views.FigureInput(ctx, o.Measure, o.Target))
		}
	}
	page := s.page(r, "")
	page.TitleText = o.Title + " – " + p.Title
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = forms.status == http.StatusUnprocessableEntity
	return s.render(w, r, forms.status, views.OutcomePage(page, v))
}

// failedOutcomeForm shows the outcome's page again with one form's errors.
func (s *Server) failedOutcomeForm(w http.ResponseWriter, r *http.Request, verr *coproduce.ValidationError, put func(*outcomeForms, *views.Form)) error {
	f := views.NewForm(r.PostForm, verr)
	forms := outcomeForms{status: http.StatusUnprocessableEntity}
	put(&forms, &f)
	return s.renderOutcome(w, r, forms)
}

func (s *Server) setOutcomeView(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	id, err := outcomeIDParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	choice := coproduce.Choice(r.PostForm.Get("choice"))
	if !coproduce.ValidChoice(choice) {
		v := &coproduce.ValidationError{}
		v.Add("choice", "error.outcome.view_required")
		return s.failedOutcomeForm(w, r, v, func(f *outcomeForms, form *views.Form) { f.view = form })
	}
	err = s.store.SetOutcomeView(r.Context(), p.ID, id, access.User.ID, choice)
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, outcomePath(p.ID, id, "?notice=outcome-answered#answer"))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, outcomePath(p.ID, id, "?notice=outcome-view-saved#views"))
}

func (s *Server) decideOutcome(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if access.Role != coproduce.RoleLead {
		return coproduce.ErrForbidden
	}
	id, err := outcomeIDParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeDecision(r.PostForm.Get("decision")),
		Reason: coproduce.CleanText(r.PostForm.Get("reason"))}
	if verr := asValidation(in.Validate()); verr != nil {
		return s.failedOutcomeForm(w, r, verr, func(f *outcomeForms, form *views.Form) { f.answer = form })
	}
	err = s.store.DecideOutcome(r.Context(), access.User.ID, p.ID, id, in)
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, outcomePath(p.ID, id, "?notice=outcome-answered#answer"))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, outcomePath(p.ID, id, "?notice=outcome-decided#answer"))
}

func (s *Server) setOutcomeMeasure(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	id, err := outcomeIDParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.MeasureInput{Measure: r.PostForm.Get("measure"), Unit: r.PostForm.Get("unit"),
		Baseline: r.PostForm.Get("baseline"), Target: r.PostForm.Get("target")}
	in.Normalize()
	vals, err := in.Validate()
	if verr := asValidation(err); verr != nil {
		return s.failedOutcomeForm(w, r, verr, func(f *outcomeForms, form *views.Form) { f.measure = form })
	}
	err = s.store.SetOutcomeMeasure(r.Context(), access.User.ID, p.ID, id, vals)
	if errors.Is(err, coproduce.ErrMeasureInUse) {
		v := &coproduce.ValidationError{}
		v.Add("measure", "error.outcome.measure_in_use")
		return s.failedOutcomeForm(w, r, v, func(f *outcomeForms, form *views.Form) { f.measure = form })
	}
	if err != nil {
		return err
	}
	return redirect(w, r, outcomePath(p.ID, id, "?notice=outcome-measure-saved#how-measured"))
}

func (s *Server) addReading(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	id, err := outcomeIDParam(r)
	if err != nil {
		return err
	}
	o, _, err := s.store.OutcomePage(r.Context(), p.ID, id, access.User.ID)
	if err != nil {
		return err
	}
	if !o.Agreed() || o.Measure == "" {
		return coproduce.ErrStale
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.ReadingInput{TakenOn: r.PostForm.Get("taken_on"), Value: r.PostForm.Get("value"),
		Story: r.PostForm.Get("story"), Source: r.PostForm.Get("source")}
	in.Normalize()
	vals, err := in.Validate(o.Measure, time.Now())
	if verr := asValidation(err); verr != nil {
		return s.failedOutcomeForm(w, r, verr, func(f *outcomeForms, form *views.Form) { f.reading = form })
	}
	if _, err := s.store.AddReading(r.Context(), access.User.ID, p.ID, id, o.Measure, vals); err != nil {
		return err
	}
	return redirect(w, r, outcomePath(p.ID, id, "?notice=reading-added#readings"))
}
