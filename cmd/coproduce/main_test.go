package main

import (
	"bytes"
	"context"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/migrations"
)

func envWith(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestThreeMigrationsAtOnceOnAnEmptyDatabase(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Empty(t)
	getenv := envWith(map[string]string{"DATABASE_URL": dbURL})
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() {
			var out bytes.Buffer
			errs[i] = run(context.Background(), []string{"migrate", "up"}, getenv, nil, &out, &out)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	files, _ := fs.Glob(migrations.FS, "*.sql")
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var applied int
	if err := conn.QueryRow(context.Background(),
		`SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != len(files) {
		t.Errorf("%d migrations recorded, want each of %d once", applied, len(files))
	}
}

func TestUserCreateReadsThePasswordFromStandardInput(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	getenv := envWith(map[string]string{"DATABASE_URL": dbURL})
	var out bytes.Buffer
	err := run(context.Background(), []string{"user", "create", "--email", "Admin@Example.test", "--name", "Ada Admin", "--role", "admin"},
		getenv, strings.NewReader("a long enough password\n"), &out, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "has been created for") || !strings.Contains(out.String(), "with the role: Administrator.") ||
		strings.Contains(out.String(), "password") {
		t.Errorf("output %q", out.String())
	}
	t.Run("SecondTimeIsRefused", func(t *testing.T) {
		err := run(context.Background(), []string{"user", "create", "--email", "admin@example.test", "--name", "Again", "--role", "admin"},
			getenv, strings.NewReader("a long enough password\n"), &out, &out)
		if got := english(err); got != "There is already an account with the email address admin@example.test." {
			t.Errorf("said %q", got)
		}
	})
	t.Run("ShortPasswordIsRefused", func(t *testing.T) {
		err := run(context.Background(), []string{"user", "create", "--email", "b@example.test", "--name", "B", "--role", "staff"},
			getenv, strings.NewReader("short\n"), &out, &out)
		if err == nil {
			t.Error("short password accepted")
		}
	})
}

func TestDemoIsIdempotent(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	getenv := envWith(map[string]string{"DATABASE_URL": dbURL})
	counts := func() string {
		conn, err := pgx.Connect(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var users, projects, members int
		err = conn.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM projects), (SELECT count(*) FROM memberships)`).Scan(&users, &projects, &members)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join([]string{itoa(users), itoa(projects), itoa(members)}, "/")
	}
	var out bytes.Buffer
	for range 2 {
		if err := run(context.Background(), []string{"demo"}, getenv, nil, &out, &out); err != nil {
			t.Fatal(err)
		}
	}
	if n := countRows(t, connect(t, dbURL), `SELECT count(*) FROM approvers`); n != 1 {
		t.Errorf("%d demo approvers, want 1", n)
	}
	// The eight people who sign in, and Dorothy Price, who takes part
	// without email.
	if got := counts(); got != "9/2/9" {
		t.Errorf("users/projects/memberships = %s, want 9/2/9", got)
	}
	if err := run(context.Background(), []string{"demo", "--if-empty"}, getenv, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "aisha.khan@example.org") {
		t.Error("sign-in list not printed")
	}
}

func TestUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"fly"}, envWith(nil), nil, &out, &out); err == nil {
		t.Error("unknown command accepted")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
