package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/demo"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/migrations"
)

// Two servers on different ports share one empty database, as two
// instances behind a load balancer do: they migrate it once between them,
// share sessions, and send each queued email once.
func TestTwoInstancesShareOneDatabase(t *testing.T) {
	t.Parallel()
	start := time.Now()
	dbURL := pgtest.Empty(t)
	mailbox := startMailbox(t)
	servers := startTogether(t, dbURL, map[string]string{"SMTP_URL": "smtp://" + mailbox.addr + "?tls=none"}, 2)
	a, b := servers[0], servers[1]
	for _, in := range servers {
		waitUntil(t, 20*time.Second, in.URL+"/readyz", func() bool { return statusOf(in.URL+"/readyz") == http.StatusOK })
	}
	t.Logf("both ready %s after starting on an empty database", time.Since(start).Round(time.Millisecond))
	conn := connect(t, dbURL)

	t.Run("MigrationsAppliedOnce", func(t *testing.T) { migrationsAppliedOnce(t, conn) })

	var out strings.Builder
	if err := run(context.Background(), []string{"demo"}, envWith(map[string]string{"DATABASE_URL": dbURL}), nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}

	t.Run("SessionMadeOnOneWorksOnTheOther", func(t *testing.T) { sharedSession(t, a, b) })
	t.Run("EachEmailSentOnce", func(t *testing.T) { eachEmailSentOnce(t, conn, mailbox, servers) })
	t.Logf("whole test %s", time.Since(start).Round(time.Millisecond))
}

// migrationsAppliedOnce checks goose's and River's records: every
// migration is there exactly once.
func migrationsAppliedOnce(t *testing.T, conn *pgx.Conn) {
	files, _ := fs.Glob(migrations.FS, "*.sql")
	var distinct, rows int
	if err := conn.QueryRow(context.Background(),
		`SELECT count(DISTINCT version_id), count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&distinct, &rows); err != nil {
		t.Fatal(err)
	}
	if distinct != len(files) || rows != len(files) {
		t.Errorf("goose_db_version has %d rows for %d migrations; want each of %d once", rows, distinct, len(files))
	}
	var riverRows, riverDistinct int
	if err := conn.QueryRow(context.Background(),
		`SELECT count(*), count(DISTINCT version) FROM river_migration`).Scan(&riverRows, &riverDistinct); err != nil {
		t.Fatal(err)
	}
	if riverRows == 0 || riverRows != riverDistinct {
		t.Errorf("river_migration has %d rows for %d versions", riverRows, riverDistinct)
	}
}

// sharedSession signs in on a, uses the session on b, signs out on b, and
// checks that a no longer accepts the session, even from a copy of the
// cookie that the sign-out did not clear.
func sharedSession(t *testing.T, a, b *instance) {
	person := demo.People[0]
	visitor := newBrowser(t)
	visitor.signIn(a.URL, person.Email, demo.Password)
	status, body, err := visitor.get(b.URL + "/projects")
	if err != nil || status != http.StatusOK || !strings.Contains(body, person.Name) {
		t.Fatalf("the session from A on B: %d %v (want 200 naming %s)", status, err, person.Name)
	}
	stolen := newBrowser(t)
	aURL, _ := url.Parse(a.URL)
	stolen.client.Jar.SetCookies(aURL, visitor.client.Jar.Cookies(aURL))

	if status, _, err := visitor.post(b.URL+"/sign-out", ""); err != nil || status != http.StatusSeeOther {
		t.Fatalf("sign out on B: %d %v", status, err)
	}
	for name, c := range map[string]*browser{"the same browser": visitor, "a copy of the old cookie": stolen} {
		if to := redirectOf(t, c, a.URL+"/projects"); !strings.HasPrefix(to, "/sign-in") {
			t.Errorf("after signing out on B, %s on A goes to %q, want the sign-in page", name, to)
		}
	}
}

// eachEmailSentOnce asks for sign-in links through both instances in turn
// and checks the SMTP server receives each message exactly once.
func eachEmailSentOnce(t *testing.T, conn *pgx.Conn, mailbox *mailbox, servers []*instance) {
	const perPerson = 2 // the limit is 5 per address in 15 minutes
	asked := time.Now()
	want := map[string]int{}
	for round := range perPerson {
		for i, p := range demo.People {
			in := servers[(round+i)%len(servers)]
			form := url.Values{"link_email": {p.Email}}.Encode()
			if status, _, err := newBrowser(t).post(in.URL+"/sign-in/link", form); err != nil || status != http.StatusSeeOther {
				t.Fatalf("ask for a link for %s: %d %v", p.Email, status, err)
			}
			want[p.Email]++
		}
	}
	total := perPerson * len(demo.People)
	took := waitUntil(t, 20*time.Second, "every sign-in link sent", func() bool {
		return countRows(t, conn, `SELECT count(*) FROM emails WHERE kind = 'sign_in_link' AND status = 'sent'`) == total &&
			len(mailbox.withSubject(signInSubject)) >= total
	})
	t.Logf("%d emails delivered %s after the last was queued (%s after the first was asked for)", total,
		took.Round(time.Millisecond), time.Since(asked).Round(time.Millisecond))
	// A second instance sending the same message would do so at about the
	// same moment; give it the chance before counting.
	time.Sleep(time.Second)
	got := map[string]int{}
	for _, m := range mailbox.withSubject(signInSubject) {
		got[m.to]++
	}
	for email, n := range want {
		if got[email] != n {
			t.Errorf("%s received %d sign-in emails, want %d", email, got[email], n)
		}
	}
	if n := countRows(t, conn, `SELECT count(*) FROM emails WHERE kind = 'sign_in_link' AND (status <> 'sent' OR attempts <> 1)`); n != 0 {
		t.Errorf("%d sign-in emails not recorded as sent in exactly one attempt", n)
	}
	for i, in := range servers {
		if strings.Contains(in.logs.String(), `"level":"ERROR"`) {
			t.Errorf("instance %d logged an error:\n%s", i, in.logs)
		}
	}
}

// signInSubject is the subject of the "email me a link" message.
const signInSubject = "Your link to sign in to Coproduce"

// startTogether starts n servers on one database at the same moment, so
// that they race to migrate it, and waits until each is listening. They
// are separate processes, as real instances are, so that nothing held in
// one process's memory can pass for shared state.
func startTogether(t *testing.T, dbURL string, extra map[string]string, n int) []*instance {
	t.Helper()
	servers := make([]*instance, n)
	for i := range servers {
		servers[i], _ = launchProcess(t, dbURL, extra)
	}
	for _, in := range servers {
		in.URL = waitListening(t, in.logs, in.exited)
	}
	return servers
}

// statusOf fetches a URL and returns the status, or 0 if it fails.
func statusOf(u string) int {
	res, err := http.Get(u)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// redirectOf fetches a page as the browser and returns where it is sent,
// or "" if it is not redirected.
func redirectOf(t *testing.T, b *browser, u string) string {
	t.Helper()
	res, err := b.client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		return ""
	}
	return res.Header.Get("Location")
}

func countRows(t *testing.T, conn *pgx.Conn, query string) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// mailbox is a real SMTP server on a loopback port that keeps every
// message it is given.
type mailbox struct {
	addr     string
	mu       sync.Mutex
	received []receivedMail
}

// receivedMail is one message as delivered: to whom, its subject and
// headers, its raw MIME body, and its plain-text part.
type receivedMail struct {
	to, subject, body, text string
	header                  mail.Header
}

func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	m := &mailbox{}
	srv := smtp.NewServer(m)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return m
}

func (m *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailboxSession{m: m}, nil }

// all returns every message received so far.
func (m *mailbox) all() []receivedMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]receivedMail(nil), m.received...)
}

// withSubject returns the messages received with this subject.
func (m *mailbox) withSubject(subject string) []receivedMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []receivedMail
	for _, r := range m.received {
		if r.subject == subject {
			out = append(out, r)
		}
	}
	return out
}

type mailboxSession struct {
	m  *mailbox
	to []string
}

func (s *mailboxSession) Reset()                               { s.to = nil }
func (s *mailboxSession) Logout() error                        { return nil }
func (s *mailboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *mailboxSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return err
	}
	text, err := plainText(&mail.Message{Header: msg.Header, Body: bytes.NewReader(body)})
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	for _, to := range s.to {
		s.m.received = append(s.m.received, receivedMail{to: to, subject: subject, body: string(body), text: text, header: msg.Header})
	}
	return nil
}

// plainText returns a message's plain-text part, decoded.
func plainText(msg *mail.Message) (string, error) {
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		b, err := io.ReadAll(decodeBody(msg.Body, msg.Header.Get("Content-Transfer-Encoding")))
		return string(b), err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", nil
			}
			return "", err
		}
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/plain") {
			b, err := io.ReadAll(decodeBody(part, part.Header.Get("Content-Transfer-Encoding")))
			return string(b), err
		}
	}
}

func decodeBody(r io.Reader, encoding string) io.Reader {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r)
	}
	return r
}
