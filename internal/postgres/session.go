package postgres

import (
	"context"
	"crypto/sha256"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// Session is a signed-in browser, as stored. Only the hash of its id is kept.
type Session struct {
	IDHash     []byte
	User       *coproduce.User
	Data       map[string]any
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// HashToken hashes a session id or other bearer token for storage.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// CreateSession stores a new session for a user.
func (s *Store) CreateSession(ctx context.Context, idHash []byte, userID int64, data map[string]any) error {
	if data == nil {
		data = map[string]any{}
	}
	_, err := s.db.Exec(ctx,
		`INSERT INTO sessions (id_hash, user_id, data) VALUES ($1, $2, $3)`, idHash, userID, data)
	return translate(err)
}

// LiveSession returns a session that is still in force: its account is not
// disabled, it has been used within idle, and it began within absolute.
// Anything else is ErrNotFound, and an expired session is deleted.
func (s *Store) LiveSession(ctx context.Context, idHash []byte, idle, absolute time.Duration) (*Session, error) {
	var ses Session
	var u coproduce.User
	err := s.db.QueryRow(ctx, `
		SELECT s.data, s.created_at, s.last_seen_at,
		       u.id, coalesce(u.email, ''), u.name, u.role, coalesce(u.password_hash, ''), u.disabled, u.created_at,
		       coalesce(u.language, ''), coalesce(u.text_size, ''),
		       EXISTS (SELECT 1 FROM support_profiles sp WHERE sp.user_id = u.id AND sp.large_print),
		       coalesce(u.reading, ''),
		       EXISTS (SELECT 1 FROM support_profiles sp WHERE sp.user_id = u.id AND sp.easy_read)
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = $1 AND NOT u.disabled`, idHash).Scan(
		&ses.Data, &ses.CreatedAt, &ses.LastSeenAt,
		&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &u.CreatedAt,
		&u.Language, &u.TextSize, &u.AsksLargePrint, &u.Reading, &u.AsksEasyRead)
	if err != nil {
		return nil, translate(err)
	}
	now := time.Now()
	if now.Sub(ses.LastSeenAt) > idle || now.Sub(ses.CreatedAt) > absolute {
		if err := s.DeleteSession(ctx, idHash); err != nil {
			return nil, err
		}
		return nil, coproduce.ErrNotFound
	}
	ses.IDHash = idHash
	ses.User = &u
	return &ses, nil
}

// TouchSession records that a session was used now, restarting its idle
// clock, and returns the time recorded.
func (s *Store) TouchSession(ctx context.Context, idHash []byte) (time.Time, error) {
	var seen time.Time
	err := s.db.QueryRow(ctx,
		`UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1 RETURNING last_seen_at`, idHash).Scan(&seen)
	return seen, translate(err)
}

// UpdateSessionData replaces the values kept with a session.
func (s *Store) UpdateSessionData(ctx context.Context, idHash []byte, data map[string]any) error {
	_, err := s.db.Exec(ctx, `UPDATE sessions SET data = $2 WHERE id_hash = $1`, idHash, data)
	return err
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, idHash []byte) error {
	_, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash)
	return err
}

// DeleteUserSessions ends every session of a user ("sign out everywhere").
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

// DeleteExpiredSessions removes sessions idle for longer than idle, so the
// table does not grow without end.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idle time.Duration) (int64, error) {
	tag, err := s.db.Exec(ctx,
		`DELETE FROM sessions WHERE last_seen_at < now() - make_interval(secs => $1)`, idle.Seconds())
	return tag.RowsAffected(), err
}
