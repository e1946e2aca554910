package postgres

import (
	"context"
	"time"
)

// FailureCount returns how many failures were recorded against key since
// the given time (older ones no longer count).
func (s *Store) FailureCount(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `
		SELECT coalesce((SELECT failures FROM sign_in_failures
		                 WHERE key = $1 AND last_failure_at >= $2), 0)`, key, since).Scan(&n)
	return n, err
}

// RecordFailure counts one more failure against key, starting again from one
// when the last failure was before since.
func (s *Store) RecordFailure(ctx context.Context, key string, since time.Time) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO sign_in_failures AS f (key, failures, last_failure_at) VALUES ($1, 1, now())
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN f.last_failure_at < $2 THEN 1 ELSE f.failures + 1 END,
			last_failure_at = now()`, key, since)
	return err
}

// ClearFailures forgets the failures against key after a success.
func (s *Store) ClearFailures(ctx context.Context, key string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM sign_in_failures WHERE key = $1`, key)
	return err
}
