package server_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/pdfprint"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/bigseed"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/internal/server"
	"github.com/coproduce/coproduce/web"
)

// BenchmarkReportPDF prints the project report of the bench's busiest
// project (200 ideas, 100,000 comments: the report holds each idea's
// newest 10) with the running Chromium, and reports the most memory
// Chromium's processes held meanwhile (chromium-MB).
func BenchmarkReportPDF(b *testing.B) {
	ctx := context.Background()
	pool := pgtest.Pool(b, pgtest.Clone(b))
	hash, err := pgtest.Passwords(b).Hash(pgtest.Password)
	if err != nil {
		b.Fatal(err)
	}
	seeded, err := bigseed.Seed(ctx, pool, bigseed.Plan{People: 20, PasswordHash: hash,
		Shapes: []bigseed.Shape{{Title: "Big project", Members: 10, Proposals: 200, Comments: 100_000, Votes: 1_000}}})
	if err != nil {
		b.Fatal(err)
	}
	store := postgres.NewStore(pool)
	// The time limit is raised so that a slow machine still gives a time.
	opts := server.PrinterOptions(web.Static())
	opts.Timeout = 10 * time.Minute
	printer := pdfprint.New(opts)
	defer printer.Close()
	e := newEnvConfigured(b, store, func(cfg *server.Config) { cfg.Printer = printer })
	lead, err := store.UserByEmail(ctx, seeded[0].LeadEmail)
	if err != nil {
		b.Fatal(err)
	}
	c := e.signedIn(lead)
	path := fmt.Sprintf("/projects/%d/reports/project.pdf", seeded[0].ID)
	start := time.Now()
	if res := c.get(path); res.Code != http.StatusOK { // Chromium starts with the first
		b.Fatalf("%s: %d\n%s", path, res.Code, e.logs)
	}
	b.Logf("the first PDF, starting Chromium: %v", time.Since(start))
	var peak atomic.Int64
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				if m := pdfprint.ChildMemory(os.Getpid()); m > peak.Load() {
					peak.Store(m)
				}
			}
		}
	}()
	size := 0
	for b.Loop() {
		res := c.get(path)
		if res.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, res.Code)
		}
		size = res.Body.Len()
	}
	close(stop)
	b.ReportMetric(float64(peak.Load())/(1<<20), "chromium-MB")
	b.ReportMetric(float64(size)/(1<<20), "pdf-MB")
}
