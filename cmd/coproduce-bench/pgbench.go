package main

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/postgres/bigseed"
)

// pgbenchResult is PostgreSQL's own throughput on this machine, now, and
// the simple update's latency as each of its 32 clients saw it (ms).
type pgbenchResult struct{ simpleUpdate, selectOnly, updateLatency float64 }

var (
	tpsLine     = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
	latencyLine = regexp.MustCompile(`latency average = ([0-9.]+) ms`)
)

// runPgbench runs pgbench -N (simple update) and -S (select only) with 32
// clients against its own database on the same server, making that
// database first when fresh is set.
func runPgbench(ctx context.Context, adminURL, db string, d time.Duration, fresh bool) (pgbenchResult, error) {
	var r pgbenchResult
	if _, err := exec.LookPath("pgbench"); err != nil {
		return r, fmt.Errorf("pgbench is needed (it comes with PostgreSQL's server package): %w", err)
	}
	dbURL, err := withDatabase(adminURL, db)
	if err != nil {
		return r, err
	}
	if fresh {
		if err := bigseed.Recreate(ctx, adminURL, db); err != nil {
			return r, err
		}
		if out, err := exec.CommandContext(ctx, "pgbench", "-i", "-q", "-s", "10", dbURL).CombinedOutput(); err != nil {
			return r, fmt.Errorf("pgbench -i: %v\n%s", err, out)
		}
		settle(ctx, adminURL)
		// One unmeasured run of each first: the first measurement of a
		// new database read it cold, and its second, at the run's end,
		// warm (pgbench -S moved 35 % between the two on a quiet machine).
		for _, mode := range []string{"-N", "-S"} {
			if out, err := exec.CommandContext(ctx, "pgbench", mode, "-c", strconv.Itoa(workers), "-j", "2", "-n", "-T", "2",
				dbURL).CombinedOutput(); err != nil {
				return r, fmt.Errorf("pgbench %s (warm-up): %v\n%s", mode, err, out)
			}
		}
	}
	for _, mode := range []struct {
		flag string
		into *float64
	}{{"-N", &r.simpleUpdate}, {"-S", &r.selectOnly}} {
		out, err := exec.CommandContext(ctx, "pgbench", mode.flag, "-c", strconv.Itoa(workers), "-j", "2", "-n",
			"-T", strconv.Itoa(int(d.Seconds())), dbURL).CombinedOutput()
		if err != nil {
			return r, fmt.Errorf("pgbench %s: %v\n%s", mode.flag, err, out)
		}
		m := tpsLine.FindSubmatch(out)
		if m == nil {
			return r, fmt.Errorf("pgbench %s: no tps in\n%s", mode.flag, out)
		}
		*mode.into, _ = strconv.ParseFloat(string(m[1]), 64)
		if mode.flag == "-N" {
			if m := latencyLine.FindSubmatch(out); m != nil {
				r.updateLatency, _ = strconv.ParseFloat(string(m[1]), 64)
			}
		}
	}
	return r, nil
}

func serverVersion(b *bench) (string, error) {
	return bigseed.ServerVersion(context.Background(), b.pool)
}

// settle writes out what seeding left in memory before anything is
// measured: without it the server flushed gigabytes of new pages during
// the first baselines, which then ran at half their later speed and the
// run ended in "rerun". A server that refuses CHECKPOINT (not a superuser)
// is measured as it is.
func settle(ctx context.Context, adminURL string) {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CHECKPOINT`); err != nil {
		step("could not CHECKPOINT before measuring (" + err.Error() + "); the first baselines may run slow")
	}
}
