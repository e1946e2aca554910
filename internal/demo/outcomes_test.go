package demo_test

import (
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// The demo's Evaluate section: Aisha's readiness check has answers to look
// at again; outcomes suggested by lay partners and by staff are agreed,
// measured and read, every reading in the past and in date order, from a
// named source; and one suggestion waits for an answer.
func TestDemoEvaluates(t *testing.T) {
	t.Parallel()
	l := loadDemo(t)
	checks, err := l.store.ReadinessChecks(l.ctx, l.stroke())
	l.must(err)
	if len(checks) != 1 || checks[0].AnsweredBy != "Aisha Khan" || len(checks[0].Warnings()) == 0 {
		t.Errorf("readiness checks %+v, want Aisha's with answers to look at again", checks)
	}
	outcomes, err := l.store.Outcomes(l.ctx, l.stroke())
	l.must(err)
	agreed, open := 0, 0
	roles := map[coproduce.ProjectRole]bool{}
	for _, o := range outcomes {
		if o.Open() {
			open++
			continue
		}
		agreed++
		roles[o.ProposerRole] = true
		page, _, err := l.store.OutcomePage(l.ctx, l.stroke(), o.ID, l.people["Aisha Khan"].ID)
		l.must(err)
		if !page.Agreed() || page.Measure == "" || len(page.Readings) == 0 || page.Tally.Total() == 0 {
			t.Errorf("%q: %s, measured by %q, %d readings, %d views", o.Title, page.Decision, page.Measure, len(page.Readings), page.Tally.Total())
		}
		for i, r := range page.Readings {
			if r.TakenOn.After(time.Now()) || r.Source == "" || i > 0 && r.TakenOn.Before(page.Readings[i-1].TakenOn) {
				t.Errorf("%q: reading %d on %s from %q", o.Title, i, r.TakenOn, r.Source)
			}
			if !r.TakenOn.After(o.DecidedAt.AddDate(0, 0, -1)) {
				t.Errorf("%q: a reading on %s, before the outcome was agreed on %s", o.Title, r.TakenOn, o.DecidedAt)
			}
		}
	}
	if agreed < 3 || open != 1 || !roles[coproduce.RoleLayPartner] || !roles[coproduce.RoleStaffPartner] {
		t.Errorf("%d agreed (suggested by %v) and %d waiting, want 3 or more by lay partners and staff, and one waiting", agreed, roles, open)
	}
}
