package server

import (
	"net/http"
	"net/url"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// afterSignIn sends a person who has just signed in on to the page they
// were going to; but first, if an administrator read one of their links in
// the outbox since they last heard, to the page that tells them so.
func (s *Server) afterSignIn(w http.ResponseWriter, r *http.Request, u *coproduce.User, to string) error {
	to = askingLanguage(u, to)
	untold, err := s.store.HasUntoldLinkReads(r.Context(), u.Email)
	if err != nil {
		return err
	}
	if untold {
		to = "/account/link-read?next=" + url.QueryEscape(to)
	}
	return redirect(w, r, to)
}

// showLinkReads tells the signed-in person who read their links in the
// outbox, and when; each reading is told once.
func (s *Server) showLinkReads(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	reads, err := s.store.TakeLinkReads(r.Context(), userFrom(r.Context()).Email)
	if err != nil {
		return err
	}
	if len(reads) == 0 {
		return redirect(w, r, next)
	}
	return s.render(w, r, http.StatusOK, views.LinkReadsPage(s.page(r, "link_read.title"), reads, next))
}
