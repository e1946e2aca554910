package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// AddOfflineMember adds a person who does not use email to a project, as a
// facilitator records them having agreed by phone, by post or in person:
// an account with no email and no password (nobody can sign in as them
// until they join online with a letter's code), and a membership with how
// to reach them, joined on their behalf by the actor. Audited, without the
// phone number or address. It returns the new account's id.
func (s *Store) AddOfflineMember(ctx context.Context, actorID, projectID int64, m coproduce.OfflineMember) (int64, error) {
	var userID int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO users (email, name, role) VALUES (NULL, $1, 'partner') RETURNING id`,
			m.Name).Scan(&userID); err != nil {
			return translate(err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO memberships (project_id, user_id, role, invited_by, joined_on_behalf_by,
				contact_way, phone, postal_address, agreed_way)
			VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8)`,
			projectID, userID, m.Role, actorID, m.Contact.Way, m.Contact.Phone, m.Contact.Address, m.Agreed); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{
			ActorID: actorID, ProjectID: projectID, Action: coproduce.AuditMembershipAddOffline,
			Subject: userSubject(userID),
			After:   map[string]any{"role": m.Role, "contact_way": m.Contact.Way, "agreed_way": m.Agreed},
		})
	})
	return userID, err
}

// MemberContact returns how to reach one member of a project. It is
// personal data: callers show it only to the project's leads and
// facilitators and to the person.
func (s *Store) MemberContact(ctx context.Context, projectID, userID int64) (coproduce.MemberContact, error) {
	var c coproduce.MemberContact
	err := s.db.QueryRow(ctx, `
		SELECT contact_way, phone, postal_address FROM memberships WHERE project_id = $1 AND user_id = $2`,
		projectID, userID).Scan(&c.Way, &c.Phone, &c.Address)
	return c, translate(err)
}

// ErrHasEmail means a letter's join code was asked for a member who
// already has an email address: they sign in with it.
var ErrHasEmail = errors.New("the member already has an email address")

// CreateJoinCode stores the hash of a new code for a letter to a member
// who has no email address, replacing any code a previous letter carried.
// A member with an email address is ErrHasEmail; someone who is not a
// member, ErrNotFound. Audited.
func (s *Store) CreateJoinCode(ctx context.Context, actorID, projectID, userID int64, codeHash []byte) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var hasEmail bool
		if err := tx.QueryRow(ctx, `
			SELECT u.email IS NOT NULL FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.project_id = $1 AND m.user_id = $2 FOR UPDATE OF m`, projectID, userID).Scan(&hasEmail); err != nil {
			return translate(err)
		}
		if hasEmail {
			return ErrHasEmail
		}
		if _, err := tx.Exec(ctx, `DELETE FROM join_codes WHERE project_id = $1 AND user_id = $2 AND used_at IS NULL`,
			projectID, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO join_codes (code_hash, project_id, user_id, created_by, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			codeHash, projectID, userID, actorID, time.Now().Add(coproduce.JoinCodeLifetime)); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditJoinCodeCreate, Subject: userSubject(userID)})
	})
}

// JoinCode is what a letter's code opens: a member of a project.
type JoinCode struct {
	ProjectID    int64
	ProjectTitle string
	UserID       int64
	Name         string
}

// JoinCodeByHash finds the member a code is for. A code that is unknown,
// used, expired, or whose member has an email address by now is
// ErrNotFound, and one that was valid but is past its expiry or used is
// ErrInvitationClosed, so the page can say which.
func (s *Store) JoinCodeByHash(ctx context.Context, codeHash []byte) (JoinCode, error) {
	return joinCodeByHash(ctx, s.db, codeHash, false)
}

func joinCodeByHash(ctx context.Context, db DBTX, codeHash []byte, lock bool) (JoinCode, error) {
	var c JoinCode
	var open, hasEmail, disabled bool
	sql := `
		SELECT j.project_id, p.title, j.user_id, u.name, j.used_at IS NULL AND j.expires_at > now(),
		       u.email IS NOT NULL, u.disabled
		FROM join_codes j JOIN users u ON u.id = j.user_id JOIN projects p ON p.id = j.project_id
		WHERE j.code_hash = $1`
	if lock {
		sql += ` FOR UPDATE OF j`
	}
	err := db.QueryRow(ctx, sql, codeHash).Scan(&c.ProjectID, &c.ProjectTitle, &c.UserID, &c.Name, &open, &hasEmail, &disabled)
	if err != nil {
		return c, translate(err)
	}
	if disabled {
		return c, coproduce.ErrNotFound
	}
	if !open || hasEmail {
		return c, ErrInvitationClosed
	}
	return c, nil
}

// UseJoinCode spends a letter's code: the member it is for gets the email
// address and password hash given, and so can sign in from now on, and the
// code cannot be used again. An email another account has is ErrConflict;
// a code that cannot be used is as JoinCodeByHash says. It returns the
// account. Audited.
func (s *Store) UseJoinCode(ctx context.Context, codeHash []byte, email, passwordHash string) (*coproduce.User, error) {
	var u *coproduce.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		c, err := joinCodeByHash(ctx, tx, codeHash, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE join_codes SET used_at = now() WHERE code_hash = $1`, codeHash); err != nil {
			return err
		}
		if u, err = scanUser(tx.QueryRow(ctx, `
			UPDATE users SET email = $2, password_hash = $3 WHERE id = $1 AND email IS NULL
			RETURNING `+userColumns, c.UserID, email, passwordHash)); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: c.UserID, ProjectID: c.ProjectID,
			Action: coproduce.AuditJoinCodeUse, Subject: userSubject(c.UserID)})
	})
	return u, err
}

// AcceptInvitationByPhone records that the person invited said yes to a
// facilitator (by phone), who accepts the invitation for them: the account
// with the invitation's email joins, or one is made with the invitation's
// name, as AcceptInvitation does, and the membership and the invitation
// both say who recorded it and how. An invitation no longer open is
// ErrInvitationClosed; one of another project, ErrNotFound. Audited.
func (s *Store) AcceptInvitationByPhone(ctx context.Context, actorID, projectID, invitationID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var inv coproduce.Invitation
		var open bool
		err := tx.QueryRow(ctx, `
			SELECT id, name, coalesce(email, ''), role, status = 'pending' AND expires_at > now()
			FROM invitations WHERE project_id = $1 AND id = $2 FOR UPDATE`, projectID, invitationID).
			Scan(&inv.ID, &inv.Name, &inv.Email, &inv.Role, &open)
		if err != nil {
			return translate(err)
		}
		if !open {
			return ErrInvitationClosed
		}
		var u *coproduce.User
		if inv.Email != "" {
			u, err = s.withDB(tx).UserByEmail(ctx, inv.Email)
		} else {
			err = coproduce.ErrNotFound
		}
		switch {
		case errors.Is(err, coproduce.ErrNotFound):
			u, err = s.withDB(tx).CreateUser(ctx, coproduce.NewUser{Email: inv.Email, Name: inv.Name,
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
			INSERT INTO memberships (project_id, user_id, role, invited_by, joined_on_behalf_by, contact_way, agreed_way)
			SELECT $1, $2, $3, created_by, $4, CASE WHEN $5 THEN 'email' ELSE 'phone' END, 'phone'
			FROM invitations WHERE id = $6
			ON CONFLICT (project_id, user_id) DO NOTHING`,
			projectID, u.ID, inv.Role, actorID, u.Email != "", inv.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE invitations SET status = 'accepted', responded_at = now(), accepted_user_id = $2,
				accepted_by = $3, accepted_way = 'phone'
			WHERE id = $1`, inv.ID, u.ID, actorID); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditInvitationByPhone, Subject: invitationSubject(inv.ID),
			After: map[string]any{"role": inv.Role, "accepted_way": coproduce.ContactPhone}})
	})
}
