package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/internal/server"
)

// signInWith fills the sign-in form as the page renders it.
func signInWith(t *testing.T, c *client, email, password string) *http.Response {
	t.Helper()
	return c.open(t, "/sign-in").form("Sign in").fill("Email address", email).fill("Password", password).submit().Result()
}

// askForLink fills the "email me a link" form as the page renders it.
func askForLink(t *testing.T, c *client, email string) *http.Response {
	t.Helper()
	return c.open(t, "/sign-in").form("Email me a sign-in link").fill("Email address", email).submit().Result()
}

// A stranger who knows someone's email address tries six wrong passwords
// and asks for six links (the finding): the password route pauses, but the
// owner still signs in at once with a link from their own mailbox, and
// after that the password route is open again.
func TestWrongPasswordsPauseOnlyThePasswordRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RoleStaff)
	stranger := e.client()
	for i := 1; i <= 5; i++ {
		if res := signInWith(t, stranger, u.Email, "wrong password"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong password %d: status %d", i, res.StatusCode)
		}
	}
	res := stranger.open(t, "/sign-in").form("Sign in").fill("Email address", u.Email).fill("Password", "wrong password").submit()
	wantStatus(t, res, http.StatusTooManyRequests)
	d := doc(t, res)
	if msg := text(d, "[data-testid=error-summary]"); !strings.Contains(msg, "paused for 15 minutes") || !strings.Contains(msg, "email link") {
		t.Errorf("the pause does not say what to do: %q", msg)
	}
	if v, _ := d.Find("input#link_email").Attr("value"); v != u.Email {
		t.Errorf("link form not filled in with the email: %q", v)
	}
	for range 6 {
		if res := askForLink(t, stranger, u.Email); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("link request: status %d", res.StatusCode)
		}
	}
	if n := e.count(`SELECT count(*) FROM emails WHERE to_address = $1`, u.Email); n != 3 {
		t.Errorf("%d link emails after the stranger's six requests, want 3 (no flood)", n)
	}

	// The owner, on another computer: the password is paused...
	owner := e.client()
	owner.addr = "[2001:db8:ffff::1]:443"
	if res := signInWith(t, owner, u.Email, pgtest.Password); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right password during the pause: status %d, want 429", res.StatusCode)
	}
	// ...but a link is never refused, and the newest in the mailbox works.
	res = owner.open(t, "/sign-in").form("Email me a sign-in link").fill("Email address", u.Email).submit()
	wantRedirect(t, res, "/sign-in/link-sent")
	link := e.lastLink(u.Email, "/sign-in/link/")
	wantRedirect(t, owner.open(t, link).form("Sign in").submit(), "/projects")
	wantStatus(t, owner.get("/projects"), http.StatusOK)
	// Signing in by link ends the pause the stranger caused.
	if res := signInWith(t, e.client(), u.Email, pgtest.Password); res.StatusCode != http.StatusSeeOther {
		t.Errorf("password after signing in by link: status %d, want 303", res.StatusCode)
	}
}

// Links for one email address are sent at most three in ten minutes; over
// that, the answer is the same and nothing is sent, since a link sent less
// than ten minutes ago (they last fifteen) is already in the mailbox.
func TestLinkRequestsNeverFloodAndNeverRefuse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RolePartner)
	for i := 1; i <= 8; i++ {
		res := e.client().open(t, "/sign-in").form("Email me a sign-in link").fill("Email address", u.Email).submit()
		wantRedirect(t, res, "/sign-in/link-sent")
	}
	if n := e.count(`SELECT count(*) FROM emails WHERE to_address = $1`, u.Email); n != 3 {
		t.Errorf("%d emails, want 3", n)
	}
	// When the ten minutes are over, a request sends a link again.
	e.exec(`UPDATE sign_in_failures SET window_started_at = now() - interval '11 minutes' WHERE key = $1`, "link:"+strings.ToLower(u.Email))
	wantRedirect(t, e.client().open(t, "/sign-in").form("Email me a sign-in link").fill("Email address", u.Email).submit(), "/sign-in/link-sent")
	if n := e.count(`SELECT count(*) FROM emails WHERE to_address = $1`, u.Email); n != 4 {
		t.Errorf("%d emails after the window, want 4", n)
	}
}

// A scanner behind the trust's proxy makes hundreds of failed sign-ins (the
// sqlmap run): it is slowed, by its own real address, and nobody behind the
// same proxy is refused. X-Forwarded-For is believed only from the proxy.
func TestOneAddressDoesNotLockOutOthersBehindTheProxy(t *testing.T) {
	t.Parallel()
	base := newEnv(t)
	e := newEnvConfigured(t, base.store, func(c *server.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	e.tx = base.tx
	behindProxy := func(real string) *client {
		c := e.client()
		c.addr = "10.1.2.3:40000"
		c.header.Set("X-Forwarded-For", real)
		return c
	}
	scanner := behindProxy("203.0.113.9")
	for i := range 55 {
		scanner.post("/sign-in", url.Values{"email": {"nobody" + strings.Repeat("x", i) + "@example.test"}, "password": {"' OR 1=1 --"}})
	}
	if n := e.count(`SELECT failures FROM sign_in_failures WHERE key = 'addr:203.0.113.9'`); n < 50 {
		t.Fatalf("the scanner's failures were counted as %d against its own address", n)
	}
	if n := e.count(`SELECT count(*) FROM sign_in_failures WHERE key = 'addr:10.1.2.3'`); n != 0 {
		t.Errorf("failures counted against the proxy's address")
	}

	// A colleague behind the same proxy signs in at once.
	colleague := pgtest.User(t, e.store, coproduce.RoleStaff)
	if res := signInWith(t, behindProxy("203.0.113.10"), colleague.Email, pgtest.Password); res.StatusCode != http.StatusSeeOther {
		t.Errorf("colleague behind the proxy: status %d, want 303", res.StatusCode)
	}
	// Someone at the scanner's own address is slowed, not refused.
	sameDesk := pgtest.User(t, e.store, coproduce.RolePartner)
	start := time.Now()
	if res := signInWith(t, behindProxy("203.0.113.9"), sameDesk.Email, pgtest.Password); res.StatusCode != http.StatusSeeOther {
		t.Errorf("person at the scanner's address: status %d, want 303 (slowed only)", res.StatusCode)
	}
	if time.Since(start) < 2*time.Second {
		t.Errorf("the scanner's address was not slowed (%s)", time.Since(start))
	}

	// A header from anyone but the proxy is ignored: it is whatever they typed.
	forger := e.client()
	forger.addr = "198.51.100.7:5000"
	forger.header.Set("X-Forwarded-For", "203.0.113.200")
	forger.post("/sign-in", url.Values{"email": {"nobody@example.test"}, "password": {"guess"}})
	if n := e.count(`SELECT count(*) FROM sign_in_failures WHERE key = 'addr:198.51.100.7'`); n != 1 {
		t.Errorf("a forged header moved the count away from the real address")
	}
	// Through the proxy, the rightmost address the proxy did not write is
	// the client; what the client wrote to the left of it is not believed.
	chain := e.client()
	chain.addr = "10.1.2.3:40001"
	chain.header.Set("X-Forwarded-For", "192.0.2.66, 203.0.113.77, 10.9.9.9")
	chain.post("/sign-in", url.Values{"email": {"nobody@example.test"}, "password": {"guess"}})
	if n := e.count(`SELECT count(*) FROM sign_in_failures WHERE key = 'addr:203.0.113.77'`); n != 1 {
		t.Errorf("the client's real address behind two proxies was not used")
	}
}

// Someone at an unlocked computer guesses the current password on the
// account page: the guesses count with the sign-in page's, and the sixth is
// refused even when right.
func TestChangePasswordCountsWrongCurrentPasswords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RoleStaff)
	c := e.signedIn(u)
	change := func(current string) *http.Response {
		return c.open(t, "/account").form("Save password").fill("Your current password", current).
			fill("New password", "a brand new passphrase").fill("Type it again", "a brand new passphrase").submit().Result()
	}
	for i := 1; i <= 5; i++ {
		if res := change("a wrong guess"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: status %d", i, res.StatusCode)
		}
	}
	res := c.open(t, "/account").form("Save password").fill("Your current password", pgtest.Password).
		fill("New password", "a brand new passphrase").fill("Type it again", "a brand new passphrase").submit()
	wantStatus(t, res, http.StatusTooManyRequests)
	if msg := text(doc(t, res), "[data-testid=error-summary]"); !strings.Contains(msg, "too many wrong passwords") {
		t.Errorf("no message: %q", msg)
	}
	// The password did not change, and the sign-in page counts the same.
	if res := signInWith(t, e.client(), u.Email, pgtest.Password); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("sign-in after six guesses on the account page: status %d, want 429", res.StatusCode)
	}
	e.exec(`DELETE FROM sign_in_failures`)
	if res := signInWith(t, e.client(), u.Email, "a brand new passphrase"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("the guessed-at change went through: status %d", res.StatusCode)
	}
}

// A lay partner posting ideas as fast as they can (the finding: 50 in 2.4
// seconds): the first five in a minute are saved; the sixth comes back with
// the words kept and a message to wait; nothing of it is saved. A minute
// later the same words go in.
func TestPostingIdeasTooFastKeepsTheWords(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	build := sp.path("/steps/build")
	suggest := func(title string) *httptest.ResponseRecorder {
		return sp.layC.open(t, build).form("Suggest this idea").fill("Your idea in a sentence", title).
			fill("Tell us more", "Because it matters to me.").submit()
	}
	for i := 1; i <= 5; i++ {
		wantRedirect(t, suggest("Idea number "+itoa(int64(i))), sp.path("/proposals/"))
	}
	res := suggest("The sixth idea, kept")
	wantStatus(t, res, http.StatusTooManyRequests)
	d := doc(t, res)
	if msg := text(d, "[data-testid=error-summary]"); !strings.Contains(msg, "Wait a minute") {
		t.Errorf("no clear message: %q", msg)
	}
	if v, _ := d.Find("input#title").Attr("value"); v != "The sixth idea, kept" {
		t.Errorf("title not kept: %q", v)
	}
	if v := d.Find("textarea#body").Text(); !strings.Contains(v, "Because it matters to me.") {
		t.Errorf("body not kept: %q", v)
	}
	if n := e.count(`SELECT count(*) FROM proposals WHERE project_id = $1`, sp.p.ID); n != 5 {
		t.Errorf("%d ideas saved, want 5", n)
	}
	if n := e.count(`SELECT count(*) FROM updates WHERE kind = 'new_idea' AND project_id = $1`, sp.p.ID); n != 5*3 {
		t.Errorf("%d updates of new ideas, want one for each of the 3 other members of each of the 5 saved", n)
	}
	// Other people are not held up by one person's limit.
	wantRedirect(t, sp.staffC.open(t, build).form("Suggest this idea").fill("Your idea in a sentence", "Staff idea").fill("Tell us more", "It helps.").submit(), sp.path("/proposals/"))
	// A minute on, the kept words are sent again and saved.
	e.exec(`UPDATE sign_in_failures SET window_started_at = now() - interval '61 seconds' WHERE key LIKE 'post:idea:%'`)
	wantRedirect(t, sp.layC.pageOf(t, build, res).form("Suggest this idea").submit(), sp.path("/proposals/"))
	if n := e.count(`SELECT count(*) FROM proposals WHERE title = 'The sixth idea, kept'`); n != 1 {
		t.Errorf("the kept idea was saved %d times", n)
	}
}

// Comments likewise: ten a minute, then the words come back with a message.
func TestPostingCommentsTooFastKeepsTheWords(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	idea := sp.propose(t, sp.staffC, "An idea to talk about")
	comment := func(body string) *httptest.ResponseRecorder {
		return sp.layC.open(t, idea).form("Send comment").fill("Your comment", body).submit()
	}
	for i := 1; i <= 10; i++ {
		wantRedirect(t, comment("Comment number "+itoa(int64(i))), idea)
	}
	res := comment("The eleventh comment, kept")
	wantStatus(t, res, http.StatusTooManyRequests)
	d := doc(t, res)
	if msg := text(d, "[data-testid=error-summary]"); !strings.Contains(msg, "Wait a minute") {
		t.Errorf("no clear message: %q", msg)
	}
	if v := d.Find("textarea#body").Text(); !strings.Contains(v, "The eleventh comment, kept") {
		t.Errorf("comment not kept: %q", v)
	}
	if n := e.count(`SELECT count(*) FROM comments WHERE author_id = $1`, sp.lay.ID); n != 10 {
		t.Errorf("%d comments saved, want 10", n)
	}
	e.exec(`UPDATE sign_in_failures SET window_started_at = now() - interval '61 seconds' WHERE key LIKE 'post:comment:%'`)
	wantRedirect(t, sp.layC.pageOf(t, idea, res).form("Send comment").submit(), idea)
	if n := e.count(`SELECT count(*) FROM comments WHERE body = 'The eleventh comment, kept'`); n != 1 {
		t.Errorf("the kept comment was saved %d times", n)
	}
}

// aMinutePasses ends every posting-limit window, as a minute passing would,
// for tests that make many posts as one person to set up a page.
func (sp *stepProject) aMinutePasses() {
	sp.e.exec(`UPDATE sign_in_failures SET window_started_at = now() - interval '61 seconds' WHERE key LIKE 'post:%'`)
}
