package postgres

import (
	"context"
	"crypto/rand"
)

// Secret returns the named secret, generating and storing size random bytes
// the first time. Concurrent first calls from several instances agree on one
// value.
func (s *Store) Secret(ctx context.Context, name string, size int) ([]byte, error) {
	fresh := make([]byte, size)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := s.db.Exec(ctx,
		`INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		name, fresh); err != nil {
		return nil, err
	}
	var value []byte
	err := s.db.QueryRow(ctx, `SELECT value FROM app_secrets WHERE name = $1`, name).Scan(&value)
	return value, translate(err)
}
