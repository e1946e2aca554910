package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// ideaFixture is a project with a lead, a lay partner and a staff partner,
// and an idea of the lay partner's.
type ideaFixture struct {
	tx               pgx.Tx
	store            *postgres.Store
	p                *coproduce.Project
	lead, lay, staff *coproduce.User
	idea             int64
}

func newIdeaFixture(t *testing.T) ideaFixture {
	t.Helper()
	tx := pgtest.Tx(t)
	store := postgres.NewStore(pgtest.Autocommit(tx))
	f := ideaFixture{tx: tx, store: store}
	f.lead = pgtest.User(t, store, coproduce.RoleStaff)
	f.p = pgtest.Project(t, store, f.lead)
	f.lay = pgtest.Member(t, store, f.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	f.staff = pgtest.Member(t, store, f.p, coproduce.RoleStaff, coproduce.RoleStaffPartner)
	f.idea = f.propose(t, f.lay, "Evening sessions")
	return f
}

func (f ideaFixture) propose(t *testing.T, u *coproduce.User, title string) int64 {
	t.Helper()
	id, err := f.store.CreateProposal(context.Background(), u.ID, f.p.ID, coproduce.ProposalInput{Title: title, Body: "Why"},
		func(int64) []coproduce.Notice { return nil })
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// exec runs a statement in a savepoint, so that one the database refuses
// leaves the test's transaction usable.
func (f ideaFixture) exec(sql string, args ...any) error {
	return pgx.BeginFunc(context.Background(), f.tx, func(sp pgx.Tx) error {
		_, err := sp.Exec(context.Background(), sql, args...)
		return err
	})
}

func (f ideaFixture) answer(t *testing.T, id int64, r coproduce.Response, why string) {
	t.Helper()
	if err := f.store.RespondToProposal(context.Background(), f.lead.ID, f.p.ID, id,
		coproduce.ResponseInput{Response: r, Rationale: why}, nil); err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: %v, want %v", what, err, want)
	}
}

func TestWithdrawingAnIdea(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newIdeaFixture(t)
	t.Run("OnlyItsAuthor", func(t *testing.T) {
		wantErr(t, "staff withdrawing the lay partner's idea", f.store.WithdrawProposal(ctx, f.staff.ID, f.p.ID, f.idea, ""), coproduce.ErrForbidden)
		wantErr(t, "the lead withdrawing it", f.store.WithdrawProposal(ctx, f.lead.ID, f.p.ID, f.idea, ""), coproduce.ErrForbidden)
		wantErr(t, "another project's idea", f.store.WithdrawProposal(ctx, f.lay.ID, f.p.ID+1000000, f.idea, ""), coproduce.ErrNotFound)
	})
	t.Run("NotOnceAnswered", func(t *testing.T) {
		answered := f.propose(t, f.lay, "Answered already")
		f.answer(t, answered, coproduce.Adopted, "")
		wantErr(t, "withdrawing an answered idea", f.store.WithdrawProposal(ctx, f.lay.ID, f.p.ID, answered, "Too late"), coproduce.ErrStale)
	})
	t.Run("ClosesVotesAndAnswers", func(t *testing.T) {
		if err := f.store.WithdrawProposal(ctx, f.lay.ID, f.p.ID, f.idea, "Changed my mind"); err != nil {
			t.Fatal(err)
		}
		pr, err := f.store.Proposal(ctx, f.p.ID, f.idea)
		if err != nil {
			t.Fatal(err)
		}
		if !pr.Withdrawn || pr.Open || pr.WithdrawnAt == nil || pr.WithdrawnReason != "Changed my mind" || pr.Response != "" {
			t.Errorf("withdrawn idea reads %+v", pr)
		}
		wantErr(t, "withdrawing twice", f.store.WithdrawProposal(ctx, f.lay.ID, f.p.ID, f.idea, ""), coproduce.ErrStale)
		wantErr(t, "voting on it", f.store.CastVote(ctx, f.p.ID, f.idea, f.staff.ID, coproduce.Support, ""), coproduce.ErrStale)
		wantErr(t, "answering it", f.store.RespondToProposal(ctx, f.lead.ID, f.p.ID, f.idea,
			coproduce.ResponseInput{Response: coproduce.Adopted}, nil), coproduce.ErrStale)
		wantErr(t, "changing its answer", f.store.ChangeAnswer(ctx, f.lead.ID, f.p.ID, f.idea,
			coproduce.ResponseInput{Response: coproduce.Adopted}, nil), coproduce.ErrStale)
	})
	t.Run("Audited", func(t *testing.T) {
		events, err := f.store.AuditEvents(ctx, coproduce.AuditFilter{ProjectID: f.p.ID})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Action == coproduce.AuditProposalWithdraw && e.ActorID == f.lay.ID {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d withdrawals audited, want 1", n)
		}
	})
	t.Run("TheDatabaseRefusesAWithdrawnIdeaWithAnAnswer", func(t *testing.T) {
		err := f.exec(`UPDATE proposals SET response = 'adopted' WHERE id = $1`, f.idea)
		if err == nil {
			t.Error("a withdrawn idea took an answer")
		}
	})
}

func TestChangingAnAnswerKeepsItsHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newIdeaFixture(t)
	change := func(r coproduce.Response, why string) error {
		return f.store.ChangeAnswer(ctx, f.lead.ID, f.p.ID, f.idea, coproduce.ResponseInput{Response: r, Rationale: why}, nil)
	}
	wantErr(t, "changing the answer of an unanswered idea", change(coproduce.Adopted, ""), coproduce.ErrStale)
	f.answer(t, f.idea, coproduce.NotAdopted, "No budget")
	if err := change(coproduce.Adapted, "A pilot after all"); err != nil {
		t.Fatal(err)
	}
	if err := change(coproduce.Adopted, "The pilot worked"); err != nil {
		t.Fatal(err)
	}
	page, err := f.store.ProposalPage(ctx, f.p.ID, f.idea, f.lead.ID, 1, 25)
	if err != nil {
		t.Fatal(err)
	}
	if pr := page.Proposal; pr.Response != coproduce.Adopted || pr.Rationale != "The pilot worked" || pr.Open {
		t.Errorf("current answer %s %q", pr.Response, pr.Rationale)
	}
	got := page.AnswerChanges
	if len(got) != 2 || got[0].Was != coproduce.NotAdopted || got[0].WasRationale != "No budget" ||
		got[1].Was != coproduce.Adapted || got[1].WasRationale != "A pilot after all" || got[1].By != f.lead.Name {
		t.Errorf("answer history %+v", got)
	}
	t.Run("NotAdoptedStillSaysWhy", func(t *testing.T) {
		if err := f.exec(`INSERT INTO proposal_answers (proposal_id, response, rationale) VALUES ($1, 'not_adopted', ' ')`, f.idea); err == nil {
			t.Error("an answer not adopted without a reason was kept")
		}
	})
	t.Run("MedianWaitCountsTheFirstAnswer", func(t *testing.T) {
		if err := f.exec(`UPDATE proposal_answers SET answered_at = answered_at - interval '10 days' WHERE id = (
			SELECT min(id) FROM proposal_answers WHERE proposal_id = $1)`, f.idea); err != nil {
			t.Fatal(err)
		}
		if err := f.exec(`UPDATE proposals SET created_at = now() - interval '12 days' WHERE id = $1`, f.idea); err != nil {
			t.Fatal(err)
		}
		part, err := f.store.Participation(ctx, f.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := part.MedianDaysToAnswer; d < 1.9 || d > 2.1 {
			t.Errorf("median days to answer %.2f, want 2 (the first answer, not the latest)", d)
		}
	})
}

func TestShowingAHiddenCommentAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newIdeaFixture(t)
	id, _, err := f.store.AddComment(ctx, f.p.ID, f.idea, f.lay.ID, 0, "Ask carers too", "t1")
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "showing a comment that is not hidden", f.store.ShowComment(ctx, f.lead.ID, f.p.ID, id, "Why not"), coproduce.ErrStale)
	if err := f.store.HideComment(ctx, f.lead.ID, f.p.ID, id, "Named a patient"); err != nil {
		t.Fatal(err)
	}
	if err := f.store.ShowComment(ctx, f.lead.ID, f.p.ID, id, "It did not, on a second read"); err != nil {
		t.Fatal(err)
	}
	page, err := f.store.ProposalPage(ctx, f.p.ID, f.idea, f.lead.ID, 1, 25)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Comments) != 1 || page.Comments[0].Hidden || page.Comments[0].Body != "Ask carers too" || page.Proposal.Comments != 1 {
		t.Errorf("shown again, the thread reads %+v with %d counted", page.Comments, page.Proposal.Comments)
	}
	history := page.Moderations[id]
	if len(history) != 2 || !history[0].Hidden || history[0].Reason != "Named a patient" ||
		history[1].Hidden || history[1].Reason != "It did not, on a second read" || history[1].By != f.lead.Name {
		t.Errorf("moderation history %+v", history)
	}
	wantErr(t, "showing it twice", f.store.ShowComment(ctx, f.lead.ID, f.p.ID, id, "Again"), coproduce.ErrStale)
	wantErr(t, "another project's comment", f.store.ShowComment(ctx, f.lead.ID, f.p.ID+1000000, id, "x"), coproduce.ErrNotFound)
	if err := f.exec(`INSERT INTO comment_moderations (comment_id, hidden, reason) VALUES ($1, false, ' ')`, id); err == nil {
		t.Error("a comment was shown again without a reason")
	}
}

func TestVoteReasonsLeaveOutVotesWithoutOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newIdeaFixture(t)
	for _, v := range []struct {
		u      *coproduce.User
		reason string
	}{{f.lay, "Evenings suit carers"}, {f.staff, "  "}, {f.lead, ""}} {
		if err := f.store.CastVote(ctx, f.p.ID, f.idea, v.u.ID, coproduce.Support, v.reason); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.store.VoteReasons(ctx, f.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := got[f.idea]; len(r) != 1 || r[0].UserID != f.lay.ID || r[0].Reason != "Evenings suit carers" || r[0].Choice != coproduce.Support {
		t.Errorf("vote reasons %+v", got)
	}
}
