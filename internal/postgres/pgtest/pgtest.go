// Package pgtest gives tests a real PostgreSQL database cheaply. The
// migrations are applied once per test run into a template database named
// after a hash of the migration files. Most tests get a transaction in a
// shared copy of it, rolled back when the test ends; tests that must commit
// or use several connections get a database cloned from the template.
package pgtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/migrations"
)

// DefaultAdminURL is the server tests use when TEST_DATABASE_URL is unset.
const DefaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// AdminURL is a connection to the server's maintenance database, where
// test databases are created and dropped.
func AdminURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultAdminURL
}

// URLFor returns the admin URL pointed at another database.
func URLFor(dbName string) string {
	u, err := url.Parse(AdminURL())
	if err != nil {
		panic(err)
	}
	u.Path = "/" + dbName
	return u.String()
}

var (
	setupOnce sync.Once
	setupErr  error
	template  string
	shared    *pgxpool.Pool
	clones    atomic.Int64
)

// setup makes the template and shared databases, once per test process.
// An advisory lock keeps parallel test processes (one per package) from
// creating them twice.
func setup() error {
	setupOnce.Do(func() {
		setupErr = func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			admin, err := pgx.Connect(ctx, AdminURL())
			if err != nil {
				return err
			}
			defer admin.Close(ctx)
			sum, err := migrationsHash()
			if err != nil {
				return err
			}
			template = "coproduce_tmpl_" + sum
			sharedName := "coproduce_shared_" + sum
			if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(735118)`); err != nil {
				return err
			}
			defer admin.Exec(context.Background(), `SELECT pg_advisory_unlock(735118)`)
			if err := createTemplate(ctx, admin, template); err != nil {
				return err
			}
			if !databaseExists(ctx, admin, sharedName) {
				if _, err := admin.Exec(ctx, `CREATE DATABASE `+sharedName+` TEMPLATE `+template); err != nil {
					return err
				}
			}
			shared, err = pgxpool.New(context.Background(), URLFor(sharedName))
			return err
		}()
	})
	return setupErr
}

func createTemplate(ctx context.Context, admin *pgx.Conn, name string) error {
	if databaseExists(ctx, admin, name) {
		return nil
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, URLFor(name))
	if err != nil {
		return err
	}
	defer pool.Close()
	m, err := postgres.NewMigrator(pool)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Up(ctx); err != nil {
		_, _ = admin.Exec(ctx, `DROP DATABASE `+name)
		return err
	}
	return nil
}

func databaseExists(ctx context.Context, conn *pgx.Conn, name string) bool {
	var ok bool
	_ = conn.QueryRow(ctx, `SELECT true FROM pg_database WHERE datname = $1`, name).Scan(&ok)
	return ok
}

func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	// The job queue's own migrations come with its version.
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/riverqueue/river" {
				fmt.Fprintf(h, "river %s", d.Version)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12], err
}

// need fails the test when PostgreSQL is unreachable under CI, and skips
// it with instructions otherwise.
func need(t testing.TB) {
	t.Helper()
	if err := setup(); err != nil {
		msg := fmt.Sprintf("PostgreSQL is needed at %s (set TEST_DATABASE_URL, or run `make db`): %v", AdminURL(), err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// Tx returns a transaction in the shared test database, rolled back when
// the test ends, so tests can run in parallel without seeing each other.
func Tx(t testing.TB) pgx.Tx {
	t.Helper()
	need(t)
	ctx := context.Background()
	tx, err := shared.Begin(ctx)
	if err != nil {
		t.Fatalf("begin test transaction: %v", err)
	}
	t.Cleanup(func() { _ = tx.Rollback(context.Background()) })
	return tx
}

// Store returns a store over a rolled-back transaction.
func Store(t testing.TB) *postgres.Store {
	t.Helper()
	return postgres.NewStore(Autocommit(Tx(t)))
}

// Clone creates a database from the migrated template for a test that must
// commit or use several connections, and drops it when the test ends. It
// returns the database's URL.
func Clone(t testing.TB) string {
	t.Helper()
	need(t)
	name := fmt.Sprintf("coproduce_clone_%d_%d", os.Getpid(), clones.Add(1))
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE `+template); err != nil {
		t.Fatalf("clone database: %v", err)
	}
	t.Cleanup(func() { dropDatabase(t, name) })
	return URLFor(name)
}

// Empty creates an empty database (no migrations), for tests of migrating.
func Empty(t testing.TB) string {
	t.Helper()
	need(t)
	name := fmt.Sprintf("coproduce_empty_%d_%d", os.Getpid(), clones.Add(1))
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() { dropDatabase(t, name) })
	return URLFor(name)
}

func dropDatabase(t testing.TB, name string) {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Errorf("connect to drop %s: %v", name, err)
		return
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		t.Errorf("drop %s: %v", name, err)
	}
}

// Pool opens a pool to a cloned database, closed when the test ends.
func Pool(t testing.TB, dbURL string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		t.Fatalf("open pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// CloneForMain creates a database from the template for a whole test
// binary (from TestMain, where there is no *testing.T). Call drop when
// done.
func CloneForMain() (dbURL string, drop func(), err error) {
	if err := setup(); err != nil {
		return "", nil, fmt.Errorf("PostgreSQL is needed at %s (set TEST_DATABASE_URL, or run `make db`): %w", AdminURL(), err)
	}
	name := fmt.Sprintf("coproduce_clone_%d_%d", os.Getpid(), clones.Add(1))
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return "", nil, err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE `+template); err != nil {
		return "", nil, err
	}
	drop = func() {
		admin, err := pgx.Connect(context.Background(), AdminURL())
		if err != nil {
			return
		}
		defer admin.Close(context.Background())
		_, _ = admin.Exec(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	}
	return URLFor(name), drop, nil
}
