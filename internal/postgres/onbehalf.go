package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// recorder returns the values of a row's recorded_by and recorded_how: the
// facilitator and the way when ctx records on someone's behalf, both NULL
// for a person's own entry (which also clears them when the person changes
// a row recorded for them).
func recorder(ctx context.Context) (by *int64, how *string) {
	o, ok := coproduce.OnBehalfFrom(ctx)
	if !ok {
		return nil, nil
	}
	id, h := o.By.ID, string(o.How)
	return &id, &h
}

// recordOnBehalf, inside the transaction that writes a row for ownerID,
// checks that whoever records it may (a lead or facilitator of the project,
// recording for another of its members, the one the row belongs to) and
// audits it naming both people: the recorder as the actor, the member as the
// subject. Without a recording in ctx it does nothing. A refusal is
// ErrForbidden, and the caller's transaction writes nothing.
func recordOnBehalf(ctx context.Context, db DBTX, projectID, ownerID int64, what, about string) error {
	o, ok := coproduce.OnBehalfFrom(ctx)
	if !ok {
		return nil
	}
	if o.For.ID != ownerID || !o.How.Valid() {
		return coproduce.ErrForbidden
	}
	var byRole, forRole string
	if err := db.QueryRow(ctx, `
		SELECT coalesce((SELECT role FROM memberships WHERE project_id = $1 AND user_id = $2), ''),
		       coalesce((SELECT role FROM memberships WHERE project_id = $1 AND user_id = $3), '')`,
		projectID, o.By.ID, ownerID).Scan(&byRole, &forRole); err != nil {
		return err
	}
	a := coproduce.Access{User: o.By, Role: coproduce.ProjectRole(byRole)}
	if !a.CanRecordFor(ownerID, coproduce.ProjectRole(forRole)) {
		return coproduce.ErrForbidden
	}
	return recordAudit(ctx, db, coproduce.AuditEvent{ActorID: o.By.ID, ProjectID: projectID,
		Action: coproduce.AuditRecordOnBehalf, Subject: userSubject(ownerID),
		After: map[string]any{"what": what, "about": about, "how": string(o.How)}})
}

// inTxOnBehalf runs write in a transaction that also checks and audits a
// recording on someone's behalf; a person's own write runs as it is.
func (s *Store) inTxOnBehalf(ctx context.Context, projectID, ownerID int64, what, about string, write func(st *Store) error) error {
	if _, ok := coproduce.OnBehalfFrom(ctx); !ok {
		return write(s)
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := write(s.withDB(tx)); err != nil {
			return err
		}
		return recordOnBehalf(ctx, tx, projectID, ownerID, what, about)
	})
}

// queueRecordedFor queues, on the project page's batch, what facilitators
// recorded for a person in a project and that still stands as recorded (a
// row the person has since changed themselves is theirs again), newest
// first.
func queueRecordedFor(b *pgx.Batch, projectID, userID int64, out *[]coproduce.RecordedForYou) {
	b.Queue(`
		SELECT kind, ref, title, coalesce(rb.name, ''), how, at FROM (
			SELECT 'idea' AS kind, p.id AS ref, p.title, p.recorded_by AS by, p.recorded_how AS how, p.created_at AS at
			FROM proposals p WHERE p.project_id = $1 AND p.author_id = $2 AND p.recorded_by IS NOT NULL
			UNION ALL
			SELECT 'comment', p.id, p.title, c.recorded_by, c.recorded_how, c.created_at
			FROM comments c JOIN proposals p ON p.id = c.proposal_id
			WHERE p.project_id = $1 AND c.author_id = $2 AND c.recorded_by IS NOT NULL
			UNION ALL
			SELECT 'vote', p.id, p.title, v.recorded_by, v.recorded_how, v.updated_at
			FROM votes v JOIN proposals p ON p.id = v.proposal_id
			WHERE p.project_id = $1 AND v.user_id = $2 AND v.recorded_by IS NOT NULL
			UNION ALL
			SELECT 'meeting_reply', m.id, m.title, r.recorded_by, r.recorded_how, r.replied_at
			FROM meeting_replies r JOIN meetings m ON m.id = r.meeting_id
			WHERE m.project_id = $1 AND r.user_id = $2 AND r.recorded_by IS NOT NULL
			UNION ALL
			SELECT 'purpose_read', a.version, '', a.recorded_by, a.recorded_how, a.acknowledged_at
			FROM purpose_acknowledgements a WHERE a.project_id = $1 AND a.user_id = $2 AND a.recorded_by IS NOT NULL
			UNION ALL
			SELECT 'four_rs', 0, '', f.recorded_by, f.recorded_how, f.acknowledged_at
			FROM four_rs f WHERE f.project_id = $1 AND f.user_id = $2 AND f.recorded_by IS NOT NULL
			  AND f.acknowledged_version = f.version
			UNION ALL
			SELECT 'support', 0, '', sp.recorded_by, sp.recorded_how, sp.updated_at
			FROM support_profiles sp WHERE sp.project_id = $1 AND sp.user_id = $2 AND sp.recorded_by IS NOT NULL
			UNION ALL
			SELECT 'claim', c.id, c.category, c.recorded_by, c.recorded_how, c.created_at
			FROM claims c WHERE c.project_id = $1 AND c.user_id = $2 AND c.recorded_by IS NOT NULL
			UNION ALL
			SELECT 'sign_off', so.step, '', so.recorded_by, so.recorded_how, so.signed_at
			FROM stage_sign_offs so WHERE so.project_id = $1 AND so.user_id = $2 AND so.recorded_by IS NOT NULL
		) x LEFT JOIN users rb ON rb.id = x.by
		ORDER BY at DESC, kind, ref
		LIMIT 100`, projectID, userID).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.RecordedForYou, error) {
			x := coproduce.RecordedForYou{ProjectID: projectID}
			err := r.Scan(&x.Kind, &x.RefID, &x.Title, &x.ByName, &x.How, &x.At)
			return x, err
		})
		return err
	})
}
