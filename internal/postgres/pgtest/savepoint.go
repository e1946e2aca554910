package pgtest

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/coproduce/coproduce/internal/postgres"
)

// autocommit makes a test's transaction behave like a pool: each statement
// runs in its own savepoint, so a statement that fails (a unique violation
// the test expects) is undone alone instead of aborting the whole test
// transaction, just as it would be outside one.
type autocommit struct{ tx pgx.Tx }

var _ postgres.DBTX = autocommit{}

func (a autocommit) savepoint(ctx context.Context) {
	_, _ = a.tx.Exec(ctx, "SAVEPOINT pgtest_stmt")
}

func (a autocommit) end(ctx context.Context, err error) {
	if err != nil {
		_, _ = a.tx.Exec(ctx, "ROLLBACK TO SAVEPOINT pgtest_stmt")
	}
	_, _ = a.tx.Exec(ctx, "RELEASE SAVEPOINT pgtest_stmt")
}

func (a autocommit) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	a.savepoint(ctx)
	tag, err := a.tx.Exec(ctx, sql, args...)
	a.end(ctx, err)
	return tag, err
}

func (a autocommit) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	a.savepoint(ctx)
	rows, err := a.tx.Query(ctx, sql, args...)
	if err != nil {
		a.end(ctx, err)
		return nil, err
	}
	return &autocommitRows{Rows: rows, a: a, ctx: ctx}, nil
}

func (a autocommit) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	a.savepoint(ctx)
	rows, err := a.tx.Query(ctx, sql, args...)
	if err != nil {
		a.end(ctx, err)
		return errRow{err}
	}
	return autocommitRow{rows: &autocommitRows{Rows: rows, a: a, ctx: ctx}}
}

func (a autocommit) Begin(ctx context.Context) (pgx.Tx, error) { return a.tx.Begin(ctx) }

// SendBatch sends a batch of reads as it is: batches only read.
func (a autocommit) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return a.tx.SendBatch(ctx, b)
}

type autocommitRows struct {
	pgx.Rows
	a      autocommit
	ctx    context.Context
	closed bool
}

func (r *autocommitRows) Close() {
	if r.closed {
		return
	}
	r.closed = true
	r.Rows.Close()
	r.a.end(r.ctx, r.Rows.Err())
}

type autocommitRow struct{ rows *autocommitRows }

func (r autocommitRow) Scan(dest ...any) error {
	defer r.rows.Close()
	if !r.rows.Next() {
		r.rows.Close()
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return nil
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// Autocommit wraps a test transaction so that each statement succeeds or
// fails on its own, as it would on a pool.
func Autocommit(tx pgx.Tx) postgres.DBTX { return autocommit{tx: tx} }
