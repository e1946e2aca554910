package postgres_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Telling the leads of many waiting ideas does not hold them: an idea
// someone is voting on at that moment is passed over, not waited for,
// and told of by the next run; every other idea is told of once, over
// several short transactions.
func TestWaitingIdeasAreToldWithoutHoldingVotes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t, pgtest.Clone(t))
	store := postgres.NewStore(pool)
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	lay := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	const ideas = 120 // more than two batches
	for i := range ideas {
		if _, err := store.CreateProposal(ctx, lay.ID, p.ID, coproduce.ProposalInput{Title: "Idea " + strconv.Itoa(i), Body: "B"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE proposals SET created_at = now() - interval '22 days'`); err != nil {
		t.Fatal(err)
	}
	// A vote in progress on one of them holds its row, as CastVote does.
	voting, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = voting.Rollback(ctx) }()
	var held int64
	if err := voting.QueryRow(ctx, `SELECT id FROM proposals WHERE title = 'Idea 7' FOR NO KEY UPDATE`).Scan(&held); err != nil {
		t.Fatal(err)
	}
	tell := func() int {
		t.Helper()
		runCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		n, err := store.TellOfWaitingIdeas(runCtx, time.Now(), func(w postgres.WaitingIdea) coproduce.News {
			return coproduce.News{Kind: coproduce.NewsIdeaWaiting, ProjectID: w.ProjectID, Audience: coproduce.Audience{Leads: true},
				Path: "/i/" + strconv.FormatInt(w.ID, 10), Once: "idea_waiting:" + strconv.FormatInt(w.ID, 10),
				Write: func(coproduce.Recipient, string) coproduce.Notice {
					return coproduce.Notice{Line: "waiting", Link: "/"}
				}}
		})
		if err != nil {
			t.Fatalf("telling of waiting ideas while one is being voted on: %v", err)
		}
		return n
	}
	if n := tell(); n != ideas-1 {
		t.Errorf("told of %d ideas with one being voted on, want %d", n, ideas-1)
	}
	if err := voting.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := tell(); n != 1 {
		t.Errorf("the next run told of %d ideas, want the one passed over", n)
	}
	var updates, distinct int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT link) FROM updates WHERE user_id = $1`, lead.ID).
		Scan(&updates, &distinct); err != nil {
		t.Fatal(err)
	}
	if updates != ideas || distinct != ideas {
		t.Errorf("the lead has %d updates for %d ideas, want one for each of %d", updates, distinct, ideas)
	}
}
