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

// onBehalf is a context in which by records for forUser, by phone.
func onBehalf(by, forUser *coproduce.User) context.Context {
	return coproduce.WithOnBehalf(context.Background(), coproduce.OnBehalf{By: by, For: forUser, How: coproduce.HowPhone})
}

func TestRecordingOnBehalf(t *testing.T) {
	t.Parallel()

	t.Run("AVoteRecordedForAPersonThenTheirOwnIsOneVote", func(t *testing.T) {
		t.Parallel()
		f := newIdeaFixture(t)
		fac := pgtest.Member(t, f.store, f.p, coproduce.RoleStaff, coproduce.RoleFacilitator)
		if err := f.store.CastVote(onBehalf(fac, f.lay), f.p.ID, f.idea, f.lay.ID, coproduce.Support, "said on the phone"); err != nil {
			t.Fatal(err)
		}
		pr, err := f.store.Proposal(context.Background(), f.p.ID, f.idea)
		if err != nil {
			t.Fatal(err)
		}
		if got := pr.Tally.Lay[coproduce.Support]; got != 1 {
			t.Fatalf("lay support after the recorded vote = %d, want 1", got)
		}
		var by *int64
		if err := f.tx.QueryRow(context.Background(), `SELECT recorded_by FROM votes WHERE proposal_id = $1 AND user_id = $2`,
			f.idea, f.lay.ID).Scan(&by); err != nil || by == nil || *by != fac.ID {
			t.Fatalf("recorded_by = %v (%v), want the facilitator %d", by, err, fac.ID)
		}

		if err := f.store.CastVote(context.Background(), f.p.ID, f.idea, f.lay.ID, coproduce.Object, "changed my mind"); err != nil {
			t.Fatal(err)
		}
		pr, err = f.store.Proposal(context.Background(), f.p.ID, f.idea)
		if err != nil {
			t.Fatal(err)
		}
		if s, o := pr.Tally.Lay[coproduce.Support], pr.Tally.Lay[coproduce.Object]; s != 0 || o != 1 {
			t.Errorf("after her own vote: support %d, object %d; want 0 and 1 (one vote per person)", s, o)
		}
		var n int
		var stillBy *int64
		if err := f.tx.QueryRow(context.Background(), `SELECT count(*), max(recorded_by) FROM votes WHERE proposal_id = $1 AND user_id = $2`,
			f.idea, f.lay.ID).Scan(&n, &stillBy); err != nil {
			t.Fatal(err)
		}
		if n != 1 || stillBy != nil {
			t.Errorf("votes rows = %d, recorded_by = %v; want one row, her own now", n, stillBy)
		}
	})

	t.Run("ARecordNamesBothPeople", func(t *testing.T) {
		t.Parallel()
		f := newIdeaFixture(t)
		fac := pgtest.Member(t, f.store, f.p, coproduce.RoleStaff, coproduce.RoleFacilitator)
		id, err := f.store.CreateProposal(onBehalf(fac, f.lay), f.lay.ID, f.p.ID, coproduce.ProposalInput{Title: "Bus passes", Body: "For carers"})
		if err != nil {
			t.Fatal(err)
		}
		pr, err := f.store.Proposal(context.Background(), f.p.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if pr.AuthorID != f.lay.ID || pr.AuthorName != f.lay.Name {
			t.Errorf("author = %d %q, want the lay partner %q", pr.AuthorID, pr.AuthorName, f.lay.Name)
		}
		if pr.Recorded.ByName != fac.Name || pr.Recorded.How != coproduce.HowPhone {
			t.Errorf("recorded = %+v, want by %q by phone", pr.Recorded, fac.Name)
		}
		events, err := f.store.AuditEventsForProject(context.Background(), f.p.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range events {
			if e.Action == coproduce.AuditRecordOnBehalf {
				found = true
				if e.ActorName != fac.Name || e.SubjectName != f.lay.Name {
					t.Errorf("audit names actor %q and subject %q, want %q for %q", e.ActorName, e.SubjectName, fac.Name, f.lay.Name)
				}
			}
		}
		if !found {
			t.Error("no audit event for the recording")
		}
		o, err := f.store.ProjectOverview(context.Background(), f.p.ID,
			coproduce.Access{User: f.lay, Role: coproduce.RoleLayPartner}, false, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		list := o.You.Recorded
		if len(list) != 1 || list[0].Kind != "idea" || list[0].RefID != id || list[0].ByName != fac.Name {
			t.Errorf("recorded for her = %+v, want the idea by %q", list, fac.Name)
		}
	})

	t.Run("OnlyLeadsAndFacilitatorsRecordForOthers", func(t *testing.T) {
		t.Parallel()
		f := newIdeaFixture(t)
		before, err := f.store.Proposals(context.Background(), f.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.store.CreateProposal(onBehalf(f.staff, f.lay), f.lay.ID, f.p.ID, coproduce.ProposalInput{Title: "Not mine to make", Body: "x"})
		if !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("a staff partner recording an idea: %v, want ErrForbidden", err)
		}
		if err := f.store.CastVote(onBehalf(f.staff, f.lay), f.p.ID, f.idea, f.lay.ID, coproduce.Support, ""); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("a staff partner recording a vote: %v, want ErrForbidden", err)
		}
		after, err := f.store.Proposals(context.Background(), f.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) || after[0].Tally.Lay[coproduce.Support] != 0 {
			t.Errorf("something was written: %d ideas (was %d), lay support %d", len(after), len(before), after[0].Tally.Lay[coproduce.Support])
		}
		if err := f.store.CastVote(onBehalf(f.lead, f.lead), f.p.ID, f.idea, f.lead.ID, coproduce.Support, ""); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("recording for oneself: %v, want ErrForbidden", err)
		}
	})

	t.Run("NobodyRecordsForSomeoneOutsideTheProject", func(t *testing.T) {
		t.Parallel()
		f := newIdeaFixture(t)
		outsider := pgtest.User(t, f.store, coproduce.RolePartner)
		_, err := f.store.CreateProposal(onBehalf(f.lead, outsider), outsider.ID, f.p.ID, coproduce.ProposalInput{Title: "From outside", Body: "x"})
		if !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("recording for a non-member: %v, want ErrForbidden", err)
		}
		if err := f.store.CastVote(onBehalf(f.lead, outsider), f.p.ID, f.idea, outsider.ID, coproduce.Support, ""); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("a vote for a non-member: %v, want ErrForbidden", err)
		}
	})

	t.Run("CommentsAndRepliesNameTheRecorder", func(t *testing.T) {
		t.Parallel()
		f := newIdeaFixture(t)
		ctx := onBehalf(f.lead, f.lay)
		if _, _, err := f.store.AddComment(ctx, f.p.ID, f.idea, f.lay.ID, 0, "Evenings suit me", "tok-1"); err != nil {
			t.Fatal(err)
		}
		comments, _, err := f.store.Comments(context.Background(), f.p.ID, f.idea, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(comments) != 1 || comments[0].AuthorID != f.lay.ID || comments[0].Recorded.ByName != f.lead.Name {
			t.Errorf("comments = %+v, want hers recorded by %q", comments, f.lead.Name)
		}
	})

	t.Run("WhoeverRecordedAClaimDoesNotDecideIt", func(t *testing.T) {
		t.Parallel()
		f := newIdeaFixture(t)
		id, err := f.store.CreateClaim(onBehalf(f.lead, f.lay), f.p.ID, f.lay.ID, postgres.NewClaim{Category: "parking",
			IncurredOn: time.Now().AddDate(0, 0, -1), Amount: 450, FormToken: "claim-1"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.store.MayDecideClaim(context.Background(), f.lead.ID, f.p.ID, id); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("the lead who recorded the claim may decide it: %v, want ErrForbidden", err)
		}
		own, err := f.store.CreateClaim(context.Background(), f.p.ID, f.lay.ID, postgres.NewClaim{Category: "parking",
			IncurredOn: time.Now().AddDate(0, 0, -1), Amount: 300, FormToken: "claim-2"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.store.MayDecideClaim(context.Background(), f.lead.ID, f.p.ID, own); err != nil {
			t.Errorf("the lead may not decide her own claim: %v", err)
		}
	})
}
