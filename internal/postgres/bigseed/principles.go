package bigseed

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// GivePrinciplesRounds replaces a project's principles check with rounds
// closed rounds, a month apart, each answered by every member (up to
// 400): the results page's busiest case. Each round is opened, answered
// and then closed, as the database takes no answer in a closed round.
func GivePrinciplesRounds(ctx context.Context, pool *pgxpool.Pool, projectID int64, rounds int) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM principle_rounds WHERE project_id = $1`, projectID); err != nil {
			return err
		}
		for i := range rounds {
			var id int64
			if err := tx.QueryRow(ctx, `
				INSERT INTO principle_rounds (project_id, title, opened_at) VALUES ($1, $2, now() - make_interval(days => $3))
				RETURNING id`, projectID, fmt.Sprintf("Review %d", i+1), (rounds-i)*30).Scan(&id); err != nil {
				return err
			}
			// Scores spread over 1 to 5 by person and round, lay partners a
			// little lower than staff, as the demo's are.
			if _, err := tx.Exec(ctx, `
				INSERT INTO principle_answers (round_id, project_id, user_id, lay, level,
					assets, capabilities, mutuality, networks, blurring_roles, catalysts, comments)
				SELECT $1, $2, m.user_id, m.role = 'lay_partner', 1 + (m.user_id + $3) % 3,
					1 + (m.user_id + $3) % 5, 1 + (m.user_id * 3 + $3) % 5, 1 + (m.user_id * 7 + $3) % 5,
					1 + (m.user_id * 11 + $3) % 5, CASE WHEN m.role = 'lay_partner' THEN 1 + (m.user_id + $3) % 3 ELSE 3 + (m.user_id + $3) % 3 END,
					1 + (m.user_id * 13 + $3) % 5, ARRAY['A comment on the first principle', '', '', '', '', '']
				FROM (SELECT user_id, role FROM memberships WHERE project_id = $2 ORDER BY user_id LIMIT 400) m`,
				id, projectID, i); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE principle_rounds SET closed_at = opened_at + interval '14 days' WHERE id = $1`, id); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `ANALYZE principle_answers`)
		return err
	})
}
