package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/demo"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// TestChangedRoleIsEmailed: through the real binary and a real mail
// server, Aisha (the stroke project's lead) makes Dr Priya Patel a
// facilitator, and Priya receives an email saying so in plain words.
func TestChangedRoleIsEmailed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := pgtest.Clone(t)
	var out strings.Builder
	getenv := envWith(map[string]string{"DATABASE_URL": dbURL})
	if err := run(ctx, []string{"demo"}, getenv, nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	mailbox := startMailbox(t)
	in := startServer(t, dbURL, map[string]string{"SMTP_URL": "smtp://" + mailbox.addr + "?tls=none"})
	conn := connect(t, dbURL)
	var projectID, priyaID int64
	var title string
	if err := conn.QueryRow(ctx, `
		SELECT p.id, p.title, u.id FROM projects p
		JOIN memberships m ON m.project_id = p.id JOIN users u ON u.id = m.user_id
		WHERE u.email = 'priya.patel@example.org' AND m.role = 'staff_partner' LIMIT 1`).Scan(&projectID, &title, &priyaID); err != nil {
		t.Fatal(err)
	}

	aisha := newBrowser(t)
	aisha.signIn(in.URL, "aisha.khan@example.org", demo.Password)
	project := "/projects/" + itoa(int(projectID))
	to := redirectAfterPost(t, aisha, in.URL+project+"/members/"+itoa(int(priyaID))+"/role", url.Values{"role": {"facilitator"}})
	if !strings.HasPrefix(to, project+"/members") {
		t.Fatalf("changing the role went to %s", to)
	}

	subject := "Your role in " + title + " has changed"
	waitUntil(t, 20*time.Second, "the email about the role delivered", func() bool { return len(mailbox.withSubject(subject)) == 1 })
	msg := mailbox.withSubject(subject)[0]
	if msg.to != "priya.patel@example.org" {
		t.Fatalf("sent to %s", msg.to)
	}
	body := strings.Join(strings.Fields(strings.NewReplacer("=\r\n", "", "=\n", "").Replace(msg.body)), " ")
	if !strings.Contains(body, "Aisha Khan has changed your role in "+title+". You were: Staff partner. You are now: Facilitator.") {
		t.Errorf("the email does not say what changed:\n%s", msg.body)
	}
}
