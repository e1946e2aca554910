package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// Recipients lists a project's members who want to hear news, except one
// (the person who made it).
func (s *Store) Recipients(ctx context.Context, projectID, exceptUserID int64) ([]coproduce.Recipient, error) {
	rows, err := s.db.Query(ctx, `
		SELECT u.id, u.name, u.email, u.notify
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = $1 AND u.id <> $2 AND u.notify <> 'none' AND NOT u.disabled
		ORDER BY u.id`, projectID, exceptUserID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Recipient, error) {
		var rc coproduce.Recipient
		err := r.Scan(&rc.UserID, &rc.Name, &rc.Email, &rc.Notify)
		return rc, err
	})
}

// RecipientByID returns one person as a recipient.
func (s *Store) RecipientByID(ctx context.Context, userID int64) (coproduce.Recipient, error) {
	var rc coproduce.Recipient
	err := s.db.QueryRow(ctx, `SELECT id, name, email, notify FROM users WHERE id = $1 AND NOT disabled`, userID).Scan(
		&rc.UserID, &rc.Name, &rc.Email, &rc.Notify)
	return rc, translate(err)
}

// DefaultNotifyGather is the least time between two notification emails to
// one person when none is configured.
const DefaultNotifyGather = 5 * time.Minute

// WithNotifyGather returns the store with the least time between two
// notification emails to one person (NOTIFY_GATHER).
func (s *Store) WithNotifyGather(d time.Duration) *Store {
	c := *s
	c.gather = d
	return &c
}

func (s *Store) notifyGather() time.Duration {
	if s.gather <= 0 {
		return DefaultNotifyGather
	}
	return s.gather
}

// deliverNotices sends each notice as an email, or keeps it for a gathered
// email or the daily digest. A person who wants to hear "soon" gets at most
// one notification email in each gather interval: the first news is sent
// at once, and news in the rest of the interval waits and goes in one
// gathered email when it ends (SendDigest). Claiming the interval is one
// statement on the person's row, so news arriving at once sends one email.
func (s *Store) deliverNotices(ctx context.Context, tx pgx.Tx, notices []coproduce.Notice) error {
	for _, n := range notices {
		switch n.Notify {
		case coproduce.NotifyImmediate:
			tag, err := tx.Exec(ctx, `
				UPDATE users SET last_notice_at = now()
				WHERE id = $1 AND (last_notice_at IS NULL OR last_notice_at <= now() - $2::interval)
				  AND NOT EXISTS (SELECT 1 FROM digest_items d WHERE d.user_id = $1 AND d.sent_at IS NULL)`,
				n.UserID, s.notifyGather())
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 1 {
				if _, err := s.queueEmail(ctx, tx, n.Email); err != nil {
					return err
				}
				continue
			}
			fallthrough // gathered into the next email
		case coproduce.NotifyDaily:
			if _, err := tx.Exec(ctx, `INSERT INTO digest_items (user_id, line, link) VALUES ($1, $2, $3)`,
				n.UserID, n.Line, n.Link); err != nil {
				return err
			}
		}
	}
	return nil
}

// SetNotify saves a person's notification preference.
func (s *Store) SetNotify(ctx context.Context, userID int64, n coproduce.Notify) error {
	_, err := s.db.Exec(ctx, `UPDATE users SET notify = $2 WHERE id = $1`, userID, n)
	return err
}

// NotifyOf returns a person's notification preference.
func (s *Store) NotifyOf(ctx context.Context, userID int64) (coproduce.Notify, error) {
	var n coproduce.Notify
	err := s.db.QueryRow(ctx, `SELECT notify FROM users WHERE id = $1`, userID).Scan(&n)
	return n, translate(err)
}

// DueDigests lists the people with news waiting who may be sent it now:
// those who want a daily digest and had none for a day, and those who want
// news soon and had no notification email for the gather interval.
func (s *Store) DueDigests(ctx context.Context, now time.Time) ([]coproduce.Recipient, error) {
	rows, err := s.db.Query(ctx, `
		SELECT u.id, u.name, u.email, u.notify FROM users u
		WHERE NOT u.disabled
		  AND ((u.notify = 'daily' AND (u.last_digest_at IS NULL OR u.last_digest_at <= $1::timestamptz - interval '1 day'))
		    OR (u.notify = 'immediate' AND (u.last_notice_at IS NULL OR u.last_notice_at <= $1::timestamptz - $2::interval)))
		  AND EXISTS (SELECT 1 FROM digest_items d WHERE d.user_id = u.id AND d.sent_at IS NULL)`, now, s.notifyGather())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Recipient, error) {
		var rc coproduce.Recipient
		err := r.Scan(&rc.UserID, &rc.Name, &rc.Email, &rc.Notify)
		return rc, err
	})
}

// SendDigest gathers a person's waiting news into one email, queued with
// the items marked sent, in one transaction. build makes the email from the
// items; nothing is sent when there are none, or when the person's digest
// or gathered email is not due (another run, or news sent at once, got
// there first).
func (s *Store) SendDigest(ctx context.Context, userID int64, build func([]coproduce.DigestItem) coproduce.Email) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Claim the person's turn: one statement on their row, so two runs
		// or a run and news sent at once cannot both send.
		tag, err := tx.Exec(ctx, `
			UPDATE users SET
				last_digest_at = CASE WHEN notify = 'daily' THEN now() ELSE last_digest_at END,
				last_notice_at = CASE WHEN notify = 'immediate' THEN now() ELSE last_notice_at END
			WHERE id = $1 AND NOT disabled
			  AND ((notify = 'daily' AND (last_digest_at IS NULL OR last_digest_at <= now() - interval '1 day'))
			    OR (notify = 'immediate' AND (last_notice_at IS NULL OR last_notice_at <= now() - $2::interval)))`,
			userID, s.notifyGather())
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		rows, err := tx.Query(ctx, `
			SELECT id, line, link FROM digest_items WHERE user_id = $1 AND sent_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED`, userID)
		if err != nil {
			return err
		}
		items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.DigestItem, error) {
			var d coproduce.DigestItem
			err := r.Scan(&d.ID, &d.Line, &d.Link)
			return d, err
		})
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return errNothingToSend // gives back the turn claimed above
		}
		ids := make([]int64, len(items))
		for i, d := range items {
			ids[i] = d.ID
		}
		if _, err := tx.Exec(ctx, `UPDATE digest_items SET sent_at = now() WHERE id = ANY($1)`, ids); err != nil {
			return err
		}
		_, err = s.queueEmail(ctx, tx, build(items))
		return err
	})
	if errors.Is(err, errNothingToSend) {
		return nil
	}
	return err
}

var errNothingToSend = errors.New("nothing to send")
