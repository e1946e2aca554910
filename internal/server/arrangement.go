package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// arrangementPeople are the project's members with what has been arranged
// for each: with coming set, only those who said they are coming or have
// something arranged. Reading them reads their needs, which the store
// audits.
func (s *Server) arrangementPeople(r *http.Request, m coproduce.Meeting, coming bool) ([]views.ArrangementRow, error) {
	_, access := projectFrom(r.Context())
	attendees, err := s.store.Attendees(r.Context(), access.User.ID, m, true)
	if err != nil {
		return nil, err
	}
	booked, err := s.store.MeetingArrangements(r.Context(), m.ID)
	if err != nil {
		return nil, err
	}
	var rows []views.ArrangementRow
	for _, a := range attendees {
		row := views.ArrangementRow{Attendee: a, Bookable: coproduce.BookableNeeds(m, a.Profile), Arrangement: booked[a.UserID]}
		if !coming || (a.Attending != nil && *a.Attending) || !row.Arrangement.Empty() {
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// showArrangements lists, for a meeting's organisers, what has been
// arranged for each person coming.
func (s *Server) showArrangements(w http.ResponseWriter, r *http.Request) error {
	p, _, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	rows, err := s.arrangementPeople(r, m, true)
	if err != nil {
		return err
	}
	page := s.page(r, "")
	page.TitleText = views.ArrangementsTitle(r.Context(), m)
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	return s.render(w, r, http.StatusOK, views.ArrangementsPage(page, views.ArrangementsView{Project: *p, Meeting: m, People: rows}))
}

// arrangementPerson is the route's person, who must be a member of the
// project (a taxi may be arranged for someone who has not yet replied).
func (s *Server) arrangementPerson(r *http.Request, m coproduce.Meeting) (views.ArrangementRow, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil {
		return views.ArrangementRow{}, coproduce.ErrNotFound
	}
	rows, err := s.arrangementPeople(r, m, false)
	if err != nil {
		return views.ArrangementRow{}, err
	}
	for _, row := range rows {
		if row.Attendee.UserID == id {
			return row, nil
		}
	}
	return views.ArrangementRow{}, coproduce.ErrNotFound
}

func (s *Server) editArrangement(w http.ResponseWriter, r *http.Request) error {
	_, _, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	row, err := s.arrangementPerson(r, m)
	if err != nil {
		return err
	}
	vals := url.Values{"needs": row.Arrangement.Needs, "note": {row.Arrangement.Note}}
	return s.renderArrangement(w, r, m, row, http.StatusOK, views.NewForm(vals, nil))
}

func (s *Server) renderArrangement(w http.ResponseWriter, r *http.Request, m coproduce.Meeting, row views.ArrangementRow, status int, f views.Form) error {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "")
	page.TitleText = views.ArrangementTitle(r.Context(), row.Attendee.Name)
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.ArrangementPage(page, views.ArrangementView{Project: *p, Meeting: m, Person: row, Form: f}))
}

func (s *Server) saveArrangement(w http.ResponseWriter, r *http.Request) error {
	p, access, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	row, err := s.arrangementPerson(r, m)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	a := coproduce.Arrangement{MeetingID: m.ID, UserID: row.Attendee.UserID, Needs: r.PostForm["needs"],
		Note: r.PostForm.Get("note")}
	a.Normalize()
	if verr := asValidation(a.Validate(m, row.Attendee.Profile)); verr != nil {
		return s.renderArrangement(w, r, m, row, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr))
	}
	if err := s.store.SaveArrangement(r.Context(), access.User.ID, a); err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "/arrangements?notice=arrangement-saved"))
}
