package postgres_test

import (
	"context"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Approval and sign-off rules depend on who brought each member in, so the
// membership keeps it whichever way the person joined.
func TestMembershipRecordsWhoInvitedTheMember(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	added := pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)

	in := coproduce.InvitationInput{Name: "Ann Invited", Email: "ann.invited@example.org", Role: coproduce.RoleLayPartner}
	token := []byte("membership-inviter-token-hash-01")
	if _, err := s.CreateInvitation(ctx, lead.ID, p.ID, in, token, coproduce.Email{To: in.Email, Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	invited, err := s.AcceptInvitation(ctx, token, in.Name)
	if err != nil {
		t.Fatal(err)
	}

	members, err := s.Members(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]int64{lead.ID: 0, added.ID: lead.ID, invited.ID: lead.ID}
	for _, m := range members {
		if m.InvitedBy != want[m.UserID] {
			t.Errorf("member %d InvitedBy = %d, want %d", m.UserID, m.InvitedBy, want[m.UserID])
		}
	}
	if len(members) != 3 {
		t.Errorf("%d members, want 3", len(members))
	}
}
