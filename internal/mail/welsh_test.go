package mail_test

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	cpmail "github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// readMessage reads a message as a mail program would: its decoded subject
// and its plain-text body.
func readMessage(t *testing.T, raw string) (to, subject, text string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, _ = dec.DecodeHeader(m.Header.Get("Subject"))
	to = m.Header.Get("To")
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			continue
		}
		var r io.Reader = p
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			r = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		text = string(b)
	}
	return to, subject, text
}

// The same news, a meeting arranged, reaches a member who chose Welsh in
// Welsh, with the day and month in Welsh, and a member who chose nothing
// in English: each in the recipient's language, never the sender's.
func TestEachRecipientGetsTheirOwnLanguage(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, 0)
	sender, err := cpmail.NewSMTPSender("smtp://"+srv.addr+"?tls=none", "Coproduce", "no-reply@coproduce.test")
	if err != nil {
		t.Fatal(err)
	}
	store, _ := newQueue(t, pgtest.Clone(t), sender)
	ctx := context.Background()
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	welsh := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	english := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	if err := store.SetUserLanguage(ctx, welsh.ID, "cy"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*coproduce.User{welsh, english} {
		if err := store.SetNotify(ctx, u.ID, coproduce.NotifyImmediate); err != nil {
			t.Fatal(err)
		}
	}
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	catalog.Strict = true
	// The project has a Welsh title: the Welsh speaker reads it, the
	// English speaker the English one.
	p.TitleCy = "Prosiect " + p.Title
	// The lead's own page is in English; that must not matter.
	w := cpmail.Writer{L: catalog.Localizer("en"), Catalog: catalog, BaseURL: "https://coproduce.test", OrgName: "Test trust"}
	m := coproduce.Meeting{ID: 7, ProjectID: p.ID, Title: "Planning day",
		StartsAt: time.Date(2027, time.March, 3, 10, 30, 0, 0, coproduce.UK)}
	if err := store.Announce(ctx, cpmail.MeetingChanged(w, p, lead.ID, m, "meeting_arranged")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two emails", func() bool { return len(srv.messages()) == 2 })
	got := map[string][2]string{}
	for _, raw := range srv.messages() {
		to, subject, text := readMessage(t, raw)
		got[to] = [2]string{subject, text}
	}
	check := func(u *coproduce.User, subject string, says, never []string) {
		t.Helper()
		var msg [2]string
		for to, m := range got {
			if strings.Contains(to, u.Email) {
				msg = m
			}
		}
		if msg[0] != subject {
			t.Errorf("%s: subject %q, want %q", u.Email, msg[0], subject)
		}
		for _, s := range says {
			if !strings.Contains(msg[1], s) {
				t.Errorf("%s: the email lacks %q:\n%s", u.Email, s, msg[1])
			}
		}
		for _, s := range never {
			if strings.Contains(msg[1], s) {
				t.Errorf("%s: the email has %q:\n%s", u.Email, s, msg[1])
			}
		}
	}
	check(welsh, "Cyfarfod newydd: Planning day",
		[]string{"Helo " + welsh.Name, "Mae cyfarfod wedi'i drefnu yn " + p.TitleCy, "Dydd Mercher 3 Mawrth, 10:30", "Eich holl ddiweddariadau"},
		[]string{"Hello", "A meeting has been arranged", "March", "Wednesday"})
	check(english, "New meeting: Planning day",
		[]string{"Hello " + english.Name, "A meeting has been arranged in " + p.Title, "Wednesday 3 March, 10:30"},
		[]string{"Helo", "Mawrth", p.TitleCy})
}
