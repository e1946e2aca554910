package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func offlineMember(name string) coproduce.OfflineMember {
	return coproduce.OfflineMember{Name: name, Role: coproduce.RoleLayPartner, Agreed: coproduce.ContactPhone, Confirm: true,
		Contact: coproduce.MemberContact{Way: coproduce.ContactPhone, Phone: "01632 960 001", Address: "1 High Street\nCardiff"}}
}

func TestTwoMembersWithoutEmailAreAllowedAndEmailStaysUnique(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)

	a, err := s.AddOfflineMember(ctx, lead.ID, p.ID, offlineMember("Dorothy Price"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.AddOfflineMember(ctx, lead.ID, p.ID, offlineMember("Arthur Price"))
	if err != nil {
		t.Fatalf("a second member without email: %v", err)
	}
	if _, err := s.CreateUser(ctx, coproduce.NewUser{Name: "No email either", Role: coproduce.RolePartner}, ""); err != nil {
		t.Errorf("a third account without email: %v", err)
	}
	_, err = s.CreateUser(ctx, coproduce.NewUser{Email: strings.ToUpper(lead.Email), Name: "Copy", Role: coproduce.RoleStaff}, "")
	if !errors.Is(err, coproduce.ErrConflict) {
		t.Errorf("same email again: err = %v, want ErrConflict", err)
	}
	members, err := s.Members(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, m := range members {
		if m.UserID == a || m.UserID == b {
			found++
			if m.Email != "" || m.ContactWay != coproduce.ContactPhone || m.AgreedWay != coproduce.ContactPhone ||
				m.JoinedOnBehalfBy != lead.ID || m.JoinedOnBehalfByName != lead.Name {
				t.Errorf("member = %+v", m)
			}
		}
	}
	if found != 2 {
		t.Errorf("found %d of the two members without email", found)
	}
	c, err := s.MemberContact(ctx, p.ID, a)
	if err != nil || c.Phone != "01632 960 001" || c.Address != "1 High Street\nCardiff" {
		t.Errorf("contact = %+v, %v", c, err)
	}
	// Nobody signs in as someone with no email.
	if _, err := s.UserByEmail(ctx, ""); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("UserByEmail(\"\") = %v, want ErrNotFound", err)
	}
}

func TestNewsForAProjectWithAMemberWithoutEmailSendsToOthersOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	other := pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	dot, err := s.AddOfflineMember(ctx, lead.ID, p.ID, offlineMember("Dorothy Price"))
	if err != nil {
		t.Fatal(err)
	}
	news := coproduce.News{Kind: coproduce.NewsMeeting, ProjectID: p.ID, ActorID: lead.ID, Path: "/projects",
		Audience: coproduce.Audience{Members: true},
		Write: func(rc coproduce.Recipient, path string) coproduce.Notice {
			return coproduce.Notice{Line: "news for " + rc.Name, Link: path,
				Email: coproduce.Email{To: rc.Email, ToName: rc.Name, Subject: "News", Text: "news"}}
		}}
	if err := s.Announce(ctx, news); err != nil {
		t.Fatalf("news to a project with a member without email: %v", err)
	}
	emails, err := s.Emails(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, e := range emails {
		if e.Subject == "News" {
			to = append(to, e.To)
		}
	}
	if len(to) != 1 || to[0] != other.Email {
		t.Errorf("news emailed to %q, want only %q", to, other.Email)
	}
	// Dorothy's facilitator sees it on her behalf: it is on her Updates
	// page, and nothing waits for a digest to an address she has not got.
	updates, _, err := s.Updates(ctx, dot, 1, 10)
	if err != nil || len(updates) != 1 {
		t.Errorf("Dorothy's updates = %v, %v", updates, err)
	}
	due, err := s.DueDigests(ctx, time.Now().Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range due {
		if rc.UserID == dot {
			t.Errorf("a digest is due to Dorothy, who has no email: %+v", rc)
		}
	}
}

func TestAJoinCodeGivesTheSameMemberAnEmailAndPasswordOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	dot, err := s.AddOfflineMember(ctx, lead.ID, p.ID, offlineMember("Dorothy Price"))
	if err != nil {
		t.Fatal(err)
	}
	first := postgres.HashToken("FIRSTCOD")
	code := postgres.HashToken("K7DM4QXT")
	if err := s.CreateJoinCode(ctx, lead.ID, p.ID, dot, first); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateJoinCode(ctx, lead.ID, p.ID, dot, code); err != nil {
		t.Fatal(err)
	}
	if _, err := s.JoinCodeByHash(ctx, first); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("an earlier letter's code: err = %v, want ErrNotFound", err)
	}
	c, err := s.JoinCodeByHash(ctx, code)
	if err != nil || c.UserID != dot || c.ProjectID != p.ID || c.Name != "Dorothy Price" {
		t.Fatalf("code = %+v, %v", c, err)
	}
	if _, err := s.UseJoinCode(ctx, code, strings.ToUpper(lead.Email), "hash"); !errors.Is(err, coproduce.ErrConflict) {
		t.Errorf("someone else's email: err = %v, want ErrConflict", err)
	}
	u, err := s.UseJoinCode(ctx, code, "dorothy@example.org", "hash")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != dot || u.Email != "dorothy@example.org" || u.PasswordHash != "hash" {
		t.Errorf("user = %+v", u)
	}
	if _, err := s.UseJoinCode(ctx, code, "again@example.org", "hash"); !errors.Is(err, postgres.ErrInvitationClosed) {
		t.Errorf("the code again: err = %v, want ErrInvitationClosed", err)
	}
	if err := s.CreateJoinCode(ctx, lead.ID, p.ID, dot, postgres.HashToken("ANOTHER1")); !errors.Is(err, postgres.ErrHasEmail) {
		t.Errorf("a letter for a member with email: err = %v, want ErrHasEmail", err)
	}
}

func TestErasingAMemberWithoutEmailClearsHowToReachThem(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	admin := pgtest.User(t, s, coproduce.RoleAdmin)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	dot, err := s.AddOfflineMember(ctx, lead.ID, p.ID, offlineMember("Dorothy Price"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateJoinCode(ctx, lead.ID, p.ID, dot, postgres.HashToken("K7DM4QXT")); err != nil {
		t.Fatal(err)
	}
	if err := s.EraseUser(ctx, admin.ID, dot); err != nil {
		t.Fatalf("erasing a person without email: %v", err)
	}
	c, err := s.MemberContact(ctx, p.ID, dot)
	if err != nil || c.Phone != "" || c.Address != "" {
		t.Errorf("contact after erasure = %+v, %v", c, err)
	}
	if _, err := s.JoinCodeByHash(ctx, postgres.HashToken("K7DM4QXT")); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("code after erasure: err = %v, want ErrNotFound", err)
	}
	if _, err := s.PersonalData(ctx, lead.ID); err != nil {
		t.Error(err)
	}
}

func TestAnInvitationAcceptedByPhoneSaysWhoRecordedIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	inv, err := s.CreateInvitation(ctx, lead.ID, p.ID, coproduce.InvitationInput{Name: "Ray Phone", Email: "ray@example.org",
		Role: coproduce.RoleLayPartner}, postgres.HashToken("invitation-token-for-ray-phone"), coproduce.Email{To: "ray@example.org", Subject: "Invitation"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AcceptInvitationByPhone(ctx, lead.ID, p.ID, inv.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.Invitation(ctx, p.ID, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != coproduce.InvitationAccepted || got.AcceptedBy != lead.Name || got.AcceptedWay != coproduce.ContactPhone || got.RespondedAt == nil {
		t.Errorf("invitation = %+v", got)
	}
	u, err := s.UserByEmail(ctx, "ray@example.org")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Member(ctx, p.ID, u.ID)
	if err != nil || m.JoinedOnBehalfBy != lead.ID || m.AgreedWay != coproduce.ContactPhone {
		t.Errorf("member = %+v, %v", m, err)
	}
	if err := s.AcceptInvitationByPhone(ctx, lead.ID, p.ID, inv.ID); !errors.Is(err, postgres.ErrInvitationClosed) {
		t.Errorf("accepting twice: err = %v, want ErrInvitationClosed", err)
	}
}
