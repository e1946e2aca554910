package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/web/views"
)

// The timeout warning (WCAG 2.2.1): two minutes before a session ends, the
// page's script (web/static/session.js) warns the person and lets them stay
// signed in; without scripts, every signed-in page says when the session
// ends and links to the warning page, which does the same.

// sessionPath is the warning page; posting to it extends the session.
const sessionPath = "/account/session"

// sessionTimes are a live session's start and last use.
type sessionTimes struct {
	Started, LastSeen time.Time
}

// sessionTimesKey holds a session's times in its values for one request;
// like userValueKey, it is never stored.
type sessionTimesKey struct{}

type sessionTimesCtxKey struct{}

func withSessionTimes(ctx context.Context, t sessionTimes) context.Context {
	return context.WithValue(ctx, sessionTimesCtxKey{}, t)
}

func sessionTimesFrom(ctx context.Context) (sessionTimes, bool) {
	t, ok := ctx.Value(sessionTimesCtxKey{}).(sessionTimes)
	return t, ok
}

// leavesIdleClock says a request must not count as activity: the script
// asks the warning page whether another tab kept the session alive, and
// counting that would keep an unattended session alive for ever.
func leavesIdleClock(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == sessionPath
}

// sessionView is what the layout needs for the warning, or nil when no one
// is signed in.
func (s *Server) sessionView(r *http.Request) *views.Session {
	t, ok := sessionTimesFrom(r.Context())
	if !ok {
		return nil
	}
	v := &views.Session{
		Now:      time.Now(),
		IdleAt:   t.LastSeen.Add(s.cfg.SessionIdle),
		LimitAt:  t.Started.Add(s.cfg.SessionAbsolute),
		Idle:     s.cfg.SessionIdle,
		Absolute: s.cfg.SessionAbsolute,
	}
	// Only a page that can be fetched again is worth coming back to: after
	// a form with mistakes, the warning leads to the account page.
	if r.Method == http.MethodGet && r.URL.Path != sessionPath {
		v.Next = r.URL.RequestURI()
	}
	return v
}

// showSessionWarning is the warning page. For the script (X-Requested-With)
// it answers with the times alone, so the script can tell whether another
// tab has kept the session alive. Neither counts as activity.
func (s *Server) showSessionWarning(w http.ResponseWriter, r *http.Request) error {
	if r.Header.Get("X-Requested-With") == "coproduce" {
		return s.sessionTimesOnly(w, r)
	}
	p := s.page(r, "session.title")
	p.Session.OnWarningPage = true
	if next := r.URL.Query().Get("next"); localPath(next) {
		p.Session.Next = next
	}
	return s.render(w, r, http.StatusOK, views.SessionWarningPage(p))
}

// extendSession restarts the idle clock ("Stay signed in"). The absolute
// limit stays where it was.
func (s *Server) extendSession(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	next := r.PostForm.Get("next")
	if next != "" && !localPath(next) {
		return errBadRequest
	}
	sess, err := s.sessions.Get(r, s.cookie)
	if err != nil {
		return err
	}
	seen, err := s.store.TouchSession(r.Context(), hashSessionID(sess.ID))
	if err != nil {
		return err
	}
	t, _ := sessionTimesFrom(r.Context())
	t.LastSeen = seen
	r = r.WithContext(withSessionTimes(r.Context(), t))
	if r.Header.Get("X-Requested-With") == "coproduce" {
		return s.sessionTimesOnly(w, r)
	}
	if next == "" {
		next = "/account"
	}
	return redirect(w, r, next)
}

// sessionTimesOnly answers the script with the seconds left before each
// limit, in headers.
func (s *Server) sessionTimesOnly(w http.ResponseWriter, r *http.Request) error {
	v := s.sessionView(r)
	w.Header().Set("X-Session-Idle-Ends-In", strconv.Itoa(v.IdleEndsIn()))
	w.Header().Set("X-Session-Limit-Ends-In", strconv.Itoa(v.LimitEndsIn()))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// localPath says next is a path on this site, by the sign-in page's rule.
func localPath(next string) bool {
	return next != "" && safeNext(next) == next
}

// timeoutNotice is the sign-in page's explanation after a session timed
// out ("idle" or "limit" in the timeout parameter), or "".
func (s *Server) timeoutNotice(r *http.Request) string {
	switch r.URL.Query().Get("timeout") {
	case "idle":
		return i18n.FromContext(r.Context()).N("session.timed_out", int(s.cfg.SessionIdle.Minutes()), nil)
	case "limit":
		return i18n.FromContext(r.Context()).N("session.limit_reached", max(int(s.cfg.SessionAbsolute.Hours()), 1), nil)
	}
	return ""
}
