package report_test

import (
	"context"
	"io"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/bigseed"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/internal/report"
)

// bigProject is a committed project with 200 ideas and 100,000 comments
// of 50 to 600 characters from ten members, as a large trust might have.
func bigProject(tb testing.TB) (*postgres.Store, *coproduce.Project) {
	tb.Helper()
	ctx := context.Background()
	pool := pgtest.Pool(tb, pgtest.Clone(tb))
	seeded, err := bigseed.Seed(ctx, pool, bigseed.Plan{People: 20, PasswordHash: "unused",
		Shapes: []bigseed.Shape{{Title: "Big project", Members: 10, Proposals: 200, Comments: 100_000, Votes: 1_000}}})
	if err != nil {
		tb.Fatal(err)
	}
	store := postgres.NewStore(pool)
	p, err := store.ProjectByID(ctx, seeded[0].ID)
	if err != nil {
		tb.Fatal(err)
	}
	return store, p
}

var labels = report.Labels{Role: func(r coproduce.ProjectRole) string { return string(r) }, Former: "Former participant"}

func translate(id string, _ ...map[string]any) string { return id }

type writeFunc func(context.Context, io.Writer, *report.Report) error

var formats = map[string]writeFunc{
	"CSV": func(ctx context.Context, w io.Writer, r *report.Report) error {
		return report.WriteCSV(ctx, w, r, translate)
	},
	"ZIP": func(ctx context.Context, w io.Writer, r *report.Report) error {
		return report.WriteZIP(ctx, w, r, translate)
	},
	"JSON": report.WriteJSON,
}

// export builds and writes one report, returning the bytes written and the
// highest heap in use above where it started while doing so.
func export(tb testing.TB, store *postgres.Store, p *coproduce.Project, write writeFunc) (written int64, peak uint64) {
	tb.Helper()
	ctx := context.Background()
	runtime.GC()
	base := heapBytes()
	var top atomic.Uint64
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if h := heapBytes(); h > top.Load() {
					top.Store(h)
				}
			}
		}
	}()
	r, err := report.Build(ctx, store, p, coproduce.StepBuild, "Tester", labels)
	if err != nil {
		tb.Fatal(err)
	}
	cw := &countingWriter{}
	if err := write(ctx, cw, r); err != nil {
		tb.Fatal(err)
	}
	close(done)
	if h := heapBytes(); h > top.Load() {
		top.Store(h)
	}
	if top.Load() > base {
		peak = top.Load() - base
	}
	return cw.n, peak
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// TestLargeExportsStream checks that CSV and JSON exports of 100,000
// comments stream: the heap never grows by more than a fraction of what
// the comments would take if they were held in memory at once.
func TestLargeExportsStream(t *testing.T) {
	store, p := bigProject(t)
	for _, name := range []string{"CSV", "ZIP", "JSON"} {
		written, peak := export(t, store, p, formats[name])
		// The comments alone are about 30 MB of text (the ZIP compresses it).
		if name != "ZIP" && written < 18<<20 {
			t.Errorf("%s: only %d bytes written", name, written)
		}
		if peak > 12<<20 {
			t.Errorf("%s: heap grew by %d MB while exporting; it should stream", name, peak>>20)
		}
		t.Logf("%s: %d MB written, heap grew by at most %.1f MB", name, written>>20, float64(peak)/(1<<20))
	}
}

// BenchmarkExport100kComments times each format on a project with 100,000
// comments and reports the peak heap growth (peak-MB) alongside. (The PDF
// is the HTML report printed by Chromium: see internal/server's
// BenchmarkReportPDF.)
func BenchmarkExport100kComments(b *testing.B) {
	store, p := bigProject(b)
	for _, name := range []string{"CSV", "ZIP", "JSON"} {
		b.Run(name, func(b *testing.B) {
			var peak uint64
			var written int64
			for b.Loop() {
				w, pk := export(b, store, p, formats[name])
				peak, written = max(peak, pk), w
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
			b.ReportMetric(float64(written)/(1<<20), "output-MB")
		})
	}
}
