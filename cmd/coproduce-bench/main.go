// Command coproduce-bench is make bench: it seeds a large data set into
// its own database, starts the real server against it, loads it over
// loopback as signed-in members, and compares each scenario with
// baselines measured in the same run (a fixed page and a 100-row page in
// the same binary and middleware, and pgbench on the same PostgreSQL).
// It prints one table and writes it to docs/bench-results.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/bigseed"
)

const (
	benchDB       = "coproduce_bench"
	password      = "bench-password-123"
	workers       = 32
	busiestTitle  = "Busiest project"
	smallTitle    = "Project with 500 comments"
	talkTitle     = "One idea with 500 comments"
	mediumTitle   = "Project with 10,000 comments"
	growthPrefix  = "Growth: "
	defaultResult = "docs/bench-results.md"
)

// The data set: the busiest trust, plus projects to compare with.
var shapes = []bigseed.Shape{
	{Title: busiestTitle, Members: 400, Proposals: 1000, Comments: 100_000, Votes: 300_000},
	{Title: smallTitle, Members: 40, Proposals: 100, Comments: 500, Votes: 2_000},
	{Title: talkTitle, Members: 40, Proposals: 1, Comments: 500, Votes: 30},
	{Title: mediumTitle, Members: 60, Proposals: 100, Comments: 10_000, Votes: 3_000},
}

// growth are the projects for how cost grows with size.
var growth = []bigseed.Shape{
	{Title: growthPrefix + "100 ideas", Members: 100, Proposals: 100, Comments: 10_000, Votes: 5_000},
	{Title: growthPrefix + "10,000 ideas", Members: 100, Proposals: 10_000, Comments: 10_000, Votes: 50_000},
	{Title: growthPrefix + "1,000,000 comments", Members: 100, Proposals: 1_000, Comments: 1_000_000, Votes: 50_000},
}

func main() {
	if burning() {
		burn()
		return
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	bin, adminURL, out, only string
	// db is the benchmark database's name; pgbench's is db + "_pgbench".
	db             string
	duration, soak time.Duration
	growth         bool
	// burn is how many CPU burners run beside the whole run; burnLimit
	// bounds each.
	burn      int
	burnLimit time.Duration
	// writeOut is whether to write the results file: a run of one
	// scenario alone writes it only when asked to, so as not to replace
	// the whole run's results.
	writeOut bool
}

func run() error {
	var o options
	flag.StringVar(&o.bin, "server", "bin/coproduce", "the server binary to measure")
	flag.StringVar(&o.adminURL, "admin-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"a database on the PostgreSQL server to use, to create the benchmark databases from")
	flag.StringVar(&o.db, "db", benchDB, `the benchmark database to make (dropped and seeded afresh) or, with -only, to reuse; pgbench's is this name with "_pgbench"`)
	flag.StringVar(&o.out, "out", defaultResult, "where to write the results table")
	flag.DurationVar(&o.duration, "duration", 8*time.Second, "how long each load scenario runs")
	flag.BoolVar(&o.growth, "growth", true, "also measure how the project page's cost grows with size")
	flag.DurationVar(&o.soak, "soak", 5*time.Minute, "how long the mixed-traffic soak runs")
	flag.StringVar(&o.only, "only", "", `run one scenario alone, reusing the database an earlier run seeded if there is one: "soak"`)
	flag.IntVar(&o.burn, "burn", 0, "start this many CPU-bound processes of the bench's own, each spinning on one core, for the whole run "+
		"(to check that the verdicts hold on a busier machine)")
	flag.DurationVar(&o.burnLimit, "burn-limit", 2*time.Hour, "how long a CPU burner may run at most, should the run not stop it")
	flag.Parse()
	o.writeOut = o.only == ""
	flag.Visit(func(f *flag.Flag) { o.writeOut = o.writeOut || f.Name == "out" })
	if o.only != "" && o.only != "soak" {
		return fmt.Errorf("-only %q: the scenario that runs alone is \"soak\"", o.only)
	}
	ctx := context.Background()
	began := time.Now()
	burners, err := startBurners(o.burn, o.burnLimit)
	if err != nil {
		return err
	}
	defer burners.stop()

	dbURL, err := withDatabase(o.adminURL, o.db)
	if err != nil {
		return err
	}
	pool, projects, seedTime, err := prepare(ctx, o, dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()

	vacuum, err := standInForAutovacuum(ctx, pool)
	if err != nil {
		return err
	}
	defer vacuum.close()

	b := &bench{o: o, pool: pool, projects: projects, transport: newTransport(workers), burners: burners, vacuum: vacuum}
	full := o.only == ""
	if full {
		if err := b.measurePgbench(ctx, false); err != nil {
			return err
		}
		if err := b.measureMigrate(dbURL, false); err != nil {
			return err
		}
	}

	addr, err := freeAddr()
	if err != nil {
		return err
	}
	step("starting the server")
	srv, ready, err := startServer(o.bin, dbURL, addr)
	if err != nil {
		return err
	}
	defer srv.stop()
	burners.watch(srv)
	b.srv = srv
	startUp := row{name: "Start-up to ready, migrated database", measured: fmt.Sprintf("%.2f s", ready.Seconds()), pass: true}
	if full {
		startUp.checks = []check{ceiling("", ready.Seconds(), baseStart, startUpK)}
	}
	b.add(startUp)
	if full {
		if err := b.scenarios(ctx); err != nil {
			return fmt.Errorf("%w\nserver log:\n%s", err, srv.log)
		}
	}
	if err := b.soak(ctx); err != nil {
		return fmt.Errorf("%w\nserver log:\n%s", err, srv.log)
	}
	if full {
		if err := b.measureBaselines(true); err != nil {
			return fmt.Errorf("%w\nserver log:\n%s", err, srv.log)
		}
		if err := b.measurePgbench(ctx, true); err != nil {
			return err
		}
		if err := b.measureMigrate(dbURL, true); err != nil {
			return err
		}
	}
	return b.write(seedTime, time.Since(began))
}

// prepare makes the benchmark database: migrated and seeded afresh, or for
// a scenario run alone, the one an earlier run seeded (seedTime 0).
func prepare(ctx context.Context, o options, dbURL string) (*pgxpool.Pool, map[string]bigseed.Project, time.Duration, error) {
	if o.only != "" {
		if pool, projects, ok := reuse(ctx, dbURL); ok {
			return pool, projects, 0, migrate(o.bin, dbURL)
		}
	}
	step("creating the benchmark database and its tables")
	if err := bigseed.Recreate(ctx, o.adminURL, o.db); err != nil {
		return nil, nil, 0, err
	}
	if err := migrate(o.bin, dbURL); err != nil {
		return nil, nil, 0, err
	}
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, nil, 0, err
	}
	projects, seedTime, err := seed(ctx, pool, o.growth)
	if err != nil {
		pool.Close()
		return nil, nil, 0, err
	}
	return pool, projects, seedTime, nil
}

// reuse finds the busiest project in a database an earlier run seeded to
// the end (the background projects come last).
func reuse(ctx context.Context, dbURL string) (*pgxpool.Pool, map[string]bigseed.Project, bool) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, nil, false
	}
	n, err := bigseed.ProjectCount(ctx, pool)
	if err == nil && n >= 200 {
		var busy bigseed.Project
		if busy, err = bigseed.Find(ctx, pool, busiestTitle); err == nil {
			step("reusing the benchmark database an earlier run seeded")
			busy.Shape = shapes[0]
			return pool, map[string]bigseed.Project{busiestTitle: busy}, true
		}
	}
	pool.Close()
	step("no seeded benchmark database to reuse")
	return nil, nil, false
}

func migrate(bin, dbURL string) error {
	cmd := exec.Command(bin, "migrate", "up")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("migrate: %v\n%s", err, out)
	}
	return nil
}

func step(s string) { fmt.Fprintf(os.Stderr, "bench: %s\n", s) }

func seed(ctx context.Context, pool *pgxpool.Pool, withGrowth bool) (map[string]bigseed.Project, time.Duration, error) {
	step("seeding 200 projects, 20,000 people and the busiest project (COPY)")
	passwords, err := coproduce.NewPasswords(coproduce.DefaultPasswordParams)
	if err != nil {
		return nil, 0, err
	}
	hash, err := passwords.Hash(password)
	if err != nil {
		return nil, 0, err
	}
	plan := bigseed.Plan{People: 20_000, Background: 200 - len(shapes), Shapes: shapes, PasswordHash: hash}
	if withGrowth {
		plan.Shapes = append(append([]bigseed.Shape{}, shapes...), growth...)
	}
	start := time.Now()
	seeded, err := bigseed.Seed(ctx, pool, plan)
	if err != nil {
		return nil, 0, err
	}
	out := map[string]bigseed.Project{}
	for _, p := range seeded {
		out[p.Title] = p
	}
	took := time.Since(start)
	step(fmt.Sprintf("seeded in %.1f s", took.Seconds()))
	return out, took, nil
}

func withDatabase(adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}
