package report_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/bigseed"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/internal/report"
)

// A printed report of a project with 40 ideas holds each idea's newest 5
// comments (200 / 40), exactly those, and no others; one of 250 ideas
// holds 200 comments, the newest of the first 200 ideas.
func TestPrintedReportHoldsEachIdeasNewestComments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t, pgtest.Clone(t))
	seeded, err := bigseed.Seed(ctx, pool, bigseed.Plan{People: 20, PasswordHash: "unused",
		Shapes: []bigseed.Shape{{Title: "Many ideas", Members: 10, Proposals: 40, Comments: 3_000, Votes: 100},
			{Title: "More ideas than printed comments", Members: 10, Proposals: 250, Comments: 750, Votes: 100}}})
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
	if got := r.PrintedPerIdea(); got != 5 {
		t.Fatalf("%d comments an idea for %d ideas, want 5", got, len(r.Proposals))
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
		WHERE newest <= 5`, p.ID)
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
	if len(want) != 5*len(r.Proposals) || !slices.Equal(printed, want) {
		t.Errorf("printed %d comments, want each idea's newest 5: %d", len(printed), len(want))
	}

	// Past 200 ideas, one comment each, and 200 in all: those of the first
	// 200 ideas with comments, in the order the report lists the
	// discussion.
	many, err := store.ProjectByID(ctx, seeded[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	r, err = report.Build(ctx, store, many, coproduce.StepBuild, "Tester", labels)
	if err != nil {
		t.Fatal(err)
	}
	ideas := map[int64]bool{}
	printed = nil
	if err := r.EachPrintedComment(ctx, func(c report.Comment) error {
		printed, ideas[c.IdeaID] = append(printed, c.ID), true
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var firstIdeas int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM (
			SELECT id FROM proposals p WHERE project_id = $1 AND EXISTS (SELECT 1 FROM comments c WHERE c.proposal_id = p.id)
			ORDER BY id LIMIT 200) p
		WHERE id = ANY($2)`, many.ID, slices.Collect(maps.Keys(ideas))).Scan(&firstIdeas); err != nil {
		t.Fatal(err)
	}
	if len(printed) != report.PrintedComments || len(ideas) != report.PrintedComments || firstIdeas != report.PrintedComments {
		t.Errorf("printed %d comments of %d ideas (%d of them the first 200 with comments), want 200 of those",
			len(printed), len(ideas), firstIdeas)
	}
}
