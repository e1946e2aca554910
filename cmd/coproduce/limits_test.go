package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

const (
	newIdeaSubjectPrefix = "New idea in "
	gatheredSubject      = "New in your Coproduce projects"
	digestSubject        = "What is new in Coproduce"
)

var formToken = regexp.MustCompile(`name="form_token" value="([^"]+)"`)

// One lay partner posts 50 ideas as fast as the server answers (the
// finding: 1,200 emails queued). Through the real binary and a real SMTP
// server: at most 5 ideas a minute are taken, the rest refused with their
// words kept; each member who wants news soon gets one email at once and
// one gathered email after the gather interval naming the rest, never one
// per idea; and a member who chose a daily summary gets it (issue 15: the
// daily digest was never delivered).
func TestFastPostingSendsEachMemberAtMostOneEmailPerInterval(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	project, _ := demoDatabase(t, dbURL)
	mailbox := startMailbox(t)
	conn := connect(t, dbURL)
	// Who will hear: every other member of the project, each of whom
	// chose to hear of new ideas at once, and of nothing else by email (the
	// demo's own news, such as its ideas waiting for an answer, would
	// otherwise come too).
	if _, err := conn.Exec(context.Background(), `
		INSERT INTO notify_preferences (user_id, kind, notify)
		SELECT u.id, k.kind, CASE k.kind WHEN 'new_idea' THEN 'immediate' ELSE 'none' END
		FROM users u CROSS JOIN unnest($1::text[]) AS k (kind)
		ON CONFLICT (user_id, kind) DO UPDATE SET notify = excluded.notify`, coproduce.NewsKinds); err != nil {
		t.Fatal(err)
	}
	const gather = 8 * time.Second
	srv, _ := startProcess(t, dbURL, map[string]string{"SMTP_URL": "smtp://" + mailbox.addr + "?tls=none",
		"NOTIFY_GATHER": gather.String()})
	type member struct {
		email, notify string
	}
	rows, _ := conn.Query(context.Background(), `
		SELECT u.email, 'immediate' FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = $1 AND u.email <> 'margaret.jones@example.org' AND NOT u.disabled ORDER BY u.email`, project)
	members, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (member, error) {
		var m member
		return m, r.Scan(&m.email, &m.notify)
	})
	if err != nil || len(members) < 2 {
		t.Fatalf("members: %v (%d)", err, len(members))
	}
	// One of them chooses a daily summary of everything on their account
	// page.
	daily := members[0].email
	b := newBrowser(t)
	b.signIn(srv.URL, daily, demoPassword)
	choices := url.Values{}
	for _, k := range coproduce.NewsKinds {
		choices.Set("notify-"+string(k), "daily")
	}
	if status, body, err := b.post(srv.URL+"/account/notifications", choices.Encode()); err != nil || status != http.StatusSeeOther {
		t.Fatalf("choose daily: %d %v\n%s", status, err, body)
	}
	members[0].notify = "daily"
	// A daily summary goes as soon as news waits for someone who has had
	// none for a day. As if theirs went out a day ago less 15 seconds, the
	// next comes after all five ideas, however slowly this machine takes
	// them: at once, it named the first two alone on a slow run.
	if _, err := conn.Exec(context.Background(), `
		UPDATE users SET last_digest_at = now() - interval '1 day' + interval '15 seconds' WHERE email = $1`, daily); err != nil {
		t.Fatal(err)
	}

	margaret := newBrowser(t)
	margaret.signIn(srv.URL, "margaret.jones@example.org", demoPassword)
	build := fmt.Sprintf("%s/projects/%d/steps/build", srv.URL, project)
	// Each idea is sent from a form of its own (the same form sent twice
	// makes one idea), as a person opening the page again would.
	tokens := make([]string, 50)
	for i := range tokens {
		_, page, err := margaret.get(build)
		m := formToken.FindStringSubmatch(page)
		if err != nil || m == nil {
			t.Fatalf("build page: %v", err)
		}
		tokens[i] = m[1]
	}
	start := time.Now()
	statuses := map[int]int{}
	for i := 1; i <= 50; i++ {
		m := []string{"", tokens[i-1]}
		status, body, err := margaret.post(fmt.Sprintf("%s/projects/%d/proposals", srv.URL, project), url.Values{
			"form_token": {m[1]}, "title": {fmt.Sprintf("Quick idea %02d", i)}, "body": {"Posted in a hurry."}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		statuses[status]++
		if status == http.StatusTooManyRequests && !strings.Contains(body, fmt.Sprintf("Quick idea %02d", i)) {
			t.Fatalf("idea %d refused without its words kept", i)
		}
	}
	t.Logf("50 ideas posted in %s: %v", time.Since(start).Round(time.Millisecond), statuses)
	if statuses[http.StatusSeeOther] != 5 || statuses[http.StatusTooManyRequests] != 45 {
		t.Errorf("answers %v, want 5 saved (303) and 45 refused (429)", statuses)
	}

	// Within the interval: one email each, at once, for the first idea.
	soon := 0
	for _, mb := range members {
		if mb.notify == "immediate" {
			soon++
		}
	}
	waitUntil(t, 15*time.Second, "the first idea's emails", func() bool { return len(mailbox.withSubjectPrefix(newIdeaSubjectPrefix)) >= soon })
	time.Sleep(time.Until(start.Add(gather - time.Second)))
	for _, mb := range members {
		got := mailbox.to(mb.email)
		if len(got) > 1 {
			t.Errorf("%s got %d emails within %s: %v", mb.email, len(got), gather, subjects(got))
		}
	}
	// After it: one gathered email naming the other four ideas, and the
	// daily member's digest naming all five.
	waitUntil(t, 30*time.Second, "the gathered emails and the digest", func() bool {
		return len(mailbox.withSubject(gatheredSubject)) >= soon && len(mailbox.withSubject(digestSubject)) >= 1
	})
	time.Sleep(3 * time.Second) // anything extra would come now
	for _, mb := range members {
		got := mailbox.to(mb.email)
		switch mb.notify {
		case "immediate":
			if len(got) != 2 || !strings.HasPrefix(got[0].subject, newIdeaSubjectPrefix) || got[1].subject != gatheredSubject {
				t.Errorf("%s got %v, want one new-idea email then one gathered email", mb.email, subjects(got))
				continue
			}
			for i := 2; i <= 5; i++ {
				if !strings.Contains(got[1].text, fmt.Sprintf("Quick idea %02d", i)) {
					t.Errorf("%s's gathered email does not name idea %d:\n%s", mb.email, i, got[1].text)
				}
			}
		case "daily":
			if len(got) != 1 || got[0].subject != digestSubject {
				t.Errorf("%s (daily) got %v, want one digest", mb.email, subjects(got))
				continue
			}
			for i := 1; i <= 5; i++ {
				if !strings.Contains(got[0].text, fmt.Sprintf("Quick idea %02d", i)) {
					t.Errorf("the digest does not name idea %d:\n%s", i, got[0].text)
				}
			}
		}
	}
	if total := len(mailbox.all()); total > 2*len(members) {
		t.Errorf("%d emails in all for %d members", total, len(members))
	}
	t.Logf("%d emails in all for %d members", len(mailbox.all()), len(members))
}

func subjects(ms []receivedMail) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.subject
	}
	return out
}

// to returns the messages received for one address, in order.
func (m *mailbox) to(address string) []receivedMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []receivedMail
	for _, r := range m.received {
		if strings.Contains(r.to, address) {
			out = append(out, r)
		}
	}
	return out
}

func (m *mailbox) withSubjectPrefix(prefix string) []receivedMail {
	var out []receivedMail
	for _, r := range m.all() {
		if strings.HasPrefix(r.subject, prefix) {
			out = append(out, r)
		}
	}
	return out
}
