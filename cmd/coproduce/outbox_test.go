package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/demo"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// signInToken reads the sign-in link's token from a message as the SMTP
// server received it (quoted-printable soft line breaks undone).
var signInToken = regexp.MustCompile(`/sign-in/link/([A-Za-z0-9_-]{20,})`)

// With a mail server configured, the outbox never shows a delivered
// message's sign-in link, and the stored copy no longer holds it; the
// person's link, from their mailbox, still signs them in.
func TestOutboxNeverShowsADeliveredLink(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	var out strings.Builder
	if err := run(context.Background(), []string{"demo"}, envWith(map[string]string{"DATABASE_URL": dbURL}), nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	mailbox := startMailbox(t)
	srv := startServer(t, dbURL, map[string]string{"SMTP_URL": "smtp://" + mailbox.addr + "?tls=none"})
	person := demo.People[3]

	form := url.Values{"link_email": {person.Email}}.Encode()
	if status, _, err := newBrowser(t).post(srv.URL+"/sign-in/link", form); err != nil || status != http.StatusSeeOther {
		t.Fatalf("ask for a link: %d %v", status, err)
	}
	var token string
	waitUntil(t, 20*time.Second, "the sign-in link delivered", func() bool {
		for _, m := range mailbox.withSubject(signInSubject) {
			body := strings.NewReplacer("=\r\n", "", "=\n", "").Replace(m.body)
			if mm := signInToken.FindStringSubmatch(body); m.to == person.Email && mm != nil {
				token = mm[1]
				return true
			}
		}
		return false
	})
	conn := connect(t, dbURL)
	var id int64
	waitUntil(t, 10*time.Second, "the message marked sent", func() bool {
		return conn.QueryRow(context.Background(), `SELECT id FROM emails WHERE to_address = $1 AND status = 'sent'`,
			person.Email).Scan(&id) == nil
	})

	admin := newBrowser(t)
	admin.signIn(srv.URL, "admin@example.org", demo.Password)
	status, page, err := admin.get(srv.URL + "/admin/outbox/" + strconv.FormatInt(id, 10))
	if err != nil || status != http.StatusOK {
		t.Fatalf("open the message: %d %v", status, err)
	}
	if strings.Contains(page, token) {
		t.Error("the outbox shows a delivered message's live sign-in link")
	}
	if !strings.Contains(page, "The mail server sent it to the person on") {
		t.Error("the outbox does not say that a link was sent, and when")
	}
	if n := countRows(t, conn, `SELECT count(*) FROM emails WHERE strpos(text_body, '`+token+`') > 0 OR strpos(html_body, '`+token+`') > 0`); n != 0 {
		t.Error("the stored copy of a delivered message still holds its link")
	}
	if n := countRows(t, conn, `SELECT count(*) FROM audit_events WHERE action = 'outbox.read'`); n != 0 {
		t.Errorf("%d outbox.read events: with a mail server, nobody reads a link", n)
	}

	// The link itself still works for the person it was sent to.
	visitor := newBrowser(t)
	if status, _, err := visitor.post(srv.URL+"/sign-in/link/"+token, ""); err != nil || status != http.StatusSeeOther {
		t.Errorf("the delivered link does not sign in: %d %v", status, err)
	}
}
