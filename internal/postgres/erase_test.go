package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// A short name written into a comment at its longest allowed length:
// "Former participant" is longer, so the comment is cut to its old length
// rather than the erasure failing on the column's limit.
func TestErasureFitsTextsAtTheirLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	f := newClaimFixture(t, s)
	if _, err := tx.Exec(ctx, `UPDATE users SET name = 'Al Bo' WHERE id = $1`, f.partner.ID); err != nil {
		t.Fatal(err)
	}
	idea, err := s.CreateProposal(ctx, f.lead.ID, f.p.ID, coproduce.ProposalInput{Title: "An idea", Body: "Why"})
	if err != nil {
		t.Fatal(err)
	}
	body := "Thanks, Al Bo. " + strings.Repeat("x", 5000-len("Thanks, Al Bo. "))
	if _, _, err := s.AddComment(ctx, f.p.ID, idea, f.lead.ID, 0, body, "t1"); err != nil {
		t.Fatal(err)
	}
	admin := pgtest.User(t, s, coproduce.RoleAdmin)
	if err := s.EraseUser(ctx, admin.ID, f.partner.ID); err != nil {
		t.Fatalf("erasure failed: %v", err)
	}
	var got string
	if err := tx.QueryRow(ctx, `SELECT body FROM comments WHERE proposal_id = $1`, idea).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "Al Bo") || !strings.HasPrefix(got, "Thanks, Former participant. xxx") || len(got) != 5000 {
		t.Errorf("comment after erasure: %.60q... (%d characters)", got, len(got))
	}
}
