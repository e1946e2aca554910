package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// A lead or facilitator hides a comment on a meeting's minutes, with a
// reason, and shows it again, as they do a comment on an idea (comment.go,
// idea_changes.go).

// minuteCommentParam loads the comment in the URL, on the meeting's
// minutes, within the project; only a lead or facilitator may moderate.
func (s *Server) minuteCommentParam(r *http.Request) (coproduce.MinuteComment, error) {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.MinuteComment{}, coproduce.ErrForbidden
	}
	m, err := s.meetingParam(r)
	if err != nil {
		return coproduce.MinuteComment{}, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "commentID"), 10, 64)
	if err != nil {
		return coproduce.MinuteComment{}, coproduce.ErrNotFound
	}
	return s.store.MinuteComment(r.Context(), p.ID, m.ID, id)
}

// minuteCommentDone goes back to the comment on the minutes.
func minuteCommentDone(w http.ResponseWriter, r *http.Request, projectID int64, c coproduce.MinuteComment, notice string) error {
	return redirect(w, r, meetingPath(projectID, c.MeetingID,
		"/minutes?notice="+notice+"#minute-comment-"+strconv.FormatInt(c.ID, 10)))
}

func (s *Server) renderHideMinuteComment(w http.ResponseWriter, r *http.Request, status int, c coproduce.MinuteComment, f views.Form) error {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "comment.hide_title")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.MinuteCommentHidePage(page, *p, c, f))
}

func (s *Server) showHideMinuteComment(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	c, err := s.minuteCommentParam(r)
	if err != nil {
		return err
	}
	if c.Hidden { // hidden already: back to it
		return minuteCommentDone(w, r, p.ID, c, "comment-hidden")
	}
	return s.renderHideMinuteComment(w, r, http.StatusOK, c, views.NewForm(nil, nil))
}

func (s *Server) hideMinuteComment(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	c, err := s.minuteCommentParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	reason := coproduce.CleanText(r.PostForm.Get("reason"))
	if verr := asValidation(coproduce.ValidateHideReason(reason)); verr != nil && !c.Hidden {
		return s.renderHideMinuteComment(w, r, http.StatusUnprocessableEntity, c, views.NewForm(r.PostForm, verr))
	}
	// A comment hidden already (by someone else, or the form sent twice)
	// is where the facilitator wanted it.
	err = s.store.HideMinuteComment(r.Context(), access.User.ID, p.ID, c.MeetingID, c.ID, reason)
	if err != nil && !errors.Is(err, coproduce.ErrStale) {
		return err
	}
	return minuteCommentDone(w, r, p.ID, c, "comment-hidden")
}

func (s *Server) renderShowMinuteComment(w http.ResponseWriter, r *http.Request, status int, c coproduce.MinuteComment, f views.Form) error {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "comment_show.title")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.MinuteCommentShowPage(page, *p, c, f))
}

func (s *Server) showShowMinuteComment(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	c, err := s.minuteCommentParam(r)
	if err != nil {
		return err
	}
	if !c.Hidden { // shown already: back to it
		return minuteCommentDone(w, r, p.ID, c, "comment-shown")
	}
	return s.renderShowMinuteComment(w, r, http.StatusOK, c, views.NewForm(nil, nil))
}

func (s *Server) showMinuteComment(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	c, err := s.minuteCommentParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	reason := coproduce.CleanText(r.PostForm.Get("reason"))
	if verr := asValidation(coproduce.ValidateShowReason(reason)); verr != nil && c.Hidden {
		return s.renderShowMinuteComment(w, r, http.StatusUnprocessableEntity, c, views.NewForm(r.PostForm, verr))
	}
	err = s.store.ShowMinuteComment(r.Context(), access.User.ID, p.ID, c.MeetingID, c.ID, reason)
	if err != nil && !errors.Is(err, coproduce.ErrStale) {
		return err
	}
	return minuteCommentDone(w, r, p.ID, c, "comment-shown")
}
