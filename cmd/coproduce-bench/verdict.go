package main

import (
	"fmt"
	"math"
	"strings"
)

// Verdicts that hold on any machine: every target that is about speed is a
// ratio to a baseline measured in the same run, on the same machine, so a
// slower machine (or a slower day) moves the scenario and its baseline
// together and leaves the verdict alone. Absolute figures (requests a
// second, milliseconds) stay in the table as information only. Memory is
// judged in bytes: bytes are not speed.

// The multiples of the targets that are not written where they are
// checked (docs/performance.md says why each).
const (
	// startUpK: start-up to ready against `migrate up` on the migrated
	// database (the same process start, connection and schema check).
	startUpK = 5.0
	// An export's time against the time the COPY baseline takes for the
	// same number of rows, and its first byte against the same time.
	exportCSV       = 5.0
	exportFirstByte = 0.5
	exportJSON      = 10.0
	exportPDF       = 12.0
	// A person's page (the project page as a lay partner and as its lead,
	// Updates, the principles check) against baseline B alongside it: its
	// requests a second, and its p99 against B's p99. An idea page with
	// 500 comments has its own, lower, multiples (written where checked).
	pageFloor = 0.5
	pageP99   = 2.25
	// The project page in Welsh against the same page in English; the
	// busiest project's page against a 500-comment project's (a smaller
	// list of ideas, so a little lighter); and the project page after
	// 50,000 writes against itself before them.
	welshFloor       = 0.85
	sizeFloor        = 0.75
	afterWritesFloor = 0.5
	// A write's requests a second against baseline W's alongside it, and
	// its p99 against W's p99. Everyone voting on one idea waits on that
	// idea's tally; a comment also tells the idea's author, in the same
	// transaction: each has lower multiples.
	writeFloor   = 0.5
	writeP99     = 2.25
	oneIdeaFloor = 0.4
	oneIdeaP99   = 3.0
	commentFloor = 0.25
	commentP99   = 5.0
)

// Each p99 ceiling is at least about 1.1 / its floor. The load is a closed
// loop (each worker sends its next request when the last is answered), so
// a scenario at its floor has every percentile about 1 / floor × its
// baseline's: a lower ceiling would fail a scenario its floor passes. The
// comment's was 3.5 against a floor of 0.25, and failed a run at 0.33 × W
// with a p99 of 4.07 × W's, its p50 being 3.3 × W's.

// maxDrift is how far a baseline may move between its two measurements,
// before the scenarios and after them, before the run says the machine
// changed under it.
const maxDrift = 0.20

// The baseline figures the targets are ratios to.
const (
	baseARPS      = "A requests/s"
	baseBRPS      = "B requests/s"
	baseBP99      = "B p99"
	basePgTPS     = "pgbench -N tps"
	basePgLatency = "pgbench -N latency"
	basePgSelect  = "pgbench -S tps"
	baseCopyBusy  = "COPY busiest"
	baseCopyTen   = "COPY 10,000"
	baseStart     = "migrate up"
)

// baseline is one figure of a baseline, measured twice: before the
// scenarios and after them (0 when not measured).
type baseline struct {
	key string
	// label is how a ratio to it reads: "0.84 × B".
	label string
	// format writes one measurement of it.
	format        func(float64) string
	before, after float64
	// tail is a p99: shown before and after, but not taken as a sign that
	// the machine changed. One request in a hundred of an 8-second load
	// moves by more than 20 % from one load to the next on a steady
	// machine (B's p99 alongside the pages of one run: 43 to 77 ms).
	tail bool
}

// value is what the targets compare with: the mean of the two
// measurements, or the first alone if the run never got to the second.
func (b *baseline) value() float64 {
	if b.after > 0 && b.before > 0 {
		return (b.before + b.after) / 2
	}
	return b.before
}

// drift is how far the second measurement moved from the first, as a
// fraction of the first (0.25 is 25 %), signed; 0 when one is missing.
func (b *baseline) drift() float64 {
	if b.before <= 0 || b.after <= 0 {
		return 0
	}
	return (b.after - b.before) / b.before
}

// changed says whether the machine changed under the run, as this
// baseline saw it.
func (b *baseline) changed() bool { return !b.tail && math.Abs(b.drift()) > maxDrift }

// describe writes both measurements and how far apart they are.
func (b *baseline) describe() string {
	if b.after <= 0 {
		return b.format(b.before) + " (measured once)"
	}
	return fmt.Sprintf("%s before, %s after (%+.0f %%)", b.format(b.before), b.format(b.after), b.drift()*100)
}

// baselines are a run's baseline figures, in the order they were first
// measured.
type baselines []*baseline

func (bs baselines) find(key string) *baseline {
	for _, b := range bs {
		if b.key == key {
			return b
		}
	}
	return nil
}

// set records a measurement of a figure: the first is before the
// scenarios, any later one after them.
func (bs *baselines) set(key, label string, format func(float64) string, v float64, after bool) {
	b := bs.find(key)
	if b == nil {
		b = &baseline{key: key, label: label, format: format}
		*bs = append(*bs, b)
	}
	if after {
		b.after = v
	} else {
		b.before = v
	}
}

// changes describes each baseline that moved more than maxDrift between
// its two measurements.
func (bs baselines) changes() []string {
	var out []string
	for _, b := range bs {
		if b.changed() {
			out = append(out, fmt.Sprintf("%s: %s", b.key, b.describe()))
		}
	}
	return out
}

// check is one part of a target that is a ratio to a baseline: the
// scenario's figure (value) against k times the baseline's.
type check struct {
	// what is the figure compared, as the text says it ("p99"), or "" for
	// the scenario's main figure.
	what    string
	value   float64
	base    string
	atLeast bool // a floor (throughput); otherwise a ceiling (time)
	k       float64
	// beside, when set, is the baseline's figure measured alongside the
	// scenario (alongside, or in turns with it): the check compares with
	// it, not with base. of names that baseline ("B", "W", "COPY").
	beside float64
	of     string
}

// besideChecks are a load's targets against a baseline loaded alongside
// it (of names it): its requests a second at least floor × the
// baseline's, and its p99 at most p99 × the baseline's p99.
func besideChecks(of string, r, base loadResult, floor, p99 float64) []check {
	rps, tail := base.rps, ms64(base.p99)
	if base.requests == 0 { // never loaded: fail, rather than compare with nothing
		rps, tail = -1, -1
	}
	return []check{{value: r.rps, atLeast: true, k: floor, beside: rps, of: of},
		{what: "p99", value: ms64(r.p99), k: p99, beside: tail, of: of}}
}

// floor is a check that value is at least k times the baseline.
func floor(what string, value float64, base string, k float64) check {
	return check{what: what, value: value, base: base, atLeast: true, k: k}
}

// ceiling is a check that value is at most k times the baseline.
func ceiling(what string, value float64, base string, k float64) check {
	return check{what: what, value: value, base: base, k: k}
}

// ratio is value over the baseline's value; NaN when either is
// missing, so that nothing passes against a baseline never measured.
func (c check) ratio(bs baselines) float64 {
	if c.beside != 0 {
		if c.beside < 0 || c.value <= 0 {
			return math.NaN()
		}
		return c.value / c.beside
	}
	b := bs.find(c.base)
	if b == nil || b.value() <= 0 || c.value <= 0 {
		return math.NaN()
	}
	return c.value / b.value()
}

func (c check) pass(bs baselines) bool {
	r := c.ratio(bs)
	switch {
	case math.IsNaN(r):
		return false
	case c.atLeast:
		return r >= c.k
	default:
		return r <= c.k
	}
}

func (c check) label(bs baselines) string {
	if c.beside != 0 {
		if c.what == "p99" {
			return c.of + "'s p99 alongside"
		}
		return c.of + " alongside"
	}
	if b := bs.find(c.base); b != nil {
		return b.label
	}
	return c.base
}

// measured is the ratio as the results show it: "p99 1.33 × B's p99".
func (c check) measured(bs baselines) string {
	r := c.ratio(bs)
	text := "not measured"
	if !math.IsNaN(r) {
		text = fmt.Sprintf("%.2f × %s", r, c.label(bs))
	}
	return strings.TrimSpace(c.what + " " + text)
}

// target is the check as the results show it: "p99 ≤ 1.75 × B's p99".
func (c check) target(bs baselines) string {
	op := "≤"
	if c.atLeast {
		op = "≥"
	}
	return strings.TrimSpace(fmt.Sprintf("%s %s %g × %s", c.what, op, c.k, c.label(bs)))
}

// verdict judges a row: the parts judged as they were measured (errors,
// exact counts, bytes, ratios to another scenario) and each ratio to a
// baseline. For a baseline's own row, it fails when that baseline changed
// under the run.
func (r row) verdict(bs baselines) bool {
	ok := r.pass
	for _, c := range r.checks {
		ok = ok && c.pass(bs)
	}
	for _, key := range r.bases {
		if b := bs.find(key); b == nil || b.changed() {
			ok = false
		}
	}
	return ok
}

// texts are the row's Measured and Target columns.
func (r row) texts(bs baselines) (measured, target string) {
	ms, ts := []string{}, []string{}
	for _, c := range r.checks {
		ms = append(ms, c.measured(bs))
		ts = append(ts, c.target(bs))
	}
	for _, key := range r.bases {
		if b := bs.find(key); b != nil {
			ms = append(ms, b.describe())
		}
	}
	if r.measured != "" {
		ms = append(ms, r.measured)
	}
	if r.target != "" {
		ts = append(ts, r.target)
	}
	if len(ts) == 0 {
		ts = append(ts, "—")
	}
	return strings.Join(ms, "; "), strings.Join(ts, ", ")
}

// result is the row's Result column.
func (r row) result(bs baselines) string {
	if len(r.bases) > 0 {
		for _, key := range r.bases {
			if b := bs.find(key); b != nil && b.changed() {
				return fmt.Sprintf("**changed by more than %.0f %%: rerun**", maxDrift*100)
			}
		}
	}
	if r.verdict(bs) {
		if len(r.bases) > 0 {
			return "steady"
		}
		return "pass"
	}
	result := "**FAIL**"
	if r.load != nil && r.load.firstError != "" {
		result += " (" + r.load.firstError + ")"
	}
	return result
}
