package mail_test

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	cpmail "github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
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

// The reminders the periodic job writes, a meeting tomorrow and an idea
// waiting for an answer, name the project by its Welsh title to those who
// chose Welsh and by its English title to the others, whether they come
// at once or in the daily digest; the claim news names it the same way.
// Each is read back from the test's SMTP server.
func TestRemindersNameTheProjectInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, 0)
	sender, err := cpmail.NewSMTPSender("smtp://"+srv.addr+"?tls=none", "Coproduce", "no-reply@coproduce.test")
	if err != nil {
		t.Fatal(err)
	}
	dbURL := pgtest.Clone(t)
	store, _ := newQueue(t, dbURL, sender)
	pool := pgtest.Pool(t, dbURL)
	ctx := context.Background()
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	// The Welsh title is the project's own, read from the database by the
	// job, not set on a value in the test.
	titleCy := "Prosiect Cymraeg " + strconv.FormatInt(p.ID, 10)
	if err := store.UpdateProject(ctx, lead.ID, p.ID, coproduce.ProjectInput{Title: p.Title, Summary: p.Summary,
		TitleCy: titleCy, Status: p.Status}); err != nil {
		t.Fatal(err)
	}
	welsh := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	english := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	facilitator := pgtest.Member(t, store, p, coproduce.RoleStaff, coproduce.RoleFacilitator)
	for _, u := range []*coproduce.User{lead, welsh} {
		if err := store.SetUserLanguage(ctx, u.ID, "cy"); err != nil {
			t.Fatal(err)
		}
	}
	// The partners hear at once; the lead and the facilitator, who hear
	// of the waiting idea as well, in their daily digest.
	for u, n := range map[*coproduce.User]coproduce.Notify{welsh: coproduce.NotifyImmediate, english: coproduce.NotifyImmediate,
		lead: coproduce.NotifyDaily, facilitator: coproduce.NotifyDaily} {
		if err := store.SetNotify(ctx, u.ID, n); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Now().Add(20 * time.Hour)
	if _, err := store.CreateMeeting(ctx, lead.ID, coproduce.Meeting{ProjectID: p.ID, Title: "Planning day",
		StartsAt: at, EndsAt: at.Add(time.Hour), Venue: "Library", FormToken: "reminder"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateProposal(ctx, welsh.ID, p.ID, coproduce.ProposalInput{Title: "Text reminders", Body: "B"}); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE proposals SET created_at = now() - interval '22 days' WHERE project_id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	catalog.Strict = true
	w := cpmail.Writer{L: catalog.Localizer(""), Catalog: catalog, BaseURL: "https://coproduce.test", OrgName: "Test trust"}
	// What the periodic job does (remindWorker, then digestWorker), in
	// order, so that the digests hold both reminders.
	now := time.Now()
	if n, err := store.RemindOfMeetings(ctx, now, func(m coproduce.Meeting, project coproduce.Project,
		needs map[int64]coproduce.SupportProfile, booked map[int64]coproduce.Arrangement, papers []coproduce.Paper) coproduce.News {
		return cpmail.MeetingReminder(w, m, project, needs, booked, papers...)
	}); err != nil || n != 1 {
		t.Fatalf("reminded of %d meetings (%v), want 1", n, err)
	}
	if n, err := store.TellOfWaitingIdeas(ctx, now, func(idea postgres.WaitingIdea) coproduce.News {
		return cpmail.IdeaWaiting(w, idea)
	}); err != nil || n != 1 {
		t.Fatalf("told of %d waiting ideas (%v), want 1", n, err)
	}
	due, err := store.DueDigests(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range due {
		if err := store.SendDigest(ctx, rc, func(items []coproduce.DigestItem) coproduce.Email {
			return cpmail.DigestEmail(w, rc, items)
		}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "four emails", func() bool { return len(srv.messages()) == 4 })
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
	check(welsh, "Yfory: Planning day", []string{"Nodyn atgoffa: mae Planning day yfory", "(" + titleCy + ")"}, []string{p.Title})
	check(english, "Tomorrow: Planning day", []string{"Reminder: Planning day is tomorrow", "(" + p.Title + ")"}, []string{titleCy})
	check(lead, "Beth sy'n newydd yn Coproduce", []string{"Nodyn atgoffa: mae Planning day yfory", "(" + titleCy + ")",
		`Mae'r syniad "Text reminders" yn ` + titleCy}, []string{p.Title})
	check(facilitator, "What is new in Coproduce", []string{"Reminder: Planning day is tomorrow", "(" + p.Title + ")",
		`The idea "Text reminders" in ` + p.Title}, []string{titleCy})
}

// The news of a decided claim names the project by the Welsh title the
// claim was read with, for a claimant who chose Welsh.
func TestClaimDecidedNamesTheProjectInWelsh(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := pgtest.Store(t)
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	titleCy := "Prosiect Cymraeg " + strconv.FormatInt(p.ID, 10)
	if err := store.UpdateProject(ctx, lead.ID, p.ID, coproduce.ProjectInput{Title: p.Title, Summary: p.Summary,
		TitleCy: titleCy, Status: p.Status}); err != nil {
		t.Fatal(err)
	}
	partner := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	id, err := store.CreateClaim(ctx, p.ID, partner.ID, postgres.NewClaim{Category: coproduce.Parking,
		IncurredOn: time.Now().AddDate(0, 0, -1), Amount: 450})
	if err != nil {
		t.Fatal(err)
	}
	c, err := store.ClaimFor(ctx, lead.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w := cpmail.Writer{L: catalog.Localizer(""), Catalog: catalog, BaseURL: "https://coproduce.test", OrgName: "Test trust"}
	n := cpmail.ClaimDecided(w, c, lead.ID, true, "")
	for lang, want := range map[string]string{"cy": titleCy, "en": p.Title} {
		line := n.Write(coproduce.Recipient{UserID: partner.ID, Name: partner.Name, Language: lang}, n.Path).Line
		if !strings.Contains(line, want) {
			t.Errorf("in %s the news reads %q, want the title %q", lang, line, want)
		}
	}
}
