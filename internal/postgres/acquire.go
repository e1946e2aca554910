package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrPoolBusy means every database connection stayed in use for the whole
// acquire timeout: the server is overloaded, and the request is refused at
// once (503) rather than queued without end.
var ErrPoolBusy = errors.New("no database connection free")

// DefaultAcquireTimeout is how long a query waits for a free connection.
// Pages take milliseconds, so a wait this long means the pool is jammed.
const DefaultAcquireTimeout = 3 * time.Second

// DefaultQueryTimeout is how long one query (or a transaction's commit)
// may take before it is given up, when none is configured. It is well
// under the HTTP server's write timeout, so that a database that stops
// answering gives the person the 503 page rather than no answer at all.
const DefaultQueryTimeout = 10 * time.Second

// timedPool is the pool with a bound on the wait for a connection, which
// pgxpool lacks: its own Query, Exec and so on wait as long as the
// request's context allows, so a jammed pool hangs every request. Each
// query also runs under a deadline (query): a database that holds a
// connection open but stops answering (frozen, not down) would otherwise
// hold the request until the write timeout, and the person would get
// nothing.
type timedPool struct {
	pool  *pgxpool.Pool
	wait  time.Duration
	query time.Duration
}

// WithAcquireTimeout returns the pool as a DBTX whose queries fail with
// ErrPoolBusy after waiting longer than wait for a connection, and run
// under DefaultQueryTimeout.
func WithAcquireTimeout(pool *pgxpool.Pool, wait time.Duration) DBTX {
	return WithTimeouts(pool, wait, 0)
}

// WithTimeouts returns the pool as a DBTX whose queries fail with
// ErrPoolBusy after waiting longer than wait for a connection, and fail
// (as unavailable: context.DeadlineExceeded) when one statement takes
// longer than query. Zero means the defaults.
func WithTimeouts(pool *pgxpool.Pool, wait, query time.Duration) DBTX {
	if wait <= 0 {
		wait = DefaultAcquireTimeout
	}
	if query <= 0 {
		query = DefaultQueryTimeout
	}
	return &timedPool{pool: pool, wait: wait, query: query}
}

type longStatementsKey struct{}

// WithLongStatements returns a context whose statements may take up to d,
// instead of the query timeout: for a download that streams a project's
// every row, whose reading (bounded by the timeout too) outlasts any page.
func WithLongStatements(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, longStatementsKey{}, d)
}

// deadline bounds one statement by the query timeout, or by the longer
// time its context allows.
func deadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if long, ok := ctx.Value(longStatementsKey{}).(time.Duration); ok && long > d {
		d = long
	}
	return context.WithTimeout(ctx, d)
}

func (p *timedPool) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	actx, cancel := context.WithTimeout(ctx, p.wait)
	defer cancel()
	c, err := p.pool.Acquire(actx)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("%w after %s", ErrPoolBusy, p.wait)
	}
	return c, err
}

func (p *timedPool) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	c, err := p.acquire(ctx)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	defer c.Release()
	qctx, cancel := deadline(ctx, p.query)
	defer cancel()
	return c.Exec(qctx, sql, args...)
}

func (p *timedPool) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	c, err := p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	// The deadline covers reading the rows too; it ends when they are closed.
	qctx, cancel := deadline(ctx, p.query)
	rows, err := c.Query(qctx, sql, args...)
	if err != nil {
		cancel()
		c.Release()
		return nil, err
	}
	return &releasingRows{Rows: rows, conn: c, cancel: cancel}, nil
}

func (p *timedPool) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := p.Query(ctx, sql, args...)
	if err != nil {
		return errRow{err}
	}
	return (*rowFromRows)(rows.(*releasingRows))
}

func (p *timedPool) Begin(ctx context.Context) (pgx.Tx, error) {
	c, err := p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	bctx, cancel := deadline(ctx, p.query)
	defer cancel()
	tx, err := c.Begin(bctx)
	if err != nil {
		c.Release()
		return nil, err
	}
	return &releasingTx{Tx: tx, conn: c, query: p.query}, nil
}

func (p *timedPool) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	c, err := p.acquire(ctx)
	if err != nil {
		return errBatch{err}
	}
	qctx, cancel := deadline(ctx, p.query)
	return &releasingBatch{BatchResults: c.SendBatch(qctx, b), conn: c, cancel: cancel}
}

// releasingRows gives the connection back when the rows are done with.
type releasingRows struct {
	pgx.Rows
	conn   *pgxpool.Conn
	cancel context.CancelFunc
}

func (r *releasingRows) Close() {
	r.Rows.Close()
	if r.conn != nil {
		r.conn.Release()
		r.conn = nil
	}
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
}

func (r *releasingRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

// rowFromRows is QueryRow's single row, read the way pgx reads one.
type rowFromRows releasingRows

func (r *rowFromRows) Scan(dest ...any) error {
	rows := (*releasingRows)(r)
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}

// releasingTx gives the connection back when the transaction ends, and
// runs each of its statements under the query timeout.
type releasingTx struct {
	pgx.Tx
	conn  *pgxpool.Conn
	query time.Duration
}

func (t *releasingTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	qctx, cancel := deadline(ctx, t.query)
	defer cancel()
	return t.Tx.Exec(qctx, sql, args...)
}

func (t *releasingTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	qctx, cancel := deadline(ctx, t.query)
	rows, err := t.Tx.Query(qctx, sql, args...)
	if err != nil {
		cancel()
		return nil, err
	}
	return &releasingRows{Rows: rows, cancel: cancel}, nil
}

func (t *releasingTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := t.Query(ctx, sql, args...)
	if err != nil {
		return errRow{err}
	}
	return (*rowFromRows)(rows.(*releasingRows))
}

func (t *releasingTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	qctx, cancel := deadline(ctx, t.query)
	return &releasingBatch{BatchResults: t.Tx.SendBatch(qctx, b), cancel: cancel}
}

func (t *releasingTx) Commit(ctx context.Context) error {
	qctx, cancel := deadline(ctx, t.query)
	defer cancel()
	err := t.Tx.Commit(qctx)
	t.release()
	return err
}

func (t *releasingTx) Rollback(ctx context.Context) error {
	qctx, cancel := deadline(ctx, t.query)
	defer cancel()
	err := t.Tx.Rollback(qctx)
	// pgx reports a rollback after commit as ErrTxClosed: the connection
	// was already given back.
	if !errors.Is(err, pgx.ErrTxClosed) {
		t.release()
	}
	return err
}

func (t *releasingTx) release() {
	if t.conn != nil {
		t.conn.Release()
		t.conn = nil
	}
}

// releasingBatch gives the connection back when the batch's results are
// closed.
type releasingBatch struct {
	pgx.BatchResults
	conn   *pgxpool.Conn
	cancel context.CancelFunc
}

func (b *releasingBatch) Close() error {
	err := b.BatchResults.Close()
	if b.conn != nil {
		b.conn.Release()
		b.conn = nil
	}
	if b.cancel != nil {
		b.cancel()
		b.cancel = nil
	}
	return err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

type errBatch struct{ err error }

func (b errBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, b.err }
func (b errBatch) Query() (pgx.Rows, error)         { return nil, b.err }
func (b errBatch) QueryRow() pgx.Row                { return errRow(b) }
func (b errBatch) Close() error                     { return b.err }
func (b errBatch) Tx() pgx.Tx                       { return nil }
