package coproduce

import (
	"testing"
	"time"
)

func TestInvitedByCoSigner(t *testing.T) {
	signed := time.Date(2026, 3, 3, 15, 0, 0, 0, UK)
	sameDay, dayBefore := signed.Add(-3*time.Hour), signed.AddDate(0, 0, -1)
	lead := SignOff{UserID: 1, Role: RoleLead, SignedAt: signed}
	for name, c := range map[string]struct {
		so   SignOff
		want bool
	}{
		"InvitedByTheLeadThatDay":       {SignOff{UserID: 2, Role: RoleLayPartner, SignedAt: signed, InvitedByID: 1, JoinedAt: &sameDay}, true},
		"InvitedByTheLeadTheDayBefore":  {SignOff{UserID: 2, Role: RoleLayPartner, SignedAt: signed, InvitedByID: 1, JoinedAt: &dayBefore}, false},
		"InvitedBySomeoneWhoDidNotSign": {SignOff{UserID: 2, Role: RoleLayPartner, SignedAt: signed, InvitedByID: 9, JoinedAt: &sameDay}, false},
		"NotRecorded":                   {SignOff{UserID: 2, Role: RoleLayPartner, SignedAt: signed}, false},
	} {
		st := Stage{SignOffs: []SignOff{lead, c.so}}
		if got := st.InvitedByCoSigner(c.so); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}
