package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Communication needs are kept with the support needs a person tells one
// project, and how to contact them on their membership; the short tags are
// read only for those who chose to share them, each reading audited.
func TestCommunicationNeeds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	ann := pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	bob := pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)

	saved := coproduce.SupportProfile{ProjectID: p.ID, UserID: ann.ID, LargePrint: true, ScreenReader: true, Braille: true,
		Audio: true, PlainTextEmail: true, Advocate: true, LanguageInterpreter: "Polish", ShareFlags: true,
		Contact: coproduce.MemberContact{Way: coproduce.ContactText, Phone: "07700 900 982"}}
	if err := s.SaveSupportProfile(ctx, saved); err != nil {
		t.Fatal(err)
	}
	// Bob tells of needs but keeps them off the tags.
	if err := s.SaveSupportProfile(ctx, coproduce.SupportProfile{ProjectID: p.ID, UserID: bob.ID, EasyRead: true}); err != nil {
		t.Fatal(err)
	}

	t.Run("KeptAndReadBack", func(t *testing.T) {
		got, err := s.SupportProfile(ctx, ann.ID, p.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.ScreenReader || !got.Braille || !got.Audio || !got.PlainTextEmail || !got.Advocate || !got.ShareFlags ||
			!got.LargePrint || got.LanguageInterpreter != "Polish" {
			t.Errorf("needs read back: %+v", got)
		}
		if got.Contact.Way != coproduce.ContactText || got.Contact.Phone != "07700 900 982" {
			t.Errorf("contact read back: %+v", got.Contact)
		}
		c, err := s.MemberContact(ctx, p.ID, ann.ID)
		if err != nil || c.Way != coproduce.ContactText {
			t.Errorf("the membership's contact way: %+v %v (one place for it, as taking part offline keeps it)", c, err)
		}
	})

	t.Run("FlagsOnlyForThoseWhoShareAndEachReadAudited", func(t *testing.T) {
		reads := func() int {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'support.read' AND actor_id = $1
				AND subject = $2 AND after->>'flags' = 'true'`, lead.ID, fmt.Sprintf("user:%d", ann.ID)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := reads()
		flags, err := s.CommunicationFlags(ctx, lead.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(flags) != 1 || flags[0].UserID != ann.ID {
			t.Fatalf("flags: %+v, want Ann's alone (Bob did not choose to share)", flags)
		}
		want := "large_print screen_reader braille audio plain_text_email language_interpreter advocate"
		if got := strings.Join(flags[0].Needs, " "); got != want || flags[0].Contact != coproduce.ContactText ||
			flags[0].Language != "Polish" || flags[0].Version != coproduce.PaperLargePrint {
			t.Errorf("Ann's flag: %+v, want needs %q, contact by text", flags[0], want)
		}
		if n := reads(); n != before+1 {
			t.Errorf("flag reads audited: %d then %d, want one more", before, n)
		}
		var bobRead int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'support.read' AND subject = $1`,
			fmt.Sprintf("user:%d", bob.ID)).Scan(&bobRead); err != nil || bobRead != 0 {
			t.Errorf("Bob's needs read %d times (%v), want none", bobRead, err)
		}
		rs, err := s.SupportReads(ctx, p.ID, ann.ID)
		if err != nil || len(rs) == 0 {
			t.Errorf("Ann does not see the reading on her page: %v %v", rs, err)
		}
	})

	t.Run("EmailsTakeTheFormatAsked", func(t *testing.T) {
		html := "<p>Hello</p>\n"
		body := func(to string) (string, string) {
			t.Helper()
			id, err := s.QueueEmail(ctx, coproduce.Email{To: to, ToName: "X", Subject: "Hi", Text: "Hello\n", HTML: html, Kind: "test"})
			if err != nil {
				t.Fatal(err)
			}
			e, err := s.Email(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return e.Text, e.HTML
		}
		if text, h := body(strings.ToUpper(ann.Email)); h != "" || text != "Hello\n" {
			t.Errorf("Ann asked for plain text (and large print): html %q text %q, want no HTML", h, text)
		}
		if err := s.SaveSupportProfile(ctx, coproduce.SupportProfile{ProjectID: p.ID, UserID: bob.ID, LargePrint: true}); err != nil {
			t.Fatal(err)
		}
		if _, h := body(bob.Email); !strings.Contains(h, "font-size: 24px") || !strings.Contains(h, html) {
			t.Errorf("Bob asked for large print: html %q, want the HTML in larger text", h)
		}
		if _, h := body(lead.Email); h != html {
			t.Errorf("the lead asked for nothing: html %q, want it as written", h)
		}
		if _, h := body("nobody@example.test"); h != html {
			t.Errorf("an address with no account: html %q, want it as written", h)
		}
	})
}
