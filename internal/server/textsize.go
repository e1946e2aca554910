package server

import (
	"net/http"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// textSizeCookie keeps a visitor's text size until they sign in; a
// signed-in person's choice is saved with their account.
const textSizeCookie = "text_size"

// largerText reports whether this request's pages show larger text: the
// person's own setting (see coproduce.User.LargerText), or for a visitor
// the choice their browser keeps.
func largerText(r *http.Request, u *coproduce.User) bool {
	if u != nil {
		return u.LargerText()
	}
	c, err := r.Cookie(textSizeCookie)
	return err == nil && c.Value == coproduce.TextLarger
}

// backPath is the page the text size control comes back to: this one, as
// it was asked for (a form's page for a post).
func backPath(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.RequestURI()
	}
	return r.URL.Path
}

// setTextSize saves the text size chosen in the bar above the header and
// returns to the page it was chosen on.
func (s *Server) setTextSize(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	size := r.PostForm.Get("size")
	if size != coproduce.TextLarger && size != coproduce.TextStandard {
		return errBadRequest
	}
	if u := userFrom(r.Context()); u != nil {
		if err := s.store.SetTextSize(r.Context(), u.ID, size); err != nil {
			return err
		}
	} else {
		http.SetCookie(w, &http.Cookie{Name: textSizeCookie, Value: size, Path: "/", HttpOnly: true,
			Secure: s.cfg.BaseURL != nil && s.cfg.BaseURL.Scheme == "https", SameSite: http.SameSiteLaxMode, MaxAge: int((365 * 24 * time.Hour).Seconds())})
	}
	return redirect(w, r, safeNext(r.PostForm.Get("back")))
}
