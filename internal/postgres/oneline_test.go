package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// The database refuses a line break, tab or other control character in a
// one-line column, whatever writes it: the rule behind coproduce.OneLine.
func TestOneLineColumnsRefuseLineBreaks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	u := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, u)
	for _, c := range []struct {
		table, column string
		id            int64
	}{{"users", "name", u.ID}, {"projects", "title", p.ID}} {
		for _, bad := range []string{"Evil\rATTENDEE:x", "Ann\nJones", "Ann\tJones", "Ann\u0085Jones", "Ann\u2028Jones"} {
			if _, err := tx.Exec(ctx, `SAVEPOINT one_line`); err != nil {
				t.Fatal(err)
			}
			_, err := tx.Exec(ctx, `UPDATE `+c.table+` SET `+c.column+` = $1 WHERE id = $2`, bad, c.id)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "23514" {
				t.Errorf("%s.%s = %q: %v, want a check violation", c.table, c.column, bad, err)
			}
			if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT one_line`); err != nil {
				t.Fatal(err)
			}
		}
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM pg_constraint WHERE conname IN ('users_name_one_line',
		'projects_title_one_line', 'stakeholder_groups_name_one_line', 'proposals_title_one_line',
		'action_items_owner_one_line', 'meetings_title_one_line', 'meetings_online_link_one_line')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Errorf("%d of the 7 one-line constraints exist", n)
	}
}
