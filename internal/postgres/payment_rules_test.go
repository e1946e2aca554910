package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Only levels 3 and 4 are paid for their time: four members, one at each
// level, all accepting payments, attend one meeting; the two at levels 3
// and 4 get the short-session payment, the others nothing. (Found alive by
// `make mutate`: level 2 paid for time passed every test.)
func TestOnlyLevelsThreeAndFourArePaidForAttending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newClaimFixture(t, pgtest.Store(t))
	paid := map[int64]bool{}
	var all []int64
	for level := 1; level <= 4; level++ {
		u := pgtest.Member(t, f.s, f.p, coproduce.RolePartner, coproduce.RoleLayPartner)
		if err := f.s.SetPaymentLevel(ctx, f.lead.ID, f.p.ID, u.ID, level); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetPaymentChoice(ctx, f.p.ID, u.ID, coproduce.PaymentAccept); err != nil {
			t.Fatal(err)
		}
		paid[u.ID] = level >= 3
		all = append(all, u.ID)
	}
	start := time.Now().Add(-72 * time.Hour)
	mid, err := f.s.CreateMeeting(ctx, f.lead.ID, coproduce.Meeting{ProjectID: f.p.ID, Title: "Workshop", Venue: "Hall",
		StartsAt: start, EndsAt: start.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.RecordAttendance(ctx, f.lead.ID, f.p.ID, mid, all, ""); err != nil {
		t.Fatal(err)
	}
	claims := payments(f.s.Claims(ctx, f.p.ID, 0))
	got := map[int64]bool{}
	for _, c := range claims {
		got[c.UserID] = true
		if !paid[c.UserID] || c.Category != coproduce.PaymentShort || c.Amount != 7500 {
			t.Errorf("paid %+v", c)
		}
	}
	if len(got) != 2 {
		t.Errorf("%d members paid, want the 2 at levels 3 and 4", len(got))
	}
}

// The store itself refuses a decision from someone the rule does not allow
// (here a staff partner of the project deciding a lay partner's claim),
// whatever the page checked before: the claim stays submitted. DecideClaim's
// own check and the trigger of migration 14 both hold the rule, so taking
// out either one alone still passes (`make mutate` lists no such mutant).
func TestOnlyThoseAllowedDecideAClaim(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newClaimFixture(t, pgtest.Store(t))
	staff := pgtest.Member(t, f.s, f.p, coproduce.RoleStaff, coproduce.RoleStaffPartner)
	id := f.claim(t, 450)
	for _, approve := range []bool{true, false} {
		if err := f.s.DecideClaim(ctx, staff.ID, f.p.ID, id, approve, "Not mine to decide"); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("a staff partner deciding (approve %v): %v, want ErrForbidden", approve, err)
		}
	}
	claims, err := f.s.Claims(ctx, f.p.ID, 0)
	if err != nil || len(claims) != 1 || claims[0].Status != coproduce.ClaimSubmitted {
		t.Errorf("the claim after refused decisions: %+v, %v", claims, err)
	}
}
