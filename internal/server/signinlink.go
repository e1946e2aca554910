package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/web/views"
)

// Sign-in link requests are limited so that nobody can flood an inbox,
// without ever letting a stranger stop the owner getting a link (see
// docs/operations.md, "Sign-in throttling"):
//   - one email address is sent at most linkEmailLimit links in a window of
//     linkEmailWindow, which starts with the first of them. A request over
//     that sends nothing but gets the same answer: the window is shorter
//     than a link's life (15 minutes), so the mailbox already holds a link
//     sent less than linkEmailWindow ago that still works.
//   - one client address asking for more than linkAddrLimit links in a
//     throttleWindow is slowed by addrSlowdown on each request, never
//     refused, since many people may share an address.
const (
	linkEmailLimit  = 3
	linkEmailWindow = 10 * time.Minute
	linkAddrLimit   = 30
)

// requestSignInLink emails a one-time link to the account with this email,
// if there is one. The answer is the same either way.
func (s *Server) requestSignInLink(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	email := coproduce.OneLine(r.PostForm.Get("link_email"))
	if !coproduce.ValidEmail(email) {
		v := &coproduce.ValidationError{}
		v.Add("link_email", "error.email.invalid")
		if email == "" {
			v.Fields[0].Message = "error.email.required"
		}
		p := s.page(r, "signin.title")
		p.HasErrors = true
		return s.render(w, r, http.StatusUnprocessableEntity, views.SignIn(p, views.NewForm(r.PostForm, v), ""))
	}
	emailKey, addrKey := "link:"+strings.ToLower(email), "linkaddr:"+s.clientAddr(r)
	m, err := s.store.CountAttempt(r.Context(), addrKey, time.Now().Add(-throttleWindow))
	if err != nil {
		return err
	}
	if m > linkAddrLimit {
		if err := slowDown(r.Context()); err != nil {
			return err
		}
	}
	n, err := s.store.CountAttempt(r.Context(), emailKey, time.Now().Add(-linkEmailWindow))
	if err != nil {
		return err
	}
	if n > linkEmailLimit {
		// The same answer as a link sent: the mailbox has a recent one.
		return redirect(w, r, "/sign-in/link-sent")
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	l := i18n.FromContext(r.Context())
	err = s.store.CreateSignInLink(r.Context(), email, postgres.HashToken(token), func(u *coproduce.User) coproduce.Email {
		l := s.writingTo(l, u)
		data := map[string]any{"Name": u.Name, "Org": s.cfg.OrgName}
		return message{to: u.Email, toName: u.Name, kind: "sign_in_link", subject: l.T("email.sign_in.subject", data),
			paragraphs: []string{l.T("email.greeting", data), l.T("email.sign_in.body", data)},
			link:       s.absoluteURL("/sign-in/link/" + token), linkText: l.T("email.sign_in.link"),
			after: []string{l.T("email.sign_in.expiry"), l.T("email.sign_in.ignore")}}.email()
	})
	if err != nil {
		return err
	}
	return redirect(w, r, "/sign-in/link-sent")
}

func (s *Server) showLinkSent(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, views.LinkSentPage(s.page(r, "signin.link_sent_title")))
}

// showSignInLink asks the person to press a button to sign in. Following
// the link alone changes nothing, because mail scanners open links too.
func (s *Server) showSignInLink(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	state, err := s.store.SignInLinkState(r.Context(), postgres.HashToken(token))
	if err != nil {
		return err
	}
	if state != "ok" {
		return s.renderLinkProblem(w, r, http.StatusGone, "link.sign_in_"+state)
	}
	return s.render(w, r, http.StatusOK, views.SignInLinkPage(s.page(r, "signin.link_title"), token))
}

func (s *Server) useSignInLink(w http.ResponseWriter, r *http.Request) error {
	u, err := s.store.UseSignInLink(r.Context(), postgres.HashToken(chi.URLParam(r, "token")))
	if errors.Is(err, coproduce.ErrNotFound) {
		return s.renderLinkProblem(w, r, http.StatusGone, "link.sign_in_used")
	}
	if err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	// The mailbox's owner is back in: wrong passwords tried by anyone
	// else no longer pause the password route.
	if err := s.store.ClearFailures(r.Context(), passwordKey(u.Email)); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "signed in by link", "user_id", u.ID)
	return s.afterSignIn(w, r, u, "/projects")
}
