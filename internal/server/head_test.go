package server_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestHeadIsAnsweredWhereGetIs: link checkers, monitors and caches ask with
// HEAD. Every page answers HEAD as its GET does (status and type), for a
// person who may see it.
func TestHeadIsAnsweredWhereGetIs(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	checked := 0
	for _, row := range accessTable {
		if row.method != http.MethodGet {
			continue
		}
		want := accessExpect(t, row)
		kind := ""
		for _, k := range accessKinds {
			if want[k] == "ok" {
				kind = k
				break
			}
		}
		if kind == "" {
			continue
		}
		target := f.url(row.pattern, f.params)
		get, _ := f.cell(kind, http.MethodGet, target, "", "")
		head, wrote := f.cell(kind, http.MethodHead, target, "", "")
		if head.Code != get.Code || head.Header().Get("Content-Type") != get.Header().Get("Content-Type") {
			t.Errorf("HEAD %s as %s: %d %q, GET: %d %q", row.pattern, kind,
				head.Code, head.Header().Get("Content-Type"), get.Code, get.Header().Get("Content-Type"))
		}
		for _, table := range wrote {
			// Reading a link in the outbox is recorded, and opening an
			// update marks it seen, by HEAD as by GET.
			if table != "audit_events" && table != "outbox_reads" && table != "updates" {
				t.Errorf("HEAD %s as %s changed %s", row.pattern, kind, table)
			}
		}
		checked++
	}
	if checked < 40 {
		t.Errorf("only %d pages checked", checked)
	}
	t.Logf("%d pages answer HEAD as GET", checked)
}

// A real server sends no body for HEAD; a method a route does not answer
// gets 405 with the Allow header that lists the ones it does.
func TestHeadAndAllowOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := httptest.NewServer(e.server)
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	for _, path := range []string{"/healthz", "/sign-in"} {
		req, _ := http.NewRequest(http.MethodHead, srv.URL+path, nil)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s: %d, want 200", path, res.StatusCode)
		}
	}

	cases := map[string]struct{ method, allow string }{
		"/healthz":      {http.MethodPost, "GET, HEAD"},
		"/sign-out":     {http.MethodGet, "POST"},
		"/sign-in":      {http.MethodPut, "GET, HEAD, POST"},
		"/sign-in/link": {http.MethodDelete, "POST"},
	}
	for path, c := range cases {
		req, _ := http.NewRequest(c.method, srv.URL+path, nil)
		req.Header.Set("Origin", srv.URL)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		allow := strings.Split(res.Header.Get("Allow"), ", ")
		if res.StatusCode != http.StatusMethodNotAllowed || !slices.Equal(allow, strings.Split(c.allow, ", ")) {
			t.Errorf("%s %s: %d Allow %q, want 405 Allow %q", c.method, path, res.StatusCode, res.Header.Get("Allow"), c.allow)
		}
	}
}
