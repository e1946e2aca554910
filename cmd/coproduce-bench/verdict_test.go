package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

// aMachine is the baselines of one run: B's requests a second and p99,
// pgbench -N's transactions a second and latency, COPY's seconds a row.
func aMachine(bRPS, bP99, pgTPS, pgLatency, copyPerRow float64) baselines {
	var bs baselines
	bs.set(baseBRPS, "B", perSecond, bRPS, false)
	bs.set(baseBP99, "B's p99", p99ms, bP99, false)
	bs.set(basePgTPS, "pgbench -N", tps, pgTPS, false)
	bs.set(basePgLatency, "pgbench -N's latency", latencyMS, pgLatency, false)
	bs.set(baseCopyBusy, "COPY", per100k, copyPerRow, false)
	return bs
}

func load99(rps float64, p99ms float64) loadResult {
	return loadResult{requests: 1, rps: rps, p99: time.Duration(p99ms * float64(time.Millisecond))}
}

// A floor passes at k times the baseline and above, a ceiling at k times
// and below; a ratio is the figure over the baseline.
func TestCheckRatiosAndBounds(t *testing.T) {
	bs := aMachine(2000, 20, 5000, 6, 2e-6)
	for _, tc := range []struct {
		name  string
		c     check
		ratio float64
		pass  bool
	}{
		{"floor met exactly", floor("", 1200, baseBRPS, 0.6), 0.6, true},
		{"floor missed", floor("", 1199, baseBRPS, 0.6), 0.5995, false},
		{"ceiling met exactly", ceiling("p99", 35, baseBP99, 1.75), 1.75, true},
		{"ceiling missed", ceiling("p99", 36, baseBP99, 1.75), 1.8, false},
	} {
		if got := tc.c.ratio(bs); math.Abs(got-tc.ratio) > 1e-9 {
			t.Errorf("%s: ratio %v, want %v", tc.name, got, tc.ratio)
		}
		if got := tc.c.pass(bs); got != tc.pass {
			t.Errorf("%s: pass %v, want %v", tc.name, got, tc.pass)
		}
	}
}

// Nothing passes against a baseline that was never measured, nor with a
// figure of nothing (a division by zero must not make a floor pass).
func TestCheckWithoutABaselineFails(t *testing.T) {
	bs := aMachine(0, 20, 5000, 6, 2e-6)
	for name, c := range map[string]check{
		"baseline of 0":      floor("", 1000, baseBRPS, 0.6),
		"baseline not there": floor("", 1000, "no such baseline", 0.6),
		"no figure":          ceiling("p99", 0, baseBP99, 1.75),
	} {
		if c.pass(bs) {
			t.Errorf("%s: passes", name)
		}
		if !strings.Contains(c.measured(bs), "not measured") {
			t.Errorf("%s: measured %q", name, c.measured(bs))
		}
	}
}

// The case: the same code on a machine half as fast (every figure,
// scenarios and the baselines alongside them alike, moved together) gets
// the same verdict on every target, where absolute targets would have
// failed it.
func TestVerdictsHoldOnASlowerMachine(t *testing.T) {
	type run struct {
		b, w                                  loadResult // B alongside each page, W alongside each write
		page, idea, vote, oneIdea, comment    loadResult
		csvTime, csvFirst, copyTime           time.Duration
		wantPage, wantVote, wantCSV, wantIdea bool
	}
	// Figures of a good run, then the same code's shortfalls: the project
	// page at 0.45 × B, a vote at 0.4 × W, the CSV at 6 × COPY.
	good := run{b: load99(3296, 17.1), w: load99(3000, 12),
		page: load99(2753, 22.8), idea: load99(1709, 30.5), vote: load99(2605, 20.3), oneIdea: load99(1779, 27.7),
		comment: load99(2572, 20.1), csvTime: 580 * time.Millisecond, csvFirst: 40 * time.Millisecond, copyTime: 250 * time.Millisecond,
		wantPage: true, wantVote: true, wantCSV: true, wantIdea: true}
	short := good
	short.page, short.wantPage = load99(0.45*3296, 40), false
	short.vote, short.wantVote = load99(0.4*3000, 20), false
	short.csvTime, short.wantCSV = 1500*time.Millisecond, false
	for _, r := range []run{good, short} {
		for _, slow := range []float64{1, 0.54, 0.35} {
			slower := func(l loadResult) loadResult { return load99(l.rps*slow, ms64(l.p99)/slow) }
			longer := func(d time.Duration) time.Duration { return time.Duration(float64(d) / slow) }
			b, w := slower(r.b), slower(r.w)
			verdicts := map[string][2]bool{
				"project page": {row{pass: true, checks: pageChecks(slower(r.page), b, pageFloor, pageP99)}.verdict(nil), r.wantPage},
				"idea page":    {row{pass: true, checks: pageChecks(slower(r.idea), b, 0.4, 3.5)}.verdict(nil), r.wantIdea},
				"vote":         {row{pass: true, checks: writeChecks(slower(r.vote), w, writeFloor, writeP99)}.verdict(nil), r.wantVote},
				"one idea":     {row{pass: true, checks: writeChecks(slower(r.oneIdea), w, oneIdeaFloor, oneIdeaP99)}.verdict(nil), true},
				"comment":      {row{pass: true, checks: writeChecks(slower(r.comment), w, commentFloor, commentP99)}.verdict(nil), true},
				"CSV": {row{pass: true, checks: exportChecks(longer(r.csvTime), longer(r.csvFirst), longer(r.copyTime),
					exportCSV, exportFirstByte)}.verdict(nil), r.wantCSV},
			}
			for name, v := range verdicts {
				if v[0] != v[1] {
					t.Errorf("%s at %.2f × the speed: pass %v, want %v", name, slow, v[0], v[1])
				}
			}
		}
	}
}

// An export fails against a COPY never measured, and says what it was
// measured against.
func TestExportAgainstCOPYInTurns(t *testing.T) {
	checks := exportChecks(2*time.Second, 100*time.Millisecond, 500*time.Millisecond, exportCSV, exportFirstByte)
	measured, target := (row{pass: true, checks: checks}).texts(nil)
	if measured != "4.00 × COPY alongside; first byte 0.20 × COPY alongside" ||
		target != "≤ 5 × COPY alongside, first byte ≤ 0.5 × COPY alongside" {
		t.Errorf("texts %q, %q", measured, target)
	}
	if (row{pass: true, checks: exportChecks(time.Second, 0, 0, exportCSV, 0)}).verdict(nil) {
		t.Error("an export passes against a COPY never measured")
	}
}

// A row fails when the part judged as measured failed (errors, say), or
// when any one of its checks does.
func TestRowVerdictNeedsEveryPart(t *testing.T) {
	bs := aMachine(2000, 20, 5000, 6, 2e-6)
	b := load99(2000, 20)
	fast := pageChecks(load99(1500, 25), b, 0.6, 1.75)
	if !(row{pass: true, checks: fast}).verdict(bs) {
		t.Error("a page within both targets fails")
	}
	if (row{pass: false, checks: fast}).verdict(bs) {
		t.Error("a page with errors passes")
	}
	slowTail := pageChecks(load99(1500, 40), b, 0.6, 1.75)
	if (row{pass: true, checks: slowTail}).verdict(bs) {
		t.Error("a page whose p99 is 2 × B's passes")
	}
	measured, target := (row{pass: true, checks: slowTail, target: "no errors"}).texts(bs)
	if measured != "0.75 × B alongside; p99 2.00 × B's p99 alongside" ||
		target != "≥ 0.6 × B alongside, p99 ≤ 1.75 × B's p99 alongside, no errors" {
		t.Errorf("texts %q, %q", measured, target)
	}
}

// A page whose B was never loaded alongside it fails, whatever its figures.
func TestPageWithoutBAlongsideFails(t *testing.T) {
	if (row{pass: true, checks: pageChecks(load99(1500, 25), loadResult{}, 0.6, 1.75)}).verdict(nil) {
		t.Error("a page passes against a B never measured")
	}
}

// alongside takes turns a b b a a b b a, a quarter of the time each, so a
// machine slowing steadily through the measurement slows both alike: two
// loads of equal cost come out equal, where one after the other would
// not.
func TestAlongsideCancelsASteadyDrift(t *testing.T) {
	var order []byte
	slice := 0
	turn := func(name byte) func(time.Duration) loadResult {
		return func(d time.Duration) loadResult {
			if d != 2*time.Second {
				t.Errorf("a turn of %v, want a quarter of 8 s", d)
			}
			order = append(order, name)
			n := 1000 - 50*slice // the machine slows a little with each turn
			slice++
			lat := make([]time.Duration, n)
			for i := range lat {
				lat[i] = time.Duration(i+1) * time.Microsecond
			}
			return loadResult{requests: n, rps: float64(n) / d.Seconds(), latencies: lat, elapsed: d}
		}
	}
	a, b := (&bench{}).alongside(8*time.Second, turn('a'), turn('b'))
	if string(order) != "abbaabba" {
		t.Errorf("order %s", order)
	}
	if a.requests != b.requests || a.rps != b.rps || a.elapsed != 8*time.Second {
		t.Errorf("equal loads differ: a %d requests, %.1f/s over %v; b %d, %.1f/s", a.requests, a.rps, a.elapsed, b.requests, b.rps)
	}
	if a.p99 != a.latencies[len(a.latencies)*99/100] || a.p99 > time.Millisecond {
		t.Errorf("p99 %v not taken from the merged latencies", a.p99)
	}
}

// The targets compare with the mean of a baseline's two measurements.
func TestBaselineValueIsTheMeanOfBoth(t *testing.T) {
	var bs baselines
	bs.set(baseBRPS, "B", perSecond, 2000, false)
	if v := bs.find(baseBRPS).value(); v != 2000 {
		t.Errorf("measured once: %v, want 2000", v)
	}
	bs.set(baseBRPS, "B", perSecond, 2200, true)
	if v := bs.find(baseBRPS).value(); v != 2100 {
		t.Errorf("measured twice: %v, want 2100", v)
	}
	if c := floor("", 1260, baseBRPS, 0.6); !c.pass(bs) || floor("", 1259, baseBRPS, 0.6).pass(bs) {
		t.Error("the floor is not 0.6 × the mean, 1,260")
	}
}

// A baseline that moved more than 20 % between before and after the
// scenarios, either way, says the machine changed: its row fails, says to
// rerun, and the run lists it; 20 % or less is steady.
func TestBaselineDriftSaysRerun(t *testing.T) {
	for _, tc := range []struct {
		before, after float64
		changed       bool
	}{
		{2000, 2000, false}, {2000, 2400, false}, {2000, 1600, false}, {2000, 2401, true}, {2000, 1599, true},
		{2000, 0, false}, // not measured again: nothing to compare
	} {
		var bs baselines
		bs.set(baseBRPS, "B", perSecond, tc.before, false)
		bs.set(baseBRPS, "B", perSecond, tc.after, true)
		r := row{name: "Baseline B", bases: []string{baseBRPS}, pass: true}
		if got := bs.find(baseBRPS).changed(); got != tc.changed {
			t.Errorf("%v then %v: changed %v, want %v", tc.before, tc.after, got, tc.changed)
		}
		if r.verdict(bs) == tc.changed {
			t.Errorf("%v then %v: row verdict %v", tc.before, tc.after, r.verdict(bs))
		}
		rerun := strings.Contains(r.result(bs), "rerun")
		listed := len(bs.changes()) > 0
		if rerun != tc.changed || listed != tc.changed {
			t.Errorf("%v then %v: result %q, changes %q", tc.before, tc.after, r.result(bs), bs.changes())
		}
	}
	var tail baselines
	tail.set(baseBP99, "B's p99", p99ms, 40, false)
	tail.set(baseBP99, "B's p99", p99ms, 60, true)
	tail.find(baseBP99).tail = true
	if tail.find(baseBP99).changed() || len(tail.changes()) > 0 {
		t.Error("a p99 that moved 50 % says the machine changed; a tail is shown, not judged")
	}
	var bs baselines
	bs.set(basePgTPS, "pgbench -N", tps, 6000, false)
	bs.set(basePgTPS, "pgbench -N", tps, 3000, true)
	if got := bs.changes(); len(got) != 1 || !strings.Contains(got[0], "6000 tps before, 3000 tps after (-50 %)") {
		t.Errorf("changes %q", got)
	}
}

// A row measured against a baseline that changed still gets its ratio
// (to the mean), but the run as a whole says to rerun.
func TestWriteSaysTheMachineChanged(t *testing.T) {
	var bs baselines
	bs.set(baseBRPS, "B", perSecond, 3000, false)
	bs.set(baseBRPS, "B", perSecond, 2000, true)
	b := &bench{bases: bs}
	b.rows = []row{{name: "Baseline B", bases: []string{baseBRPS}, pass: true},
		{name: "Project page", checks: []check{floor("", 1600, baseBRPS, 0.6)}, pass: true}}
	md, err := b.results(time.Minute, 2*time.Minute, "15")
	if err == nil || !strings.Contains(err.Error(), "rerun") {
		t.Errorf("error %v, want one saying to rerun", err)
	}
	for _, want := range []string{"The machine changed under the run: rerun", "| 0.64 × B | ≥ 0.6 × B | pass |",
		"3000 req/s before, 2000 req/s after (-33 %)", "changed by more than 20 %: rerun", "CPU burner: off"} {
		if !strings.Contains(md, want) {
			t.Errorf("results without %q:\n%s", want, md)
		}
	}

	// Steady baselines and every target met: no error, and it says so.
	bs.find(baseBRPS).after = 2800
	b.rows[1].checks[0].value = 1800
	if md, err := b.results(time.Minute, 2*time.Minute, "15"); err != nil || !strings.Contains(md, "Baselines steady") {
		t.Errorf("steady run: %v\n%s", err, md)
	}
}

// An export cut short after its 200 was sent (a query deadline on a slow
// machine did this to the CSV and JSON) fails, rather than looking fast.
func TestExportCutShortFails(t *testing.T) {
	write := func(s string) body {
		var b body
		for i := 0; i < len(s); i += 7 { // in pieces, as a stream arrives
			_, _ = b.Write([]byte(s[i:min(i+7, len(s))]))
		}
		return b
	}
	csv := "Section,Item\n" + strings.Repeat("Comments,a comment\n", 10)
	json := `{"project":{},"comments":[{"body":"a"}` + "\n" + `,{"body":"b"}` + "\n]}\n"
	for _, tc := range []struct {
		path, body string
		rows       int
		whole      bool
	}{
		{"/reports/build.csv", csv, 10, true},
		{"/reports/build.csv", csv[:len(csv)/2], 10, false},
		{"/reports/project.json", json, 2, true},
		{"/reports/project.json", json[:strings.Index(json, ",{")], 2, false},
		{"/reports/project.json", json[:len(json)-6] + "<p>Sorry</p></html>\n", 2, false},
		{"/reports/project.pdf", "%PDF-1.3\n" + strings.Repeat("x", 500) + "\nstartxref\n123\n%%EOF\n", 0, true},
		{"/reports/project.pdf", "%PDF-1.3\n" + strings.Repeat("x", 500), 0, false},
	} {
		if got := complete(tc.path, write(tc.body), tc.rows); got != tc.whole {
			t.Errorf("%s, %d bytes: whole %v, want %v", tc.path, len(tc.body), got, tc.whole)
		}
	}
}
