package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
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
	v := views.EmailView{Email: e, SMTP: s.cfg.SMTPConfigured}
	switch {
	case !e.HasLink():
		v.Body = e.Text
	case s.cfg.SMTPConfigured:
		// With a mail server, the link went to the person; nobody reads it
		// here, delivered or not.
		v.Body = hideLink(r, e, "outbox.link_hidden")
	case e.LinkLive:
		// With no mail server the outbox is how a link is passed on:
		// reading one that works is recorded, and its owner told.
		if err := s.store.RecordLinkRead(r.Context(), userFrom(r.Context()).ID, e.ID); err != nil {
			return err
		}
		v.Body, v.Live = e.Text, true
	default:
		v.Body, v.Spent = hideLink(r, e, "outbox.link_spent"), true
	}
	p := s.page(r, "outbox.email_title")
	p.Nav = "admin"
	return s.render(w, r, http.StatusOK, views.EmailPage(p, v))
}

// hideLink is the message's text with its link replaced by words saying
// why it is not shown. A message from before links were recorded, whose
// link cannot be found, is not shown at all.
func hideLink(r *http.Request, e coproduce.Email, why string) string {
	words := "[" + i18n.FromContext(r.Context()).T(why) + "]"
	if e.Link == "" {
		if e.TokenKind == "" {
			return words
		}
		return e.Text // delivered: the link was removed from the stored copy
	}
	return strings.ReplaceAll(e.Text, e.Link, words)
}
