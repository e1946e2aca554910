package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Through the real binary and a real SMTP server: an idea answered emails
// its author at once, with the headers that mark it automatic and offer a
// one-click unsubscribe, and a link to the Updates page; a staff partner's
// new ideas of the day come in one digest; and the unsubscribe link, POSTed
// as a mail program does (no session, no form token), turns only that
// kind of email off.
func TestNotificationEmailsThroughTheBinary(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	project, _ := demoDatabase(t, dbURL)
	mailbox := startMailbox(t)
	srv, _ := startProcess(t, dbURL, map[string]string{"SMTP_URL": "smtp://" + mailbox.addr + "?tls=none",
		"NOTIFY_GATHER": "5s"})
	conn := connect(t, dbURL)
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	// Priya had today's digest already: the day's news waits for the next.
	exec(`UPDATE users SET last_digest_at = now() WHERE email = 'priya.patel@example.org'`)

	margaret := newBrowser(t)
	margaret.signIn(srv.URL, "margaret.jones@example.org", demoPassword)
	build := fmt.Sprintf("%s/projects/%d/steps/build", srv.URL, project)
	suggest := func(title string) string {
		t.Helper()
		_, page, err := margaret.get(build)
		m := formToken.FindStringSubmatch(page)
		if err != nil || m == nil {
			t.Fatalf("build page: %v", err)
		}
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/projects/%d/proposals", srv.URL, project),
			strings.NewReader(url.Values{"form_token": {m[1]}, "title": {title}, "body": {"Why it matters."}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := margaret.client.Do(req)
		if err != nil || res.StatusCode != http.StatusSeeOther {
			t.Fatalf("suggest %q: %v %v", title, res, err)
		}
		res.Body.Close()
		return srv.URL + strings.SplitN(res.Header.Get("Location"), "?", 2)[0]
	}
	first := suggest("Bus times on the letter")
	suggest("A quiet room at the clinic")

	t.Run("AnsweredIdeaEmailsItsAuthorAtOnce", func(t *testing.T) {
		aisha := newBrowser(t)
		aisha.signIn(srv.URL, "aisha.khan@example.org", demoPassword)
		status, body, err := aisha.post(first+"/respond", url.Values{"response": {"adopted"}, "rationale": {"Cheap and useful"}}.Encode())
		if err != nil || status != http.StatusSeeOther {
			t.Fatalf("answer: %d %v\n%s", status, err, body)
		}
		waitUntil(t, 15*time.Second, "the answer's email", func() bool {
			return len(mailbox.withSubject("Your idea has been answered: Bus times on the letter")) == 1
		})
		m := mailbox.withSubject("Your idea has been answered: Bus times on the letter")[0]
		if !strings.Contains(m.to, "margaret.jones@example.org") {
			t.Errorf("sent to %s", m.to)
		}
		for h, want := range map[string]string{"Auto-Submitted": "auto-generated", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"} {
			if got := m.header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
		unsub := m.header.Get("List-Unsubscribe")
		if !strings.HasPrefix(unsub, "<http://127.0.0.1/unsubscribe/") || !strings.HasSuffix(unsub, ">") {
			t.Fatalf("List-Unsubscribe: %q", unsub)
		}
		for _, want := range []string{"Cheap and useful", "http://127.0.0.1/updates", strings.Trim(unsub, "<>")} {
			if !strings.Contains(m.text, want) {
				t.Errorf("the email lacks %q:\n%s", want, m.text)
			}
		}

		t.Run("OneClickUnsubscribeChangesOnlyThatKind", func(t *testing.T) {
			path := strings.TrimPrefix(strings.Trim(unsub, "<>"), "http://127.0.0.1")
			// As a mail provider sends it (RFC 8058): no cookie, no origin.
			res, err := http.Post(srv.URL+path, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("one-click POST: %v %v", res, err)
			}
			res.Body.Close()
			rows, err := conn.Query(ctx, `
				SELECT np.kind || '=' || np.notify FROM notify_preferences np JOIN users u ON u.id = np.user_id
				WHERE u.email = 'margaret.jones@example.org' ORDER BY np.kind`)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				got = append(got, s)
			}
			if strings.Join(got, " ") != "answered=none" {
				t.Errorf("Margaret's choices after unsubscribing: %v, want only answers turned off", got)
			}
		})
	})

	t.Run("DailyDigestGathersTheDaysNews", func(t *testing.T) {
		time.Sleep(2 * time.Second) // the digest job runs: nothing is due yet
		if got := mailbox.to("priya.patel@example.org"); len(got) != 0 {
			t.Fatalf("Priya got %v before her digest was due", subjects(got))
		}
		exec(`UPDATE users SET last_digest_at = now() - interval '25 hours' WHERE email = 'priya.patel@example.org'`)
		waitUntil(t, 15*time.Second, "Priya's digest", func() bool { return len(mailbox.to("priya.patel@example.org")) > 0 })
		time.Sleep(2 * time.Second) // a second digest would come now
		got := mailbox.to("priya.patel@example.org")
		if len(got) != 1 || got[0].subject != digestSubject {
			t.Fatalf("Priya got %v, want one digest", subjects(got))
		}
		for _, want := range []string{"Bus times on the letter", "A quiet room at the clinic", "http://127.0.0.1/updates"} {
			if !strings.Contains(got[0].text, want) {
				t.Errorf("the digest lacks %q:\n%s", want, got[0].text)
			}
		}
		if got[0].header.Get("List-Unsubscribe") == "" || got[0].header.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("digest headers: %v", got[0].header)
		}
	})
}
