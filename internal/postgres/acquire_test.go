package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// A statement slower than the query timeout fails, unless its context
// allows long statements (a report download reading a project's every
// row): then it reads to the end.
func TestLongStatementsOutlastTheQueryTimeout(t *testing.T) {
	t.Parallel()
	db := postgres.WithTimeouts(pgtest.Pool(t, pgtest.URLFor("postgres")), 0, 100*time.Millisecond)
	slow := `SELECT count(*) FROM (SELECT pg_sleep(0.05) FROM generate_series(1, 6)) s`
	var n int
	err := db.QueryRow(context.Background(), slow).Scan(&n)
	if !errors.Is(err, context.DeadlineExceeded) && !postgres.Unavailable(err) {
		t.Fatalf("a 300 ms statement under a 100 ms timeout: %v, want it stopped", err)
	}
	ctx := postgres.WithLongStatements(context.Background(), 5*time.Second)
	if err := db.QueryRow(ctx, slow).Scan(&n); err != nil || n != 6 {
		t.Fatalf("allowed long statements: %d rows, %v", n, err)
	}
}
