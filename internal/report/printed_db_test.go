package report_test

import (
	"context"
	"slices"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/bigseed"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/internal/report"
)

// A printed report of a project with 150 ideas holds each idea's newest 6
// comments (1,000 / 150), exactly those, and no others.
func TestPrintedReportHoldsEachIdeasNewestComments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t, pgtest.Clone(t))
	seeded, err := bigseed.Seed(ctx, pool, bigseed.Plan{People: 20, PasswordHash: "unused",
		Shapes: []bigseed.Shape{{Title: "Many ideas", Members: 10, Proposals: 150, Comments: 3_000, Votes: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.NewStore(pool)
	p, err := store.ProjectByID(ctx, seeded[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(ctx, store, p, coproduce.StepBuild, "Tester", labels)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.PrintedPerIdea(); got != 6 {
		t.Fatalf("%d comments an idea for %d ideas, want 6", got, len(r.Proposals))
	}
	var printed []int64
	if err := r.EachPrintedComment(ctx, func(c report.Comment) error {
		printed = append(printed, c.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `
		SELECT id FROM (
			SELECT c.id, row_number() OVER (PARTITION BY c.proposal_id ORDER BY c.id DESC) AS newest
			FROM comments c JOIN proposals p ON p.id = c.proposal_id WHERE p.project_id = $1) c
		WHERE newest <= 6`, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var want []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		want = append(want, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(printed)
	slices.Sort(want)
	if len(want) <= report.ReadableComments*len(r.Proposals)/2 || !slices.Equal(printed, want) {
		t.Errorf("printed %d comments, want each idea's newest 6: %d", len(printed), len(want))
	}
}
