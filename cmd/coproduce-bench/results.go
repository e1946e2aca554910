package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

func goTool(args ...string) (string, error) {
	out, err := exec.Command("go", append([]string{"tool"}, args...)...).CombinedOutput()
	return string(out), err
}

func (b *bench) table(rows []row, withTargets bool) string {
	var t strings.Builder
	if withTargets {
		t.WriteString("| Scenario | Requests/s | p50 | p99 | Errors | Measured | Target | Result |\n| --- | ---: | ---: | ---: | ---: | --- | --- | --- |\n")
	} else {
		t.WriteString("| Project | Requests/s | p50 | p99 | Errors |\n| --- | ---: | ---: | ---: | ---: |\n")
	}
	for _, r := range rows {
		rps, p50, p99, errs := "—", "—", "—", "—"
		if r.load != nil {
			rps, p50, p99, errs = fmt.Sprintf("%.0f", r.load.rps), ms(r.load.p50), ms(r.load.p99), fmt.Sprint(r.load.errors)
		}
		if !withTargets {
			fmt.Fprintf(&t, "| %s | %s | %s | %s | %s |\n", r.name, rps, p50, p99, errs)
			continue
		}
		measured, target := r.texts(b.bases)
		fmt.Fprintf(&t, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.name, rps, p50, p99, errs, measured, target, r.result(b.bases))
	}
	return t.String()
}

// machine describes where the run happened.
func machine() string {
	cpu := "unknown processor"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		mem = strings.Fields(strings.SplitN(string(b), "\n", 2)[0])[1]
		var kb int64
		fmt.Sscan(mem, &kb)
		mem = fmt.Sprintf(", %d GiB memory", kb>>20)
	}
	return fmt.Sprintf("%d cores (%s)%s, %s/%s, %s", runtime.NumCPU(), cpu, mem, runtime.GOOS, runtime.GOARCH, runtime.Version())
}

func (b *bench) write(seed, total time.Duration) error {
	pgVersion := "?"
	if v, err := serverVersion(b); err == nil {
		pgVersion = v
	}
	md, verdict := b.results(seed, total, pgVersion)
	fmt.Println(md)
	if b.o.writeOut {
		if err := os.WriteFile(b.o.out, []byte(md), 0o644); err != nil {
			return err
		}
	}
	return verdict
}

// results are the run's results as markdown, and an error when a target
// was missed or the machine changed under the run.
func (b *bench) results(seed, total time.Duration, pgVersion string) (string, error) {
	failed := 0
	for _, r := range b.rows {
		if !r.verdict(b.bases) {
			failed++
		}
	}
	changes := b.bases.changes()
	var md strings.Builder
	fmt.Fprintf(&md, "# Benchmark results\n\nThe last `make bench` run, written by `cmd/coproduce-bench`. See [performance.md](performance.md) for what each scenario does and how to read this.\n\n")
	fmt.Fprintf(&md, "- When: %s\n- Machine: %s\n- PostgreSQL %s on the same machine\n", time.Now().UTC().Format("2 January 2006 15:04 MST"), machine(), pgVersion)
	seeded := fmt.Sprintf("seeded in %.0f s", seed.Seconds())
	if seed == 0 {
		seeded = "seeded by an earlier run, with that run's writes"
	}
	fmt.Fprintf(&md, "- Data: 20,000 people, 200 projects; the busiest has 400 members, 1,000 ideas, 100,000 comments and 300,000 votes (%s)\n", seeded)
	if b.o.only == "" {
		fmt.Fprintf(&md, "- Load: %d connections over loopback, %s per scenario, then a %s soak; the whole run took %.0f s\n",
			workers, b.o.duration, b.o.soak, total.Seconds())
	} else {
		fmt.Fprintf(&md, "- Load: the %s scenario alone (`-only %s`), for %s; the whole run took %.0f s\n", b.o.only, b.o.only, b.o.soak, total.Seconds())
	}
	fmt.Fprintf(&md, "- CPU burner: %s\n", b.burners.describe())
	fmt.Fprintf(&md, "- Vacuum: %s\n", b.vacuum.describe())
	if b.o.only == "" {
		md.WriteString("- Verdicts: every speed target is a ratio to a baseline measured alongside it in this run (a page beside B, a write " +
			"beside W, loaded in turns a b b a; an export between downloads of COPY); the requests a second and milliseconds are " +
			"information, not verdicts. The baselines are also measured before and after the scenarios, to say whether the machine " +
			"changed under the run\n")
	}
	if len(changes) > 0 {
		fmt.Fprintf(&md, "- **The machine changed under the run: rerun.** These baselines moved more than %.0f %% between before and after "+
			"the scenarios: %s\n", maxDrift*100, strings.Join(changes, "; "))
	} else if b.o.only == "" {
		fmt.Fprintf(&md, "- Baselines steady: none moved more than %.0f %% between before and after the scenarios\n", maxDrift*100)
	}
	fmt.Fprintf(&md, "- Result: %d of %d scenarios passed\n\n", len(b.rows)-failed, len(b.rows))
	md.WriteString(b.table(b.rows, true))
	if len(b.growth) > 0 {
		md.WriteString("\n## How the project page's cost grows\n\nThe same page (the newest 100 ideas with their counts) for projects of growing size, " +
			"measured for half as long.\n\n")
		md.WriteString(b.table(b.growth, false))
	}
	if b.profile != "" {
		md.WriteString("\n## Where the project page's time goes\n\nA CPU profile of the server while it served the busiest project's page " +
			"(`go tool pprof -top`):\n\n```\n" + b.profile + "\n```\n")
	}
	md.WriteString(b.soakSection)
	if len(changes) > 0 {
		return md.String(), fmt.Errorf("the machine changed under the run (%s): rerun", strings.Join(changes, "; "))
	}
	if failed > 0 {
		return md.String(), fmt.Errorf("%d scenarios missed their targets", failed)
	}
	return md.String(), nil
}
