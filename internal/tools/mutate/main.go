// Command mutate breaks the code on purpose, one rule at a time, and runs
// the tests that should notice: a mutant the tests do not kill is a rule no
// test holds. The mutants are ours (.make/mutants.tsv), for the rules about
// money, votes, access and personal data that live in SQL and in the
// handlers, where a Go mutation tool cannot reach (it does not change the
// text of a query). `make mutate` runs it after gremlins has mutated the
// domain package.
//
// Each line of the list is: packages (comma-separated), file, the exact
// text to change (found once in the file), what it becomes, and what the
// break means; fields are separated by tabs, and \n and \t in the texts
// stand for a line break and a tab. Every file is put back as it was after
// its mutant, also when the run is interrupted.
//
//	go run ./internal/tools/mutate [-list .make/mutants.tsv] [-run REGEXP] [-skip REGEXP]
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"time"
)

type mutant struct {
	packages []string
	file     string
	from, to string
	what     string
}

func main() {
	list := flag.String("list", ".make/mutants.tsv", "the list of mutants")
	only := flag.String("run", "", "run only the mutants whose description matches this regular expression")
	skip := flag.String("skip", "", "leave out the mutants whose description matches this regular expression")
	flag.Parse()
	if err := run(*list, *only, *skip); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

func run(list, only, skip string) error {
	mutants, err := read(list)
	if err != nil {
		return err
	}
	match, err := regexp.Compile(only)
	if err != nil {
		return err
	}
	leave, err := regexp.Compile(skip)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var killed, lived []string
	for i, m := range mutants {
		if !match.MatchString(m.what) || (skip != "" && leave.MatchString(m.what)) {
			continue
		}
		start := time.Now()
		dead, err := try(ctx, m)
		if err != nil {
			return fmt.Errorf("mutant %d (%s): %w", i+1, m.what, err)
		}
		verdict := "KILLED"
		if dead {
			killed = append(killed, m.what)
		} else {
			verdict = "LIVED "
			lived = append(lived, m.what)
		}
		fmt.Printf("%s %-60s %s in %s\n", verdict, m.what, m.file, time.Since(start).Round(time.Second))
	}
	total := len(killed) + len(lived)
	if total == 0 {
		return fmt.Errorf("no mutant matches %q", only)
	}
	fmt.Printf("\nOur mutants: %d killed, %d lived, of %d: %.1f%% killed\n", len(killed), len(lived), total,
		100*float64(len(killed))/float64(total))
	for _, w := range lived {
		fmt.Println("  lived:", w)
	}
	return nil
}

// try applies one mutant, runs its packages' tests, and puts the file back.
// It reports whether the tests failed (the mutant was killed).
func try(ctx context.Context, m mutant) (bool, error) {
	original, err := os.ReadFile(m.file)
	if err != nil {
		return false, err
	}
	if n := strings.Count(string(original), m.from); n != 1 {
		return false, fmt.Errorf("%q is in %s %d times, want once", m.from, m.file, n)
	}
	info, err := os.Stat(m.file)
	if err != nil {
		return false, err
	}
	mutated := strings.Replace(string(original), m.from, m.to, 1)
	if err := os.WriteFile(m.file, []byte(mutated), info.Mode()); err != nil {
		return false, err
	}
	defer func() {
		if err := os.WriteFile(m.file, original, info.Mode()); err != nil {
			fmt.Fprintf(os.Stderr, "mutate: could not put %s back: %v\n", m.file, err)
		}
	}()
	args := append([]string{"test", "-count=1", "-failfast", "-timeout=20m"}, m.packages...)
	out, err := exec.CommandContext(ctx, "go", args...).CombinedOutput()
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if strings.Contains(string(out), "[build failed]") || strings.Contains(string(out), "[setup failed]") {
		// A mutant that does not compile says nothing about the tests.
		return false, fmt.Errorf("the mutated code does not build:\n%s", out)
	}
	if _, failed := err.(*exec.ExitError); failed {
		return true, nil
	}
	return false, err
}

func read(list string) ([]mutant, error) {
	f, err := os.Open(list)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	unescape := strings.NewReplacer(`\n`, "\n", `\t`, "\t")
	var mutants []mutant
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 5 {
			return nil, fmt.Errorf("%s:%d: %d fields, want 5 separated by tabs", list, line, len(fields))
		}
		mutants = append(mutants, mutant{packages: strings.Split(fields[0], ","), file: fields[1],
			from: unescape.Replace(fields[2]), to: unescape.Replace(fields[3]), what: fields[4]})
	}
	return mutants, sc.Err()
}
