package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// instance is one `coproduce serve` started by a test, in this process or
// (for signals) as a child process.
type instance struct {
	t    *testing.T
	URL  string
	logs *lockedBuffer
	// exited is closed when the server has returned, with err set.
	exited chan struct{}
	err    error
	stop   func()
}

// wait returns the server's result once it has stopped, or fails the test
// after within.
func (in *instance) wait(within time.Duration) error {
	in.t.Helper()
	select {
	case <-in.exited:
		return in.err
	case <-time.After(within):
		in.t.Fatalf("server still running after %s", within)
		return nil
	}
}

// serveUntilExit records how fn ends.
func (in *instance) serveUntilExit(fn func() error) {
	in.exited = make(chan struct{})
	go func() {
		in.err = fn()
		close(in.exited)
	}()
}

// lockedBuffer collects a server's output from several goroutines, and
// tells waiters when a line they want appears.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var listeningOn = regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)

// waitListening returns the address the server printed, or fails.
func waitListening(t *testing.T, out *lockedBuffer, exited <-chan struct{}) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if m := listeningOn.FindStringSubmatch(out.String()); m != nil {
			return "http://" + m[1]
		}
		select {
		case <-exited:
			t.Fatalf("server stopped before listening:\n%s", out)
		case <-deadline:
			t.Fatalf("server did not start listening in 20s:\n%s", out)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// baseEnv is what every test server gets: a free loopback port and the
// database given.
func baseEnv(dbURL string, extra map[string]string) map[string]string {
	env := map[string]string{
		"DATABASE_URL": dbURL,
		"LISTEN_ADDR":  "127.0.0.1:0",
		"BASE_URL":     "http://127.0.0.1",
		"LOG_LEVEL":    "debug",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// startServer runs `coproduce serve` in this process until the test ends.
func startServer(t *testing.T, dbURL string, extra map[string]string) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	in := &instance{t: t, logs: out, stop: cancel}
	in.serveUntilExit(func() error { return run(ctx, []string{"serve"}, envWith(baseEnv(dbURL, extra)), nil, out, out) })
	t.Cleanup(func() {
		cancel()
		select {
		case <-in.exited:
		case <-time.After(30 * time.Second):
			t.Error("server did not stop within 30s")
		}
	})
	in.URL = waitListening(t, out, in.exited)
	return in
}

// childEnvVar makes the test binary act as the coproduce command, so a
// test can start a real process and send it signals.
const childEnvVar = "COPRODUCE_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnvVar) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startProcess runs `coproduce serve` as a child process and waits until
// it listens.
func startProcess(t *testing.T, dbURL string, extra map[string]string) (*instance, *exec.Cmd) {
	t.Helper()
	in, cmd := launchProcess(t, dbURL, extra)
	in.URL = waitListening(t, in.logs, in.exited)
	return in, cmd
}

// launchProcess starts `coproduce serve` as a child process, killed when
// the test ends, without waiting for it to listen.
func launchProcess(t *testing.T, dbURL string, extra map[string]string) (*instance, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), childEnvVar+"=1")
	for k, v := range baseEnv(dbURL, extra) {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in := &instance{t: t, logs: out, stop: func() { _ = cmd.Process.Signal(syscall.SIGTERM) }}
	in.serveUntilExit(cmd.Wait)
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-in.exited
	})
	return in, cmd
}

// browser is an HTTP client that keeps cookies and does not follow
// redirects, sending the headers a same-origin form post has.
type browser struct {
	t      *testing.T
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, client: &http.Client{
		Jar:           jar,
		Timeout:       15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// get fetches a page and returns its status and body.
func (b *browser) get(url string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	return b.do(req)
}

// post sends a form the way a browser on the same site would.
func (b *browser) post(url, form string) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(form))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func (b *browser) do(req *http.Request) (int, string, error) {
	res, err := b.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	var body bytes.Buffer
	_, err = body.ReadFrom(res.Body)
	return res.StatusCode, body.String(), err
}

// signIn signs in through the real form and fails the test if it does not
// work.
func (b *browser) signIn(base, email, password string) {
	b.t.Helper()
	form := url.Values{"email": {email}, "password": {password}}.Encode()
	status, body, err := b.post(base+"/sign-in", form)
	if err != nil || status != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: %d %v\n%s", email, status, err, body)
	}
}

// waitUntil polls ok until it holds or the time runs out.
func waitUntil(t *testing.T, within time.Duration, what string, ok func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < within {
		if ok() {
			return time.Since(start)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s", what, within)
	return 0
}

// isTimeout reports whether a request failed by running out of time.
func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}
