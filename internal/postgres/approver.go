package postgres

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// ErrNotStaff means an approver must be a staff or administrator account,
// not a lay partner's.
var ErrNotStaff = errors.New("approvers must be staff")

func approverSubject(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// Approvers lists the organisation's approvers by name.
func (s *Store) Approvers(ctx context.Context) ([]coproduce.Approver, error) {
	rows, err := s.db.Query(ctx, `
		SELECT a.user_id, u.name, coalesce(u.email, ''), a.named_at
		FROM approvers a JOIN users u ON u.id = a.user_id
		ORDER BY lower(u.name), u.id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Approver, error) {
		var a coproduce.Approver
		err := r.Scan(&a.UserID, &a.Name, &a.Email, &a.NamedAt)
		return a, err
	})
}

// IsApprover reports whether the account is one of the organisation's
// approvers.
func (s *Store) IsApprover(ctx context.Context, userID int64) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM approvers WHERE user_id = $1)`, userID).Scan(&ok)
	return ok, err
}

// AddApprover names the account with this email an approver, audited. No
// such account is ErrNotFound; a lay partner's account is ErrNotStaff; one
// already named is ErrConflict.
func (s *Store) AddApprover(ctx context.Context, actorID int64, email string) (*coproduce.User, error) {
	var u *coproduce.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if u, err = s.withDB(tx).UserByEmail(ctx, email); err != nil {
			return err
		}
		if u.Role == coproduce.RolePartner || u.Disabled {
			return ErrNotStaff
		}
		if _, err := tx.Exec(ctx, `INSERT INTO approvers (user_id, named_by) VALUES ($1, $2)`, u.ID, actorID); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, Action: coproduce.AuditApproverAdd,
			Subject: approverSubject(u.ID)})
	})
	return u, err
}

// RemoveApprover stops an account being an approver, audited.
func (s *Store) RemoveApprover(ctx context.Context, actorID, userID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM approvers WHERE user_id = $1`, userID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return coproduce.ErrNotFound
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, Action: coproduce.AuditApproverRemove,
			Subject: approverSubject(userID)})
	})
}
