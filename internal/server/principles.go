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

// principlesRoutes are the principles check and the checks after meetings
// (part of a project's Evaluate section), inside a project.
func (s *Server) principlesRoutes(r chi.Router) {
	r.Get("/evaluate/principles", s.h(s.showPrinciples))
	r.Post("/evaluate/principles/rounds", s.h(s.openPrinciplesRound))
	r.Get("/evaluate/principles/rounds/{roundID}", s.h(s.showPrinciplesAnswer))
	r.Post("/evaluate/principles/rounds/{roundID}", s.h(s.savePrinciplesAnswer))
	r.Post("/evaluate/principles/rounds/{roundID}/close", s.h(s.closePrinciplesRound))
	r.Get("/evaluate/meetings", s.h(s.showMeetingChecks))
	r.Get("/meetings/{meetingID}/check", s.h(s.showMeetingCheck))
	r.Post("/meetings/{meetingID}/check", s.h(s.saveMeetingCheck))
}

func init() {
	for k, v := range map[string]string{
		"principles-round-opened": "notice.principles_round_opened",
		"principles-round-closed": "notice.principles_round_closed",
		"principles-answer-saved": "notice.principles_answer_saved",
		"principles-too-late":     "notice.principles_too_late",
		"meeting-check-saved":     "notice.meeting_check_saved",
		"meeting-check-not-yet":   "notice.meeting_check_not_yet",
	} {
		notices[k] = v
	}
}

// principlesPath is the principles check's page, with suffix.
func principlesPath(projectID int64, suffix string) string {
	return projectPath(projectID, "/evaluate/principles"+suffix)
}

// roundParam is the route's round, which must be the project's.
func (s *Server) roundParam(r *http.Request) (coproduce.PrinciplesRound, error) {
	p, _ := projectFrom(r.Context())
	id, err := strconv.ParseInt(chi.URLParam(r, "roundID"), 10, 64)
	if err != nil {
		return coproduce.PrinciplesRound{}, coproduce.ErrNotFound
	}
	return s.store.PrinciplesRound(r.Context(), p.ID, id)
}

// showPrinciples shows every round's figures, lay partners and staff side
// by side; to members, the open round to answer; to leads, the forms that
// open and close rounds. Nobody's own answer is on it.
func (s *Server) showPrinciples(w http.ResponseWriter, r *http.Request) error {
	return s.renderPrinciples(w, r, http.StatusOK, views.NewForm(nil, nil))
}

func (s *Server) renderPrinciples(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	p, access := projectFrom(r.Context())
	o, err := s.store.PrinciplesOverview(r.Context(), p.ID, access.User.ID)
	if err != nil {
		return err
	}
	v := views.PrinciplesView{Project: *p, Access: access, Results: o.Results, Declared: o.Declared,
		Answered: o.Answered, Form: f}
	page := s.page(r, "principles.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.PrinciplesPage(page, v))
}

// openPrinciplesRound opens a round, for the project's leads only.
func (s *Server) openPrinciplesRound(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if access.Role != coproduce.RoleLead {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	title := coproduce.OneLine(r.PostForm.Get("title"))
	if verr := asValidation(coproduce.ValidateRoundTitle(title)); verr != nil {
		return s.renderPrinciples(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr))
	}
	_, err := s.store.OpenPrinciplesRound(r.Context(), access.User.ID, p.ID, title)
	if errors.Is(err, coproduce.ErrConflict) {
		// From a page drawn before another lead opened one.
		verr := &coproduce.ValidationError{}
		verr.Add("title", "error.principles.already_open")
		return s.renderPrinciples(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, principlesPath(p.ID, "?notice=principles-round-opened"))
}

// closePrinciplesRound closes a round, for the project's leads only.
func (s *Server) closePrinciplesRound(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if access.Role != coproduce.RoleLead {
		return coproduce.ErrForbidden
	}
	round, err := s.roundParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.store.ClosePrinciplesRound(r.Context(), access.User.ID, p.ID, round.ID); err != nil {
		return err
	}
	return redirect(w, r, principlesPath(p.ID, "?notice=principles-round-closed"))
}

// showPrinciplesAnswer is a member's own answer to a round: the form, filled
// with what they said before, while the round is open.
func (s *Server) showPrinciplesAnswer(w http.ResponseWriter, r *http.Request) error {
	_, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	round, err := s.roundParam(r)
	if err != nil {
		return err
	}
	mine, err := s.store.MyPrinciplesAnswer(r.Context(), round.ID, access.User.ID)
	if err != nil {
		return err
	}
	return s.renderPrinciplesAnswer(w, r, round, http.StatusOK, views.NewForm(answerValues(mine), nil), mine != nil)
}

// answerValues are a saved answer as the form's values.
func answerValues(a *coproduce.PrinciplesAnswer) url.Values {
	vals := url.Values{}
	if a == nil {
		return vals
	}
	for i, p := range coproduce.Principles {
		vals.Set(coproduce.ScoreField(p), strconv.Itoa(a.Scores[i]))
		vals.Set(coproduce.CommentField(p), a.Comments[i])
	}
	vals.Set(coproduce.LevelField, strconv.Itoa(int(a.Level)))
	return vals
}

func (s *Server) renderPrinciplesAnswer(w http.ResponseWriter, r *http.Request, round coproduce.PrinciplesRound, status int, f views.Form, answered bool) error {
	p, access := projectFrom(r.Context())
	v := views.PrinciplesAnswerView{Project: *p, Access: access, Round: round, Form: f, Answered: answered}
	page := s.page(r, "")
	page.TitleText = views.PrinciplesAnswerTitle(r.Context(), round)
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.PrinciplesAnswerPage(page, v))
}

// principlesInput reads an answer from the form.
func principlesInput(f url.Values) coproduce.PrinciplesInput {
	var in coproduce.PrinciplesInput
	for i, p := range coproduce.Principles {
		in.Scores[i] = f.Get(coproduce.ScoreField(p))
		in.Comments[i] = f.Get(coproduce.CommentField(p))
	}
	in.Level = f.Get(coproduce.LevelField)
	in.Normalize()
	return in
}

func (s *Server) savePrinciplesAnswer(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	round, err := s.roundParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	answer, err := principlesInput(r.PostForm).Validate()
	if verr := asValidation(err); verr != nil {
		return s.renderPrinciplesAnswer(w, r, round, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr), false)
	}
	err = s.store.SavePrinciplesAnswer(r.Context(), p.ID, round.ID, access.User.ID, answer)
	if errors.Is(err, coproduce.ErrRoundClosed) {
		return redirect(w, r, principlesPath(p.ID, "?notice=principles-too-late"))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, principlesPath(p.ID, "?notice=principles-answer-saved"))
}
