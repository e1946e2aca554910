package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// TestOutboxLinkReadIsToldAtNextSignIn: with no mail server, an
// administrator opening a message whose sign-in link still works is
// audited, and the person is told at their next sign-in, once, who read it
// and when. Once used, the link shows as spent and is no longer shown.
func TestOutboxLinkReadIsToldAtNextSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	person := pgtest.User(t, e.store, coproduce.RolePartner)
	adminUser := pgtest.User(t, e.store, coproduce.RoleAdmin)
	admin := e.signedIn(adminUser)

	res := e.client().open(t, "/sign-in").form("Email me a sign-in link").fill("Email address", person.Email).submit()
	wantRedirect(t, res, "/sign-in/link-sent")
	link := e.lastLink(person.Email, "/sign-in/link/")
	token := strings.TrimPrefix(link, "/sign-in/link/")
	var id int64
	if err := e.tx.QueryRow(t.Context(), `SELECT max(id) FROM emails WHERE to_address = $1`, person.Email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	message := "/admin/outbox/" + itoa(id)

	opened := admin.open(t, message)
	if !strings.Contains(text(opened.doc, "[data-testid=email-body]"), token) {
		t.Fatal("with no mail server, a working link is not shown to pass on")
	}
	if !strings.Contains(text(opened.doc, "[data-testid=link-state]"), "we will tell "+person.Name) {
		t.Errorf("the page does not say the reading is told: %q", text(opened.doc, "[data-testid=link-state]"))
	}
	readAt := time.Now().In(coproduce.UK).Format("15:04")
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'outbox.read' AND actor_id = $1 AND subject = $2`,
		adminUser.ID, "email:"+itoa(id)); n != 1 {
		t.Errorf("%d audit events for reading the link", n)
	}

	// The person signs in with the link, and is told before going on.
	c := e.client()
	res = c.open(t, link).form("Sign in").submit()
	wantRedirect(t, res, "/account/link-read")
	told := c.follow(t, res)
	want := "Your sign-in link was read by the administrator " + adminUser.Name + " at "
	if got := text(told.doc, "[data-testid=link-reads]"); !strings.Contains(got, want) || !strings.Contains(got, readAt) {
		t.Errorf("the notice says %q, want %q and %s", got, want, readAt)
	}
	// On to where they were going, where (having not told us yet) they are
	// asked their language.
	if href := told.doc.Find("a.nhsuk-button").AttrOr("href", ""); href != "/projects?ask-language=1" {
		t.Errorf("continue goes to %q", href)
	}
	// Told once: the next sign-in goes straight on.
	res = e.client().open(t, "/sign-in").form("Sign in").fill("Email address", person.Email).fill("Password", pgtest.Password).submit()
	wantRedirect(t, res, "/projects")
	if again := c.get("/account/link-read?next=/projects"); again.Code != http.StatusSeeOther {
		t.Errorf("the notice shown twice: %d", again.Code)
	}

	// Used, the link is spent: the outbox no longer shows it, and reading
	// it again is not a reading of a live link.
	spent := admin.open(t, message)
	if strings.Contains(spent.doc.Text(), token) {
		t.Error("the outbox shows a spent link")
	}
	if got := text(spent.doc, "[data-testid=link-state]"); !strings.Contains(got, "Link used or expired") {
		t.Errorf("link state %q", got)
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'outbox.read'`); n != 1 {
		t.Errorf("%d outbox.read events after opening a spent link", n)
	}
	// The list says so too, without opening the message.
	if n := admin.open(t, "/admin/outbox").doc.Find("[data-testid=link-spent]").Length(); n != 1 {
		t.Errorf("the outbox list marks %d messages' links as spent, want 1", n)
	}

	// An expired link is spent too.
	e.client().open(t, "/sign-in").form("Email me a sign-in link").fill("Email address", person.Email).submit()
	token2 := strings.TrimPrefix(e.lastLink(person.Email, "/sign-in/link/"), "/sign-in/link/")
	e.exec(`UPDATE sign_in_links SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL`)
	var id2 int64
	if err := e.tx.QueryRow(t.Context(), `SELECT max(id) FROM emails WHERE to_address = $1`, person.Email).Scan(&id2); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(admin.open(t, "/admin/outbox/"+itoa(id2)).doc.Text(), token2) {
		t.Error("the outbox shows an expired link")
	}
}
