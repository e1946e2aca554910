package mail_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// smtpServer is a real SMTP server on a loopback port that records what it
// receives, and can refuse the first few messages with a temporary error.
type smtpServer struct {
	mu       sync.Mutex
	received []string
	refuse   int
	addr     string
}

func startSMTP(t *testing.T, refuse int) *smtpServer {
	t.Helper()
	return startSMTPAt(t, "127.0.0.1:0", refuse)
}

// startSMTPAt starts the server on a given address.
func startSMTPAt(t *testing.T, addr string, refuse int) *smtpServer {
	t.Helper()
	s := &smtpServer{refuse: refuse}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }

func (s *smtpServer) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.received...)
}

type smtpSession struct{ s *smtpServer }

func (x *smtpSession) Reset()                                    {}
func (x *smtpSession) Logout() error                             { return nil }
func (x *smtpSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error { return nil }
func (x *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.refuse > 0 {
		x.s.refuse--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	x.s.received = append(x.s.received, string(b))
	return nil
}

func newQueue(t *testing.T, dbURL string, sender mail.Sender) (*postgres.Store, *mail.Queue) {
	t.Helper()
	pool := pgtest.Pool(t, dbURL)
	store := postgres.NewStore(pool)
	q, err := mail.New(pool, store, mail.Config{Sender: sender, Workers: 4, RetryBase: 200 * time.Millisecond,
		PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	return store.WithMailQueue(q), q
}

func queue(t *testing.T, store *postgres.Store, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		id, err := store.QueueEmail(context.Background(), coproduce.Email{
			To: fmt.Sprintf("person%d@example.test", i), ToName: "Person", Subject: fmt.Sprintf("Message %d", i),
			Text: "Hello\nfollow https://coproduce.test/x", HTML: "<p>Hello</p>", Kind: "test",
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func statuses(t *testing.T, store *postgres.Store, ids []int64) map[coproduce.EmailStatus]int {
	t.Helper()
	out := map[coproduce.EmailStatus]int{}
	for _, id := range ids {
		e, err := store.Email(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		out[e.Status]++
	}
	return out
}

func TestWithoutSMTPMessagesLandInTheOutbox(t *testing.T) {
	t.Parallel()
	store, _ := newQueue(t, pgtest.Clone(t), nil)
	ids := queue(t, store, 3)
	waitFor(t, "the outbox", func() bool { return statuses(t, store, ids)[coproduce.EmailOutbox] == 3 })
}

func TestSMTPDeliveryRetriesAfterAFailure(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, 1)
	sender, err := mail.NewSMTPSender("smtp://"+srv.addr+"?tls=none", "Coproduce", "no-reply@coproduce.test")
	if err != nil {
		t.Fatal(err)
	}
	store, _ := newQueue(t, pgtest.Clone(t), sender)
	ids := queue(t, store, 1)
	waitFor(t, "delivery", func() bool { return statuses(t, store, ids)[coproduce.EmailSent] == 1 })
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages received, want 1", len(msgs))
	}
	for _, want := range []string{"Subject: Message 0", "text/plain", "text/html", "https://coproduce.test/x"} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("message lacks %q:\n%s", want, msgs[0])
		}
	}
	e, _ := store.Email(context.Background(), ids[0])
	if e.Attempts != 2 {
		t.Errorf("attempts = %d, want 2 (one refused, one delivered)", e.Attempts)
	}
}

func TestMessagesWaitWhileTheMailServerIsDownAndGoWhenItReturns(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing answers here until the mail server "returns"
	sender, err := mail.NewSMTPSender("smtp://"+addr+"?tls=none", "Coproduce", "no-reply@coproduce.test")
	if err != nil {
		t.Fatal(err)
	}
	store, _ := newQueue(t, pgtest.Clone(t), sender)
	ids := queue(t, store, 5)
	waitFor(t, "failed attempts", func() bool {
		for _, id := range ids {
			if e, err := store.Email(context.Background(), id); err != nil || e.Attempts < 2 {
				return false
			}
		}
		return true
	})
	if st := statuses(t, store, ids); st[coproduce.EmailQueued] != 5 {
		t.Fatalf("with the mail server down: %v, want all 5 still queued", st)
	}
	srv := startSMTPAt(t, addr, 0)
	waitFor(t, "delivery once the mail server is back", func() bool { return statuses(t, store, ids)[coproduce.EmailSent] == 5 })
	if n := len(srv.messages()); n != 5 {
		t.Errorf("%d messages received, want 5", n)
	}
}

func TestTwoWorkersNeverSendAMessageTwice(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, 0)
	sender, err := mail.NewSMTPSender("smtp://"+srv.addr+"?tls=none", "Coproduce", "no-reply@coproduce.test")
	if err != nil {
		t.Fatal(err)
	}
	dbURL := pgtest.Clone(t)
	store, _ := newQueue(t, dbURL, sender)
	newQueue(t, dbURL, sender) // a second instance on the same database
	ids := queue(t, store, 30)
	waitFor(t, "delivery", func() bool { return statuses(t, store, ids)[coproduce.EmailSent] == 30 })
	time.Sleep(300 * time.Millisecond) // time for any duplicate to arrive
	seen := map[string]int{}
	for _, m := range srv.messages() {
		for _, line := range strings.Split(m, "\r\n") {
			if strings.HasPrefix(line, "Subject: ") {
				seen[line]++
			}
		}
	}
	if len(seen) != 30 {
		t.Errorf("%d distinct messages, want 30", len(seen))
	}
	for subject, n := range seen {
		if n != 1 {
			t.Errorf("%s received %d times", subject, n)
		}
	}
}

func TestBadSMTPURLs(t *testing.T) {
	for _, u := range []string{"http://x", "smtp://", "smtp://host:port", "smtp://host?tls=maybe"} {
		if _, err := mail.NewSMTPSender(u, "", "a@b.test"); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
}
