// Package postgres is the only place with SQL. It stores the domain types of
// package coproduce in PostgreSQL and translates database errors into the
// domain's errors at its edge.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// DBTX is what the store needs from a connection: a pool, or a transaction
// (in tests, where Begin then makes a savepoint inside it).
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Store reads and writes everything the application keeps.
type Store struct {
	db   DBTX
	mail MailQueue
	// gather is the least time between two notification emails to one
	// person; zero means DefaultNotifyGather.
	gather time.Duration
}

// NewStore returns a store over a pool or a transaction.
func NewStore(db DBTX) *Store { return &Store{db: db} }

// PoolConfig is how the connection pool behaves under load and faults.
type PoolConfig struct {
	URL      string
	MaxConns int32
}

// OpenPool connects to PostgreSQL. Statement and acquire timeouts keep a
// stuck database from holding requests for long.
func OpenPool(ctx context.Context, cfg PoolConfig) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	// Eight connections by default: enough that commits overlap (the
	// server writes them to disk together), few enough that queries do not
	// crowd two cores. make bench chose it (docs/performance.md).
	pc.MaxConns = 8
	if cfg.MaxConns > 0 {
		pc.MaxConns = cfg.MaxConns
	}
	pc.ConnConfig.ConnectTimeout = 5 * time.Second
	if pc.ConnConfig.RuntimeParams == nil {
		pc.ConnConfig.RuntimeParams = map[string]string{}
	}
	if _, ok := pc.ConnConfig.RuntimeParams["statement_timeout"]; !ok {
		pc.ConnConfig.RuntimeParams["statement_timeout"] = "30000"
	}
	// Every query is a prepared statement whose parameters are ids and
	// page numbers, for which one plan serves all; planning afresh on each
	// execution (PostgreSQL's default for the first uses of each) was most
	// of the database's time on the busiest pages.
	if _, ok := pc.ConnConfig.RuntimeParams["plan_cache_mode"]; !ok {
		pc.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return pool, nil
}

// inTx runs fn in a transaction: a real one over a pool, a savepoint inside
// a test's transaction.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.db, fn)
}

// translate turns database errors into domain errors, keeping the original
// wrapped for the logs.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %w", coproduce.ErrNotFound, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %w", coproduce.ErrConflict, err)
		case "23503": // foreign_key_violation: the thing referred to is gone
			return fmt.Errorf("%w: %w", coproduce.ErrNotFound, err)
		case "42501": // insufficient_privilege: a trigger refused who did it
			return fmt.Errorf("%w: %w", coproduce.ErrForbidden, err)
		}
	}
	return err
}

// Unavailable reports whether err means the database could not be reached
// or did not answer in time, rather than that the request was wrong.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var connErr *pgconn.ConnectError
	if errors.Is(err, ErrPoolBusy) || errors.As(err, &connErr) || pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exceptions; 57P01-03: the server is shutting
		// down or cannot accept connections.
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	return false
}

func isNotFound(err error) bool { return errors.Is(err, coproduce.ErrNotFound) }

// collectN is pgx.CollectRows for a result of about n rows, with room for
// them from the start.
func collectN[T any](rows pgx.Rows, n int, scan pgx.RowToFunc[T]) ([]T, error) {
	return pgx.AppendRows(make([]T, 0, n), rows, scan)
}

// customPlan has a query planned for its own arguments, for queries whose
// optional filters ("$1 = 0 OR ...") a plan made for any arguments could
// not use an index for.
func customPlan(args []any) []any {
	return append([]any{pgx.QueryExecModeExec}, args...)
}
