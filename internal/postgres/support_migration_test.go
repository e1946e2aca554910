package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/migrations"
)

// TestSupportMigrationSpreadsNothing: moving the per-account profiles of
// before to per-project needs places a profile only where it can only have
// been written (the person's one project). A person in several projects has
// theirs kept for them alone, shown to no project.
func TestSupportMigrationSpreadsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t, pgtest.Empty(t))
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 12); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO users (id, email, name, role) OVERRIDING SYSTEM VALUE VALUES
		(1, 'lead@example.test', 'Lead', 'staff'), (2, 'one@example.test', 'One', 'partner'),
		(3, 'two@example.test', 'Two', 'partner'), (4, 'none@example.test', 'None', 'partner')`)
	exec(`INSERT INTO projects (id, title, created_by) OVERRIDING SYSTEM VALUE VALUES (10, 'Stroke', 1), (11, 'Falls', 1)`)
	exec(`INSERT INTO memberships (project_id, user_id, role) VALUES
		(10, 1, 'lead'), (10, 2, 'lay_partner'), (10, 3, 'lay_partner'), (11, 3, 'lay_partner')`)
	exec(`INSERT INTO support_profiles (user_id, bsl_interpreter, other) VALUES
		(2, true, 'One''s needs'), (3, true, 'Two''s needs'), (4, false, 'No project')`)

	if _, err := p.UpTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	rows := func(sql string) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	if n := rows(`SELECT count(*) FROM support_profiles WHERE project_id = 10 AND user_id = 2 AND bsl_interpreter AND other = 'One''s needs'`); n != 1 {
		t.Error("the one-project person's needs did not move to their project")
	}
	if n := rows(`SELECT count(*) FROM support_profiles WHERE user_id IN (3, 4)`); n != 0 {
		t.Errorf("%d projects were given needs they were never told", n)
	}
	if n := rows(`SELECT count(*) FROM support_profiles_unplaced WHERE user_id IN (3, 4)`); n != 2 {
		t.Errorf("%d unplaced profiles kept for their owners, want 2", n)
	}

	// And back down, nothing lost.
	if _, err := p.DownTo(ctx, 12); err != nil {
		t.Fatal(err)
	}
	if n := rows(`SELECT count(*) FROM support_profiles`); n != 3 {
		t.Errorf("%d profiles after going back down, want 3", n)
	}
}
