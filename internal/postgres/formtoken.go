package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// onceForToken runs create (which returns the new record's id) inside tx
// only the first time a person sends a form with this token, and remembers
// the id. The same token sent again, even at the same moment, does not run
// create: it returns the id the first send made, with again true. The
// primary key on form_tokens makes a second send wait for the first to
// commit. An empty token (a form drawn before tokens were added) is not
// checked.
func onceForToken(ctx context.Context, tx pgx.Tx, userID int64, kind, token string, create func() (int64, error)) (id int64, again bool, err error) {
	if token == "" {
		id, err = create()
		return id, false, err
	}
	tag, err := tx.Exec(ctx, `
		INSERT INTO form_tokens (user_id, token, kind) VALUES ($1, $2, $3)
		ON CONFLICT (user_id, token) DO NOTHING`, userID, token, kind)
	if err != nil {
		return 0, false, translate(err)
	}
	if tag.RowsAffected() == 0 {
		var rid *int64
		if err := tx.QueryRow(ctx, `SELECT record_id FROM form_tokens WHERE user_id = $1 AND token = $2 AND kind = $3`,
			userID, token, kind).Scan(&rid); err != nil {
			return 0, false, translate(err)
		}
		if rid != nil {
			id = *rid
		}
		return id, true, nil
	}
	if id, err = create(); err != nil {
		return 0, false, err
	}
	if _, err := tx.Exec(ctx, `UPDATE form_tokens SET record_id = $3 WHERE user_id = $1 AND token = $2`, userID, token, id); err != nil {
		return 0, false, translate(err)
	}
	return id, false, nil
}
