package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/coproduce/coproduce/migrations"
)

// migrationLockID is the PostgreSQL advisory lock that instances take while
// migrating, so that several starting at once apply each migration once.
// It is pinned: changing it would let an old and a new binary race.
const migrationLockID = 7_325_118_004

// Migrator applies the embedded migrations.
type Migrator struct {
	pool     *pgxpool.Pool
	db       *sql.DB
	provider *goose.Provider
}

// NewMigrator prepares the migrations over the pool's connections.
func NewMigrator(pool *pgxpool.Pool) (*Migrator, error) {
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID))
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDBFromPool(pool)
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS,
		goose.WithSessionLocker(locker))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return &Migrator{pool: pool, db: db, provider: p}, nil
}

// Close releases the migrator's connection handle (not the pool).
func (m *Migrator) Close() error { return m.db.Close() }

// Up applies every pending migration: ours, then the job queue's.
func (m *Migrator) Up(ctx context.Context) error {
	_, err := m.provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return m.queueUp(ctx)
}

// queueUp applies River's own migrations (the durable job queue), under an
// advisory lock of our own so that instances starting together take turns.
func (m *Migrator) queueUp(ctx context.Context) error {
	conn, err := m.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLockID+1); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockID+1)
	migrator, err := rivermigrate.New(riverpgxv5.New(m.pool), &rivermigrate.Config{
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return err
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	return nil
}

// ErrNothingToRollBack is Down's answer on a database with no migration
// applied.
var ErrNothingToRollBack = errors.New("no migration to roll back")

// Down rolls back the latest migration and returns its number.
func (m *Migrator) Down(ctx context.Context) (int64, error) {
	res, err := m.provider.Down(ctx)
	if errors.Is(err, goose.ErrNoNextVersion) {
		return 0, ErrNothingToRollBack
	}
	if err != nil {
		return 0, fmt.Errorf("migrate down: %w", err)
	}
	return res.Source.Version, nil
}

// Pending reports whether any migration has not been applied.
func (m *Migrator) Pending(ctx context.Context) (bool, error) {
	return m.provider.HasPending(ctx)
}

// MigrationState is one migration: its number, file and when it was
// applied (zero while it is pending).
type MigrationState struct {
	Version   int64
	Name      string
	AppliedAt time.Time
}

// Status lists every migration, oldest first, applied or pending. The
// command line words it.
func (m *Migrator) Status(ctx context.Context) ([]MigrationState, error) {
	results, err := m.provider.Status(ctx)
	if err != nil {
		return nil, err
	}
	states := make([]MigrationState, len(results))
	for i, r := range results {
		states[i] = MigrationState{Version: r.Source.Version, Name: r.Source.Path}
		if r.State == goose.StateApplied {
			states[i].AppliedAt = r.AppliedAt
		}
	}
	return states, nil
}

// LatestVersion is the number of the newest embedded migration.
func (m *Migrator) LatestVersion() int64 {
	sources := m.provider.ListSources()
	if len(sources) == 0 {
		return 0
	}
	return sources[len(sources)-1].Version
}
