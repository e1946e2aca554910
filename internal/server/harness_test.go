package server_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/internal/server"
	"github.com/coproduce/coproduce/web"
)

// env is one test's server over a rolled-back transaction.
type env struct {
	t      testing.TB
	tx     pgx.Tx
	store  *postgres.Store
	server *server.Server
	logs   *bytes.Buffer
	// addr is this test's client address: throttling counts by address,
	// and parallel tests must not share (and lock) one counter row.
	addr string
}

var envSeq atomic.Int64

func newEnv(t *testing.T) *env {
	t.Helper()
	tx := pgtest.Tx(t)
	e := newEnvOn(t, postgres.NewStore(pgtest.Autocommit(tx)))
	e.tx = tx
	return e
}

// newEnvOn builds a server over a given store, such as one over a pool to
// a cloned database for tests that need several connections.
func newEnvOn(t testing.TB, store *postgres.Store) *env {
	t.Helper()
	return newEnvConfigured(t, store, nil)
}

// newEnvConfigured builds a server over store with some settings changed
// by configure (nil for none).
func newEnvConfigured(t testing.TB, store *postgres.Store, configure func(*server.Config)) *env {
	t.Helper()
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	catalog.Strict = true
	logs := &bytes.Buffer{}
	cfg := server.Config{
		Store:         store,
		Catalog:       catalog,
		Passwords:     pgtest.Passwords(t),
		Logger:        slog.New(slog.NewTextHandler(logs, nil)),
		Static:        web.Static(),
		BaseURL:       &url.URL{Scheme: "http", Host: "coproduce.test"},
		OrgName:       "Test trust",
		SessionKey:    bytes.Repeat([]byte{7}, 32),
		SchemaVersion: 1,
		MaxBodyBytes:  64 << 10,
	}
	if configure != nil {
		configure(&cfg)
	}
	srv := server.New(cfg)
	addr := fmt.Sprintf("[2001:db8::%x]:5555", envSeq.Add(1))
	return &env{t: t, store: store, server: srv, logs: logs, addr: addr}
}

// client is a browser: it keeps cookies and sends same-origin headers.
type client struct {
	e       *env
	cookies map[string]*http.Cookie
	// header is added to every request (to play a cross-site attacker).
	header http.Header
	// addr, when set, is this client's own address instead of the env's.
	addr string
}

func (e *env) client() *client {
	return &client{e: e, cookies: map[string]*http.Cookie{}, header: http.Header{}}
}

// signedIn returns a client signed in as u through the real sign-in form.
func (e *env) signedIn(u *coproduce.User) *client {
	e.t.Helper()
	c := e.client()
	res := c.post("/sign-in", url.Values{"email": {u.Email}, "password": {pgtest.Password}})
	if res.Code != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: status %d\n%s", u.Email, res.Code, res.Body)
	}
	return c
}

func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
	c.e.t.Helper()
	req.Host = "coproduce.test"
	req.RemoteAddr = c.e.addr
	if c.addr != "" {
		req.RemoteAddr = c.addr
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	res := httptest.NewRecorder()
	c.e.server.ServeHTTP(res, req)
	for _, ck := range res.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	if res.Code == http.StatusInternalServerError {
		c.e.t.Errorf("%s %s: 500\nlogs:\n%s", req.Method, req.URL, c.e.logs)
	}
	return res
}

func (c *client) get(path string) *httptest.ResponseRecorder {
	c.e.t.Helper()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, path, nil)
	req.Header.Set("Sec-Fetch-Site", "none")
	return c.do(req)
}

func (c *client) post(path string, form url.Values) *httptest.ResponseRecorder {
	c.e.t.Helper()
	return c.postBody(path, form.Encode())
}

func (c *client) postBody(path, body string) *httptest.ResponseRecorder {
	c.e.t.Helper()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", "http://coproduce.test")
	return c.do(req)
}

// sessionCookie returns the client's session cookie value, or "".
func (c *client) sessionCookie() string {
	if ck, ok := c.cookies["coproduce_session"]; ok {
		return ck.Value
	}
	return ""
}

func doc(t *testing.T, res *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(res.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func text(d *goquery.Document, selector string) string {
	return strings.Join(strings.Fields(d.Find(selector).Text()), " ")
}

func wantStatus(t *testing.T, res *httptest.ResponseRecorder, want int) {
	t.Helper()
	if res.Code != want {
		t.Fatalf("status = %d, want %d\n%s", res.Code, want, res.Body)
	}
}

func wantRedirect(t *testing.T, res *httptest.ResponseRecorder, prefix string) {
	t.Helper()
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), prefix) {
		t.Fatalf("got %d to %q, want a redirect to %s", res.Code, res.Header().Get("Location"), prefix)
	}
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.tx.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// cells joins the text of each matched element with "|".
func cells(d *goquery.Document, selector string) string {
	return strings.Join(d.Find(selector).Map(func(_ int, s *goquery.Selection) string {
		return strings.TrimSpace(s.Text())
	}), "|")
}
