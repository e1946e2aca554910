package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// member is one signed-in person with their own cookies.
type member struct {
	email  string
	client *http.Client
}

func newTransport(conns int) *http.Transport {
	return &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, MaxConnsPerHost: 0,
		IdleConnTimeout: time.Minute, DisableCompression: true}
}

// signIn signs a person in through the sign-in form, as a browser would.
func signIn(base string, transport http.RoundTripper, email, password string) (*member, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: transport, Jar: jar, Timeout: 5 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	m := &member{email: email, client: c}
	res, err := m.post(base, "/sign-in", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return nil, err
	}
	if res != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in as %s: status %d", email, res)
	}
	return m, nil
}

// post sends a form with the headers a browser sends from our own pages.
func (m *member) post(base, path string, form url.Values) (int, error) {
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return m.do(req)
}

func (m *member) get(base, path string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		return 0, err
	}
	return m.do(req)
}

func (m *member) do(req *http.Request) (int, error) {
	res, err := m.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

// request is one request a worker makes: the nth of its run.
type request func(m *member, worker, n int) (status int, err error)

// loadResult is what a fixed-time load measured.
type loadResult struct {
	requests, errors int
	rps              float64
	p50, p99         time.Duration
	firstError       string
	// latencies (sorted) and elapsed let two loads of the same requests be
	// merged into one result.
	latencies []time.Duration
	elapsed   time.Duration
}

// merged is several loads of the same requests as one: the requests a
// second over their time together, and the percentiles of all their
// latencies.
func merged(parts ...loadResult) loadResult {
	var r loadResult
	for _, p := range parts {
		r.latencies = append(r.latencies, p.latencies...)
		r.errors += p.errors
		r.elapsed += p.elapsed
		if r.firstError == "" {
			r.firstError = p.firstError
		}
	}
	slices.Sort(r.latencies)
	r.requests = len(r.latencies)
	if r.elapsed > 0 {
		r.rps = float64(r.requests) / r.elapsed.Seconds()
	}
	if n := len(r.latencies); n > 0 {
		r.p50, r.p99 = r.latencies[n/2], r.latencies[n*99/100]
	}
	return r
}

// alongside loads two sets of requests in turn, a quarter of d at a time,
// in the order a b b a a b b a: each gets d in all, and a machine that
// speeds up or slows down during the measurement moves both alike (a
// steady drift cancels out), so a ratio of the two is the code's, not the
// moment's.
// The bench's stand-in for autovacuum, if any, waits for them to end.
func (bn *bench) alongside(d time.Duration, a, b func(time.Duration) loadResult) (loadResult, loadResult) {
	var as, bs []loadResult
	bn.vacuum.during(func() {
		for _, first := range "abbaabba" {
			if first == 'a' {
				as = append(as, a(d/4))
			} else {
				bs = append(bs, b(d/4))
			}
		}
	})
	return merged(as...), merged(bs...)
}

// load runs workers, each as one member, for d, and measures throughput
// and latency. ok says which statuses count as success.
func load(members []*member, d time.Duration, do request, ok func(int) bool) loadResult {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      atomic.Int64
		firstErr  atomic.Value
	)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for w, m := range members {
		wg.Go(func() {
			var mine []time.Duration
			for n := 0; ctx.Err() == nil; n++ {
				t := time.Now()
				status, err := do(m, w, n)
				mine = append(mine, time.Since(t))
				if err != nil || !ok(status) {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("status %d, %v", status, err))
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	r := loadResult{requests: len(latencies), errors: int(errs.Load()), rps: float64(len(latencies)) / elapsed.Seconds(),
		latencies: latencies, elapsed: elapsed}
	if len(latencies) > 0 {
		r.p50 = latencies[len(latencies)/2]
		r.p99 = latencies[len(latencies)*99/100]
	}
	if e, ok := firstErr.Load().(string); ok {
		r.firstError = e
	}
	return r
}

func is(codes ...int) func(int) bool {
	return func(c int) bool { return slices.Contains(codes, c) }
}

// download fetches one large response and times it: in all, and to its
// first byte.
func download(m *member, base, path string) (total, firstByte time.Duration, size int64, status int, err error) {
	total, firstByte, size, status, _, err = downloadBody(m, base, path)
	return total, firstByte, size, status, err
}

// body is what the bench keeps of a download: its lines and its end.
type body struct {
	lines int64
	tail  []byte
}

func (b *body) Write(p []byte) (int, error) {
	b.lines += int64(bytes.Count(p, []byte{'\n'}))
	b.tail = append(b.tail, p[max(0, len(p)-64):]...)
	b.tail = b.tail[max(0, len(b.tail)-64):]
	return len(p), nil
}

// downloadBody is download, keeping the body's line count and its end,
// to tell a whole export from one cut short after its status was sent.
func downloadBody(m *member, base, path string) (total, firstByte time.Duration, size int64, status int, got body, err error) {
	var first time.Time
	trace := &httptrace.ClientTrace{GotFirstResponseByte: func() { first = time.Now() }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, base+path, nil)
	if err != nil {
		return 0, 0, 0, 0, got, err
	}
	start := time.Now()
	res, err := m.client.Do(req)
	if err != nil {
		return 0, 0, 0, 0, got, err
	}
	defer res.Body.Close()
	size, err = io.Copy(&got, res.Body)
	return time.Since(start), first.Sub(start), size, res.StatusCode, got, err
}
