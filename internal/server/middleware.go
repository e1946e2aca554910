package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/web/views"
)

// contentSecurityPolicy allows only our own scripts, styles and images: no
// inline script or style, no framing, forms posting only to us.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	hsts := s.cfg.BaseURL != nil && s.cfg.BaseURL.Scheme == "https"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// answerHeadAsGet answers HEAD wherever GET is answered, as HTTP asks: the
// GET handler runs and its body is dropped. (chi's GetHead does not reach
// into the route groups below the root, and sends the body.) It comes last
// before routing, so the logs and metrics still say HEAD.
func answerHeadAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rctx := chi.RouteContext(r.Context())
		// No route has a HEAD handler of its own (and chi's Match says yes to
		// HEAD for any path below a route group), so only GET is looked up.
		if r.Method != http.MethodHead || rctx == nil ||
			!rctx.Routes.Match(chi.NewRouteContext(), http.MethodGet, r.URL.EscapedPath()) {
			next.ServeHTTP(w, r)
			return
		}
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		rctx.RouteMethod = http.MethodGet
		next.ServeHTTP(headWriter{w}, get)
	})
}

// headWriter sends a response's headers and drops its body.
type headWriter struct{ http.ResponseWriter }

func (w headWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w headWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// newRequestID drops any request id the client sent, so that the one in
// the logs is always ours (chi's RequestID would otherwise trust it).
func newRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del(middleware.RequestIDHeader)
		next.ServeHTTP(w, r)
	})
}

// noStore keeps pages with personal data out of shared and browser caches;
// static files override it with their own caching.
func (s *Server) noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a logged 500 page with no detail shown.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "request_id", middleware.GetReqID(r.Context()),
					"value", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.errorPage(w, r, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// logRequests writes one structured line per request. It logs the route
// pattern and path but never the query string, form values or cookies,
// which may hold personal data or tokens.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		level := slog.LevelInfo
		if ww.Status() >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("request_id", middleware.GetReqID(r.Context())),
			slog.String("method", r.Method),
			slog.String("route", routePattern(r)),
			slog.String("path", loggedPath(r)),
			slog.Int("status", ww.Status()),
			slog.Int("bytes", ww.BytesWritten()),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

// loggedPath is the request's path with any token in it hidden: a
// sign-in or invitation link's token lets anyone holding it in, so it must
// not reach the logs. An unmatched path may be a mistyped link, so any long
// segment in it is hidden too.
func loggedPath(r *http.Request) string {
	path := r.URL.Path
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if token := rc.URLParam("token"); token != "" {
			return strings.ReplaceAll(path, token, "{token}")
		}
	}
	if routePattern(r) != "unmatched" {
		return path
	}
	segments := strings.Split(path, "/")
	for i, s := range segments {
		if len(s) >= 20 {
			segments[i] = "{hidden}"
		}
	}
	return strings.Join(segments, "/")
}

func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if p := rc.RoutePattern(); p != "" {
			return p
		}
	}
	return "unmatched"
}

// maxUpload caps a request carrying a file: a 5 MB receipt or a 10 MB
// paper, and its form.
const maxUpload = max(maxReceipt, coproduce.MaxPaperBytes) + 1<<20

// limitBody refuses bodies over the limit with 413: at once when the
// declared length is too big, or when reading passes the limit.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.cfg.MaxBodyBytes
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			limit = maxUpload // only uploads (receipts, papers) may be larger
		}
		if r.ContentLength > limit {
			s.errorPage(w, r, http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// unsubscribeRoute takes mail programs' one-click unsubscribe POSTs (RFC
// 8058). It is the one route exempt from the cross-origin check: the POST
// comes from the mail provider, not from our pages, and what it trusts is
// the secret token in its address, not a session.
const unsubscribeRoute = "/unsubscribe/{token}"

// refuseCrossOrigin rejects state-changing requests from other sites, using
// the browser's Sec-Fetch-Site and Origin headers.
func (s *Server) refuseCrossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.AddInsecureBypassPattern("POST " + unsubscribeRoute)
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.WarnContext(r.Context(), "cross-origin request refused", "path", loggedPath(r))
		s.errorPage(w, r, http.StatusForbidden)
	}))
	return cop.Handler(next)
}

// localize puts the person's language's messages in the request context.
func (s *Server) localize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := views.WithCurrentPage(i18n.WithLocalizer(r.Context(), s.localizer(r, nil)), currentPage(r))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loadSession puts the signed-in account, if any, in the request context.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		sess, err := s.sessions.Get(r, s.cookie)
		if err != nil {
			return err
		}
		u, ok := sess.Values[userValueKey{}].(*coproduce.User)
		if ok {
			times, _ := sess.Values[sessionTimesKey{}].(sessionTimes)
			r = r.WithContext(withSessionTimes(withUser(r.Context(), u), times))
			if u.Language != "" && chosenLanguage(r) == "" {
				r = r.WithContext(i18n.WithLocalizer(r.Context(), s.localizer(r, u)))
			}
		}
		r = r.WithContext(views.WithTextSize(r.Context(), largerText(r, u), backPath(r)))
		r = r.WithContext(views.WithEasyRead(r.Context(), easyRead(r, u)))
		next.ServeHTTP(w, r)
		return nil
	})
}

// requireUser sends anyone not signed in to the sign-in page, remembering
// where they were going.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r.Context()) == nil {
			to := "/sign-in"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireAdmin refuses everyone but administrators.
func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		if !userFrom(r.Context()).IsAdmin() {
			return coproduce.ErrForbidden
		}
		next.ServeHTTP(w, r)
		return nil
	})
}

// clientAddr is the address a request comes from, for the per-address
// limits. It is the TCP peer, unless the peer is one of the trusted proxies
// (TRUSTED_PROXIES): then it is the rightmost address in X-Forwarded-For
// that is not a trusted proxy, since each proxy appends the address it was
// reached from and only the part our own proxies wrote can be believed.
// Anyone else's X-Forwarded-For is ignored: it is whatever they typed.
func (s *Server) clientAddr(r *http.Request) string {
	return realClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.cfg.TrustedProxies)
}

func realClientAddr(remote string, forwarded []string, trusted []netip.Prefix) string {
	peer := hostOf(remote)
	if len(trusted) == 0 || !isTrusted(peer, trusted) {
		return peer
	}
	// Every X-Forwarded-For line, in order, is one list.
	var hops []string
	for _, line := range forwarded {
		for _, h := range strings.Split(line, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hostOf(hops[i]))
		if err != nil {
			// Not an address: our proxies write addresses, so this part
			// was written by someone else. The last proxy that wrote is the
			// nearest thing to the client that can be believed.
			return peer
		}
		a = a.Unmap()
		if !isTrusted(a.String(), trusted) {
			return a.String()
		}
		peer = a.String()
	}
	// Only trusted proxies: the first of them is the client as far as we
	// can tell.
	return peer
}

// hostOf strips a port and IPv6 brackets: "[2001:db8::1]:443" gives
// "2001:db8::1", "192.0.2.1:80" gives "192.0.2.1".
func hostOf(addr string) string {
	if ap, err := netip.ParseAddrPort(addr); err == nil {
		return ap.Addr().Unmap().String()
	}
	if a, err := netip.ParseAddr(strings.Trim(addr, "[]")); err == nil {
		return a.Unmap().String()
	}
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		addr = addr[:i]
	}
	return strings.Trim(addr, "[]")
}

func isTrusted(addr string, trusted []netip.Prefix) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range trusted {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}
