package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/web/views"
)

// agendaRoutes are a meeting's agenda and minutes, inside a project.
func (s *Server) agendaRoutes(r chi.Router) {
	r.Get("/meetings/{meetingID}/agenda", s.h(s.showAgenda))
	r.Post("/meetings/{meetingID}/agenda", s.h(s.addAgendaItem))
	r.Get("/meetings/{meetingID}/agenda/{itemID}", s.h(s.editAgendaItem))
	r.Post("/meetings/{meetingID}/agenda/{itemID}", s.h(s.updateAgendaItem))
	r.Post("/meetings/{meetingID}/agenda/{itemID}/move", s.h(s.moveAgendaItem))
	r.Post("/meetings/{meetingID}/agenda/{itemID}/remove", s.h(s.removeAgendaItem))
	r.Get("/meetings/{meetingID}/minutes", s.h(s.showMinutes))
	r.Post("/meetings/{meetingID}/minutes/publish", s.h(s.publishMinutes))
	r.Post("/meetings/{meetingID}/minutes/comments", s.h(s.addMinuteComment))
	r.Get("/meetings/{meetingID}/minutes/comments/{commentID}/hide", s.h(s.showHideMinuteComment))
	r.Post("/meetings/{meetingID}/minutes/comments/{commentID}/hide", s.h(s.hideMinuteComment))
	r.Get("/meetings/{meetingID}/minutes/comments/{commentID}/show", s.h(s.showShowMinuteComment))
	r.Post("/meetings/{meetingID}/minutes/comments/{commentID}/show", s.h(s.showMinuteComment))
	r.Post("/meetings/{meetingID}/minutes/{itemID}", s.h(s.saveItemMinutes))
	r.Post("/meetings/{meetingID}/minutes/{itemID}/decision", s.h(s.decideAtMeeting))
	r.Post("/meetings/{meetingID}/minutes/{itemID}/actions", s.h(s.addMinutedAction))
}

// facilitatedMeeting is the meeting of a route that only leads and
// facilitators may use.
func (s *Server) facilitatedMeeting(r *http.Request) (*coproduce.Project, coproduce.Access, coproduce.Meeting, error) {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return p, access, coproduce.Meeting{}, coproduce.ErrForbidden
	}
	m, err := s.meetingParam(r)
	return p, access, m, err
}

// agendaItemParam is the route's agenda item, which must be on its meeting.
func (s *Server) agendaItemParam(r *http.Request, m coproduce.Meeting) (coproduce.AgendaItem, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "itemID"), 10, 64)
	if err != nil {
		return coproduce.AgendaItem{}, coproduce.ErrNotFound
	}
	items, err := s.store.AgendaItems(r.Context(), m.ID)
	if err != nil {
		return coproduce.AgendaItem{}, err
	}
	for _, it := range items {
		if it.ID == id {
			return it, nil
		}
	}
	return coproduce.AgendaItem{}, coproduce.ErrNotFound
}

// agendaChoices are the project's members who may lead an item and the
// ideas an item may discuss (every idea not withdrawn).
func (s *Server) agendaChoices(r *http.Request, projectID int64) ([]coproduce.Member, []coproduce.Proposal, error) {
	members, err := s.store.Members(r.Context(), projectID)
	if err != nil {
		return nil, nil, err
	}
	all, err := s.store.Proposals(r.Context(), projectID)
	var ideas []coproduce.Proposal
	for _, pr := range all {
		if !pr.Withdrawn {
			ideas = append(ideas, pr)
		}
	}
	return members, ideas, err
}

func agendaInput(f url.Values) coproduce.AgendaItemInput {
	in := coproduce.AgendaItemInput{Title: f.Get("title"), Time: f.Get("time"), LedBy: f.Get("led_by"), Ideas: f["ideas"]}
	in.Normalize()
	return in
}

// postedAgendaItem reads the posted agenda item and checks it against the
// project's members and ideas: what is wrong with it comes back as verr,
// anything else (a form that cannot be read) as err.
func (s *Server) postedAgendaItem(r *http.Request, projectID int64) (vals coproduce.AgendaItemValues, verr *coproduce.ValidationError, err error) {
	if err := parseForm(r); err != nil {
		return vals, nil, err
	}
	members, ideas, err := s.agendaChoices(r, projectID)
	if err != nil {
		return vals, nil, err
	}
	vals, err = validAgendaItem(agendaInput(r.PostForm), members, ideas)
	return vals, asValidation(err), nil
}

// validAgendaItem checks a posted item against the project's members and
// ideas.
func validAgendaItem(in coproduce.AgendaItemInput, members []coproduce.Member, ideas []coproduce.Proposal) (coproduce.AgendaItemValues, error) {
	ms, is := map[int64]bool{}, map[int64]bool{}
	for _, m := range members {
		ms[m.UserID] = true
	}
	for _, i := range ideas {
		is[i.ID] = true
	}
	return in.Validate(ms, is)
}

func (s *Server) showAgenda(w http.ResponseWriter, r *http.Request) error {
	_, _, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	return s.renderAgenda(w, r, m, http.StatusOK, nil)
}

// renderAgenda draws the agenda builder; add is the add form shown again
// with its errors.
func (s *Server) renderAgenda(w http.ResponseWriter, r *http.Request, m coproduce.Meeting, status int, add *views.Form) error {
	p, access := projectFrom(r.Context())
	items, err := s.store.AgendaItems(r.Context(), m.ID)
	if err != nil {
		return err
	}
	members, ideas, err := s.agendaChoices(r, p.ID)
	if err != nil {
		return err
	}
	v := views.AgendaView{Project: *p, Access: access, Meeting: m, Items: items, Members: members, Ideas: ideas,
		Form: formOr(add, nil)}
	page := s.page(r, "")
	page.TitleText = views.AgendaTitle(r.Context(), m)
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = add != nil
	return s.render(w, r, status, views.AgendaPage(page, v))
}

func (s *Server) addAgendaItem(w http.ResponseWriter, r *http.Request) error {
	p, access, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	vals, verr, err := s.postedAgendaItem(r, p.ID)
	if err != nil {
		return err
	}
	if verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderAgenda(w, r, m, http.StatusUnprocessableEntity, &f)
	}
	if _, err := s.store.AddAgendaItem(r.Context(), access.User.ID, p.ID, m.ID, vals); err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "/agenda?notice=agenda-item-added"))
}

func (s *Server) editAgendaItem(w http.ResponseWriter, r *http.Request) error {
	_, _, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	it, err := s.agendaItemParam(r, m)
	if err != nil {
		return err
	}
	vals := url.Values{"title": {it.Title}, "time": {it.Time}}
	if it.LedBy != 0 {
		vals.Set("led_by", strconv.FormatInt(it.LedBy, 10))
	}
	for _, i := range it.Ideas {
		vals.Add("ideas", strconv.FormatInt(i.ID, 10))
	}
	return s.renderAgendaItem(w, r, m, it, http.StatusOK, views.NewForm(vals, nil))
}

func (s *Server) renderAgendaItem(w http.ResponseWriter, r *http.Request, m coproduce.Meeting, it coproduce.AgendaItem, status int, f views.Form) error {
	p, access := projectFrom(r.Context())
	members, ideas, err := s.agendaChoices(r, p.ID)
	if err != nil {
		return err
	}
	v := views.AgendaView{Project: *p, Access: access, Meeting: m, Members: members, Ideas: ideas, Form: f, Item: it}
	page := s.page(r, "")
	page.TitleText = views.AgendaItemTitle(r.Context(), it)
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.AgendaItemPage(page, v))
}

func (s *Server) updateAgendaItem(w http.ResponseWriter, r *http.Request) error {
	p, access, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	it, err := s.agendaItemParam(r, m)
	if err != nil {
		return err
	}
	vals, verr, err := s.postedAgendaItem(r, p.ID)
	if err != nil {
		return err
	}
	if verr != nil {
		return s.renderAgendaItem(w, r, m, it, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr))
	}
	if err := s.store.UpdateAgendaItem(r.Context(), access.User.ID, p.ID, m.ID, it.ID, vals); err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "/agenda?notice=agenda-item-saved"))
}

func (s *Server) moveAgendaItem(w http.ResponseWriter, r *http.Request) error {
	p, access, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	it, err := s.agendaItemParam(r, m)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	dir := r.PostForm.Get("direction")
	if dir != "up" && dir != "down" {
		return errBadRequest
	}
	if err := s.store.MoveAgendaItem(r.Context(), access.User.ID, p.ID, m.ID, it.ID, dir == "up"); err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "/agenda?notice=agenda-item-moved#item-"+strconv.FormatInt(it.ID, 10)))
}

func (s *Server) removeAgendaItem(w http.ResponseWriter, r *http.Request) error {
	p, access, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	it, err := s.agendaItemParam(r, m)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.store.RemoveAgendaItem(r.Context(), access.User.ID, p.ID, m.ID, it.ID); err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "/agenda?notice=agenda-item-removed"))
}

// minutesForm is a form on the minutes page shown again with its errors:
// which item's, and which of its forms.
type minutesForm struct {
	itemID int64
	kind   string // views.MinutesNotes, MinutesDecision, MinutesAction, MinutesComment
	form   views.Form
}

// showMinutes shows a meeting's minutes: to leads and facilitators with
// the forms that write them, to other members once published (before that
// they are not there: 404).
func (s *Server) showMinutes(w http.ResponseWriter, r *http.Request) error {
	m, err := s.meetingParam(r)
	if err != nil {
		return err
	}
	return s.renderMinutes(w, r, m, nil)
}

func (s *Server) renderMinutes(w http.ResponseWriter, r *http.Request, m coproduce.Meeting, bad *minutesForm) error {
	p, access := projectFrom(r.Context())
	min, err := s.store.Minutes(r.Context(), m.ID)
	if err != nil {
		return err
	}
	if !min.Published() && !access.CanFacilitate() {
		return coproduce.ErrNotFound
	}
	v := views.MinutesView{Project: *p, Access: access, Meeting: m, Minutes: min, Started: m.Started(time.Now())}
	status := http.StatusOK
	if bad != nil {
		v.BadItem, v.BadKind, v.Bad = bad.itemID, bad.kind, bad.form
		status = http.StatusUnprocessableEntity
	}
	page := s.page(r, "")
	page.TitleText = views.MinutesTitle(r.Context(), m)
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = bad != nil
	return s.render(w, r, status, views.MinutesPage(page, v))
}

// minutesDone redirects after a change to the minutes, to the item changed.
func minutesDone(w http.ResponseWriter, r *http.Request, projectID, meetingID, itemID int64, notice string) error {
	return redirect(w, r, meetingPath(projectID, meetingID, "/minutes?notice="+notice+"#item-"+strconv.FormatInt(itemID, 10)))
}

// notStarted answers a change to the minutes of a meeting that has not
// started, from a page opened before it was moved later.
func notStarted(w http.ResponseWriter, r *http.Request, projectID, meetingID int64) error {
	return redirect(w, r, meetingPath(projectID, meetingID, "/minutes?notice=minutes-not-started"))
}

func (s *Server) saveItemMinutes(w http.ResponseWriter, r *http.Request) error {
	p, access, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	it, err := s.agendaItemParam(r, m)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.ItemMinutesInput{Discussion: r.PostForm.Get("discussion"), Decisions: r.PostForm.Get("decisions")}
	in.Normalize()
	if verr := asValidation(in.Validate()); verr != nil {
		return s.renderMinutes(w, r, m, &minutesForm{it.ID, views.MinutesNotes, views.NewForm(r.PostForm, verr)})
	}
	err = s.store.SaveItemMinutes(r.Context(), access.User.ID, p.ID, m.ID, it.ID, in)
	if errors.Is(err, coproduce.ErrMeetingNotStarted) {
		return notStarted(w, r, p.ID, m.ID)
	}
	if err != nil {
		return err
	}
	return minutesDone(w, r, p.ID, m.ID, it.ID, "minutes-saved")
}

// minutedIdea is the idea a minutes form names, which its item must
// discuss; the form's field is "idea".
func minutedIdea(f url.Values, it coproduce.AgendaItem) (int64, bool) {
	id, err := strconv.ParseInt(f.Get("idea"), 10, 64)
	return id, err == nil && it.HasIdea(id)
}

func (s *Server) decideAtMeeting(w http.ResponseWriter, r *http.Request) error {
	p, access, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	it, err := s.agendaItemParam(r, m)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.ResponseInput{Response: coproduce.Response(r.PostForm.Get("response")),
		Rationale: coproduce.CleanText(r.PostForm.Get("rationale"))}
	id, ok := minutedIdea(r.PostForm, it)
	verr := asValidation(in.Validate())
	if !ok {
		if verr == nil {
			verr = &coproduce.ValidationError{}
		}
		verr.Add("idea", "error.minutes.idea_required")
	}
	if verr != nil {
		return s.renderMinutes(w, r, m, &minutesForm{it.ID, views.MinutesDecision, views.NewForm(r.PostForm, verr)})
	}
	pr, err := s.store.Proposal(r.Context(), p.ID, id)
	if err != nil {
		return err
	}
	news := mail.Answered(s.writer(), p, access.User.ID, pr, in)
	if !pr.Open {
		news = mail.AnswerChanged(s.writer(), p, access.User.ID, pr, in)
	}
	err = s.store.DecideAtMeeting(r.Context(), access.User.ID, p.ID, m.ID, it.ID, id, in, news)
	switch {
	case errors.Is(err, coproduce.ErrMeetingNotStarted):
		return notStarted(w, r, p.ID, m.ID)
	case errors.Is(err, coproduce.ErrStale):
		return minutesDone(w, r, p.ID, m.ID, it.ID, "proposal-not-open")
	case err != nil:
		return err
	}
	return minutesDone(w, r, p.ID, m.ID, it.ID, "decision-recorded")
}

func (s *Server) addMinutedAction(w http.ResponseWriter, r *http.Request) error {
	p, access, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	it, err := s.agendaItemParam(r, m)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.ActionInput{Description: r.PostForm.Get("description"), Owner: r.PostForm.Get("owner"),
		DueOn: r.PostForm.Get("due_on"), Status: "not_started", FormToken: r.PostForm.Get("form_token")}
	in.Normalize()
	due, err := in.Validate()
	verr := asValidation(err)
	id, ok := minutedIdea(r.PostForm, it)
	if ok {
		pr, err := s.store.Proposal(r.Context(), p.ID, id)
		if err != nil {
			return err
		}
		ok = pr.Response == coproduce.Adopted || pr.Response == coproduce.Adapted
	}
	if !ok {
		if verr == nil {
			verr = &coproduce.ValidationError{}
		}
		verr.Add("idea", "error.minutes.action_idea")
	}
	if verr != nil {
		return s.renderMinutes(w, r, m, &minutesForm{it.ID, views.MinutesAction, views.NewForm(r.PostForm, verr)})
	}
	err = s.store.AddMinutedAction(r.Context(), access.User.ID, p.ID, m.ID, it.ID, id, in, due)
	if errors.Is(err, coproduce.ErrMeetingNotStarted) {
		return notStarted(w, r, p.ID, m.ID)
	}
	if err != nil {
		return err
	}
	return minutesDone(w, r, p.ID, m.ID, it.ID, "action-added")
}

func (s *Server) publishMinutes(w http.ResponseWriter, r *http.Request) error {
	p, access, m, err := s.facilitatedMeeting(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = s.store.PublishMinutes(r.Context(), access.User.ID, p.ID, m.ID, mail.MinutesPublished(s.writer(), p, access.User.ID, m))
	switch {
	case errors.Is(err, coproduce.ErrMeetingNotStarted):
		return notStarted(w, r, p.ID, m.ID)
	case errors.Is(err, coproduce.ErrStale):
		return redirect(w, r, meetingPath(p.ID, m.ID, "/minutes?notice=minutes-published"))
	case err != nil:
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "/minutes?notice=minutes-published"))
}

func (s *Server) addMinuteComment(w http.ResponseWriter, r *http.Request) error {
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
	body := coproduce.CleanText(r.PostForm.Get("body"))
	if verr := asValidation(coproduce.ValidateMinuteComment(body)); verr != nil {
		return s.renderMinutes(w, r, m, &minutesForm{0, views.MinutesComment, views.NewForm(r.PostForm, verr)})
	}
	id, err := s.store.AddMinuteComment(r.Context(), p.ID, m.ID, access.User.ID, body)
	if err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "/minutes?notice=minutes-comment-added#minute-comment-"+strconv.FormatInt(id, 10)))
}
