package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// News of a new idea, in a project where one member takes part without
// email, reaches the others' mailboxes, through a real SMTP server, and
// the member without email on her Updates page.
func TestNewsStillReachesOthersWhenAMemberHasNoEmail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := startSMTP(t, 0)
	sender, err := mail.NewSMTPSender("smtp://"+srv.addr+"?tls=none", "Coproduce", "no-reply@coproduce.test")
	if err != nil {
		t.Fatal(err)
	}
	store, _ := newQueue(t, pgtest.Clone(t), sender)
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	other := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	dorothy, err := store.AddOfflineMember(ctx, lead.ID, p.ID, coproduce.OfflineMember{Name: "Dorothy Price",
		Role: coproduce.RoleLayPartner, Agreed: coproduce.ContactPhone, Confirm: true,
		Contact: coproduce.MemberContact{Way: coproduce.ContactPost, Address: "1 High Street"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetNotify(ctx, other.ID, coproduce.NotifyImmediate); err != nil {
		t.Fatal(err)
	}
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	catalog.Strict = true
	w := mail.Writer{L: catalog.Localizer(""), BaseURL: "https://coproduce.test", OrgName: "Test trust"}
	n := mail.NewIdea(w, p, lead, "Text reminders before visits")
	n.PathFor = nil
	n.Path = "/projects"
	if err := store.Announce(ctx, n); err != nil {
		t.Fatalf("news in a project with a member without email: %v", err)
	}
	waitFor(t, "the email to the other member", func() bool { return len(srv.messages()) >= 1 })
	msgs := srv.messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "Text reminders before visits") {
		t.Errorf("%d messages, want 1 about the idea: %q", len(msgs), msgs)
	}
	updates, _, err := store.Updates(ctx, dorothy, 1, 10)
	if err != nil || len(updates) != 1 || !strings.Contains(updates[0].Line, "Text reminders before visits") {
		t.Errorf("Dorothy's updates = %v, %v", updates, err)
	}
}
