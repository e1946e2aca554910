package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func TestCrossOriginPostsAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	before := e.count(`SELECT count(*) FROM projects`)

	attacks := map[string]http.Header{
		"SecFetchSiteCrossSite": {"Sec-Fetch-Site": {"cross-site"}},
		"ForeignOrigin":         {"Sec-Fetch-Site": nil, "Origin": {"https://elsewhere.example"}},
	}
	for name, h := range attacks {
		t.Run(name+"ToSignIn", func(t *testing.T) {
			c := e.client()
			c.header = h
			res := c.post("/sign-in", url.Values{"email": {lead.Email}, "password": {pgtest.Password}})
			wantStatus(t, res, http.StatusForbidden)
			if c.sessionCookie() != "" {
				t.Error("a session was started")
			}
		})
		t.Run(name+"ToProjectCreation", func(t *testing.T) {
			c := e.signedIn(lead)
			c.header = h
			res := c.post("/projects/new", url.Values{"title": {"Forged"}, "status": {"draft"}})
			wantStatus(t, res, http.StatusForbidden)
		})
	}
	if after := e.count(`SELECT count(*) FROM projects`); after != before {
		t.Errorf("projects went from %d to %d", before, after)
	}
}

func TestPagesHaveStrictSecurityHeadersAndNoInlineScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleAdmin)
	p := pgtest.Project(t, e.store, lead)
	c := e.signedIn(lead)
	for _, path := range []string{"/sign-in", "/projects", "/projects/new", "/projects/" + itoa(p.ID),
		"/projects/" + itoa(p.ID) + "/members", "/projects/" + itoa(p.ID) + "/edit", "/account", "/admin/users", "/nowhere"} {
		res := c.get(path)
		h := res.Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'self'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows unsafe-inline", path)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
		if h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, h.Get("Cache-Control"))
		}
		d := doc(t, res)
		d.Find("script").Each(func(_ int, s *goquery.Selection) {
			if src, _ := s.Attr("src"); src == "" || strings.TrimSpace(s.Text()) != "" {
				t.Errorf("%s: inline script %q", path, s.Text())
			}
		})
		d.Find("*").Each(func(_ int, s *goquery.Selection) {
			for _, a := range s.Nodes[0].Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
					t.Errorf("%s: inline %s attribute on <%s>", path, a.Key, s.Nodes[0].Data)
				}
			}
		})
	}
}

func TestHSTSOnlyUnderHTTPS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if h := e.client().get("/sign-in").Header().Get("Strict-Transport-Security"); h != "" {
		t.Errorf("HSTS over http: %q", h)
	}
}

func TestBodyOverTheLimitIs413(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	c := e.signedIn(lead)
	before := e.count(`SELECT count(*) FROM projects`)
	body := url.Values{"title": {"Big"}, "summary": {strings.Repeat("x", 100<<10)}, "status": {"draft"}}.Encode()
	wantStatus(t, c.postBody("/projects/new", body), http.StatusRequestEntityTooLarge)
	if after := e.count(`SELECT count(*) FROM projects`); after != before {
		t.Error("a project was written")
	}
}

func TestMalformedFormIs400(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.signedIn(pgtest.User(t, e.store, coproduce.RoleStaff))
	wantStatus(t, c.postBody("/projects/new", "title=%zz"), http.StatusBadRequest)
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	wantStatus(t, c.get("/healthz"), http.StatusOK)
	wantStatus(t, c.get("/readyz"), http.StatusOK)
	c.get("/sign-in")
	res := c.get("/metrics")
	wantStatus(t, res, http.StatusOK)
	body := res.Body.String()
	for _, want := range []string{`coproduce_http_requests_total{code="200",method="GET",route="/sign-in"}`, "coproduce_http_request_duration_seconds_bucket"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestStaticFilesAndUnknownPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	res := c.get("/static/app.css")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Header().Get("Content-Type"), "text/css") {
		t.Errorf("content type %q", res.Header().Get("Content-Type"))
	}
	wantStatus(t, c.get("/static/"), http.StatusNotFound)
	res = c.get("/no/such/page")
	wantStatus(t, res, http.StatusNotFound)
	if text(doc(t, res), "h1") != "Page not found" {
		t.Errorf("404 page heading %q", text(doc(t, res), "h1"))
	}
	wantStatus(t, c.postBody("/healthz", ""), http.StatusMethodNotAllowed)
}
