package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// invitationStatus shows a pending invitation past its expiry as expired.
const invitationStatus = `CASE WHEN i.status = 'pending' AND i.expires_at <= now() THEN 'expired' ELSE i.status END`

const invitationSelect = `
	SELECT i.id, i.project_id, i.name, coalesce(i.email, ''), coalesce(i.group_id, 0), coalesce(g.name, ''), i.role, i.message,
	       ` + invitationStatus + `, i.expires_at, coalesce(u.name, ''), i.created_at,
	       coalesce(ab.name, ''), coalesce(i.accepted_way, ''), i.responded_at
	FROM invitations i
	LEFT JOIN stakeholder_groups g ON g.id = i.group_id
	LEFT JOIN users u ON u.id = i.created_by
	LEFT JOIN users ab ON ab.id = i.accepted_by`

func scanInvitation(row pgx.Row) (coproduce.Invitation, error) {
	var i coproduce.Invitation
	err := row.Scan(&i.ID, &i.ProjectID, &i.Name, &i.Email, &i.GroupID, &i.GroupName, &i.Role, &i.Message,
		&i.Status, &i.ExpiresAt, &i.CreatedBy, &i.CreatedAt, &i.AcceptedBy, &i.AcceptedWay, &i.RespondedAt)
	return i, translate(err)
}

func invitationSubject(id int64) string { return "invitation:" + strconv.FormatInt(id, 10) }

// CreateInvitation stores an invitation with the hash of its link's token
// and queues the email carrying the link, in one transaction. A second
// pending invitation to the same email in the same project is ErrConflict;
// a group of another project is ErrNotFound.
func (s *Store) CreateInvitation(ctx context.Context, actorID, projectID int64, in coproduce.InvitationInput, tokenHash []byte, email coproduce.Email) (coproduce.Invitation, error) {
	var inv coproduce.Invitation
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		id, again, err := onceForToken(ctx, tx, actorID, "invitation", in.FormToken, func() (int64, error) {
			return s.insertInvitation(ctx, tx, actorID, projectID, in, tokenHash, email)
		})
		if err != nil {
			return err
		}
		// Sent again: the invitation the first send made, with no second
		// email.
		inv, err = scanInvitation(tx.QueryRow(ctx, invitationSelect+` WHERE i.id = $1`, id))
		if again && isNotFound(err) {
			err = nil
		}
		return err
	})
	return inv, err
}

func (s *Store) insertInvitation(ctx context.Context, tx pgx.Tx, actorID, projectID int64, in coproduce.InvitationInput, tokenHash []byte, email coproduce.Email) (int64, error) {
	if in.GroupID != 0 {
		if _, err := s.withDB(tx).Group(ctx, projectID, in.GroupID); err != nil {
			return 0, err
		}
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO invitations (project_id, name, email, group_id, role, message, token_hash, expires_at, created_by)
		VALUES ($1, $2, $3, nullif($4, 0), $5, $6, $7, $8, $9) RETURNING id`,
		projectID, in.Name, in.Email, in.GroupID, in.Role, in.Message, tokenHash,
		time.Now().Add(coproduce.InvitationLifetime), actorID).Scan(&id)
	if err != nil {
		return 0, translate(err)
	}
	email.TokenKind, email.TokenHash = "invitation", tokenHash
	if _, err := s.queueEmail(ctx, tx, email); err != nil {
		return 0, err
	}
	if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
		Action: coproduce.AuditInvitationSend, Subject: invitationSubject(id),
		After: map[string]any{"role": in.Role, "group_id": in.GroupID}}); err != nil {
		return 0, err
	}
	return id, touchStage(ctx, tx, actorID, projectID, coproduce.StepSelect)
}

// Invitations lists a project's invitations, newest first.
func (s *Store) Invitations(ctx context.Context, projectID int64) ([]coproduce.Invitation, error) {
	rows, err := s.db.Query(ctx, invitationSelect+` WHERE i.project_id = $1 ORDER BY i.created_at DESC, i.id DESC`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Invitation, error) { return scanInvitation(r) })
}

// Invitation returns one of a project's invitations.
func (s *Store) Invitation(ctx context.Context, projectID, id int64) (coproduce.Invitation, error) {
	return scanInvitation(s.db.QueryRow(ctx, invitationSelect+` WHERE i.project_id = $1 AND i.id = $2`, projectID, id))
}

// InvitationByToken finds an invitation by the hash of its link's token.
func (s *Store) InvitationByToken(ctx context.Context, tokenHash []byte) (coproduce.Invitation, error) {
	return scanInvitation(s.db.QueryRow(ctx, invitationSelect+` WHERE i.token_hash = $1`, tokenHash))
}

// ResendInvitation gives a pending or expired invitation a new token and
// expiry (the old link stops working) and queues a new email.
func (s *Store) ResendInvitation(ctx context.Context, actorID, projectID, id int64, tokenHash []byte, email coproduce.Email) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE invitations SET token_hash = $3, expires_at = $4
			WHERE project_id = $1 AND id = $2 AND status = 'pending'`,
			projectID, id, tokenHash, time.Now().Add(coproduce.InvitationLifetime))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return s.invitationGone(ctx, tx, projectID, id)
		}
		email.TokenKind, email.TokenHash = "invitation", tokenHash
		if _, err := s.queueEmail(ctx, tx, email); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditInvitationResend, Subject: invitationSubject(id)})
	})
}

// WithdrawInvitation cancels a pending invitation.
func (s *Store) WithdrawInvitation(ctx context.Context, actorID, projectID, id int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE invitations SET status = 'withdrawn', responded_at = now()
			WHERE project_id = $1 AND id = $2 AND status = 'pending'`, projectID, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return s.invitationGone(ctx, tx, projectID, id)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditInvitationWithdraw, Subject: invitationSubject(id)})
	})
}

// invitationGone explains why an invitation could not be changed: it does
// not exist in the project (ErrNotFound) or is no longer pending (ErrStale).
func (s *Store) invitationGone(ctx context.Context, tx pgx.Tx, projectID, id int64) error {
	if _, err := s.withDB(tx).Invitation(ctx, projectID, id); err != nil {
		return err
	}
	return coproduce.ErrStale
}

// ErrInvitationClosed means the invitation can no longer be answered.
var ErrInvitationClosed = errors.New("invitation closed")

// AcceptInvitation answers an open invitation with yes. The account with
// the invitation's email joins the project in the invited role; if there is
// no such account, a partner account is made with the given name, whatever
// the project role: only an administrator gives the staff role, which may
// start projects. It returns the account.
// A closed or expired invitation is ErrInvitationClosed; a disabled account
// is ErrForbidden.
func (s *Store) AcceptInvitation(ctx context.Context, tokenHash []byte, name string) (*coproduce.User, error) {
	var u *coproduce.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		inv, err := lockOpenInvitation(ctx, tx, tokenHash)
		if err != nil {
			return err
		}
		u, err = s.withDB(tx).UserByEmail(ctx, inv.Email)
		switch {
		case errors.Is(err, coproduce.ErrNotFound):
			u, err = s.withDB(tx).CreateUser(ctx, coproduce.NewUser{Email: inv.Email, Name: name,
				Role: coproduce.RolePartner}, "")
			if err != nil {
				return err
			}
		case err != nil:
			return err
		case u.Disabled:
			return coproduce.ErrForbidden
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO memberships (project_id, user_id, role, invited_by)
			SELECT $1, $2, $3, nullif(created_by, $2) FROM invitations WHERE id = $4
			ON CONFLICT (project_id, user_id) DO NOTHING`, inv.ProjectID, u.ID, inv.Role, inv.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE invitations SET status = 'accepted', responded_at = now(), accepted_user_id = $2 WHERE id = $1`,
			inv.ID, u.ID); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: u.ID, ProjectID: inv.ProjectID,
			Action: coproduce.AuditInvitationAccept, Subject: invitationSubject(inv.ID),
			After: map[string]any{"role": inv.Role}})
	})
	return u, err
}

// DeclineInvitation answers an open invitation with no.
func (s *Store) DeclineInvitation(ctx context.Context, tokenHash []byte) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		inv, err := lockOpenInvitation(ctx, tx, tokenHash)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE invitations SET status = 'declined', responded_at = now() WHERE id = $1`, inv.ID); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ProjectID: inv.ProjectID,
			Action: coproduce.AuditInvitationDecline, Subject: invitationSubject(inv.ID)})
	})
}

func lockOpenInvitation(ctx context.Context, tx pgx.Tx, tokenHash []byte) (coproduce.Invitation, error) {
	var inv coproduce.Invitation
	var status string
	var expires time.Time
	err := tx.QueryRow(ctx, `
		SELECT id, project_id, coalesce(email, ''), role, status, expires_at FROM invitations WHERE token_hash = $1 FOR UPDATE`,
		tokenHash).Scan(&inv.ID, &inv.ProjectID, &inv.Email, &inv.Role, &status, &expires)
	if err != nil {
		return inv, translate(err)
	}
	if status != string(coproduce.InvitationPending) || !time.Now().Before(expires) {
		return inv, ErrInvitationClosed
	}
	return inv, nil
}

// Coverage counts invitations and acceptances for each identified group,
// in the order the groups were added.
func (s *Store) Coverage(ctx context.Context, projectID int64) ([]coproduce.GroupCoverage, error) {
	rows, err := s.db.Query(ctx, `
		SELECT g.id, g.name, g.included,
		       count(i.id) FILTER (WHERE i.status <> 'withdrawn'),
		       count(i.id) FILTER (WHERE i.status = 'accepted')
		FROM stakeholder_groups g
		LEFT JOIN invitations i ON i.group_id = g.id
		WHERE g.project_id = $1
		GROUP BY g.id ORDER BY g.id`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.GroupCoverage, error) {
		var c coproduce.GroupCoverage
		err := r.Scan(&c.GroupID, &c.Name, &c.Included, &c.Invited, &c.Accepted)
		return c, err
	})
}

// CreateSignInLink stores a one-time sign-in link for the account with this
// email, and queues the email carrying it, unless there is no such (enabled)
// account: then it does nothing and says nothing, so that answers reveal
// no accounts. makeEmail builds the message for the account found.
func (s *Store) CreateSignInLink(ctx context.Context, email string, tokenHash []byte, makeEmail func(*coproduce.User) coproduce.Email) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := s.withDB(tx).UserByEmail(ctx, email)
		if errors.Is(err, coproduce.ErrNotFound) || (err == nil && u.Disabled) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sign_in_links (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`,
			tokenHash, u.ID, time.Now().Add(coproduce.SignInLinkLifetime)); err != nil {
			return err
		}
		e := makeEmail(u)
		e.TokenKind, e.TokenHash = "sign_in", tokenHash
		_, err = s.queueEmail(ctx, tx, e)
		return err
	})
}

// UseSignInLink spends a one-time link and returns its account. A link that
// is unknown, used, expired, or whose account is disabled is ErrNotFound.
func (s *Store) UseSignInLink(ctx context.Context, tokenHash []byte) (*coproduce.User, error) {
	var userID int64
	err := s.db.QueryRow(ctx, `
		UPDATE sign_in_links SET used_at = now()
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
		RETURNING user_id`, tokenHash).Scan(&userID)
	if err != nil {
		return nil, translate(err)
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, coproduce.ErrNotFound
	}
	return u, nil
}

// SignInLinkState says whether a link can still be used, without using it:
// "ok", "used", "expired" or "unknown".
func (s *Store) SignInLinkState(ctx context.Context, tokenHash []byte) (string, error) {
	var state string
	err := s.db.QueryRow(ctx, `
		SELECT CASE WHEN used_at IS NOT NULL THEN 'used' WHEN expires_at <= now() THEN 'expired' ELSE 'ok' END
		FROM sign_in_links WHERE token_hash = $1`, tokenHash).Scan(&state)
	if errors.Is(err, pgx.ErrNoRows) {
		return "unknown", nil
	}
	return state, err
}
