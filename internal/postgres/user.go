package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

const userColumns = `id, coalesce(email, ''), name, role, coalesce(password_hash, ''), disabled, created_at, coalesce(language, '')`

func scanUser(row pgx.Row) (*coproduce.User, error) {
	var u coproduce.User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &u.CreatedAt, &u.Language)
	if err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// CreateUser adds an account. passwordHash may be empty for an account that
// signs in by email link only. A second account with the same email, in any
// case, is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, n coproduce.NewUser, passwordHash string) (*coproduce.User, error) {
	return scanUser(s.db.QueryRow(ctx, `
		INSERT INTO users (email, name, role, password_hash)
		VALUES (nullif($1, ''), $2, $3, nullif($4, ''))
		RETURNING `+userColumns,
		n.Email, n.Name, n.Role, passwordHash))
}

// UserByID returns one account.
func (s *Store) UserByID(ctx context.Context, id int64) (*coproduce.User, error) {
	return scanUser(s.db.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
}

// UserByEmail returns the account with this email, whatever its case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*coproduce.User, error) {
	return scanUser(s.db.QueryRow(ctx,
		`SELECT `+userColumns+` FROM users WHERE lower(email) = lower($1)`, email))
}

// Users lists every account by name.
func (s *Store) Users(ctx context.Context) ([]coproduce.User, error) {
	rows, err := s.db.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY lower(name), id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.User, error) {
		u, err := scanUser(r)
		if err != nil {
			return coproduce.User{}, err
		}
		return *u, nil
	})
}

// SetUserPassword replaces an account's password hash and ends the
// account's other sessions in the same transaction: whoever changes a
// password because it leaked must not leave the intruder signed in. The
// session that made the change (keepSession, a hash) stays.
func (s *Store) SetUserPassword(ctx context.Context, userID int64, hash string, keepSession []byte) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return coproduce.ErrNotFound
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2`, userID, keepSession)
		return err
	})
}

// SetUserDisabled disables or re-enables an account. Disabling also ends
// every session of the account, in the same transaction, so the change has
// immediate effect; it is audited.
func (s *Store) SetUserDisabled(ctx context.Context, actorID, userID int64, disabled bool) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET disabled = $2 WHERE id = $1`, userID, disabled)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return coproduce.ErrNotFound
		}
		action := coproduce.AuditUserEnable
		if disabled {
			action = coproduce.AuditUserDisable
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
				return err
			}
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{
			ActorID: actorID, Action: action, Subject: userSubject(userID),
		})
	})
}

// SetUserRole gives an account the staff or partner role; only
// administrators call it. Administrators' own accounts are not changed here
// (they are made from the command line): that is ErrForbidden, as is any
// other role. The change, with the role before and after, is audited.
func (s *Store) SetUserRole(ctx context.Context, actorID, userID int64, role coproduce.SystemRole) error {
	if role != coproduce.RoleStaff && role != coproduce.RolePartner {
		return coproduce.ErrForbidden
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var before coproduce.SystemRole
		if err := tx.QueryRow(ctx, `SELECT role FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&before); err != nil {
			return translate(err)
		}
		if before == coproduce.RoleAdmin {
			return coproduce.ErrForbidden
		}
		if before == role {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET role = $2 WHERE id = $1`, userID, role); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, Action: coproduce.AuditUserRole,
			Subject: userSubject(userID), Before: map[string]any{"role": before}, After: map[string]any{"role": role}})
	})
}

// SetTextSize records the text size a person chose (coproduce.TextLarger
// or coproduce.TextStandard).
func (s *Store) SetTextSize(ctx context.Context, userID int64, size string) error {
	_, err := s.db.Exec(ctx, `UPDATE users SET text_size = $2 WHERE id = $1`, userID, size)
	return translate(err)
}

// SetReading records the reading mode a person chose (coproduce.ReadingEasy
// or coproduce.ReadingStandard).
func (s *Store) SetReading(ctx context.Context, userID int64, reading string) error {
	_, err := s.db.Exec(ctx, `UPDATE users SET reading = $2 WHERE id = $1`, userID, reading)
	return translate(err)
}

// SetUserLanguage records the language a person wants us to use when we
// write to them: en or cy (the column's CHECK refuses anything else).
func (s *Store) SetUserLanguage(ctx context.Context, userID int64, lang string) error {
	tag, err := s.db.Exec(ctx, `UPDATE users SET language = $2 WHERE id = $1`, userID, lang)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return coproduce.ErrNotFound
	}
	return nil
}
