package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// While an outcome waits for an answer, its proposer or a lead or
// facilitator changes its words (the earlier ones kept) or withdraws it;
// another member or an outsider cannot. A withdrawn outcome takes no view,
// no answer and no more changes, and no longer counts as waiting.
func TestOutcomeChangeAndWithdraw(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEvalProject(t)
	id := e.propose(t, e.lay, "Fewer missed visits")

	for _, who := range []int64{e.staff.ID, e.outsider.ID} {
		if err := e.s.ChangeOutcome(ctx, who, e.p.ID, id, coproduce.OutcomeInput{Title: "Mine now"}); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("changed by someone else: %v, want ErrForbidden", err)
		}
		if err := e.s.WithdrawOutcome(ctx, who, e.p.ID, id, ""); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("withdrawn by someone else: %v, want ErrForbidden", err)
		}
	}
	if err := e.s.ChangeOutcome(ctx, e.lay.ID, e.p.ID, id, coproduce.OutcomeInput{Title: "Fewer visits missed", Why: "Waiting all day"}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.ChangeOutcome(ctx, e.fac.ID, e.p.ID, id, coproduce.OutcomeInput{Title: "Fewer visits missed", Why: "Waiting all day"}); err != nil {
		t.Fatal(err)
	}
	o, _ := e.page(t, id, e.lay)
	if o.Title != "Fewer visits missed" || o.Why != "Waiting all day" {
		t.Errorf("after the change: %q, %q", o.Title, o.Why)
	}
	if len(o.Wordings) != 1 || o.Wordings[0].Title != "Fewer missed visits" || o.Wordings[0].ChangedBy != e.lay.Name {
		t.Errorf("earlier wordings %+v: want the first words once (the same words again keep nothing)", o.Wordings)
	}

	if err := e.s.WithdrawOutcome(ctx, e.fac.ID, e.p.ID, id, "Covered by another outcome"); err != nil {
		t.Fatal(err)
	}
	o, _ = e.page(t, id, e.lay)
	if !o.Withdrawn || o.Open() || o.Linkable() || o.WithdrawnReason != "Covered by another outcome" || o.WithdrawnBy != e.fac.Name {
		t.Errorf("after withdrawing: %+v", o)
	}
	if err := e.s.SetOutcomeView(ctx, e.p.ID, id, e.staff.ID, coproduce.Support); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("a view of a withdrawn outcome: %v, want ErrStale", err)
	}
	if err := e.s.DecideOutcome(ctx, e.lead.ID, e.p.ID, id, coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeAgreed, Reason: "Yes"}); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("answering a withdrawn outcome: %v, want ErrStale", err)
	}
	if err := e.s.ChangeOutcome(ctx, e.lay.ID, e.p.ID, id, coproduce.OutcomeInput{Title: "Again"}); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("changing a withdrawn outcome: %v, want ErrStale", err)
	}
	sum, err := e.s.EvaluateSummary(ctx, e.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sum.OutcomesOpen != 0 {
		t.Errorf("%d outcomes waiting, want the withdrawn one not counted", sum.OutcomesOpen)
	}
	events, err := e.s.AuditEventsForProject(ctx, e.p.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range events {
		if ev.Action == coproduce.AuditOutcomeChange || ev.Action == coproduce.AuditOutcomeWithdraw {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d audit events, want the change and the withdrawal", n)
	}

	// An answered outcome can no longer be changed.
	answered := e.propose(t, e.lay, "Carers feel supported")
	if err := e.s.DecideOutcome(ctx, e.lead.ID, e.p.ID, answered, coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeAgreed, Reason: "Yes"}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.WithdrawOutcome(ctx, e.lay.ID, e.p.ID, answered, ""); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("withdrawing an answered outcome: %v, want ErrStale", err)
	}
}
