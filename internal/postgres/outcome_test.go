package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// evalProject is a project with a lead, a facilitator, a lay partner, a
// staff partner and someone from outside it.
type evalProject struct {
	s                               *postgres.Store
	p                               *coproduce.Project
	lead, fac, lay, staff, outsider *coproduce.User
}

func newEvalProject(t *testing.T) evalProject {
	t.Helper()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	return evalProject{s: s, p: p, lead: lead,
		fac:      pgtest.Member(t, s, p, coproduce.RoleStaff, coproduce.RoleFacilitator),
		lay:      pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner),
		staff:    pgtest.Member(t, s, p, coproduce.RoleStaff, coproduce.RoleStaffPartner),
		outsider: pgtest.User(t, s, coproduce.RolePartner)}
}

func (e evalProject) propose(t *testing.T, by *coproduce.User, title string) int64 {
	t.Helper()
	id, err := e.s.ProposeOutcome(context.Background(), by.ID, e.p.ID, coproduce.OutcomeInput{Title: title})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (e evalProject) page(t *testing.T, id int64, viewer *coproduce.User) (coproduce.Outcome, coproduce.Choice) {
	t.Helper()
	o, mine, err := e.s.OutcomePage(context.Background(), e.p.ID, id, viewer.ID)
	if err != nil {
		t.Fatal(err)
	}
	return o, mine
}

// Members propose outcomes and say what they think, one view each, counted
// by side; only a lead answers, always with a reason, and an answered
// outcome takes no more views. Outsiders can do none of it.
func TestOutcomeViewsAndAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEvalProject(t)
	id := e.propose(t, e.lay, "Fewer missed visits")

	t.Run("OutsiderCannotPropose", func(t *testing.T) {
		_, err := e.s.ProposeOutcome(ctx, e.outsider.ID, e.p.ID, coproduce.OutcomeInput{Title: "Mine"})
		if !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("an outsider proposing: %v, want ErrForbidden", err)
		}
	})

	t.Run("OneViewPerPerson", func(t *testing.T) {
		for _, c := range []coproduce.Choice{coproduce.Object, coproduce.Support} {
			if err := e.s.SetOutcomeView(ctx, e.p.ID, id, e.lay.ID, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.s.SetOutcomeView(ctx, e.p.ID, id, e.staff.ID, coproduce.Neutral); err != nil {
			t.Fatal(err)
		}
		o, mine := e.page(t, id, e.lay)
		if o.Tally.Total() != 2 || o.Tally.Lay[coproduce.Support] != 1 || o.Tally.Lay[coproduce.Object] != 0 ||
			o.Tally.Staff[coproduce.Neutral] != 1 {
			t.Errorf("tally %+v, want the lay partner's changed view once and the staff partner's", o.Tally)
		}
		if mine != coproduce.Support {
			t.Errorf("the lay partner's own view reads %q", mine)
		}
		if err := e.s.SetOutcomeView(ctx, e.p.ID, id, e.outsider.ID, coproduce.Support); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("an outsider's view: %v, want ErrForbidden", err)
		}
	})

	t.Run("OnlyALeadAnswers", func(t *testing.T) {
		for _, u := range []*coproduce.User{e.fac, e.lay, e.staff, e.outsider} {
			err := e.s.DecideOutcome(ctx, u.ID, e.p.ID, id, coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeAgreed, Reason: "Yes"})
			if !errors.Is(err, coproduce.ErrForbidden) {
				t.Errorf("user %d answering: %v, want ErrForbidden", u.ID, err)
			}
		}
	})

	t.Run("AReasonIsRequiredEvenPastValidation", func(t *testing.T) {
		for _, reason := range []string{"", "   "} {
			err := e.s.DecideOutcome(ctx, e.lead.ID, e.p.ID, id, coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeNotAgreed, Reason: reason})
			if err == nil {
				t.Errorf("an answer with reason %q was kept", reason)
			}
		}
		if err := (coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeAgreed}).Validate(); err == nil {
			t.Error("validation let an agreement without a reason through")
		}
		if o, _ := e.page(t, id, e.lead); !o.Open() {
			t.Errorf("a refused answer left the outcome answered: %q", o.Decision)
		}
	})

	t.Run("AnsweredOutcomeTakesNoViews", func(t *testing.T) {
		if err := e.s.DecideOutcome(ctx, e.lead.ID, e.p.ID, id, coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeAgreed, Reason: "It matters to carers"}); err != nil {
			t.Fatal(err)
		}
		o, _ := e.page(t, id, e.lead)
		if !o.Agreed() || o.Reason != "It matters to carers" || o.DecidedBy != e.lead.Name {
			t.Errorf("answer reads %q %q by %q", o.Decision, o.Reason, o.DecidedBy)
		}
		if err := e.s.SetOutcomeView(ctx, e.p.ID, id, e.staff.ID, coproduce.Object); !errors.Is(err, coproduce.ErrStale) {
			t.Errorf("a view after the answer: %v, want ErrStale", err)
		}
		err := e.s.DecideOutcome(ctx, e.lead.ID, e.p.ID, id, coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeNotAgreed, Reason: "Changed"})
		if !errors.Is(err, coproduce.ErrStale) {
			t.Errorf("a second answer: %v, want ErrStale", err)
		}
	})

	t.Run("AnotherProjectsOutcomeIsNotFound", func(t *testing.T) {
		other := pgtest.Project(t, e.s, e.outsider)
		if _, _, err := e.s.OutcomePage(ctx, other.ID, id, e.outsider.ID); !errors.Is(err, coproduce.ErrNotFound) {
			t.Errorf("reading through another project: %v, want ErrNotFound", err)
		}
		if err := e.s.SetOutcomeView(ctx, other.ID, id, e.outsider.ID, coproduce.Support); !errors.Is(err, coproduce.ErrNotFound) {
			t.Errorf("a view through another project: %v, want ErrNotFound", err)
		}
	})
}

// An agreed outcome gets its measure, then readings, listed in date order
// whatever order they were added in; a reading must fit the measure, and
// the measure cannot change kind once readings exist.
func TestOutcomeReadings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEvalProject(t)
	id := e.propose(t, e.staff, "Fewer missed visits")
	number := coproduce.MeasureValues{Measure: coproduce.MeasureNumber, Unit: "missed visits a month", Baseline: 12, Target: 4}
	if err := e.s.SetOutcomeMeasure(ctx, e.fac.ID, e.p.ID, id, number); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("measuring an outcome not agreed: %v, want ErrStale", err)
	}
	if err := e.s.DecideOutcome(ctx, e.lead.ID, e.p.ID, id, coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeAgreed, Reason: "Yes"}); err != nil {
		t.Fatal(err)
	}
	reading := func(day string, v float64) coproduce.ReadingValues {
		d, _ := time.Parse(time.DateOnly, day)
		return coproduce.ReadingValues{TakenOn: d, Value: v, Source: "Ward records " + day}
	}
	if _, err := e.s.AddReading(ctx, e.lay.ID, e.p.ID, id, coproduce.MeasureNumber, reading("2026-03-01", 10)); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("a reading before the measure: %v, want ErrStale", err)
	}
	if err := e.s.SetOutcomeMeasure(ctx, e.fac.ID, e.p.ID, id, number); err != nil {
		t.Fatal(err)
	}
	for _, r := range []coproduce.ReadingValues{reading("2026-05-01", 7), reading("2026-03-01", 10), reading("2026-04-01", 9)} {
		if _, err := e.s.AddReading(ctx, e.lay.ID, e.p.ID, id, coproduce.MeasureNumber, r); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("ReadingsInDateOrder", func(t *testing.T) {
		o, _ := e.page(t, id, e.lay)
		var got []float64
		for i, r := range o.Readings {
			got = append(got, r.Value)
			if i > 0 && r.TakenOn.Before(o.Readings[i-1].TakenOn) {
				t.Errorf("reading %d (%s) comes before the one above it", i, r.TakenOn)
			}
		}
		if len(got) != 3 || got[0] != 10 || got[1] != 9 || got[2] != 7 {
			t.Errorf("readings %v, want 10, 9, 7 in date order", got)
		}
		if o.Readings[0].RecordedBy != e.lay.Name || o.Readings[0].Source != "Ward records 2026-03-01" {
			t.Errorf("first reading by %q from %q", o.Readings[0].RecordedBy, o.Readings[0].Source)
		}
		list, err := e.s.Outcomes(ctx, e.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Latest == nil || list[0].Latest.Value != 7 || list[0].ReadingCount != 3 {
			t.Errorf("the list's latest reading: %+v", list)
		}
	})

	t.Run("AReadingMustFitTheMeasure", func(t *testing.T) {
		_, err := e.s.AddReading(ctx, e.lay.ID, e.p.ID, id, coproduce.MeasureStories,
			coproduce.ReadingValues{TakenOn: time.Now(), Story: "A story", Source: "Me"})
		if !errors.Is(err, coproduce.ErrStale) {
			t.Errorf("a story for a number: %v, want ErrStale", err)
		}
		if _, err := e.s.AddReading(ctx, e.outsider.ID, e.p.ID, id, coproduce.MeasureNumber, reading("2026-06-01", 6)); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("an outsider's reading: %v, want ErrForbidden", err)
		}
	})

	t.Run("MeasureKeepsItsKindOnceRead", func(t *testing.T) {
		scale := coproduce.MeasureValues{Measure: coproduce.MeasureScale, Baseline: 2, Target: 4}
		if err := e.s.SetOutcomeMeasure(ctx, e.fac.ID, e.p.ID, id, scale); !errors.Is(err, coproduce.ErrMeasureInUse) {
			t.Errorf("changing the kind of measure: %v, want ErrMeasureInUse", err)
		}
		number.Target = 3
		if err := e.s.SetOutcomeMeasure(ctx, e.fac.ID, e.p.ID, id, number); err != nil {
			t.Errorf("changing the target: %v", err)
		}
		if o, _ := e.page(t, id, e.lay); o.Target != 3 || o.Measure != coproduce.MeasureNumber {
			t.Errorf("measure now %q, target %v", o.Measure, o.Target)
		}
	})

	t.Run("TheDatabaseRefusesFiguresThatDoNotFit", func(t *testing.T) {
		other := e.propose(t, e.lay, "Carers feel supported")
		if err := e.s.DecideOutcome(ctx, e.lead.ID, e.p.ID, other, coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeAgreed, Reason: "Yes"}); err != nil {
			t.Fatal(err)
		}
		bad := coproduce.MeasureValues{Measure: coproduce.MeasureScale, Baseline: 0, Target: 9}
		if err := e.s.SetOutcomeMeasure(ctx, e.fac.ID, e.p.ID, other, bad); err == nil {
			t.Error("a scale measure from 0 to 9 was kept")
		}
	})
}

// The readiness check: only a lead answers; every save is kept, newest
// first, with who answered; and its warnings are the answers that say to
// look again.
func TestReadinessCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEvalProject(t)
	answers := func(dont coproduce.ReadinessAnswer) []coproduce.ReadinessItem {
		in := coproduce.ReadinessInput{Answers: map[string]string{}, Notes: map[string]string{}}
		for _, st := range coproduce.ReadinessStatements {
			in.Answers[st.Key] = string(coproduce.Agree)
			if !st.Do {
				in.Answers[st.Key] = string(coproduce.Disagree)
			}
		}
		in.Answers["own_agenda"] = string(dont)
		in.Notes["own_agenda"] = "The board's strategy"
		items, err := in.Validate()
		if err != nil {
			t.Fatal(err)
		}
		return items
	}
	for _, u := range []*coproduce.User{e.fac, e.lay, e.staff, e.outsider} {
		if _, err := e.s.SaveReadinessCheck(ctx, u.ID, e.p.ID, answers(coproduce.Agree)); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("user %d answering the check: %v, want ErrForbidden", u.ID, err)
		}
	}
	if _, err := e.s.SaveReadinessCheck(ctx, e.lead.ID, e.p.ID, answers(coproduce.Agree)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.SaveReadinessCheck(ctx, e.lead.ID, e.p.ID, answers(coproduce.Disagree)); err != nil {
		t.Fatal(err)
	}
	checks, err := e.s.ReadinessChecks(ctx, e.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 2 {
		t.Fatalf("%d checks kept, want both", len(checks))
	}
	if n := len(checks[0].Warnings()); n != 0 {
		t.Errorf("the newest check has %d warnings, want none", n)
	}
	w := checks[1].Warnings()
	if len(w) != 1 || w[0].Key != "own_agenda" || w[0].Note != "The board's strategy" || checks[1].AnsweredBy != e.lead.Name {
		t.Errorf("the first check's warnings: %+v by %q", w, checks[1].AnsweredBy)
	}
	if len(checks[0].Items) != len(coproduce.ReadinessStatements) || checks[0].Items[0].Key != coproduce.ReadinessStatements[0].Key {
		t.Errorf("the check's answers are not every statement in order: %+v", checks[0].Items)
	}
	lead := coproduce.Access{User: e.lead, Role: coproduce.RoleLead}
	o, err := e.s.ProjectOverview(ctx, e.p.ID, lead, true, 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	if o.Readiness == nil || o.Readiness.ID != checks[0].ID {
		t.Errorf("the project page's batch reads check %+v, want the newest", o.Readiness)
	}
}
