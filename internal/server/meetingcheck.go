package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// showMeetingChecks shows, over the project's meetings, how lay partners
// and staff said each went: figures only for groups of three or more.
func (s *Server) showMeetingChecks(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	results, err := s.store.MeetingCheckResults(r.Context(), p.ID)
	if err != nil {
		return err
	}
	page := s.page(r, "meeting_checks.title")
	page.Nav = "projects"
	return s.render(w, r, http.StatusOK, views.MeetingChecksPage(page, views.MeetingChecksView{
		Project: *p, Access: access, Results: results}))
}

// checkedMeeting is the route's meeting for a member, and whether they were
// recorded present, with their own answer (nil when none yet).
func (s *Server) checkedMeeting(r *http.Request) (coproduce.Meeting, bool, *coproduce.MeetingCheck, error) {
	_, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.Meeting{}, false, nil, coproduce.ErrForbidden
	}
	m, err := s.meetingParam(r)
	if err != nil {
		return m, false, nil, err
	}
	present, mine, err := s.store.MeetingCheckFor(r.Context(), m.ID, access.User.ID)
	return m, present, mine, err
}

// showMeetingCheck asks someone who came to a meeting the three questions,
// with what they answered before.
func (s *Server) showMeetingCheck(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	m, present, mine, err := s.checkedMeeting(r)
	if err != nil {
		return err
	}
	if !present {
		return coproduce.ErrForbidden
	}
	if m.EndsAt.After(time.Now()) {
		return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=meeting-check-not-yet"))
	}
	vals := url.Values{}
	if mine != nil {
		for i, q := range coproduce.Questions {
			vals.Set(coproduce.QuestionField(q), strconv.Itoa(mine.Scores[i]))
		}
	}
	return s.renderMeetingCheck(w, r, m, http.StatusOK, views.NewForm(vals, nil), mine != nil)
}

func (s *Server) renderMeetingCheck(w http.ResponseWriter, r *http.Request, m coproduce.Meeting, status int, f views.Form, answered bool) error {
	p, access := projectFrom(r.Context())
	page := s.page(r, "")
	page.TitleText = views.MeetingCheckTitle(r.Context(), m)
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.MeetingCheckPage(page, views.MeetingCheckView{
		Project: *p, Access: access, Meeting: m, Form: f, Answered: answered}))
}

func (s *Server) saveMeetingCheck(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	// The form is read first, so that a malformed post is refused as one
	// whoever sends it.
	if err := parseForm(r); err != nil {
		return err
	}
	m, present, mine, err := s.checkedMeeting(r)
	if err != nil {
		return err
	}
	if !present {
		return coproduce.ErrForbidden
	}
	var posted [3]string
	for i, q := range coproduce.Questions {
		posted[i] = r.PostForm.Get(coproduce.QuestionField(q))
	}
	check, err := coproduce.ValidateMeetingCheck(posted)
	if verr := asValidation(err); verr != nil {
		return s.renderMeetingCheck(w, r, m, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr), mine != nil)
	}
	err = s.store.SaveMeetingCheck(r.Context(), p.ID, m.ID, access.User.ID, check)
	switch {
	case errors.Is(err, coproduce.ErrMeetingNotOver):
		return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=meeting-check-not-yet"))
	case errors.Is(err, coproduce.ErrNotPresent):
		return coproduce.ErrForbidden
	case err != nil:
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=meeting-check-saved#check"))
}

// meetingCheckPrompt is what a meeting's page asks the viewer about its
// check: nothing until the meeting has ended and its register is taken,
// and nothing to anyone not recorded present.
func (s *Server) meetingCheckPrompt(r *http.Request, m coproduce.Meeting, access coproduce.Access) (*views.CheckPrompt, error) {
	if !access.IsMember() || m.Cancelled() || !m.AttendanceTaken || m.EndsAt.After(time.Now()) {
		return nil, nil
	}
	present, mine, err := s.store.MeetingCheckFor(r.Context(), m.ID, access.User.ID)
	if err != nil || !present {
		return nil, err
	}
	return &views.CheckPrompt{Answered: mine != nil}, nil
}
