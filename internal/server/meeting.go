package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/web/views"
)

func meetingPath(projectID, id int64, suffix string) string {
	return projectPath(projectID, "/meetings/"+strconv.FormatInt(id, 10)+suffix)
}

func (s *Server) createMeeting(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	on := func(k string) bool { return f.Get(k) == "yes" }
	in := coproduce.MeetingInput{Title: f.Get("title"), Date: f.Get("date"), Start: f.Get("start"), End: f.Get("end"),
		Venue: f.Get("venue"), OnlineLink: f.Get("online_link"),
		StepFree: on("step_free"), HearingLoop: on("hearing_loop"), AccessibleToilet: on("accessible_toilet"), Parking: on("parking")}
	in.Normalize()
	start, end, err := in.Validate(london)
	if verr := asValidation(err); verr != nil {
		form := views.NewForm(f, verr)
		return s.renderStep(w, r, http.StatusUnprocessableEntity, coproduce.StepSupport, stepForms{meeting: &form})
	}
	m := coproduce.Meeting{ProjectID: p.ID,
		Title: in.Title, StartsAt: start, EndsAt: end, Venue: in.Venue, OnlineLink: in.OnlineLink,
		StepFree: in.StepFree, HearingLoop: in.HearingLoop, AccessibleToilet: in.AccessibleToilet, Parking: in.Parking,
		FormToken: f.Get("form_token")}
	id, err := s.store.CreateMeeting(r.Context(), access.User.ID, m, mail.MeetingChanged(s.writer(), p, access.User.ID, m, "meeting_arranged"))
	if err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, id, "?notice=meeting-created"))
}

func (s *Server) meetingParam(r *http.Request) (coproduce.Meeting, error) {
	p, _ := projectFrom(r.Context())
	id, err := strconv.ParseInt(chi.URLParam(r, "meetingID"), 10, 64)
	if err != nil {
		return coproduce.Meeting{}, coproduce.ErrNotFound
	}
	return s.store.Meeting(r.Context(), p.ID, id)
}

// showMeeting shows a meeting, the viewer's reply, and to leads and
// facilitators its access plan built from attendees' needs (an audited
// read of their profiles).
func (s *Server) showMeeting(w http.ResponseWriter, r *http.Request) error {
	m, err := s.meetingParam(r)
	if err != nil {
		return err
	}
	return s.renderMeeting(w, r, m, false)
}

// renderMeeting draws a meeting's page; refused says a register was sent
// before the meeting started.
func (s *Server) renderMeeting(w http.ResponseWriter, r *http.Request, m coproduce.Meeting, refused bool) error {
	return s.renderMeetingWith(w, r, m, refused, nil)
}

// renderMeetingWith draws a meeting's page with its paper forms as sent
// (nil: empty), shown with their errors.
func (s *Server) renderMeetingWith(w http.ResponseWriter, r *http.Request, m coproduce.Meeting, refused bool, papers *views.Form) error {
	p, access := projectFrom(r.Context())
	// A refused register is shown again without the access plan, so that
	// the refusal reads (and audits reading) nobody's needs.
	organiser := access.CanFacilitate() && !refused
	attendees, err := s.store.Attendees(r.Context(), access.User.ID, m, organiser)
	if err != nil {
		return err
	}
	v := views.MeetingView{Project: *p, Access: access, Meeting: m, Attendees: attendees, Started: m.Started(time.Now())}
	minutes, err := s.store.Minutes(r.Context(), m.ID)
	if err != nil {
		return err
	}
	v.Agenda, v.MinutesPublished = minutes.Items, minutes.Published()
	if v.Arranged, err = s.store.MyArrangement(r.Context(), m.ID, access.User.ID); err != nil {
		return err
	}
	if organiser {
		v.Plan = coproduce.AccessPlan(m, attendees)
		v.Communication = coproduce.CommunicationPlan(attendees)
		if v.Flags, err = s.flagsFor(r); err != nil {
			return err
		}
	}
	if v.MyVersion, err = s.myPaperVersion(r); err != nil {
		return err
	}
	if v.Papers, err = s.meetingPapers(r, m, papers); err != nil {
		return err
	}
	if v.Check, err = s.meetingCheckPrompt(r, m, access); err != nil {
		return err
	}
	v.Now = time.Now()
	page := s.page(r, "")
	page.TitleText = m.Title + " – " + titleFor(r.Context(), p)
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	status := http.StatusOK
	if refused {
		// The register was sent for a meeting that has not started (from a
		// page opened before it was moved later): say when it opens.
		v.AttendanceRefused, page.HasErrors, page.Notice = true, true, ""
		status = http.StatusUnprocessableEntity
	}
	if v.Papers.Form.HasErrors() {
		page.HasErrors, page.Notice, status = true, "", http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, views.MeetingPage(page, v))
}

func (s *Server) replyToMeeting(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	m, err := s.meetingParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	answer := r.PostForm.Get("attending")
	if answer != "yes" && answer != "no" {
		return errBadRequest
	}
	if m.Started(time.Now()) {
		// A page opened before the meeting began still has the form.
		return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=replies-closed"))
	}
	if m.Cancelled() {
		return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=meeting-cancelled-already"))
	}
	if err := s.store.ReplyToMeeting(r.Context(), m.ID, access.User.ID, answer == "yes"); err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=reply-saved"))
}

func (s *Server) recordAttendance(w http.ResponseWriter, r *http.Request) error {
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
	var present []int64
	for _, id := range r.PostForm["present"] {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return errBadRequest
		}
		present = append(present, n)
	}
	notes := coproduce.CleanText(r.PostForm.Get("notes"))
	if len([]rune(notes)) > 20000 {
		return errBadRequest
	}
	err = s.store.RecordAttendance(r.Context(), access.User.ID, p.ID, m.ID, present, notes,
		mail.ClaimDrafted(s.writer(), p, access.User.ID, m))
	if errors.Is(err, coproduce.ErrMeetingNotStarted) {
		return s.renderMeeting(w, r, m, true)
	}
	if errors.Is(err, coproduce.ErrMeetingCancelled) {
		return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=meeting-cancelled-already"))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=attendance-saved"))
}

// downloadMeeting gives the meeting as an .ics file for a calendar, as
// RFC 5545 asks: CRLF at the end of every line, long lines folded, and
// text values escaped, so that nothing typed can start a property. The UID
// never changes and SEQUENCE counts the meeting's changes, so a calendar
// that saved it replaces it with the newer file; a cancelled meeting's file
// is METHOD:CANCEL with STATUS:CANCELLED, which removes it (RFC 5546).
func (s *Server) downloadMeeting(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	m, err := s.meetingParam(r)
	if err != nil {
		return err
	}
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	if m.Cancelled() {
		cal.SetMethod(ics.MethodCancel)
	}
	cal.SetProductId("-//Coproduce//Meetings//EN")
	ev := cal.AddEvent("meeting-" + strconv.FormatInt(m.ID, 10) + "@" + s.cfg.BaseURL.Hostname())
	ev.SetDtStampTime(time.Now())
	ev.SetSequence(m.Sequence)
	if m.Cancelled() {
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	ev.SetStartAt(m.StartsAt)
	ev.SetEndAt(m.EndsAt)
	ev.SetSummary(coproduce.OneLine(m.Title + " (" + titleFor(r.Context(), p) + ")"))
	if m.Venue != "" {
		ev.SetLocation(calendarText(m.Venue))
	}
	ev.SetURL(s.absoluteURL(meetingPath(p.ID, m.ID, "")))
	if m.OnlineLink != "" {
		ev.SetDescription(coproduce.OneLine(m.OnlineLink))
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="meeting-`+strconv.FormatInt(m.ID, 10)+`.ics"`)
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// calendarText readies a multi-line value (a venue's address) for a
// calendar: its line breaks become LF, which the library writes as the
// escape \n, and any other control character folds to a space. The library
// escapes LF but not CR, so a CR left in would end the line.
func calendarText(s string) string {
	lines := strings.Split(coproduce.CleanText(s), "\n")
	for i, l := range lines {
		lines[i] = coproduce.OneLine(l)
	}
	return strings.Join(lines, "\n")
}
