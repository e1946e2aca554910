package server

import (
	"net/http"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// easyReadCookie keeps a visitor's reading mode. A signed-in person's
// choice is saved with their account; until they make one, a browser
// switched to easy read before they signed in stays in easy read.
const easyReadCookie = "reading"

// easyRead reports whether this request's pages are in easy read: the
// person's own setting (see coproduce.User.EasyRead), or for a visitor the
// choice their browser keeps.
func easyRead(r *http.Request, u *coproduce.User) bool {
	c, err := r.Cookie(easyReadCookie)
	browser := err == nil && c.Value == coproduce.ReadingEasy
	if u != nil {
		return u.EasyRead(browser)
	}
	return browser
}

// setEasyRead saves the reading mode chosen in the bar above the header
// and returns to the page it was chosen on.
func (s *Server) setEasyRead(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	mode := r.PostForm.Get("reading")
	if mode != coproduce.ReadingEasy && mode != coproduce.ReadingStandard {
		return errBadRequest
	}
	if u := userFrom(r.Context()); u != nil {
		if err := s.store.SetReading(r.Context(), u.ID, mode); err != nil {
			return err
		}
	}
	// The browser keeps the choice too, signed in or not: it is what a
	// visitor's pages follow, and it goes with them when they sign in.
	http.SetCookie(w, &http.Cookie{Name: easyReadCookie, Value: mode, Path: "/", HttpOnly: true,
		Secure: s.cfg.BaseURL != nil && s.cfg.BaseURL.Scheme == "https", SameSite: http.SameSiteLaxMode,
		MaxAge: int((365 * 24 * time.Hour).Seconds())})
	return redirect(w, r, safeNext(r.PostForm.Get("back")))
}
