package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Time passing is played by moving the session's times back in the
// database: last_seen_at for the idle timeout (30 minutes), created_at for
// the absolute limit (12 hours).

// lastSeen is the user's one session's last_seen_at.
func (e *env) lastSeen(userID int64) time.Time {
	e.t.Helper()
	var t time.Time
	if err := e.tx.QueryRow(context.Background(),
		`SELECT last_seen_at FROM sessions WHERE user_id = $1`, userID).Scan(&t); err != nil {
		e.t.Fatal(err)
	}
	return t
}

// script sends a request as web/static/session.js does.
func (c *client) script(method, path string, form url.Values) *httptest.ResponseRecorder {
	c.e.t.Helper()
	c.header.Set("X-Requested-With", "coproduce")
	defer c.header.Del("X-Requested-With")
	if method == http.MethodPost {
		return c.post(path, form)
	}
	return c.get(path)
}

func secondsHeader(t *testing.T, res *httptest.ResponseRecorder, name string) int {
	t.Helper()
	n, err := strconv.Atoi(res.Header().Get(name))
	if err != nil {
		t.Fatalf("%s = %q: %v", name, res.Header().Get(name), err)
	}
	return n
}

// between fails unless lo <= got <= hi.
func between(t *testing.T, what string, got, lo, hi int) {
	t.Helper()
	if got < lo || got > hi {
		t.Errorf("%s = %d, want %d to %d", what, got, lo, hi)
	}
}

func ukClock(t time.Time) string { return t.In(coproduce.UK).Format("15:04") }

func TestSessionTimeouts(t *testing.T) {
	t.Parallel()

	t.Run("IdleTimeoutEndsTheSession", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		e.exec(`UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE user_id = $1`, u.ID)
		wantStatus(t, c.get("/projects"), http.StatusOK) // 29 minutes: still signed in
		e.exec(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, u.ID)
		wantRedirect(t, c.get("/projects"), "/sign-in")
		if n := e.count(`SELECT count(*) FROM sessions WHERE user_id = $1`, u.ID); n != 0 {
			t.Errorf("%d timed-out sessions left", n)
		}
	})

	t.Run("AbsoluteLimitEndsEvenABusySession", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		e.exec(`UPDATE sessions SET created_at = now() - interval '11 hours 59 minutes' WHERE user_id = $1`, u.ID)
		wantStatus(t, c.get("/projects"), http.StatusOK)
		// Used a moment ago, but begun over 12 hours ago.
		e.exec(`UPDATE sessions SET created_at = now() - interval '12 hours 1 minute', last_seen_at = now() WHERE user_id = $1`, u.ID)
		wantRedirect(t, c.get("/projects"), "/sign-in")
	})

	t.Run("SignOutEverywhereEndsOtherSessions", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		laptop, phone := e.signedIn(u), e.signedIn(u)
		wantRedirect(t, phone.post("/account/sign-out-everywhere", nil), "/sign-in?notice=signed-out-everywhere")
		wantRedirect(t, laptop.get("/projects"), "/sign-in")
		// Nor can the laptop's warning keep it alive.
		wantRedirect(t, laptop.post("/account/session", url.Values{"next": {"/projects"}}), "/sign-in")
		if n := e.count(`SELECT count(*) FROM sessions WHERE user_id = $1`, u.ID); n != 0 {
			t.Errorf("%d sessions left", n)
		}
	})

	t.Run("DisabledAccountStopsAtOnceAndCannotSignIn", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		admin := e.signedIn(pgtest.User(t, e.store, coproduce.RoleAdmin))
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		wantStatus(t, c.get("/account/session"), http.StatusOK)
		wantRedirect(t, admin.post("/admin/users/"+itoa(u.ID)+"/disable", nil), "/admin/users")
		wantRedirect(t, c.get("/projects"), "/sign-in")
		wantRedirect(t, c.post("/account/session", nil), "/sign-in")
		res := e.client().post("/sign-in", url.Values{"email": {u.Email}, "password": {pgtest.Password}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if ck := res.Result().Cookies(); len(ck) != 0 {
			t.Errorf("a disabled account got a cookie: %v", ck)
		}
	})
}

func TestSessionWarningPage(t *testing.T) {
	t.Parallel()

	t.Run("SaysWhenTheSessionEndsAndDoesNotExtendIt", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		// Half past a minute, so rounding cannot move the clock shown.
		e.exec(`UPDATE sessions SET last_seen_at = date_trunc('minute', now()) - interval '10 minutes 30 seconds' WHERE user_id = $1`, u.ID)
		seen := e.lastSeen(u.ID)
		res := c.get("/account/session?next=" + url.QueryEscape("/projects?page=2"))
		wantStatus(t, res, http.StatusOK)
		d := doc(t, res)
		if got := text(d, "h1"); got != "You will be signed out soon" {
			t.Errorf("heading %q", got)
		}
		want := "you will be signed out at " + ukClock(seen.Add(30*time.Minute)) + " (UK time)"
		if got := text(d, "[data-testid=session-ends]"); !strings.Contains(got, want) {
			t.Errorf("page says %q, want %q", got, want)
		}
		if got := text(d, "main"); !strings.Contains(got, "done nothing for 30 minutes") {
			t.Errorf("the reason is missing: %q", got)
		}
		if v, _ := d.Find("form[action='/account/session'] input[name=next]").Attr("value"); v != "/projects?page=2" {
			t.Errorf("next = %q", v)
		}
		if d.Find("form[action='/sign-out'] [data-testid=session-sign-out]").Length() != 1 {
			t.Error("no sign-out button")
		}
		if d.Find("[data-testid=near-limit]").Length() != 0 {
			t.Error("near-limit note shown with 11 hours left")
		}
		// Looking at the warning is not activity: a browser without
		// scripts opens it by itself.
		if after := e.lastSeen(u.ID); !after.Equal(seen) {
			t.Errorf("the warning page moved last_seen_at from %v to %v", seen, after)
		}
	})

	t.Run("NearTheLimitSaysStayingCannotGoPastIt", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		// Idle end in 15 minutes, the 12-hour limit in 20.
		e.exec(`UPDATE sessions SET last_seen_at = now() - interval '15 minutes',
			created_at = date_trunc('minute', now()) - interval '11 hours 40 minutes' + interval '30 seconds' WHERE user_id = $1`, u.ID)
		d := doc(t, c.get("/account/session"))
		var started time.Time
		if err := e.tx.QueryRow(context.Background(), `SELECT created_at FROM sessions WHERE user_id = $1`, u.ID).Scan(&started); err != nil {
			t.Fatal(err)
		}
		want := "You can stay signed in until " + ukClock(started.Add(12*time.Hour)) + " (UK time) at the latest, because you can be signed in for 12 hours at most."
		if got := text(d, "[data-testid=near-limit]"); !strings.Contains(got, want) {
			t.Errorf("near-limit note %q, want %q", got, want)
		}
		if d.Find("[data-testid=stay-signed-in]").Length() != 1 {
			t.Error("no Stay signed in button")
		}
	})

	t.Run("WhenTheLimitComesFirstThereIsNothingToExtend", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		e.exec(`UPDATE sessions SET created_at = date_trunc('minute', now()) - interval '11 hours 50 minutes' + interval '30 seconds' WHERE user_id = $1`, u.ID)
		d := doc(t, c.get("/account/session?next=%2Fprojects"))
		var started time.Time
		if err := e.tx.QueryRow(context.Background(), `SELECT created_at FROM sessions WHERE user_id = $1`, u.ID).Scan(&started); err != nil {
			t.Fatal(err)
		}
		want := "You will be signed out at " + ukClock(started.Add(12*time.Hour)) + " (UK time), and this cannot be changed."
		if got := text(d, "[data-testid=session-ends]"); !strings.Contains(got, want) {
			t.Errorf("page says %q, want %q", got, want)
		}
		if d.Find("[data-testid=stay-signed-in]").Length() != 0 {
			t.Error("a Stay signed in button that cannot work")
		}
		if href, _ := d.Find("[data-testid=go-back]").Attr("href"); href != "/projects" {
			t.Errorf("go back to %q", href)
		}
	})

	t.Run("AForeignNextIsDropped", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		c := e.signedIn(pgtest.User(t, e.store, coproduce.RolePartner))
		d := doc(t, c.get("/account/session?next="+url.QueryEscape("//evil.example/x")))
		if v, _ := d.Find("form[action='/account/session'] input[name=next]").Attr("value"); v != "" {
			t.Errorf("next = %q, want none", v)
		}
	})

	t.Run("SignedOutGoesToSignIn", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		wantRedirect(t, e.client().get("/account/session"), "/sign-in?next=")
		wantRedirect(t, e.client().post("/account/session", nil), "/sign-in")
	})
}

func TestSessionTimesOnEveryPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RolePartner)
	c := e.signedIn(u)
	// Half past a minute, so rounding cannot move the clock shown, and in
	// the last minute, too recent for a page view to move it.
	e.exec(`UPDATE sessions SET last_seen_at = date_trunc('minute', now()) + CASE WHEN extract(second FROM now()) >= 30
		THEN interval '30 seconds' ELSE interval '-30 seconds' END WHERE user_id = $1`, u.ID)
	seen := e.lastSeen(u.ID)

	// Without JavaScript: when the session ends, and a link to the warning
	// page, coming back to the same page.
	d := doc(t, c.get("/projects?x=a%26b"))
	noscript, _ := goquery.NewDocumentFromReader(strings.NewReader(d.Find("main noscript").Text()))
	want := "If you do nothing, you will be signed out at " + ukClock(seen.Add(30*time.Minute)) + " (UK time). Stay signed in"
	if got := text(noscript, "[data-testid=session-noscript]"); got != want {
		t.Errorf("without JavaScript the page says %q, want %q", got, want)
	}
	if href, _ := noscript.Find("a").Attr("href"); href != "/account/session?next="+url.QueryEscape("/projects?x=a%26b") {
		t.Errorf("link to %q", href)
	}
	if d.Find("head meta[http-equiv=refresh]").Length() != 0 || strings.Contains(d.Find("head").Text(), "refresh") {
		t.Error("a timed refresh (WCAG failure F40)")
	}

	// For the script: seconds to each end, where to go when time is up,
	// and the warning's words.
	data := d.Find("#app-session")
	idle, _ := strconv.Atoi(data.AttrOr("data-session-idle-ends-in", ""))
	between(t, "idle ends in", idle, 29*60-2, 30*60)
	limit, _ := strconv.Atoi(data.AttrOr("data-session-limit-ends-in", ""))
	between(t, "limit ends in", limit, 12*3600-5, 12*3600)
	if got := data.AttrOr("data-session-idle-url", ""); got != "/sign-in?timeout=idle&next="+url.QueryEscape("/projects?x=a%26b") {
		t.Errorf("timed-out address %q", got)
	}
	if got := d.Find("dialog#session-warning").AttrOr("role", ""); got != "alertdialog" {
		t.Errorf("dialog role %q", got)
	}
	if got := text(d, "#session-warning h2"); got != "Important: You will be signed out soon" {
		t.Errorf("dialog heading %q", got)
	}
	if v, _ := d.Find("#session-warning form[action='/account/session'] input[name=next]").Attr("value"); v != "/projects?x=a%26b" {
		t.Errorf("dialog's next = %q", v)
	}

	// Near the 12-hour limit, the no-JavaScript line says so.
	e.exec(`UPDATE sessions SET created_at = now() - interval '11 hours 50 minutes' WHERE user_id = $1`, u.ID)
	d = doc(t, c.get("/projects"))
	noscript, _ = goquery.NewDocumentFromReader(strings.NewReader(d.Find("main noscript").Text()))
	if got := text(noscript, "p"); !strings.Contains(got, "you can be signed in for 12 hours at most") {
		t.Errorf("near the limit the page says %q", got)
	}

	// The warning page has neither the dialog nor the line.
	d = doc(t, c.get("/account/session"))
	if d.Find("dialog, main noscript").Length() != 0 {
		t.Error("the warning page warns about itself")
	}

	// Signed out, there is nothing to time.
	wantRedirect(t, c.post("/sign-out", nil), "/sign-in")
	d = doc(t, c.get("/sign-in"))
	if d.Find("main noscript, #app-session, dialog").Length() != 0 {
		t.Error("timeout warning on a signed-out page")
	}
}

func TestStaySignedIn(t *testing.T) {
	t.Parallel()

	t.Run("RestartsTheIdleClock", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		e.exec(`UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE user_id = $1`, u.ID)
		res := c.post("/account/session", url.Values{"next": {"/projects?page=2"}})
		wantRedirect(t, res, "/projects?page=2")
		if res.Header().Get("Location") != "/projects?page=2" {
			t.Errorf("went to %q", res.Header().Get("Location"))
		}
		// Good for another 30 minutes from now: 29 more is fine, 31 is not.
		e.exec(`UPDATE sessions SET last_seen_at = last_seen_at - interval '29 minutes' WHERE user_id = $1`, u.ID)
		wantStatus(t, c.get("/account/session"), http.StatusOK)
		e.exec(`UPDATE sessions SET last_seen_at = last_seen_at - interval '2 minutes' WHERE user_id = $1`, u.ID)
		wantRedirect(t, c.get("/account/session"), "/sign-in")
	})

	t.Run("WithoutNextGoesToTheAccountPage", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		c := e.signedIn(pgtest.User(t, e.store, coproduce.RolePartner))
		res := c.post("/account/session", url.Values{})
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/account" {
			t.Errorf("got %d to %q, want /account", res.Code, res.Header().Get("Location"))
		}
	})

	t.Run("ForTheScriptAnswersWithTheSecondsLeft", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		e.exec(`UPDATE sessions SET last_seen_at = now() - interval '20 minutes' WHERE user_id = $1`, u.ID)
		seen := e.lastSeen(u.ID)
		// Asking is not activity.
		res := c.script(http.MethodGet, "/account/session", nil)
		wantStatus(t, res, http.StatusNoContent)
		between(t, "idle seconds left", secondsHeader(t, res, "X-Session-Idle-Ends-In"), 10*60-2, 10*60)
		if !e.lastSeen(u.ID).Equal(seen) {
			t.Error("asking for the times moved last_seen_at")
		}
		// Staying signed in is.
		res = c.script(http.MethodPost, "/account/session", url.Values{"next": {"/projects"}})
		wantStatus(t, res, http.StatusNoContent)
		between(t, "idle seconds left after staying", secondsHeader(t, res, "X-Session-Idle-Ends-In"), 30*60-2, 30*60)
		between(t, "limit seconds left", secondsHeader(t, res, "X-Session-Limit-Ends-In"), 12*3600-5, 12*3600)
		if !e.lastSeen(u.ID).After(seen) {
			t.Error("staying signed in did not move last_seen_at")
		}
	})

	t.Run("CannotGoPastTheAbsoluteLimit", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		e.exec(`UPDATE sessions SET created_at = now() - interval '11 hours 50 minutes' WHERE user_id = $1`, u.ID)
		res := c.script(http.MethodPost, "/account/session", nil)
		wantStatus(t, res, http.StatusNoContent)
		between(t, "limit seconds left", secondsHeader(t, res, "X-Session-Limit-Ends-In"), 10*60-2, 10*60)
		// Ten minutes on, the session is over, just extended or not.
		e.exec(`UPDATE sessions SET created_at = created_at - interval '11 minutes', last_seen_at = now() WHERE user_id = $1`, u.ID)
		wantRedirect(t, c.post("/account/session", nil), "/sign-in")
		wantRedirect(t, c.get("/projects"), "/sign-in")
	})

	t.Run("AForeignNextIsRefusedAndExtendsNothing", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		// Seen 30 seconds ago: too recently for an ordinary request to
		// touch the session (it does so at most once a minute), so only
		// staying signed in would move last_seen_at.
		e.exec(`UPDATE sessions SET last_seen_at = now() - interval '30 seconds' WHERE user_id = $1`, u.ID)
		seen := e.lastSeen(u.ID)
		for _, next := range []string{"//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "projects"} {
			wantStatus(t, c.post("/account/session", url.Values{"next": {next}}), http.StatusBadRequest)
		}
		if !e.lastSeen(u.ID).Equal(seen) {
			t.Error("a refused request extended the session")
		}
		// The same post with a local next does.
		wantRedirect(t, c.post("/account/session", url.Values{"next": {"/projects"}}), "/projects")
		if !e.lastSeen(u.ID).After(seen) {
			t.Error("staying signed in did not move last_seen_at")
		}
	})
}

func TestSignInSaysWhyTheSessionEnded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for query, want := range map[string]string{
		"?timeout=idle&next=%2Fprojects": "You were signed out because you did nothing for 30 minutes. Sign in again to carry on.",
		"?timeout=limit":                 "You were signed out because you had been signed in for 12 hours, the longest allowed. Sign in again to carry on.",
		"?timeout=other":                 "",
	} {
		d := doc(t, e.client().get("/sign-in"+query))
		if got := text(d, "[data-testid=notice]"); got != want {
			t.Errorf("%s: notice %q, want %q", query, got, want)
		}
	}
	d := doc(t, e.client().get("/sign-in?timeout=idle&next=%2Fprojects"))
	if v, _ := d.Find("input[name=next]").Attr("value"); v != "/projects" {
		t.Errorf("next = %q: signing in again should go back", v)
	}
}
