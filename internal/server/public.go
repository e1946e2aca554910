package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"unicode"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// setPublished turns the project's public page on or off; a lead's choice.
func (s *Server) setPublished(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	on := r.PostForm.Get("published") == "yes"
	slug, err := newSlug(p.Title)
	if err != nil {
		return err
	}
	if err := s.store.SetPublished(r.Context(), access.User.ID, p.ID, on, slug); err != nil {
		return err
	}
	notice := "unpublished"
	if on {
		notice = "published"
	}
	return redirect(w, r, projectPath(p.ID, "/reports?notice="+notice))
}

// newSlug makes a readable, unguessable address from a title.
func newSlug(title string) (string, error) {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	suffix := make([]byte, 3)
	if _, err := rand.Read(suffix); err != nil {
		return "", err
	}
	return strings.Trim(b.String(), "-") + "-" + hex.EncodeToString(suffix), nil
}

// showPublic is a project's public page: its purpose, progress and "you
// said, we did", with no personal data: no names, no emails, no owners.
func (s *Server) showPublic(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.store.PublishedProject(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	v := views.PublicView{Project: *p}
	if v.Stages, err = s.store.Stages(ctx, p.ID); err != nil {
		return err
	}
	purpose, err := s.store.CurrentPurpose(ctx, p.ID)
	switch {
	case err == nil:
		v.Purpose = purpose.Purpose
	case !errors.Is(err, coproduce.ErrNotFound):
		return err
	}
	proposals, err := s.store.Proposals(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, pr := range proposals {
		if !pr.Open {
			v.Answered = append(v.Answered, pr)
		}
	}
	if v.Actions, err = s.store.Actions(ctx, p.ID); err != nil {
		return err
	}
	page := s.page(r, "")
	page.TitleText = p.Title
	page.User = nil // the public page looks the same to everyone
	return s.render(w, r, http.StatusOK, views.PublicPage(page, v))
}
