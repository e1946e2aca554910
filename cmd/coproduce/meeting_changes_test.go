package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Through the real binary and a real SMTP server: Tom moves the demo's next
// workshop, and every lay partner is emailed at once with the new time and
// the calendar file's link; the day before, each one's reminder says what
// has been arranged for their own needs, and nobody else's.
func TestMeetingChangesAndRemindersReachInviteesByEmail(t *testing.T) {
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
	var id int64
	var title string
	var seq int
	if err := conn.QueryRow(ctx, `SELECT id, title, sequence FROM meetings WHERE project_id = $1 AND title LIKE 'Second workshop%'`,
		project).Scan(&id, &title, &seq); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE users SET last_notice_at = NULL`)

	tom := newBrowser(t)
	tom.signIn(srv.URL, "tom.evans@example.org", demoPassword)
	meeting := fmt.Sprintf("%s/projects/%d/meetings/%d", srv.URL, project, id)
	day := time.Now().In(coproduce.UK).AddDate(0, 0, 10).Format("2006-01-02")
	status, body, err := tom.post(meeting+"/edit", url.Values{"title": {title}, "date": {day}, "start": {"10:30"},
		"end": {"12:30"}, "venue": {"Llanfair library, community room, Bridge Street"}, "step_free": {"yes"},
		"accessible_toilet": {"yes"}, "parking": {"yes"}, "sequence": {strconv.Itoa(seq)}}.Encode())
	if err != nil || status != http.StatusSeeOther {
		t.Fatalf("edit: %d %v\n%s", status, err, body)
	}
	partners := []string{"margaret.jones@example.org", "david.okafor@example.org", "sian.williams@example.org"}
	waitUntil(t, 20*time.Second, "the change's emails", func() bool {
		return len(mailbox.withSubject("Meeting changed: "+title)) >= len(partners)
	})
	for _, to := range partners {
		var got []receivedMail
		for _, m := range mailbox.withSubject("Meeting changed: " + title) {
			if strings.Contains(m.to, to) {
				got = append(got, m)
			}
		}
		if len(got) != 1 {
			t.Errorf("%s got %d change emails, want 1", to, len(got))
			continue
		}
		for _, want := range []string{"10:30 to 12:30", fmt.Sprintf("/projects/%d/meetings/%d/calendar.ics", project, id)} {
			if !strings.Contains(got[0].text, want) {
				t.Errorf("%s's email lacks %q:\n%s", to, want, got[0].text)
			}
		}
	}
	if got := mailbox.withSubject("Meeting changed: " + title); len(got) != len(partners) {
		t.Errorf("%d change emails, want one to each lay partner (staff hear in their digest; Tom made the change)", len(got))
	}

	// Margaret says she is coming; Tom books her papers in large print and
	// a taxi, and records both on the meeting's arrangements.
	margaretBrowser := newBrowser(t)
	margaretBrowser.signIn(srv.URL, partners[0], demoPassword)
	if status, body := margaretBrowser.submit(meeting, "Send my answer", nil, "Yes, I am coming"); status != http.StatusSeeOther {
		t.Fatalf("Margaret's reply: %d\n%s", status, body)
	}
	var margaretID int64
	if err := conn.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, partners[0]).Scan(&margaretID); err != nil {
		t.Fatal(err)
	}
	taxi := "A taxi will collect you from home at 9:45am."
	status, body = tom.submit(fmt.Sprintf("%s/arrangements/%d", meeting, margaretID), "Save",
		map[string]string{"Anything else arranged (optional)": taxi}, "Large print")
	if status != http.StatusSeeOther {
		t.Fatalf("Tom's arrangements for Margaret: %d\n%s", status, body)
	}
	if _, page, _ := margaretBrowser.get(meeting); !strings.Contains(page, "Arranged for you") || !strings.Contains(page, taxi) {
		t.Errorf("Margaret's meeting page does not say what is arranged for her:\n%s", page)
	}

	// The day before: the meeting is moved to tomorrow (its reminder due
	// again), and time passes since the last emails.
	exec(`UPDATE users SET last_notice_at = NULL`)
	exec(`UPDATE meetings SET starts_at = now() + interval '20 hours', ends_at = now() + interval '22 hours', reminded_at = NULL
		WHERE id = $1`, id)
	waitUntil(t, 20*time.Second, "the reminders", func() bool {
		return len(mailbox.withSubject("Tomorrow: "+title)) >= len(partners)
	})
	reminder := func(to string) string {
		for _, m := range mailbox.withSubject("Tomorrow: " + title) {
			if strings.Contains(m.to, to) {
				return m.text
			}
		}
		t.Fatalf("no reminder to %s", to)
		return ""
	}
	margaret, david, sian := reminder(partners[0]), reminder(partners[1]), reminder(partners[2])
	for _, want := range []string{"Arranged for you:", "- Step-free access", "- An accessible toilet", "- Large print",
		"The organisers have also arranged: " + taxi} {
		if !strings.Contains(margaret, want) {
			t.Errorf("Margaret's reminder lacks %q:\n%s", want, margaret)
		}
	}
	// Her breaks are not booked, so she is asked to check those; her large
	// print is, so it is no longer among them.
	if _, toCheck, _ := strings.Cut(margaret, "contact the organiser:"); !strings.Contains(toCheck, "- Regular breaks") ||
		strings.Contains(toCheck, "- Large print") {
		t.Errorf("Margaret's reminder asks her to check the wrong needs:\n%s", margaret)
	}
	if strings.Contains(margaret, "hearing loop") {
		t.Errorf("Margaret's reminder tells of David's needs:\n%s", margaret)
	}
	for _, want := range []string{"The venue does not have", "- A hearing loop"} {
		if !strings.Contains(david, want) {
			t.Errorf("David's reminder lacks %q:\n%s", want, david)
		}
	}
	if strings.Contains(david, "Step-free") || strings.Contains(david, "Large print") || strings.Contains(david, "taxi") {
		t.Errorf("David's reminder tells of Margaret's needs:\n%s", david)
	}
	if strings.Contains(sian, "Arranged for you") || strings.Contains(sian, "The venue does not have") {
		t.Errorf("Siân told the project of no needs, but her reminder lists some:\n%s", sian)
	}
}
