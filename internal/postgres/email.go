package postgres

import (
	"context"
	"strconv"

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

// queueEmail stores an email and schedules its delivery, in tx. An email
// to nobody (a person who takes part without email, by phone or by post)
// is not stored: it returns 0 and no error, so the change that would have
// sent it goes ahead.
func (s *Store) queueEmail(ctx context.Context, tx pgx.Tx, e coproduce.Email) (int64, error) {
	var id int64
	if e.To == "" {
		return 0, nil
	}
	format, err := emailFormatFor(ctx, tx, e.To)
	if err != nil {
		return 0, err
	}
	e = e.Formatted(format)
	var kind, link *string
	if e.TokenKind != "" {
		kind, link = &e.TokenKind, &e.Link
	}
	var unsubscribe *string
	if u := e.Unsubscribe; u != nil {
		unsubscribe = &u.URL
		if _, err := tx.Exec(ctx, `INSERT INTO unsubscribe_tokens (token_hash, user_id, kinds) VALUES ($1, $2, $3)`,
			HashToken(u.Token), u.UserID, u.Kinds); err != nil {
			return 0, err
		}
	}
	err = tx.QueryRow(ctx, `
		INSERT INTO emails (to_address, to_name, subject, text_body, html_body, kind, token_kind, token_hash, link_url, list_unsubscribe)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nullif($9, ''), $10) RETURNING id`,
		e.To, e.ToName, e.Subject, e.Text, e.HTML, e.Kind, kind, tokenHashOrNil(e), link, unsubscribe).Scan(&id)
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

// emailFormatFor is the format emails to this address take, from the
// communication needs its person told any of their projects (as larger
// text on the pages follows a large-print need). This is the app acting on
// the needs, not a person reading them, so it is not audited as a read.
func emailFormatFor(ctx context.Context, tx pgx.Tx, to string) (coproduce.EmailFormat, error) {
	var plain, large bool
	err := tx.QueryRow(ctx, `
		SELECT coalesce(bool_or(sp.plain_text_email), false), coalesce(bool_or(sp.large_print), false)
		FROM users u JOIN support_profiles sp ON sp.user_id = u.id
		WHERE lower(u.email) = lower($1)`, to).Scan(&plain, &large)
	return coproduce.EmailFormatOf(plain, large), err
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

func tokenHashOrNil(e coproduce.Email) []byte {
	if e.TokenKind == "" {
		return nil
	}
	return e.TokenHash
}

// emailColumns read an email, with whether its link still works: a
// sign-in link not used or expired, an invitation still open whose token
// is still this one (a resent invitation replaces it). A message of a kind
// that carries a link, from before links were recorded, counts as live.
const emailColumns = `id, to_address, to_name, subject, text_body, html_body, kind, status, attempts,
	last_error, created_at, delivered_at, coalesce(token_kind, ''), coalesce(link_url, ''),
	CASE token_kind
		WHEN 'sign_in' THEN EXISTS (SELECT 1 FROM sign_in_links l
			WHERE l.token_hash = emails.token_hash AND l.used_at IS NULL AND l.expires_at > now())
		WHEN 'invitation' THEN EXISTS (SELECT 1 FROM invitations i
			WHERE i.token_hash = emails.token_hash AND i.status = 'pending' AND i.expires_at > now())
		ELSE kind IN ('sign_in_link', 'invitation') END, coalesce(list_unsubscribe, '')`

func scanEmail(row pgx.Row) (coproduce.Email, error) {
	var e coproduce.Email
	err := row.Scan(&e.ID, &e.To, &e.ToName, &e.Subject, &e.Text, &e.HTML, &e.Kind, &e.Status, &e.Attempts,
		&e.LastError, &e.CreatedAt, &e.DeliveredAt, &e.TokenKind, &e.Link, &e.LinkLive, &e.ListUnsubscribe)
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
// Once a mail server has taken a message, its one-time link is removed from
// the stored copy: only the person it was sent to has it.
func (s *Store) MarkEmailDelivered(ctx context.Context, id int64, status coproduce.EmailStatus) error {
	_, err := s.db.Exec(ctx, `
		UPDATE emails SET status = $2, attempts = attempts + 1, last_error = '', delivered_at = now(),
			text_body = CASE WHEN $2 = 'sent' AND link_url IS NOT NULL THEN replace(text_body, link_url, '') ELSE text_body END,
			html_body = CASE WHEN $2 = 'sent' AND link_url IS NOT NULL THEN replace(html_body, link_url, '') ELSE html_body END,
			link_url = CASE WHEN $2 = 'sent' THEN NULL ELSE link_url END
		WHERE id = $1`, id, status)
	return err
}

// RecordLinkRead records, with an audit event, that an administrator
// opened in the outbox a message whose link still works, so that its
// owner is told at their next sign-in.
func (s *Store) RecordLinkRead(ctx context.Context, readerID, emailID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO outbox_reads (email_id, reader_id) VALUES ($1, $2)`, emailID, readerID); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: readerID, Action: coproduce.AuditOutboxRead,
			Subject: "email:" + strconv.FormatInt(emailID, 10)})
	})
}

// HasUntoldLinkReads reports whether an administrator read a link sent to
// this person that they have not yet been told about.
func (s *Store) HasUntoldLinkReads(ctx context.Context, email string) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM outbox_reads r JOIN emails e ON e.id = r.email_id
			WHERE r.told_at IS NULL AND lower(e.to_address) = lower($1))`, email).Scan(&ok)
	return ok, err
}

// TakeLinkReads returns the reads of this person's links they have not
// been told about, oldest first, and marks them told: each is shown once.
func (s *Store) TakeLinkReads(ctx context.Context, email string) ([]coproduce.LinkRead, error) {
	rows, err := s.db.Query(ctx, `
		WITH told AS (
			UPDATE outbox_reads r SET told_at = now() FROM emails e
			WHERE e.id = r.email_id AND r.told_at IS NULL AND lower(e.to_address) = lower($1)
			RETURNING e.kind, r.reader_id, r.read_at)
		SELECT t.kind, coalesce(u.name, ''), t.read_at FROM told t LEFT JOIN users u ON u.id = t.reader_id
		ORDER BY t.read_at`, email)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.LinkRead, error) {
		var l coproduce.LinkRead
		err := r.Scan(&l.Kind, &l.ReaderName, &l.ReadAt)
		return l, err
	})
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
