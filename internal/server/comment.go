package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// commentParam loads the comment in the URL, within the project.
func (s *Server) commentParam(r *http.Request) (coproduce.Comment, error) {
	p, _ := projectFrom(r.Context())
	id, err := strconv.ParseInt(chi.URLParam(r, "commentID"), 10, 64)
	if err != nil {
		return coproduce.Comment{}, coproduce.ErrNotFound
	}
	return s.store.Comment(r.Context(), p.ID, id)
}

func (s *Server) editComment(w http.ResponseWriter, r *http.Request) error {
	_, access := projectFrom(r.Context())
	c, err := s.commentParam(r)
	if err != nil {
		return err
	}
	if !c.Editable(access.User.ID, time.Now()) {
		return coproduce.ErrForbidden
	}
	f := views.NewForm(nil, nil)
	f.Values.Set("body", c.Body)
	return s.renderCommentEdit(w, r, http.StatusOK, c, f)
}

func (s *Server) renderCommentEdit(w http.ResponseWriter, r *http.Request, status int, c coproduce.Comment, f views.Form) error {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "comment.edit_title")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.CommentEditPage(page, *p, c, f))
}

func (s *Server) updateComment(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	c, err := s.commentParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	body := coproduce.CleanText(r.PostForm.Get("body"))
	if verr := asValidation(coproduce.ValidateComment(body)); verr != nil {
		return s.renderCommentEdit(w, r, http.StatusUnprocessableEntity, c, views.NewForm(r.PostForm, verr))
	}
	if err := s.store.EditComment(r.Context(), p.ID, c.ID, access.User.ID, body); err != nil {
		return err
	}
	return redirect(w, r, s.commentPath(r, p.ID, c.ProposalID, c.ID, "comment-edited"))
}

func (s *Server) hideComment(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	c, err := s.commentParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	reason := coproduce.CleanText(r.PostForm.Get("reason"))
	if verr := asValidation(coproduce.ValidateHideReason(reason)); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		page := s.page(r, "comment.hide_title")
		page.HasErrors = true
		return s.render(w, r, http.StatusUnprocessableEntity, views.CommentHidePage(page, *p, c, f))
	}
	if err := s.store.HideComment(r.Context(), access.User.ID, p.ID, c.ID, reason); err != nil {
		return err
	}
	return redirect(w, r, s.commentPath(r, p.ID, c.ProposalID, c.ID, "comment-hidden"))
}

func (s *Server) showHideComment(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	c, err := s.commentParam(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, views.CommentHidePage(s.page(r, "comment.hide_title"), *p, c, views.NewForm(nil, nil)))
}
