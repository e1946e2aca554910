package postgres

import (
	"context"
	"time"
)

// CountAttempt counts one more attempt against key and returns how many
// there have been in its window, this one included. A window starts with
// its first attempt; once it began before since, the count starts again.
// Windows are fixed, so attempts that are refused do not make a lock last
// longer. Counting before the attempt is checked, in one statement,
// is what makes the limit hold when many attempts arrive at once: each
// gets its own number, so no more than the limit are ever let through.
func (s *Store) CountAttempt(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `
		INSERT INTO sign_in_failures AS f (key, failures, last_failure_at, window_started_at) VALUES ($1, 1, now(), now())
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN f.window_started_at < $2 THEN 1 ELSE f.failures + 1 END,
			window_started_at = CASE WHEN f.window_started_at < $2 THEN now() ELSE f.window_started_at END,
			last_failure_at = now()
		RETURNING failures`, key, since).Scan(&n)
	return n, err
}

// ForgiveAttempt takes back one attempt counted against key, for an
// attempt that turned out to be no failure (a right password).
func (s *Store) ForgiveAttempt(ctx context.Context, key string) error {
	_, err := s.db.Exec(ctx, `UPDATE sign_in_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0`, key)
	return err
}

// ClearFailures forgets the failures against key after a success.
func (s *Store) ClearFailures(ctx context.Context, key string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM sign_in_failures WHERE key = $1`, key)
	return err
}

// Attempts returns how many attempts have been counted against key in a
// window that began at or after since, without counting one more.
func (s *Store) Attempts(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `
		SELECT coalesce(max(failures), 0) FROM sign_in_failures WHERE key = $1 AND window_started_at >= $2`, key, since).Scan(&n)
	return n, err
}
