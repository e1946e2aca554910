package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/jackc/pgx/v5"
)

// shortIdle is the idle timeout of the server these tests start: the
// warning, two minutes before the end, comes 15 seconds after a page loads.
const shortIdle = "2m15s"

// shortSessionServer starts a second server on the test database whose
// sessions time out after shortIdle, and returns its address.
func shortSessionServer(t *testing.T) string {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	base := "http://127.0.0.1:" + port
	logFile, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	// Later settings win over the shared server's.
	srv := exec.Command(serverBin, "serve")
	srv.Env = append(slices.Clone(serverEnv), "LISTEN_ADDR=127.0.0.1:"+port, "BASE_URL="+base, "SESSION_IDLE="+shortIdle)
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = srv.Process.Signal(os.Interrupt)
		_ = srv.Wait()
	})
	if err := waitReady(base + "/readyz"); err != nil {
		t.Fatalf("%v\n%s", err, tail(logFile.Name()))
	}
	return base
}

// signInAt signs in on the server at base.
func (b *tab) signInAt(base, email string) {
	b.t.Helper()
	b.do(chromedp.Navigate(base + "/sign-in"))
	b.fill("#email", email)
	b.fill("#password", demoPassword)
	b.click("form[action='/sign-in'] button[type=submit]")
	b.continuePastLinkReads()
	if p := b.path(); !strings.HasPrefix(p, "/projects") {
		b.fail("signing in went to %s", p)
	}
}

// waitFor polls a JavaScript condition until it holds.
func (b *tab) waitFor(what, js string, within time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(within)
	for !eval[bool](b, js) {
		if time.Now().After(deadline) {
			b.fail("waited %v for %s", within, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// sessionDB reads and moves the newest session of one person.
type sessionDB struct {
	t     *testing.T
	conn  *pgx.Conn
	email string
}

func openSessionDB(t *testing.T, email string) *sessionDB {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return &sessionDB{t: t, conn: conn, email: email}
}

const newestSession = `(SELECT s.id_hash FROM sessions s JOIN users u ON u.id = s.user_id
	WHERE u.email = $1 ORDER BY s.created_at DESC LIMIT 1)`

func (d *sessionDB) lastSeen() time.Time {
	d.t.Helper()
	var seen time.Time
	if err := d.conn.QueryRow(context.Background(),
		`SELECT last_seen_at FROM sessions WHERE id_hash = `+newestSession, d.email).Scan(&seen); err != nil {
		d.t.Fatal(err)
	}
	return seen
}

// idleFor plays the person leaving the computer alone for a while.
func (d *sessionDB) idleFor(interval string) {
	d.t.Helper()
	if _, err := d.conn.Exec(context.Background(),
		`UPDATE sessions SET last_seen_at = now() - $2::interval WHERE id_hash = `+newestSession, d.email, interval); err != nil {
		d.t.Fatal(err)
	}
}

func TestSessionTimeoutWarning(t *testing.T) {
	base := shortSessionServer(t)
	const email = "sian.williams@example.org"

	t.Run("JavaScriptOn", func(t *testing.T) {
		db := openSessionDB(t, email)
		b := newTab(t, true)
		b.signInAt(base, email)
		before := db.lastSeen()

		b.waitFor("the warning", `document.querySelector('#session-warning').open`, 30*time.Second)
		if role := eval[string](b, `document.querySelector('#session-warning').getAttribute('role')`); role != "alertdialog" {
			b.fail("the warning's role is %q", role)
		}
		if !eval[bool](b, `document.activeElement.matches('#session-warning [data-testid=stay-signed-in]')`) {
			b.fail("focus is on %q, not Stay signed in", eval[string](b, `document.activeElement.outerHTML.slice(0, 80)`))
		}
		got := b.text("#session-warning")
		for _, want := range []string{"You will be signed out soon", "done nothing for 2 minutes", "in less than 2 minutes"} {
			if !strings.Contains(got, want) {
				b.fail("the warning says %q, not %q", got, want)
			}
		}
		b.axe()
		b.checkReflow()

		// Stay signed in, by keyboard: the warning goes and the session's
		// idle clock restarts.
		b.do(chromedp.KeyEvent(kb.Enter))
		b.waitFor("the warning to close", `!document.querySelector('#session-warning').open`, 10*time.Second)
		if eval[bool](b, `!!document.activeElement.closest('#session-warning')`) {
			b.fail("focus stayed in the closed warning")
		}
		if got := b.text("#app-announce"); got != "You are still signed in." {
			b.fail("announced %q", got)
		}
		if after := db.lastSeen(); !after.After(before) {
			b.fail("last_seen_at did not move: %v then %v", before, after)
		}
		if p := b.path(); p != "/projects" {
			b.fail("staying signed in left the page for %s", p)
		}

		// Then nothing for the rest of the idle time: the warning comes
		// again, and at the end the sign-in page says why.
		db.idleFor("1 minute 55 seconds")
		b.waitFor("the warning again", `document.querySelector('#session-warning').open`, 30*time.Second)
		b.waitFor("the sign-in page", `location.pathname === '/sign-in'`, 30*time.Second)
		if p := b.path(); p != "/sign-in?timeout=idle&next=%2Fprojects" {
			b.fail("timed out to %s", p)
		}
		b.waitFor("the page to load", `document.readyState === 'complete'`, 10*time.Second)
		if got := b.text("[data-testid=notice]"); got != "You were signed out because you did nothing for 2 minutes. Sign in again to carry on." {
			b.fail("notice %q", got)
		}
		b.check()
	})

	t.Run("JavaScriptOff", func(t *testing.T) {
		db := openSessionDB(t, email)
		b := newTab(t, false)
		b.signInAt(base, email)
		before := db.lastSeen()

		// Every page says when the session ends, and links to the warning
		// page; looking at that does not count as activity.
		if got := b.text("[data-testid=session-noscript]"); !strings.Contains(got, "If you do nothing, you will be signed out at") {
			b.fail("without JavaScript the page says %q", got)
		}
		b.click("[data-testid=session-noscript] a")
		if p := b.path(); p != "/account/session?next=%2Fprojects" {
			b.fail("the link went to %s", p)
		}
		if got := b.text("[data-testid=session-ends]"); !strings.Contains(got, "you will be signed out at") {
			b.fail("the page says %q", got)
		}
		if after := db.lastSeen(); !after.Equal(before) {
			b.fail("the warning page moved last_seen_at: %v then %v", before, after)
		}

		// The button restarts the idle clock. (Signed in seconds ago, so
		// the post's own page view is too soon to move last_seen_at.)
		b.click("[data-testid=stay-signed-in]")
		if p := b.path(); p != "/projects" {
			b.fail("Stay signed in went to %s", p)
		}
		if after := db.lastSeen(); !after.After(before) {
			b.fail("last_seen_at did not move: %v then %v", before, after)
		}
	})
}
