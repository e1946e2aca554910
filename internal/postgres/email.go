package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// MailQueue schedules delivery of a stored email inside the transaction
// that stored it, so that a message is queued if and only if the change
// that caused it is committed.
type MailQueue interface {
	EnqueueEmailTx(ctx context.Context, tx pgx.Tx, emailID int64) error
}

// WithMailQueue returns a store that queues the emails it writes.
func (s *Store) WithMailQueue(q MailQueue) *Store {
	c := *s
	c.mail = q
	return &c
}

// queueEmail stores an email and schedules its delivery, in tx.
func (s *Store) queueEmail(ctx context.Context, tx pgx.Tx, e coproduce.Email) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO emails (to_address, to_name, subject, text_body, html_body, kind)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		e.To, e.ToName, e.Subject, e.Text, e.HTML, e.Kind).Scan(&id)
	if err != nil {
		return 0, err
	}
	if s.mail != nil {
		if err := s.mail.EnqueueEmailTx(ctx, tx, id); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// QueueEmail stores and schedules one email on its own.
func (s *Store) QueueEmail(ctx context.Context, e coproduce.Email) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, err = s.queueEmail(ctx, tx, e)
		return err
	})
	return id, err
}

const emailColumns = `id, to_address, to_name, subject, text_body, html_body, kind, status, attempts,
	last_error, created_at, delivered_at`

func scanEmail(row pgx.Row) (coproduce.Email, error) {
	var e coproduce.Email
	err := row.Scan(&e.ID, &e.To, &e.ToName, &e.Subject, &e.Text, &e.HTML, &e.Kind, &e.Status, &e.Attempts,
		&e.LastError, &e.CreatedAt, &e.DeliveredAt)
	return e, translate(err)
}

// Email returns one email.
func (s *Store) Email(ctx context.Context, id int64) (coproduce.Email, error) {
	return scanEmail(s.db.QueryRow(ctx, `SELECT `+emailColumns+` FROM emails WHERE id = $1`, id))
}

// Emails lists the most recent emails, newest first.
func (s *Store) Emails(ctx context.Context, limit int) ([]coproduce.Email, error) {
	rows, err := s.db.Query(ctx, `SELECT `+emailColumns+` FROM emails ORDER BY created_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Email, error) { return scanEmail(r) })
}

// MarkEmailDelivered records that an email was sent, or put in the outbox.
func (s *Store) MarkEmailDelivered(ctx context.Context, id int64, status coproduce.EmailStatus) error {
	_, err := s.db.Exec(ctx, `
		UPDATE emails SET status = $2, attempts = attempts + 1, last_error = '', delivered_at = now()
		WHERE id = $1`, id, status)
	return err
}

// MarkEmailAttemptFailed records a failed attempt; final marks it failed
// for good (no more retries).
func (s *Store) MarkEmailAttemptFailed(ctx context.Context, id int64, reason string, final bool) error {
	status := coproduce.EmailQueued
	if final {
		status = coproduce.EmailFailed
	}
	_, err := s.db.Exec(ctx, `
		UPDATE emails SET attempts = attempts + 1, last_error = $2, status = $3 WHERE id = $1`, id, reason, status)
	return err
}
