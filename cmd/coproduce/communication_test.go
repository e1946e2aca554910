package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Through the real binary and a real SMTP server, acting on communication
// needs: David asked for emails in plain text only, and his reminder of
// the next workshop has no HTML part; Margaret asked for large print, and
// hers is HTML in larger text, linking the large-print version of the
// agenda (and the exercise sheets themselves, which have none).
func TestEmailsActOnCommunicationNeeds(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	project, _ := demoDatabase(t, dbURL)
	mailbox := startMailbox(t)
	_, _ = startProcess(t, dbURL, map[string]string{"SMTP_URL": "smtp://" + mailbox.addr + "?tls=none",
		"NOTIFY_GATHER": "5s"})
	conn := connect(t, dbURL)
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	var meeting, agenda, sheets, large int64
	var title string
	if err := conn.QueryRow(ctx, `SELECT id, title FROM meetings WHERE project_id = $1 AND title LIKE 'Second workshop%'`,
		project).Scan(&meeting, &title); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT
			(SELECT id FROM papers WHERE meeting_id = $1 AND version = 'standard' AND title LIKE 'Agenda%'),
			(SELECT id FROM papers WHERE meeting_id = $1 AND version = 'standard' AND title LIKE 'Exercise sheets%')`,
		meeting).Scan(&agenda, &sheets); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `
		INSERT INTO papers (meeting_id, version_of, version, title, file_name, content_type, size, data)
		SELECT meeting_id, id, 'large_print', title, 'Agenda (large print).txt', 'text/plain; charset=utf-8', 6, $2::bytea
		FROM papers WHERE id = $1 RETURNING id`, agenda, []byte("AGENDA")).Scan(&large); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE support_profiles SET plain_text_email = true
		WHERE project_id = $1 AND user_id = (SELECT id FROM users WHERE email = 'david.okafor@example.org')`, project)
	exec(`UPDATE users SET last_notice_at = NULL`)
	exec(`UPDATE meetings SET starts_at = now() + interval '20 hours', ends_at = now() + interval '22 hours', reminded_at = NULL
		WHERE id = $1`, meeting)

	reminder := func(to string) receivedMail {
		t.Helper()
		var got receivedMail
		waitUntil(t, 20*time.Second, "the reminder to "+to, func() bool {
			for _, m := range mailbox.withSubject("Tomorrow: " + title) {
				if strings.Contains(m.to, to) {
					got = m
					return true
				}
			}
			return false
		})
		return got
	}

	t.Run("PlainTextOnlyHasNoHTMLPart", func(t *testing.T) {
		m := reminder("david.okafor@example.org")
		mediaType, _, err := mime.ParseMediaType(m.header.Get("Content-Type"))
		if err != nil || mediaType != "text/plain" {
			t.Errorf("David's reminder is %q (%v), want text/plain alone", m.header.Get("Content-Type"), err)
		}
		if h, err := htmlPart(m); err != nil || h != "" {
			t.Errorf("David's reminder has an HTML part (%v):\n%s", err, h)
		}
		if !strings.Contains(m.text, "The papers for the meeting:") {
			t.Errorf("David's reminder lacks the papers:\n%s", m.text)
		}
	})

	t.Run("LargePrintIsHTMLInLargerTextWithTheLargePrintPapers", func(t *testing.T) {
		m := reminder("margaret.jones@example.org")
		h, err := htmlPart(m)
		if err != nil || !strings.Contains(h, "font-size: 24px") {
			t.Errorf("Margaret's reminder HTML (%v) is not in larger text:\n%s", err, h)
		}
		papers := fmt.Sprintf("/projects/%d/meetings/%d/papers/", project, meeting)
		for _, want := range []string{
			fmt.Sprintf("(Large print version): http://127.0.0.1%s%d", papers, large),
			fmt.Sprintf("Exercise sheets: first draft: http://127.0.0.1%s%d", papers, sheets),
		} {
			if !strings.Contains(m.text, want) {
				t.Errorf("Margaret's reminder lacks %q:\n%s", want, m.text)
			}
		}
		if strings.Contains(m.text, fmt.Sprintf("%s%d\n", papers, agenda)) {
			t.Errorf("Margaret's reminder links the standard agenda, which has a large-print version:\n%s", m.text)
		}
	})
}

// htmlPart returns a message's HTML part, decoded, or "" when it has none.
func htmlPart(m receivedMail) (string, error) {
	mediaType, params, err := mime.ParseMediaType(m.header.Get("Content-Type"))
	if err != nil {
		return "", err
	}
	if mediaType == "text/html" {
		b, err := io.ReadAll(decodeBody(strings.NewReader(m.body), m.header.Get("Content-Transfer-Encoding")))
		return string(b), err
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		return "", nil
	}
	mr := multipart.NewReader(bytes.NewReader([]byte(m.body)), params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/html") {
			b, err := io.ReadAll(decodeBody(part, part.Header.Get("Content-Transfer-Encoding")))
			return string(b), err
		}
	}
}
