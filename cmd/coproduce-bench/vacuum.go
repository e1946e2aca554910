package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A live database has autovacuum; a test machine's PostgreSQL may run
// without it, for steady timings. Without it, the run's 50,000 writes left
// the busiest project's pages reading dead row versions, and unseen
// updates from heap pages never marked all-visible, for the rest of the
// run: baseline B fell from 1,500 to 290 requests a second after the
// writes, and every run said the machine had changed under it. So when
// autovacuum is off, the bench stands in for it on its own database:
// every naptime, it vacuums and analyses each table that autovacuum, with
// its default thresholds, would have.

// vacuumNaptime is autovacuum_naptime's default.
const vacuumNaptime = time.Minute

// dueForVacuum is autovacuum's default rule: dead rows past 50 + 20 % of
// the table, rows inserted since the last vacuum past 1,000 + 20 %, or
// rows changed since the last analysis past 50 + 10 %.
const dueForVacuum = `
	SELECT quote_ident(s.schemaname) || '.' || quote_ident(s.relname)
	FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
	WHERE s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0)
	   OR s.n_ins_since_vacuum > 1000 + 0.2 * greatest(c.reltuples, 0)
	   OR s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)`

// vacuumer is the stand-in for autovacuum; nil when autovacuum is on.
type vacuumer struct {
	stop, done     chan struct{}
	passes, tables atomic.Int64
	// measuring is held through each measurement in turns (alongside):
	// a pass due then waits for it to end, so that a vacuum never falls
	// in one turn and not the other. Through the write bursts and the
	// soak, passes come every naptime, as autovacuum's would.
	measuring sync.Mutex
}

// standInForAutovacuum starts the stand-in if the server's autovacuum is
// off.
func standInForAutovacuum(ctx context.Context, pool *pgxpool.Pool) (*vacuumer, error) {
	var on string
	if err := pool.QueryRow(ctx, `SHOW autovacuum`).Scan(&on); err != nil {
		return nil, err
	}
	if on == "on" {
		return nil, nil
	}
	v := &vacuumer{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(v.done)
		tick := time.NewTicker(vacuumNaptime)
		defer tick.Stop()
		for {
			select {
			case <-v.stop:
				return
			case <-tick.C:
				if err := v.pass(ctx, pool); err != nil {
					step("vacuum: " + err.Error())
				}
			}
		}
	}()
	return v, nil
}

// pass vacuums and analyses each table due.
func (v *vacuumer) pass(ctx context.Context, pool *pgxpool.Pool) error {
	v.measuring.Lock()
	defer v.measuring.Unlock()
	rows, err := pool.Query(ctx, dueForVacuum)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	v.passes.Add(1)
	for _, t := range tables {
		if _, err := pool.Exec(ctx, `VACUUM (ANALYZE) `+t); err != nil {
			return err
		}
		v.tables.Add(1)
	}
	return nil
}

// during runs measure with no vacuum pass beside it.
func (v *vacuumer) during(measure func()) {
	if v != nil {
		v.measuring.Lock()
		defer v.measuring.Unlock()
	}
	measure()
}

func (v *vacuumer) close() {
	if v != nil {
		close(v.stop)
		<-v.done
	}
}

// describe is the results' line on vacuuming.
func (v *vacuumer) describe() string {
	if v == nil {
		return "PostgreSQL's autovacuum, on"
	}
	return fmt.Sprintf("autovacuum is off in this PostgreSQL, so the bench stood in for it on its own database "+
		"(every %s, autovacuum's default thresholds): %d tables vacuumed in %d passes", vacuumNaptime, v.tables.Load(), v.passes.Load())
}
