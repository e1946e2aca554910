package postgres_test

import (
	"context"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// TestStoredCountsStayExact has members vote, change their votes and
// comment at the same time, then compares the stored counts with a count
// of the rows themselves.
func TestStoredCountsStayExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t, pgtest.Clone(t))
	store := postgres.NewStore(pool)
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	var voters []*coproduce.User
	for i := range 16 {
		role := coproduce.RoleLayPartner
		if i%3 == 0 {
			role = coproduce.RoleStaffPartner
		}
		voters = append(voters, pgtest.Member(t, store, p, coproduce.RolePartner, role))
	}
	var ids []int64
	for i := range 3 {
		id, err := store.CreateProposal(ctx, lead.ID, p.ID, coproduce.ProposalInput{Title: "Idea " + strconv.Itoa(i), Body: "B"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(voters))
	for n, u := range voters {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(n), 7))
			for i := range 40 {
				id := ids[r.IntN(len(ids))]
				if err := store.CastVote(ctx, p.ID, id, u.ID, coproduce.Choices[r.IntN(3)], ""); err != nil {
					errs <- err
					return
				}
				if i%8 == 0 {
					if _, _, err := store.AddComment(ctx, p.ID, id, u.ID, 0, "A thought", "t"+strconv.Itoa(i)); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Hiding a comment takes it out of the count.
	var hide int64
	if err := pool.QueryRow(ctx, `SELECT min(id) FROM comments WHERE proposal_id = $1`, ids[0]).Scan(&hide); err != nil {
		t.Fatal(err)
	}
	if err := store.HideComment(ctx, lead.ID, p.ID, hide, "Named a patient"); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		got, err := store.Proposal(ctx, p.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		want := coproduce.NewTally()
		rows, err := pool.Query(ctx, `
			SELECT m.role, v.choice, count(*) FROM votes v
			JOIN memberships m ON m.user_id = v.user_id AND m.project_id = $2
			WHERE v.proposal_id = $1 GROUP BY 1, 2`, id, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var role coproduce.ProjectRole
			var c coproduce.Choice
			var n int
			if err := rows.Scan(&role, &c, &n); err != nil {
				t.Fatal(err)
			}
			want.Add(role, c, n)
		}
		for _, c := range coproduce.Choices {
			if got.Tally.Lay[c] != want.Lay[c] || got.Tally.Staff[c] != want.Staff[c] {
				t.Errorf("proposal %d, %s: stored lay %d staff %d, counted lay %d staff %d",
					id, c, got.Tally.Lay[c], got.Tally.Staff[c], want.Lay[c], want.Staff[c])
			}
		}
		var comments int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM comments WHERE proposal_id = $1 AND hidden_at IS NULL`, id).Scan(&comments); err != nil {
			t.Fatal(err)
		}
		if got.Comments != comments || comments == 0 {
			t.Errorf("proposal %d: stored %d comments, counted %d", id, got.Comments, comments)
		}
	}
}
