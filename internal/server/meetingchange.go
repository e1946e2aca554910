package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/web/views"
)

// meetingChangeRefused sends an organiser back to a meeting that can no
// longer be changed, saying why; ok is false for any other error.
func meetingChangeRefused(w http.ResponseWriter, r *http.Request, projectID, id int64, err error) (error, bool) {
	switch {
	case errors.Is(err, coproduce.ErrMeetingCancelled):
		return redirect(w, r, meetingPath(projectID, id, "?notice=meeting-cancelled-already")), true
	case errors.Is(err, coproduce.ErrMeetingStarted):
		return redirect(w, r, meetingPath(projectID, id, "?notice=meeting-started")), true
	case errors.Is(err, coproduce.ErrStale):
		return redirect(w, r, meetingPath(projectID, id, "/edit?notice=meeting-changed-meanwhile")), true
	}
	return err, false
}

// editMeeting shows the form that changes a meeting, or cancels it, to
// its project's leads and facilitators, until it starts.
func (s *Server) editMeeting(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	m, err := s.meetingParam(r)
	if err != nil {
		return err
	}
	if err, done := s.refuseChange(w, r, p.ID, m); done {
		return err
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return ""
	}
	start, end := m.StartsAt.In(coproduce.UK), m.EndsAt.In(coproduce.UK)
	f := views.NewForm(url.Values{"title": {m.Title}, "date": {start.Format("2006-01-02")}, "start": {start.Format("15:04")},
		"end": {end.Format("15:04")}, "venue": {m.Venue}, "online_link": {m.OnlineLink}, "step_free": {yes(m.StepFree)},
		"hearing_loop": {yes(m.HearingLoop)}, "accessible_toilet": {yes(m.AccessibleToilet)}, "parking": {yes(m.Parking)},
		"sequence": {strconv.Itoa(m.Sequence)}}, nil)
	return s.renderMeetingEdit(w, r, http.StatusOK, m, f, views.NewForm(url.Values{"sequence": {strconv.Itoa(m.Sequence)}}, nil))
}

// refuseChange sends the organiser back to a meeting that has started or
// been cancelled: it can no longer be changed.
func (s *Server) refuseChange(w http.ResponseWriter, r *http.Request, projectID int64, m coproduce.Meeting) (error, bool) {
	switch {
	case m.Cancelled():
		return meetingChangeRefused(w, r, projectID, m.ID, coproduce.ErrMeetingCancelled)
	case m.Started(time.Now()):
		return meetingChangeRefused(w, r, projectID, m.ID, coproduce.ErrMeetingStarted)
	}
	return nil, false
}

func (s *Server) renderMeetingEdit(w http.ResponseWriter, r *http.Request, status int, m coproduce.Meeting, edit, cancel views.Form) error {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "")
	page.TitleText = views.T(r.Context(), "meeting_edit.title") + " – " + m.Title
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = edit.HasErrors() || cancel.HasErrors()
	return s.render(w, r, status, views.MeetingEditPage(page, views.MeetingEditView{Project: *p, Meeting: m, Form: edit, Cancel: cancel}))
}

// updateMeeting saves the changes to a meeting and tells its members, with
// a link to the calendar file that replaces the one they saved.
func (s *Server) updateMeeting(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	m, err := s.meetingParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	seq, err := strconv.Atoi(f.Get("sequence"))
	if err != nil {
		return errBadRequest
	}
	on := func(k string) bool { return f.Get(k) == "yes" }
	in := coproduce.MeetingInput{Title: f.Get("title"), Date: f.Get("date"), Start: f.Get("start"), End: f.Get("end"),
		Venue: f.Get("venue"), OnlineLink: f.Get("online_link"),
		StepFree: on("step_free"), HearingLoop: on("hearing_loop"), AccessibleToilet: on("accessible_toilet"), Parking: on("parking")}
	in.Normalize()
	start, end, err := in.Validate(london)
	if verr := asValidation(err); verr != nil {
		if err, done := s.refuseChange(w, r, p.ID, m); done {
			return err
		}
		return s.renderMeetingEdit(w, r, http.StatusUnprocessableEntity, m, views.NewForm(f, verr),
			views.NewForm(url.Values{"sequence": {f.Get("sequence")}}, nil))
	}
	changed := coproduce.Meeting{ID: m.ID, ProjectID: p.ID, Sequence: seq,
		Title: in.Title, StartsAt: start, EndsAt: end, Venue: in.Venue, OnlineLink: in.OnlineLink,
		StepFree: in.StepFree, HearingLoop: in.HearingLoop, AccessibleToilet: in.AccessibleToilet, Parking: in.Parking}
	_, err = s.store.UpdateMeeting(r.Context(), access.User.ID, changed,
		mail.MeetingChanged(s.writer(), p, access.User.ID, changed, "meeting_changed"))
	if err, done := meetingChangeRefused(w, r, p.ID, m.ID, err); done || err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=meeting-updated"))
}

// cancelMeeting cancels a meeting, with an optional reason, and tells its
// members, with a link to the calendar file that removes it from theirs.
func (s *Server) cancelMeeting(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	m, err := s.meetingParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	seq, err := strconv.Atoi(r.PostForm.Get("sequence"))
	if err != nil {
		return errBadRequest
	}
	reason := coproduce.CleanText(r.PostForm.Get("reason"))
	if verr := asValidation(coproduce.CheckCancelReason(reason)); verr != nil {
		if err, done := s.refuseChange(w, r, p.ID, m); done {
			return err
		}
		return s.renderMeetingEdit(w, r, http.StatusUnprocessableEntity, m,
			views.NewForm(url.Values{"sequence": {strconv.Itoa(m.Sequence)}}, nil), views.NewForm(r.PostForm, verr))
	}
	m.CancelReason = reason
	err = s.store.CancelMeeting(r.Context(), access.User.ID, p.ID, m.ID, seq, reason,
		mail.MeetingChanged(s.writer(), p, access.User.ID, m, "meeting_cancelled"))
	if err, done := meetingChangeRefused(w, r, p.ID, m.ID, err); done || err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=meeting-cancelled"))
}
