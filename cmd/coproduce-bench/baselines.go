package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/coproduce/coproduce/internal/postgres/bigseed"
)

// rowsTrailer is the trailer in which the COPY baseline says how many rows
// it streamed (server.BenchRowsTrailer, not imported so as to keep the
// server out of the bench's binary).
const rowsTrailer = "Coproduce-Rows"

// The baselines are measured twice: before the scenarios and after them
// (after the soak), and each target compares with their mean. When a
// baseline moved more than maxDrift between the two, the machine changed
// under the run, and the results say to run it again.

// copyRuns is how many times each COPY baseline is downloaded: one
// download is one sample, so the median of a few is kept.
const copyRuns = 3

func perSecond(v float64) string { return fmt.Sprintf("%.0f req/s", v) }
func tps(v float64) string       { return fmt.Sprintf("%.0f tps", v) }
func p99ms(v float64) string     { return fmt.Sprintf("p99 %.1f ms", v) }
func latencyMS(v float64) string { return fmt.Sprintf("latency %.2f ms", v) }
func seconds(v float64) string   { return fmt.Sprintf("%.3f s", v) }
func per100k(v float64) string   { return fmt.Sprintf("%.2f s per 100,000 rows", v*100_000) }

// baselineUsers are those the HTTP baselines are measured as, both times.
type baselineUsers struct {
	busy       []*member // lay partners of the busiest project
	lead       *member   // its lead, who may have its exports
	mediumLead *member   // the lead of the project with 10,000 comments
	pageSize   int64     // the busiest project's page, for baseline A
}

// measureBaselines loads baselines A and B and downloads the COPY
// baselines, before the scenarios (after false) or after them; the first
// time it adds their rows.
func (b *bench) measureBaselines(after bool) error {
	u := b.users
	busy, medium := b.projects[busiestTitle], b.projects[mediumTitle]
	when := "before the scenarios"
	if after {
		when = "after the scenarios"
	}
	step("baselines, " + when)
	d := b.o.duration
	baseA := load(u.busy, d, b.get(projectPath(busy, "/bench/fixed?size="+strconv.FormatInt(u.pageSize, 10))), is(200))
	b.bases.set(baseARPS, "A", perSecond, baseA.rps, after)
	baseB := load(u.busy, d, b.get(projectPath(busy, "/bench/select")), is(200))
	b.bases.set(baseBRPS, "B", perSecond, baseB.rps, after)
	b.bases.set(baseBP99, "B's p99", p99ms, ms64(baseB.p99), after)
	b.bases.find(baseBP99).tail = true
	busyCopy, err := b.copyBaseline(u.lead, busy)
	if err != nil {
		return err
	}
	b.bases.set(baseCopyBusy, "COPY", per100k, busyCopy.perRow, after)
	mediumCopy, err := b.copyBaseline(u.mediumLead, medium)
	if err != nil {
		return err
	}
	b.bases.set(baseCopyTen, "COPY", per100k, mediumCopy.perRow, after)
	if after {
		b.rows[b.baseRows.a].pass = b.rows[b.baseRows.a].pass && baseA.errors == 0
		b.rows[b.baseRows.b].pass = b.rows[b.baseRows.b].pass && baseB.errors == 0
		return nil
	}
	b.baseRows.a = b.add(row{name: fmt.Sprintf("Baseline A: a fixed %d KB page", u.pageSize>>10), load: &baseA,
		bases: []string{baseARPS}, pass: baseA.errors == 0})
	b.baseRows.b = b.add(row{name: "Baseline B: one indexed SELECT of 100 rows, in templ", load: &baseB,
		bases: []string{baseBRPS, baseBP99}, pass: baseB.errors == 0})
	b.add(row{name: fmt.Sprintf("Baseline COPY: the busiest project's %d comments by COPY … TO STDOUT, over HTTP", busyCopy.rows),
		measured: busyCopy.String(), bases: []string{baseCopyBusy}, pass: true})
	b.add(row{name: fmt.Sprintf("Baseline COPY: a project's %d comments by COPY … TO STDOUT, over HTTP", mediumCopy.rows),
		measured: mediumCopy.String(), bases: []string{baseCopyTen}, pass: true})
	return nil
}

// measurePgbench runs pgbench, the first time on a fresh database of its
// own and adding its rows, a later time on the same one.
func (b *bench) measurePgbench(ctx context.Context, after bool) error {
	step("measuring pgbench on the same server")
	pg, err := runPgbench(ctx, b.o.adminURL, pgbenchName(b.o.db), b.o.duration, !after)
	if err != nil {
		return err
	}
	b.bases.set(basePgTPS, "pgbench -N", tps, pg.simpleUpdate, after)
	b.bases.set(basePgLatency, "pgbench -N's latency", latencyMS, pg.updateLatency, after)
	b.bases.set(basePgSelect, "pgbench -S", tps, pg.selectOnly, after)
	if !after {
		b.add(row{name: "pgbench -N (simple update), 32 clients", bases: []string{basePgTPS, basePgLatency}, pass: true})
		b.add(row{name: "pgbench -S (select only), 32 clients", bases: []string{basePgSelect}, pass: true})
	}
	return nil
}

// pgbenchName is pgbench's database for a benchmark database: the one
// make bench has always used for the default.
func pgbenchName(db string) string {
	if db == benchDB {
		return "coproduce_pgbench"
	}
	return db + "_pgbench"
}

// measureMigrate times the server binary's `migrate up` on the migrated
// database: starting the process, connecting, and finding the schema up
// to date, the floor of the server's start-up. The median of three.
func (b *bench) measureMigrate(dbURL string, after bool) error {
	// One unmeasured first: the binary's first start reads it from disk.
	if err := migrate(b.o.bin, dbURL); err != nil {
		return err
	}
	var took []time.Duration
	for range 3 {
		start := time.Now()
		if err := migrate(b.o.bin, dbURL); err != nil {
			return err
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.bases.set(baseStart, "migrate up", seconds, took[1].Seconds(), after)
	if !after {
		b.add(row{name: "Baseline: the server binary's `migrate up` on the migrated database", bases: []string{baseStart}, pass: true})
	}
	return nil
}

// copied is one COPY baseline's download.
type copied struct {
	rows             int64
	total, firstByte time.Duration
	size             int64
	// perRow is the total's seconds per row.
	perRow float64
}

func (c copied) String() string {
	return fmt.Sprintf("%d rows in %.3f s (first byte %s, %d MB out)", c.rows, c.total.Seconds(), ms(c.firstByte), c.size>>20)
}

// copyBaseline downloads a project's comments as the COPY baseline streams
// them, once to warm up and then copyRuns times, and keeps the median.
func (b *bench) copyBaseline(m *member, p bigseed.Project) (copied, error) {
	// One unmeasured download first, so that the first measurement does
	// not read the comments cold and the second (after the soak) warm:
	// that alone moved it by half on a quiet machine.
	if _, err := copyOnce(m, b.srv.base, projectPath(p, "/bench/comments.csv")); err != nil {
		return copied{}, err
	}
	var runs []copied
	for range copyRuns {
		c, err := copyOnce(m, b.srv.base, projectPath(p, "/bench/comments.csv"))
		if err != nil {
			return c, err
		}
		runs = append(runs, c)
	}
	slices.SortFunc(runs, func(x, y copied) int { return int(x.total - y.total) })
	return runs[len(runs)/2], nil
}

func copyOnce(m *member, base, path string) (copied, error) {
	var c copied
	start := time.Now()
	res, err := m.client.Get(base + path)
	if err != nil {
		return c, err
	}
	defer res.Body.Close()
	c.firstByte = time.Since(start)
	if c.size, err = io.Copy(io.Discard, res.Body); err != nil {
		return c, err
	}
	c.total = time.Since(start)
	if res.StatusCode != http.StatusOK {
		return c, fmt.Errorf("%s: status %d", path, res.StatusCode)
	}
	if c.rows, err = strconv.ParseInt(res.Trailer.Get(rowsTrailer), 10, 64); err != nil || c.rows <= 0 {
		return c, fmt.Errorf("%s: no row count in its trailer (%v)", path, err)
	}
	c.perRow = c.total.Seconds() / float64(c.rows)
	return c, nil
}

func ms64(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
