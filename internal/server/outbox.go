package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// outboxSize is how many recent messages the outbox lists.
const outboxSize = 200

func (s *Server) showOutbox(w http.ResponseWriter, r *http.Request) error {
	emails, err := s.store.Emails(r.Context(), outboxSize)
	if err != nil {
		return err
	}
	p := s.page(r, "outbox.title")
	p.Nav = "admin"
	return s.render(w, r, http.StatusOK, views.OutboxPage(p, emails, s.cfg.SMTPConfigured))
}

func (s *Server) showEmail(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "emailID"), 10, 64)
	if err != nil {
		return coproduce.ErrNotFound
	}
	e, err := s.store.Email(r.Context(), id)
	if err != nil {
		return err
	}
	p := s.page(r, "outbox.email_title")
	p.Nav = "admin"
	return s.render(w, r, http.StatusOK, views.EmailPage(p, e))
}
