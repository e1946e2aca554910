package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/web/views"
)

// handler is a page action that may fail; h turns its error into the one
// right response, so handlers never write error pages themselves.
type handler func(w http.ResponseWriter, r *http.Request) error

var (
	errBadRequest       = errors.New("bad request")
	errMethodNotAllowed = errors.New("method not allowed")
	errUnavailable      = errors.New("service unavailable")
)

func (s *Server) h(fn handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// fail maps an error to a status and a plain-English page. Only unexpected
// errors are logged as errors, and their detail never reaches the page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if s.pdfFailure(w, r, err) {
		return
	}
	var tooBig *http.MaxBytesError
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, coproduce.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, coproduce.ErrForbidden):
		status = http.StatusForbidden
	case errors.Is(err, coproduce.ErrConflict), errors.Is(err, coproduce.ErrStale):
		status = http.StatusConflict
	case errors.Is(err, coproduce.ErrThrottled):
		status = http.StatusTooManyRequests
	case errors.As(err, &tooBig):
		status = http.StatusRequestEntityTooLarge
	case errors.Is(err, errBadRequest):
		status = http.StatusBadRequest
	case errors.Is(err, errMethodNotAllowed):
		status = http.StatusMethodNotAllowed
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		s.log.InfoContext(r.Context(), "request cancelled by client")
		return
	case errors.Is(err, errUnavailable) || postgres.Unavailable(err):
		status = http.StatusServiceUnavailable
		s.log.WarnContext(r.Context(), "database unavailable", "error", err)
	default:
		s.log.ErrorContext(r.Context(), "request failed", "request_id", middleware.GetReqID(r.Context()), "error", err)
	}
	s.errorPage(w, r, status)
}

// allowedMethods lists the methods the request's path answers, for the
// Allow header that a 405 must carry. HEAD is answered wherever GET is.
func allowedMethods(r *http.Request) string {
	rctx := chi.RouteContext(r.Context())
	path := r.URL.EscapedPath()
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
		lookup := m
		if m == http.MethodHead {
			lookup = http.MethodGet
		}
		if rctx != nil && rctx.Routes.Match(chi.NewRouteContext(), lookup, path) {
			allowed = append(allowed, m)
		}
	}
	return strings.Join(allowed, ", ")
}

// errorPage writes the page for a status. The message ids follow the
// status: error.404.title, error.404.body, and so on.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int) {
	code := statusKey(status)
	p := s.page(r, "error."+code+".title")
	if status == http.StatusRequestEntityTooLarge || status == http.StatusBadRequest {
		w.Header().Set("Connection", "close")
	}
	_ = s.render(w, r, status, views.ErrorPage(p, "error."+code+".body"))
}

// messagePage writes an error page with its own title and message.
func (s *Server) messagePage(w http.ResponseWriter, r *http.Request, status int, title, body string) {
	_ = s.render(w, r, status, views.ErrorPage(s.page(r, title), body))
}

func statusKey(status int) string {
	switch status {
	case 400, 403, 404, 405, 409, 413, 429, 503:
		return strconv.Itoa(status)
	}
	return "500"
}

// render writes a component as a complete page, or nothing if rendering
// fails, so a half-drawn page is never sent.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := c.Render(r.Context(), buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	if err != nil {
		s.log.InfoContext(r.Context(), "write response", "error", err)
	}
	return nil
}

// renderBuffers keeps page buffers for reuse: growing a fresh buffer to a
// page's size on every request was the largest allocation of all.
var renderBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 { // let the odd huge page go
		b.Reset()
		renderBuffers.Put(b)
	}
}

// page returns the layout's model for the current request.
func (s *Server) page(r *http.Request, title string) views.Page {
	u := userFrom(r.Context())
	p := views.Page{Title: title, User: u, OrgName: s.cfg.OrgName, Session: s.sessionView(r),
		UpdatesUnseen: s.unseenUpdates(r, u), Menu: projectMenu(r)}
	if o, ok := coproduce.OnBehalfFrom(r.Context()); ok {
		p.OnBehalf = &o
	}
	if u != nil && u.Language == "" && r.URL.Query().Has(askLanguageParam) {
		p.AskLanguage, p.AskReturn = true, withoutAsk(r.URL)
	}
	return p
}

// redirect sends the browser on after a successful post (post/redirect/get).
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
