package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// PersonalData gathers everything held about a person, in one read-only
// snapshot, and records the download in the audit trail.
func (s *Store) PersonalData(ctx context.Context, userID int64) (coproduce.PersonalData, error) {
	d := coproduce.PersonalData{GeneratedAt: time.Now()}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT coalesce(email, ''), name, role, created_at FROM users WHERE id = $1`, userID).Scan(
			&d.Account.Email, &d.Account.Name, &d.Account.Role, &d.Account.CreatedAt); err != nil {
			return translate(err)
		}
		var err error
		if d.Account.Notify, err = s.withDB(tx).NotifyPreferences(ctx, userID); err != nil {
			return err
		}
		if d.Updates, err = collect(ctx, tx, `
			SELECT coalesce(p.title, ''), u.line, u.created_at FROM updates u LEFT JOIN projects p ON p.id = u.project_id
			WHERE u.user_id = $1 ORDER BY u.id`, userID, func(r pgx.Row, x *coproduce.DataText) error {
			return r.Scan(&x.Project, &x.Text, &x.CreatedAt)
		}); err != nil {
			return err
		}
		if d.Arranged, err = collect(ctx, tx, `
			SELECT p.title, m.title, a.needs, a.note, a.updated_at
			FROM meeting_arrangements a JOIN meetings m ON m.id = a.meeting_id JOIN projects p ON p.id = m.project_id
			WHERE a.user_id = $1 ORDER BY m.starts_at`, userID, func(r pgx.Row, x *coproduce.DataArranged) error {
			return r.Scan(&x.Project, &x.Meeting, &x.Needs, &x.Note, &x.At)
		}); err != nil {
			return err
		}
		if d.Memberships, err = collect(ctx, tx, `
			SELECT p.title, m.role, m.payment_level, m.payment_choice, m.created_at,
			       m.contact_way, m.phone, m.postal_address
			FROM memberships m JOIN projects p ON p.id = m.project_id WHERE m.user_id = $1 ORDER BY m.created_at`,
			userID, func(r pgx.Row, x *coproduce.DataMember) error {
				return r.Scan(&x.Project, &x.Role, &x.PaymentLevel, &x.PaymentChoice, &x.JoinedAt,
					&x.ContactWay, &x.Phone, &x.PostalAddress)
			}); err != nil {
			return err
		}
		if d.Support, err = collect(ctx, tx, `
			SELECT p.title, `+supportColumnsOf("sp")+`, sp.updated_at
			FROM support_profiles sp JOIN projects p ON p.id = sp.project_id WHERE sp.user_id = $1
			UNION ALL
			SELECT '', `+supportColumnsOf("u")+`, u.updated_at FROM support_profiles_unplaced u WHERE u.user_id = $1
			ORDER BY 1`, userID, func(r pgx.Row, x *coproduce.DataSupport) error {
			x.UserID = userID
			return r.Scan(append(append([]any{&x.Project}, supportFields(&x.SupportProfile)...), &x.UpdatedAt)...)
		}); err != nil {
			return err
		}
		if d.Proposals, err = collect(ctx, tx, `
			SELECT p.title, pr.title, pr.body, pr.created_at FROM proposals pr JOIN projects p ON p.id = pr.project_id
			WHERE pr.author_id = $1 ORDER BY pr.created_at`, userID, func(r pgx.Row, x *coproduce.DataText) error {
			return r.Scan(&x.Project, &x.Title, &x.Text, &x.CreatedAt)
		}); err != nil {
			return err
		}
		if d.Comments, err = collect(ctx, tx, `
			SELECT p.title, pr.title, c.body, c.created_at
			FROM comments c JOIN proposals pr ON pr.id = c.proposal_id JOIN projects p ON p.id = pr.project_id
			WHERE c.author_id = $1 ORDER BY c.created_at`, userID, func(r pgx.Row, x *coproduce.DataText) error {
			return r.Scan(&x.Project, &x.Title, &x.Text, &x.CreatedAt)
		}); err != nil {
			return err
		}
		if d.Votes, err = collect(ctx, tx, `
			SELECT p.title, pr.title, v.choice, v.reason
			FROM votes v JOIN proposals pr ON pr.id = v.proposal_id JOIN projects p ON p.id = pr.project_id
			WHERE v.user_id = $1 ORDER BY v.updated_at`, userID, func(r pgx.Row, x *coproduce.DataVote) error {
			return r.Scan(&x.Project, &x.Proposal, &x.Choice, &x.Reason)
		}); err != nil {
			return err
		}
		if d.Claims, err = collect(ctx, tx, `
			SELECT p.title, c.category, to_char(c.incurred_on, 'YYYY-MM-DD'), c.amount_pence, c.status, c.description,
			       c.receipt_id IS NOT NULL
			FROM claims c JOIN projects p ON p.id = c.project_id WHERE c.user_id = $1 ORDER BY c.created_at`,
			userID, func(r pgx.Row, x *coproduce.DataClaim) error {
				return r.Scan(&x.Project, &x.Category, &x.Date, &x.AmountPence, &x.Status, &x.Description, &x.HasReceipt)
			}); err != nil {
			return err
		}
		if d.Acknowledge, err = collect(ctx, tx, `
			SELECT p.title, 'purpose statement, version ' || a.version, a.acknowledged_at
			FROM purpose_acknowledgements a JOIN projects p ON p.id = a.project_id WHERE a.user_id = $1
			UNION ALL
			SELECT p.title, '4Rs, version ' || f.acknowledged_version, f.acknowledged_at
			FROM four_rs f JOIN projects p ON p.id = f.project_id WHERE f.user_id = $1 AND f.acknowledged_at IS NOT NULL
			UNION ALL
			SELECT p.title, 'working agreement', a.acknowledged_at
			FROM agreement_acknowledgements a JOIN projects p ON p.id = a.project_id WHERE a.user_id = $1
			ORDER BY 3`, userID, func(r pgx.Row, x *coproduce.DataAck) error {
			return r.Scan(&x.Project, &x.What, &x.At)
		}); err != nil {
			return err
		}
		if err := collectEvaluation(ctx, tx, userID, &d); err != nil {
			return err
		}
		if err := evaluateData(ctx, tx, userID, &d); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: userID, Action: coproduce.AuditDataDownload,
			Subject: userSubject(userID)})
	})
	return d, err
}

// collect runs a query with one argument and scans each row into a T.
func collect[T any](ctx context.Context, tx pgx.Tx, sql string, arg any, scan func(pgx.Row, *T) error) ([]T, error) {
	rows, err := tx.Query(ctx, sql, arg)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) {
		var x T
		err := scan(r, &x)
		return x, err
	})
	if out == nil {
		out = []T{}
	}
	return out, err
}
