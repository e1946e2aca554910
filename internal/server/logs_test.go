package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/securecookie"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// TestLogsHoldNoPersonalDataOrSecrets runs a journey through the hostile
// project (sign-ins that work and fail, a sign-in link, an invitation,
// pages, posts, reports, error pages) and then reads the server's logs:
// no email address, name, password, session id or link token may be in
// them, and no address the app gave out may carry a session id.
func TestLogsHoldNoPersonalDataOrSecrets(t *testing.T) {
	t.Parallel()
	hp := newHostileProject(t)
	e := hp.e
	var seen []*httptest.ResponseRecorder // every answer, to search for session ids
	keep := func(res *httptest.ResponseRecorder) *httptest.ResponseRecorder { seen = append(seen, res); return res }

	// A failed sign-in, a sign-in link used, an unknown link, errors.
	wrong := "not the password at all"
	wantStatus(t, keep(e.client().post("/sign-in", url.Values{"email": {hp.lead.Email}, "password": {wrong}})), http.StatusUnprocessableEntity)
	wantStatus(t, keep(e.client().post("/sign-in", url.Values{"email": {"\x00" + hp.fac.Email}, "password": {wrong}})), http.StatusBadRequest)
	keep(e.client().post("/sign-in/link", url.Values{"link_email": {hp.layEmail}}))
	link := e.lastLink(hp.layEmail, "/sign-in/link/")
	linkC := e.client()
	wantStatus(t, keep(linkC.get(link)), http.StatusOK)
	wantRedirect(t, keep(linkC.post(link, nil)), "/projects")
	wantStatus(t, keep(e.client().get(link+"/mistyped")), http.StatusNotFound)
	wantStatus(t, keep(e.client().get(link)), http.StatusGone)
	wantStatus(t, keep(e.client().get("/invitations/"+hp.inviteToken)), http.StatusGone)
	wantStatus(t, keep(hp.layC.get("/projects/999999")), http.StatusNotFound)
	wantStatus(t, keep(hp.layC.get(hp.path("/edit"))), http.StatusForbidden)
	wantStatus(t, keep(hp.layC.get("/admin/users")), http.StatusForbidden)
	wantStatus(t, keep(hp.layC.post(hp.path("/proposals"), url.Values{"title": {"\xff"}})), http.StatusBadRequest)
	attacker := e.client() // another site posting with the lay partner's cookie
	attacker.cookies = hp.layC.cookies
	attacker.header.Set("Sec-Fetch-Site", "cross-site")
	attacker.header.Set("Origin", "http://evil.example")
	wantStatus(t, keep(attacker.post("/invitations/"+hp.inviteToken+"/accept", url.Values{"name": {"x"}})), http.StatusForbidden)
	if !strings.Contains(e.logs.String(), "cross-origin request refused") {
		t.Error("the refused cross-origin post was not logged")
	}
	for _, pg := range hp.pages(t) {
		keep(pg.c.get(pg.path))
	}
	for _, format := range []string{"html", "csv", "json", "pdf"} {
		keep(hp.leadC.get(hp.path("/reports/project." + format)))
	}
	keep(hp.layC.get("/me/data"))
	keep(hp.admC.get("/admin/audit.csv"))
	keep(hp.leadC.post("/sign-out", nil))

	logs := e.logs.String()
	if !strings.Contains(logs, "msg=request") {
		t.Fatalf("no request lines were logged:\n%s", logs)
	}
	secrets := map[string]string{
		"an email address":              "@example.test",
		"the password":                  pgtest.Password,
		"a wrong password":              wrong,
		"the sign-in link's token":      strings.TrimPrefix(link, "/sign-in/link/"),
		"the invitation's token":        hp.inviteToken,
		"the project's title":           "=TITLE",
		"what a lay partner wrote":      "IDEABODY",
		"a support need":                "GOODTIMES",
		"the fixture's markup":          "<hostile-tag", // not "hostile-tag": the public page's address is made from the title
		"the lead's email's local part": "leadname+o",
	}
	for _, key := range []string{"LEADNAME", "FACNAME", "STAFFNAME", "ADMINNAME", "LAYNAME", "INVITENAME"} {
		secrets["the name "+key] = key
	}
	for _, c := range []*client{hp.leadC, hp.facC, hp.staffC, hp.layC, hp.admC, linkC} {
		for what, s := range sessionSecrets(t, c) {
			secrets[what] = s
		}
	}
	for what, s := range secrets {
		if strings.Contains(logs, s) || strings.Contains(logs, url.PathEscape(s)) {
			t.Errorf("the logs hold %s (%q)", what, s)
		}
	}

	t.Run("NoAddressCarriesASessionID", func(t *testing.T) {
		ids := map[string]string{}
		for _, c := range []*client{hp.leadC, hp.facC, hp.staffC, hp.layC, hp.admC, linkC} {
			for what, s := range sessionSecrets(t, c) {
				ids[what] = s
			}
		}
		if len(ids) < 6 {
			t.Fatalf("only %d session ids to look for", len(ids))
		}
		var where []string
		for _, res := range seen {
			where = append(where, res.Header().Get("Location"))
			where = append(where, links(res.Body.Bytes())...)
		}
		rows, err := e.tx.Query(context.Background(), `SELECT text_body || html_body FROM emails`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var body string
			if err := rows.Scan(&body); err != nil {
				t.Fatal(err)
			}
			where = append(where, body)
		}
		for _, w := range where {
			for what, id := range ids {
				if strings.Contains(w, id) || strings.Contains(w, url.QueryEscape(id)) {
					t.Errorf("%s is in an address: %.120s", what, w)
				}
			}
		}
	})
}

// sessionSecrets are a signed-in client's session cookie and the session
// id inside it.
func sessionSecrets(t *testing.T, c *client) map[string]string {
	t.Helper()
	cookie := c.sessionCookie()
	if cookie == "" {
		return nil
	}
	codec := securecookie.New(bytes.Repeat([]byte{7}, 32), nil)
	codec.SetSerializer(securecookie.JSONEncoder{})
	var id string
	if err := codec.Decode("coproduce_session", cookie, &id); err != nil || len(id) < 20 {
		t.Fatalf("cannot read the session cookie: %v", err)
	}
	return map[string]string{"a session cookie " + cookie[:8]: cookie, "a session id " + id[:4]: id}
}

// links are every address in a page: links, form actions and sources.
func links(body []byte) []string {
	var out []string
	for _, attr := range []string{`href="`, `action="`, `src="`, `content="`} {
		rest := string(body)
		for {
			_, after, ok := strings.Cut(rest, attr)
			if !ok {
				break
			}
			value, _, _ := strings.Cut(after, `"`)
			out = append(out, value)
			rest = after
		}
	}
	return out
}
