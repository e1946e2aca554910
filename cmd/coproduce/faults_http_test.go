package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// TestASlowClientIsCutOff sends a request's headers a byte at a time
// (slowloris): the server must close the connection once its header
// timeout passes, not hold it open for as long as the client likes.
func TestASlowClientIsCutOff(t *testing.T) {
	t.Parallel()
	srv := startServer(t, pgtest.Clone(t), nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_, _ = io.WriteString(conn, "GET /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	closed := make(chan time.Duration)
	go func() {
		_, _ = io.Copy(io.Discard, conn) // returns when the server hangs up
		closed <- time.Since(start)
	}()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case took := <-closed:
			t.Logf("slow client cut off after %s", took.Round(time.Millisecond))
			if took < 4*time.Second {
				t.Errorf("cut off after %s, before the 5s header timeout", took)
			}
			return
		case <-tick.C:
			if time.Since(start) > 10*time.Second {
				t.Fatal("the server still held a slow client's connection after 10s")
			}
			_, _ = io.WriteString(conn, "X") // one more byte of a header that never ends
		}
	}
}

// rawStatus sends a raw request and returns the status the server answers.
func rawStatus(t *testing.T, base string, req *http.Request) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() { _ = req.Write(conn) }() // the server may answer before reading it all
	res, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestOversizedRequestsAreRefused(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	project, _ := demoDatabase(t, dbURL)
	srv := startServer(t, dbURL, nil)
	b := newBrowser(t)
	b.signIn(srv.URL, "aisha.khan@example.org", demoPassword)
	u, _ := url.Parse(srv.URL)
	cookies := b.client.Jar.Cookies(u)

	form := func(path, body, contentType string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		return req
	}
	manyFields := url.Values{"title": {"A title"}, "status": {"draft"}}
	for i := range 5000 {
		manyFields.Set(fmt.Sprintf("f%d", i), "x")
	}
	var parts bytes.Buffer
	mw := multipart.NewWriter(&parts)
	for i := range 2000 {
		_ = mw.WriteField(fmt.Sprintf("f%d", i), "x")
	}
	_ = mw.Close()
	bigHeader, _ := http.NewRequest(http.MethodGet, srv.URL+"/sign-in", nil)
	bigHeader.Header.Set("X-Padding", strings.Repeat("a", 100<<10))
	claims := fmt.Sprintf("/projects/%d/claims", project)

	cases := []struct {
		name string
		req  *http.Request
		want int
	}{
		{"headers over 64 KB", bigHeader, http.StatusRequestHeaderFieldsTooLarge},
		{"a form body over 1 MB", form("/projects/new", "title="+strings.Repeat("x", 2<<20), "application/x-www-form-urlencoded"),
			http.StatusRequestEntityTooLarge},
		{"an upload over 11 MB (a 10 MB paper and its form)", form(claims, strings.Repeat("x", 12<<20), mw.FormDataContentType()), http.StatusRequestEntityTooLarge},
		{"5,000 form fields", form("/projects/new", manyFields.Encode(), "application/x-www-form-urlencoded"), http.StatusBadRequest},
		{"2,000 multipart parts", form(claims, parts.String(), mw.FormDataContentType()), http.StatusBadRequest},
	}
	conn := connect(t, dbURL)
	written := `SELECT (SELECT count(*) FROM projects) + (SELECT count(*) FROM claims)`
	before := countRows(t, conn, written)
	for _, c := range cases {
		if got := rawStatus(t, srv.URL, c.req); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	if after := countRows(t, conn, written); after != before {
		t.Errorf("rows written by refused requests: %d before, %d after", before, after)
	}
}

// TestSIGTERMLetsRequestsInFlightFinish stops a real process with SIGTERM
// while a vote is waiting on the database: the vote completes, new
// connections are refused, and the process exits cleanly.
func TestSIGTERMLetsRequestsInFlightFinish(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	project, ideas := demoDatabase(t, dbURL)
	srv, cmd := startProcess(t, dbURL, nil)
	b := newBrowser(t)
	b.signIn(srv.URL, demoPartners[0], demoPassword)
	conn := connect(t, dbURL)

	release := lockIdea(t, dbURL, ideas[0])
	var vote int
	var voteErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		vote, _, voteErr = b.post(fmt.Sprintf("%s/projects/%d/proposals/%d/vote", srv.URL, project, ideas[0]), "choice=support")
	})
	waitUntil(t, 5*time.Second, "the vote waiting on the lock", func() bool { return waitingOnLocks(t, conn) == 1 })

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 5*time.Second, "new connections refused", func() bool {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(srv.URL, "http://"), time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	select {
	case <-srv.exited:
		t.Fatal("the process exited with a request still in flight")
	default:
	}

	release()
	wg.Wait()
	if vote != http.StatusSeeOther || voteErr != nil {
		t.Errorf("the vote in flight got %d %v, want 303", vote, voteErr)
	}
	if err := srv.wait(30 * time.Second); err != nil {
		t.Errorf("exit: %v\n%s", err, srv.logs)
	}
	if !strings.Contains(srv.logs.String(), "stopped") {
		t.Errorf("no clean stop in the logs:\n%s", srv.logs)
	}
}
