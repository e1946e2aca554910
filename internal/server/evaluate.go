package server

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// evaluateRoutes are the Evaluate section ("Did it work?") inside a
// project: its front page, the readiness check and the outcomes partners
// define. Any member (and an administrator) may read them; what each
// person may change is checked by each handler.
func (s *Server) evaluateRoutes(r chi.Router) {
	r.Get("/evaluate", s.h(s.showEvaluate))
	r.Get("/evaluate/readiness", s.h(s.showReadiness))
	r.Post("/evaluate/readiness", s.h(s.saveReadiness))
	r.Get("/evaluate/outcomes", s.h(s.listOutcomes))
	r.Post("/evaluate/outcomes", s.h(s.proposeOutcome))
	r.Get("/evaluate/outcomes/{outcomeID}", s.h(s.showOutcome))
	r.Post("/evaluate/outcomes/{outcomeID}/view", s.h(s.setOutcomeView))
	r.Post("/evaluate/outcomes/{outcomeID}/decision", s.h(s.decideOutcome))
	r.Post("/evaluate/outcomes/{outcomeID}/measure", s.h(s.setOutcomeMeasure))
	r.Post("/evaluate/outcomes/{outcomeID}/readings", s.h(s.addReading))
	r.Post("/evaluate/outcomes/{outcomeID}/change", s.h(s.changeOutcome))
	r.Post("/evaluate/outcomes/{outcomeID}/withdraw", s.h(s.withdrawOutcome))
}

// The Evaluate section's confirmations, kept here so that the shared
// table in auth.go need not change for them.
func init() {
	for k, v := range map[string]string{
		"readiness-saved":       "notice.readiness_saved",
		"outcome-proposed":      "notice.outcome_proposed",
		"outcome-view-saved":    "notice.outcome_view_saved",
		"outcome-decided":       "notice.outcome_decided",
		"outcome-answered":      "notice.outcome_already_answered",
		"outcome-measure-saved": "notice.outcome_measure_saved",
		"reading-added":         "notice.reading_added",
		"outcome-changed":       "notice.outcome_changed",
		"outcome-withdrawn":     "notice.outcome_withdrawn",
		"outcome-not-open":      "notice.outcome_not_open",
	} {
		notices[k] = v
	}
}

func evaluatePath(projectID int64, suffix string) string {
	return projectPath(projectID, "/evaluate"+suffix)
}

func (s *Server) showEvaluate(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	sum, err := s.store.EvaluateSummary(r.Context(), p.ID)
	if err != nil {
		return err
	}
	page := s.page(r, "evaluate.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	return s.render(w, r, http.StatusOK, views.EvaluatePage(page, views.EvaluateView{Project: *p, Access: access, EvaluateSummary: sum}))
}

func (s *Server) showReadiness(w http.ResponseWriter, r *http.Request) error {
	return s.renderReadiness(w, r, http.StatusOK, nil)
}

// renderReadiness draws the readiness check: the form filled with the
// newest answers, or as posted with its errors.
func (s *Server) renderReadiness(w http.ResponseWriter, r *http.Request, status int, posted *views.Form) error {
	p, access := projectFrom(r.Context())
	checks, err := s.store.ReadinessChecks(r.Context(), p.ID)
	if err != nil {
		return err
	}
	v := views.ReadinessView{Project: *p, Access: access, Checks: checks}
	if posted != nil {
		v.Form = *posted
	} else {
		v.Form = views.NewForm(readinessValues(v.Latest()), nil)
	}
	page := s.page(r, "readiness.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = v.Form.HasErrors()
	return s.render(w, r, status, views.ReadinessPage(page, v))
}

// readinessValues starts the form from the newest answers, so that
// revisiting the check changes only what changed.
func readinessValues(c *coproduce.ReadinessCheck) url.Values {
	vals := url.Values{}
	if c == nil {
		return vals
	}
	for _, it := range c.Items {
		vals.Set(coproduce.ReadinessAnswerField(it.Key), string(it.Answer))
		vals.Set(coproduce.ReadinessNoteField(it.Key), it.Note)
	}
	return vals
}

func (s *Server) saveReadiness(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if access.Role != coproduce.RoleLead {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.ReadinessInput{Answers: map[string]string{}, Notes: map[string]string{}}
	for _, st := range coproduce.ReadinessStatements {
		in.Answers[st.Key] = r.PostForm.Get(coproduce.ReadinessAnswerField(st.Key))
		in.Notes[st.Key] = r.PostForm.Get(coproduce.ReadinessNoteField(st.Key))
	}
	items, err := in.Validate()
	if verr := asValidation(err); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderReadiness(w, r, http.StatusUnprocessableEntity, &f)
	}
	if _, err := s.store.SaveReadinessCheck(r.Context(), access.User.ID, p.ID, items); err != nil {
		return err
	}
	return redirect(w, r, evaluatePath(p.ID, "/readiness?notice=readiness-saved"))
}
