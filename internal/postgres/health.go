package postgres

import (
	"context"
	"fmt"
)

// Ready reports whether the database answers and its schema has reached the
// given migration version.
func (s *Store) Ready(ctx context.Context, version int64) error {
	var applied int64
	err := s.db.QueryRow(ctx,
		`SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&applied)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if applied < version {
		return fmt.Errorf("schema at version %d, want %d", applied, version)
	}
	return nil
}
