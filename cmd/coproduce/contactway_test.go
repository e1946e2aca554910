package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Through the real binary and a real SMTP server, acting on how a person
// asked to be contacted: Siân asks the demo project to write to her by
// letter, on her support form as it renders. When Tom moves the next
// workshop, Margaret and David are emailed the change at once; Siân is
// not, and finds it on her Updates page.
func TestAMemberWhoAskedForLettersIsNotEmailedTheProjectsNews(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	project, _ := demoDatabase(t, dbURL)
	mailbox := startMailbox(t)
	srv, _ := startProcess(t, dbURL, map[string]string{"SMTP_URL": "smtp://" + mailbox.addr + "?tls=none",
		"NOTIFY_GATHER": "5s"})
	conn := connect(t, dbURL)
	ctx := context.Background()
	var id int64
	var title string
	if err := conn.QueryRow(ctx, `SELECT id, title FROM meetings WHERE project_id = $1 AND title LIKE 'Second workshop%'`,
		project).Scan(&id, &title); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE users SET last_notice_at = NULL`); err != nil {
		t.Fatal(err)
	}

	sian := newBrowser(t)
	sian.signIn(srv.URL, "sian.williams@example.org", demoPassword)
	support := fmt.Sprintf("%s/projects/%d/support/me", srv.URL, project)
	if status, body := sian.submit(support, "Save", map[string]string{"Address (if we should write to you)": "2 Bridge Street\nLlanfair"},
		"By letter"); status != http.StatusSeeOther {
		t.Fatalf("Siân's support form: %d\n%s", status, body)
	}

	var since time.Time
	if err := conn.QueryRow(ctx, `SELECT now()`).Scan(&since); err != nil {
		t.Fatal(err)
	}
	tom := newBrowser(t)
	tom.signIn(srv.URL, "tom.evans@example.org", demoPassword)
	meeting := fmt.Sprintf("%s/projects/%d/meetings/%d", srv.URL, project, id)
	day := time.Now().In(coproduce.UK).AddDate(0, 0, 11).Format("2006-01-02")
	if status, body := tom.submit(meeting+"/edit", "Save the changes",
		map[string]string{"Date": day, "Starts at": "11:00", "Ends at": "13:00"}); status != http.StatusSeeOther {
		t.Fatalf("Tom moves the workshop: %d\n%s", status, body)
	}

	subject := "Meeting changed: " + title
	emailed := []string{"margaret.jones@example.org", "david.okafor@example.org"}
	waitUntil(t, 20*time.Second, "the change's emails to Margaret and David", func() bool {
		return len(mailbox.withSubject(subject)) >= len(emailed)
	})
	for _, to := range emailed {
		if len(mailbox.to(to)) == 0 {
			t.Errorf("%s, who asked for email, was not emailed the change", to)
		}
	}
	// Every email of the change was queued with the change; none is to her.
	var queued int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM emails WHERE to_address = 'sian.williams@example.org' AND created_at >= $1`,
		since).Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if got := mailbox.to("sian.williams@example.org"); queued != 0 || len(got) != 0 {
		t.Errorf("Siân asked for letters, but %d emails were queued to her and %d reached her: %q", queued, len(got), subjects(got))
	}
	if _, page, err := sian.get(srv.URL + "/updates"); err != nil || !strings.Contains(page, "has changed: "+html.EscapeString(title)) {
		t.Errorf("Siân's Updates page does not tell of the change (%v):\n%s", err, page)
	}
}
