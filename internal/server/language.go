package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/web/views"
)

// languageCookie keeps the language a browser chose with the "Cymraeg" /
// "English" link. It is not secret and holds only "en" or "cy".
const languageCookie = "coproduce_lang"

// chosenLanguage is the language this browser chose, or "".
func chosenLanguage(r *http.Request) string {
	c, err := r.Cookie(languageCookie)
	if err != nil || !coproduce.IsLanguage(c.Value) {
		return ""
	}
	return c.Value
}

// localizer picks the page's language: the one this browser chose with the
// language link (which sign-in sets to the person's saved preference), else
// the signed-in person's saved preference, else the browser's
// Accept-Language, else English.
func (s *Server) localizer(r *http.Request, u *coproduce.User) *i18n.Localizer {
	if lang := chosenLanguage(r); lang != "" {
		return s.cfg.Catalog.Localizer(lang)
	}
	if u != nil && u.Language != "" {
		return s.cfg.Catalog.Localizer(u.Language)
	}
	return s.cfg.Catalog.Localizer(r.Header.Get("Accept-Language"))
}

// setLanguageCookie remembers a browser's language for a year.
func (s *Server) setLanguageCookie(w http.ResponseWriter, lang string) {
	http.SetCookie(w, &http.Cookie{Name: languageCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.cfg.BaseURL != nil && s.cfg.BaseURL.Scheme == "https"})
}

// switchLanguage is the "Cymraeg" / "English" link at the top of every
// page: it keeps the choice in a cookie and returns the person to the page
// they were on. It changes nothing stored, so it can be a link; a signed-in
// person's saved preference (for emails) is asked on the account page.
func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	// A language we do not speak changes nothing: the person goes back.
	if lang := q.Get("lang"); coproduce.IsLanguage(lang) {
		s.setLanguageCookie(w, lang)
	}
	return redirect(w, r, safeNext(q.Get("return")))
}

// saveLanguage records the language a signed-in person wants us to write
// to them in, and shows them the pages in it from now on.
func (s *Server) saveLanguage(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	lang := r.PostForm.Get("language")
	if err := coproduce.ValidateLanguage(lang); err != nil {
		return s.renderAccountForms(w, r, http.StatusUnprocessableEntity, views.NewForm(nil, nil),
			views.NewForm(r.PostForm, asValidation(err)))
	}
	u := userFrom(r.Context())
	if err := s.store.SetUserLanguage(r.Context(), u.ID, lang); err != nil {
		return err
	}
	s.setLanguageCookie(w, lang)
	if back := r.PostForm.Get("return"); back != "" {
		// Asked on the page they landed on: back to it, now in their
		// language.
		return redirect(w, r, withQuery(safeNext(back), "notice", "language-saved"))
	}
	return redirect(w, r, "/account?notice=language-saved#language-heading")
}

// askLanguageParam marks the page a person lands on after signing in or
// accepting an invitation without having told us their language: that
// page asks them (Welsh Language Standards: ask, and record the answer).
const askLanguageParam = "ask-language"

// askingLanguage adds the question to where a person goes after signing
// in, if they have not answered it yet.
func askingLanguage(u *coproduce.User, to string) string {
	if u.Language != "" || strings.HasPrefix(to, "/account") {
		return to
	}
	return withQuery(to, askLanguageParam, "1")
}

// withQuery sets one query parameter of a local path, after those it
// has (which keep their order), or in place of the one it had.
func withQuery(path, key, value string) string {
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	if q := u.Query(); q.Has(key) {
		q.Set(key, value)
		u.RawQuery = q.Encode()
	} else {
		add := url.Values{key: {value}}.Encode()
		if u.RawQuery == "" {
			u.RawQuery = add
		} else {
			u.RawQuery += "&" + add
		}
	}
	return u.RequestURI() + fragment(u)
}

func fragment(u *url.URL) string {
	if u.Fragment == "" {
		return ""
	}
	return "#" + u.EscapedFragment()
}

// withoutAsk is the page's address without the question's marker: where
// answering it returns to.
func withoutAsk(u *url.URL) string {
	q := u.Query()
	q.Del(askLanguageParam)
	out := *u
	out.RawQuery = q.Encode()
	return out.RequestURI()
}

// languageForm is the account page's language question, showing the saved
// answer.
func languageForm(u *coproduce.User) views.Form {
	return views.NewForm(url.Values{"language": {u.Language}}, nil)
}

// writingTo is the language to write to a person in: the one they chose,
// or else fallback (the page's language, for someone writing to themselves).
func (s *Server) writingTo(fallback *i18n.Localizer, u *coproduce.User) *i18n.Localizer {
	if u != nil && coproduce.IsLanguage(u.Language) {
		return s.cfg.Catalog.Localizer(u.Language)
	}
	return fallback
}

// currentPage is where the language link brings a person back to: the page
// they are on, or for a form they sent, the page they sent it from.
func currentPage(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		return ref.RequestURI()
	}
	return "/"
}
