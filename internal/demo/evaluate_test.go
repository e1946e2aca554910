package demo_test

import (
	"slices"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// The stroke project has a closed round of the principles check whose
// figures show for both groups, differing on one principle, with partners
// experiencing less than step 4 chose; and checks after its first
// workshop, one of which still waits for Margaret.
func TestDemoHasBeenEvaluated(t *testing.T) {
	t.Parallel()
	l := loadDemo(t)
	id := l.stroke()
	results, err := l.store.PrinciplesResults(l.ctx, id)
	l.must(err)
	if len(results) != 1 || results[0].Round.Open() {
		t.Fatalf("%d rounds, want one closed round", len(results))
	}
	r := results[0]
	if !r.Lay.Shown() || !r.Staff.Shown() {
		t.Errorf("figures shown: lay partners %v, staff %v; want both", r.Lay.Shown(), r.Staff.Shown())
	}
	if gaps := r.Gaps(); !slices.Equal(gaps, []coproduce.Principle{coproduce.PrincipleBlurringRoles}) {
		t.Errorf("partners and staff differ on %v, want blurring roles alone", gaps)
	}
	approach, err := l.store.Approach(l.ctx, id)
	l.must(err)
	if !r.BelowDeclared(coproduce.DeclaredPLevel(approach.Level)) {
		t.Errorf("partners place the project at %d, not below what step 4 chose (%s)", r.Lay.Level, approach.Level)
	}
	if r.Round.ClosedAt == nil || !r.Round.OpenedAt.Before(*r.Round.ClosedAt) {
		t.Error("the round's dates are out of order")
	}

	checks, err := l.store.MeetingCheckResults(l.ctx, id)
	l.must(err)
	if len(checks) != 1 || checks[0].Staff.Answered != 3 || !checks[0].Staff.Shown() || checks[0].Lay.Answered != 1 || checks[0].Lay.Shown() {
		t.Fatalf("checks after meetings: %+v; want the first workshop, staff's figures shown, one partner's answer hidden", checks)
	}
	present, mine, err := l.store.MeetingCheckFor(l.ctx, checks[0].Meeting.ID, l.people["Margaret Jones"].ID)
	l.must(err)
	if !present || mine != nil {
		t.Error("Margaret was at the first workshop and has still to say how it went")
	}
}
