package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// freezer is a TCP proxy between the app and PostgreSQL that can stop
// forwarding while keeping every connection open: a database that is not
// down but frozen (a stuck disk, a paused VM, a network that drops
// packets), which no connection error ever reports.
type freezer struct {
	addr   string
	mu     sync.Mutex
	frozen bool
	thawed *sync.Cond
}

func startFreezer(t *testing.T, target string) *freezer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{addr: ln.Addr().String()}
	f.thawed = sync.NewCond(&f.mu)
	var conns sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		f.freeze(false)
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			conns.Add(2)
			go func() { defer conns.Done(); f.pipe(up, c) }()
			go func() { defer conns.Done(); f.pipe(c, up) }()
		}
	}()
	return f
}

// pipe copies from src to dst, holding each chunk while frozen.
func (f *freezer) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			f.mu.Lock()
			for f.frozen {
				f.thawed.Wait()
			}
			f.mu.Unlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (f *freezer) freeze(on bool) {
	f.mu.Lock()
	f.frozen = on
	f.mu.Unlock()
	f.thawed.Broadcast()
}

// PostgreSQL freezes (connections open, no answers) under a load of page
// views: every request, those already waiting on a query and new ones,
// gets the 503 page within the query deadline, none hangs; after the thaw
// everything works again.
func TestAFrozenDatabaseGives503WithinTheQueryDeadline(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	project, _ := demoDatabase(t, dbURL)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	fz := startFreezer(t, u.Host)
	u.Host = fz.addr
	const queryTimeout = 2 * time.Second
	srv := startServer(t, u.String(), map[string]string{"DB_QUERY_TIMEOUT": queryTimeout.String(), "DB_ACQUIRE_TIMEOUT": "1s"})

	type answer struct {
		status     int
		start, end time.Time
		err        error
		body       string
	}
	var mu sync.Mutex
	var answers []answer
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, email := range demoPartners {
		b := newBrowser(t)
		b.client.Timeout = 20 * time.Second
		b.signIn(srv.URL, email, demoPassword)
		wg.Go(func() {
			for ctx.Err() == nil {
				start := time.Now()
				status, body, err := b.get(fmt.Sprintf("%s/projects/%d", srv.URL, project))
				mu.Lock()
				answers = append(answers, answer{status, start, time.Now(), err, body})
				mu.Unlock()
			}
		})
	}
	time.Sleep(time.Second) // the load is running: connections are in use
	froze := time.Now()
	fz.freeze(true)
	time.Sleep(3 * queryTimeout)
	thawed := time.Now()
	fz.freeze(false)
	probe := newBrowser(t)
	waitUntil(t, 15*time.Second, "pages work again after the thaw", func() bool {
		probe.signIn(srv.URL, demoPartners[0], demoPassword)
		status, _, _ := probe.get(fmt.Sprintf("%s/projects/%d", srv.URL, project))
		return status == http.StatusOK
	})
	t.Logf("working again %s after the thaw", time.Since(thawed).Round(time.Millisecond))
	stop()
	wg.Wait()

	byStatus := map[int]int{}
	var slowest time.Duration
	var frozenAnswers []answer
	for _, a := range answers {
		// In flight when the database froze, or begun while it was frozen.
		if a.end.After(froze) && a.start.Before(thawed) {
			frozenAnswers = append(frozenAnswers, a)
		}
	}
	for _, a := range frozenAnswers {
		took := a.end.Sub(a.start)
		if a.err != nil {
			if errors.Is(a.err, io.EOF) || isTimeout(a.err) {
				t.Errorf("a request while frozen got no answer after %s: %v", took.Round(time.Millisecond), a.err)
			} else {
				t.Errorf("a request while frozen failed: %v", a.err)
			}
			continue
		}
		byStatus[a.status]++
		slowest = max(slowest, took)
		if a.status != http.StatusOK && a.status != http.StatusServiceUnavailable {
			t.Errorf("answer %d while frozen", a.status)
		}
		if a.status == http.StatusServiceUnavailable && !strings.Contains(a.body, "Sorry, the service is unavailable") {
			t.Errorf("the 503 is not the service-unavailable page:\n%.300s", a.body)
		}
	}
	t.Logf("answers while frozen: %v, slowest %s", byStatus, slowest.Round(time.Millisecond))
	if byStatus[http.StatusServiceUnavailable] < len(demoPartners) {
		t.Errorf("%d 503s while frozen, want at least one per browser", byStatus[http.StatusServiceUnavailable])
	}
	// A query's deadline, plus a wait for a connection, plus a little.
	if slowest > queryTimeout+2*time.Second {
		t.Errorf("slowest answer while frozen took %s; the query deadline is %s", slowest, queryTimeout)
	}
}
