package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

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

// Announce writes news on its own, for changes made elsewhere (a periodic
// job's reminders, a meeting changed).
func (s *Store) Announce(ctx context.Context, news ...coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error { return s.announce(ctx, tx, 0, news) })
}

// announce writes each piece of news, in the transaction of the change it
// tells of, for everyone it concerns but the actor: newID is the row the
// change made, for news whose address needs it.
func (s *Store) announce(ctx context.Context, tx pgx.Tx, newID int64, news []coproduce.News) error {
	for _, n := range news {
		people, err := audience(ctx, tx, n, newID)
		if err != nil {
			return err
		}
		path := n.Path
		if n.PathFor != nil {
			path = n.PathFor(newID)
		}
		notices := make([]coproduce.Notice, len(people))
		for i, rc := range people {
			if n.AppOnly {
				rc.Notify = coproduce.NotifyNone
			}
			nt := n.Write(rc, path)
			nt.UserID, nt.Notify, nt.Kind, nt.ProjectID, nt.Path, nt.Once = rc.UserID, rc.Notify, n.Kind, n.ProjectID, path, n.Once
			notices[i] = nt
		}
		if err := s.deliverNotices(ctx, tx, notices); err != nil {
			return err
		}
	}
	return nil
}

// audience finds the people a piece of news concerns, with how each wants
// to hear of its kind: their own choice, or their account's default. A
// person who has left the project hears nothing more of it (approvers
// excepted: they decide claims from outside). A member who asked the
// project to contact them another way than email (phone, text, letter, in
// person) is not emailed its news, whatever they chose for the kind.
func audience(ctx context.Context, tx pgx.Tx, n coproduce.News, newID int64) ([]coproduce.Recipient, error) {
	a := n.Audience
	var claim int64
	if a.NewClaimDeciders {
		claim = newID
	}
	rows, err := tx.Query(ctx, `
		WITH aud (uid) AS (
			SELECT unnest($3::bigint[])
			UNION SELECT user_id FROM memberships WHERE $4 AND project_id = $1
			UNION SELECT user_id FROM memberships WHERE $5 AND project_id = $1 AND role IN ('lead', 'facilitator')
			UNION SELECT user_id FROM memberships WHERE project_id = $1 AND role = nullif($11, '')
			UNION SELECT author_id FROM proposals WHERE id = $6 AND author_id IS NOT NULL
			UNION SELECT user_id FROM votes WHERE proposal_id = $7
			UNION SELECT author_id FROM comments WHERE id = $8 AND author_id IS NOT NULL
			UNION SELECT c.uid FROM (SELECT user_id FROM approvers
					UNION SELECT user_id FROM memberships WHERE project_id = $1 AND role = 'lead') AS c (uid)
				WHERE $9 <> 0 AND claim_decider_allowed(c.uid, $9)
		)
		SELECT u.id, u.name, coalesce(u.email, ''), u.role, np.notify, coalesce(u.language, ''),
			coalesce(mb.contact_way, 'email')
		FROM aud JOIN users u ON u.id = aud.uid
		LEFT JOIN notify_preferences np ON np.user_id = u.id AND np.kind = $10
		LEFT JOIN memberships mb ON mb.project_id = $1 AND mb.user_id = u.id
		WHERE u.id <> $2 AND NOT u.disabled
		  AND ($1 = 0 OR EXISTS (SELECT 1 FROM memberships m WHERE m.project_id = $1 AND m.user_id = u.id)
		       OR ($9 <> 0 AND EXISTS (SELECT 1 FROM approvers ap WHERE ap.user_id = u.id)))
		ORDER BY u.id`,
		n.ProjectID, n.ActorID, a.Users, a.Members, a.Leads, a.IdeaAuthor, a.IdeaVoters, a.Commenter, claim, n.Kind, a.Role)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Recipient, error) {
		var rc coproduce.Recipient
		var role coproduce.SystemRole
		var chosen *coproduce.Notify
		var way coproduce.ContactWay
		err := r.Scan(&rc.UserID, &rc.Name, &rc.Email, &role, &chosen, &rc.Language, &way)
		rc.Notify = coproduce.DefaultNotify(n.Kind, role)
		if chosen != nil {
			rc.Notify = *chosen
		}
		if rc.Email == "" || way.NotByEmail() {
			// No email address, or they asked this project to reach
			// them by phone, text, letter or in person: the news is on
			// their Updates page, for them or their facilitator, and
			// nothing is sent or gathered.
			rc.Notify = coproduce.NotifyNone
		}
		return rc, err
	})
}

// NotEmailedProjects lists the projects a person asked to contact them
// another way than email (audience sends them none of those projects'
// news), with the way, for their notification settings to say so.
func (s *Store) NotEmailedProjects(ctx context.Context, userID int64) ([]coproduce.ContactChoice, error) {
	rows, err := s.db.Query(ctx, `
		SELECT p.id, p.title, coalesce(p.title_cy, ''), m.contact_way
		FROM memberships m JOIN projects p ON p.id = m.project_id
		WHERE m.user_id = $1 AND m.contact_way <> 'email'
		ORDER BY lower(p.title), p.id`, userID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.ContactChoice, error) {
		var c coproduce.ContactChoice
		err := r.Scan(&c.ProjectID, &c.Title, &c.TitleCy, &c.Way)
		return c, err
	})
}

// deliverNotices puts each notice on its person's Updates page and sends
// it as they prefer: an email, or a line kept for a gathered email or the
// daily digest. A notice named Once that the person already had is
// dropped. A person who wants to hear "at once" gets at most one
// notification email in each gather interval: the first news is sent at
// once, and news in the rest of the interval waits and goes in one
// gathered email when it ends (SendDigest). Claiming the interval is one
// statement on the person's row, so news arriving at once sends one email.
func (s *Store) deliverNotices(ctx context.Context, tx pgx.Tx, notices []coproduce.Notice) error {
	for _, n := range notices {
		tag, err := tx.Exec(ctx, `
			INSERT INTO updates (user_id, project_id, kind, line, link, once_key, lang)
			VALUES ($1, nullif($2, 0), $3, $4, $5, nullif($6, ''), coalesce(nullif($7, ''), 'en'))
			ON CONFLICT (user_id, once_key) WHERE once_key IS NOT NULL DO NOTHING`,
			n.UserID, n.ProjectID, n.Kind, n.Line, n.Path, n.Once, n.Lang)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			continue // told once already
		}
		daily := true
		switch n.Notify {
		case coproduce.NotifyImmediate:
			tag, err := tx.Exec(ctx, `
				UPDATE users SET last_notice_at = now()
				WHERE id = $1 AND (last_notice_at IS NULL OR last_notice_at <= now() - $2::interval)
				  AND NOT EXISTS (SELECT 1 FROM digest_items d WHERE d.user_id = $1 AND d.sent_at IS NULL AND NOT d.daily)`,
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
			daily = false // gathered into the next email
		case coproduce.NotifyNone:
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO digest_items (user_id, line, link, kind, daily) VALUES ($1, $2, $3, $4, $5)`,
			n.UserID, n.Line, n.Link, n.Kind, daily); err != nil {
			return err
		}
	}
	return nil
}

// DueDigests lists the people with news waiting who may be sent it now:
// daily news for those who had no digest for a day, and news gathered for
// those who had no notification email for the gather interval. Each is
// returned with Notify saying which: daily or immediate.
func (s *Store) DueDigests(ctx context.Context, now time.Time) ([]coproduce.Recipient, error) {
	rows, err := s.db.Query(ctx, `
		SELECT u.id, u.name, coalesce(u.email, ''), CASE WHEN d.daily THEN 'daily' ELSE 'immediate' END, coalesce(u.language, '') FROM users u
		JOIN (SELECT DISTINCT user_id, daily FROM digest_items WHERE sent_at IS NULL) d ON d.user_id = u.id
		WHERE NOT u.disabled AND u.email IS NOT NULL
		  AND ((d.daily AND (u.last_digest_at IS NULL OR u.last_digest_at <= $1::timestamptz - interval '1 day'))
		    OR (NOT d.daily AND (u.last_notice_at IS NULL OR u.last_notice_at <= $1::timestamptz - $2::interval)))
		ORDER BY u.id, d.daily`, now, s.notifyGather())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Recipient, error) {
		var rc coproduce.Recipient
		err := r.Scan(&rc.UserID, &rc.Name, &rc.Email, &rc.Notify, &rc.Language)
		return rc, err
	})
}

// SendDigest gathers a person's waiting news of one sort (rc.Notify daily:
// the digest; immediate: the gathered email) into one email, queued with
// the items marked sent, in one transaction. build makes the email from the
// items; nothing is sent when there are none, or when the person's digest
// or gathered email is not due (another run, or news sent at once, got
// there first).
func (s *Store) SendDigest(ctx context.Context, rc coproduce.Recipient, build func([]coproduce.DigestItem) coproduce.Email) error {
	daily := rc.Notify == coproduce.NotifyDaily
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Claim the person's turn: one statement on their row, so two runs
		// or a run and news sent at once cannot both send.
		tag, err := tx.Exec(ctx, `
			UPDATE users SET
				last_digest_at = CASE WHEN $3 THEN now() ELSE last_digest_at END,
				last_notice_at = CASE WHEN $3 THEN last_notice_at ELSE now() END
			WHERE id = $1 AND NOT disabled
			  AND (($3 AND (last_digest_at IS NULL OR last_digest_at <= now() - interval '1 day'))
			    OR (NOT $3 AND (last_notice_at IS NULL OR last_notice_at <= now() - $2::interval)))`,
			rc.UserID, s.notifyGather(), daily)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		rows, err := tx.Query(ctx, `
			SELECT id, kind, line, link FROM digest_items WHERE user_id = $1 AND sent_at IS NULL AND daily = $2
			ORDER BY id FOR UPDATE SKIP LOCKED`, rc.UserID, daily)
		if err != nil {
			return err
		}
		items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.DigestItem, error) {
			var d coproduce.DigestItem
			err := r.Scan(&d.ID, &d.Kind, &d.Line, &d.Link)
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
