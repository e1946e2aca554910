// Package e2e drives the real coproduce binary in Debian's Chromium: each
// journey runs with JavaScript on and off, every page it visits is checked
// with axe-core (WCAG 2.2 AA), the keyboard's skip link, and reflow at 320
// CSS pixels. See docs/development.md.
package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// chromiumPath is Debian's Chromium, which `make test` installs.
const chromiumPath = "/usr/bin/chromium"

var (
	baseURL   string
	allocCtx  context.Context
	axeSource string
	artifacts string
	serverLog *os.File
	// serverBin, serverEnv and databaseURL let a test start a second
	// server on the same database with other settings.
	// vnuJar is the Nu HTML Checker; pagesDir keeps each page's markup
	// for it to check once at the end.
	vnuJar      string
	pagesDir    string
	serverBin   string
	serverEnv   []string
	databaseURL string
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		if os.Getenv("CI") == "true" {
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "e2e: skipping the browser tests (they fail instead when CI=true)")
		os.Exit(0)
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	if _, err := os.Stat(chromiumPath); err != nil {
		return 0, fmt.Errorf("Chromium is needed at %s: run `make test`, which installs it", chromiumPath)
	}
	root, err := repoRoot()
	if err != nil {
		return 0, err
	}
	axe, err := os.ReadFile(filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return 0, fmt.Errorf("axe-core is needed: run `make assets`: %w", err)
	}
	axeSource = string(axe)
	vnuJar = filepath.Join(root, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	if _, err := os.Stat(vnuJar); err != nil {
		return 0, fmt.Errorf("the Nu HTML Checker is needed: run `make assets`: %w", err)
	}
	tmp, err := os.MkdirTemp("", "coproduce-e2e-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	pagesDir = filepath.Join(tmp, "pages")
	if err := os.Mkdir(pagesDir, 0o755); err != nil {
		return 0, err
	}
	artifacts = filepath.Join(os.TempDir(), "coproduce-e2e-failures")

	bin := filepath.Join(tmp, "coproduce")
	build := exec.Command("go", "build", "-o", bin, "./cmd/coproduce")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("build: %v\n%s", err, out)
	}
	dbURL, drop, err := pgtest.CloneForMain()
	if err != nil {
		return 0, err
	}
	defer drop()
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	baseURL = "http://127.0.0.1:" + port
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "LISTEN_ADDR=127.0.0.1:"+port, "BASE_URL="+baseURL,
		"LOG_FORMAT=text", "ORG_NAME=Coproduce test trust",
		// The journeys act as the demo's people far faster than anyone
		// would: Margaret suggests six ideas in well under a minute, and the
		// sixth was refused by the limit of five. The limits themselves are
		// tested on the handlers (internal/server/limits_test.go).
		"IDEAS_PER_MINUTE=60", "COMMENTS_PER_MINUTE=60")
	serverBin, serverEnv, databaseURL = bin, env, dbURL
	demo := exec.Command(bin, "demo")
	demo.Env = env
	if out, err := demo.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("demo: %v\n%s", err, out)
	}
	if serverLog, err = os.Create(filepath.Join(tmp, "server.log")); err != nil {
		return 0, err
	}
	srv := exec.Command(bin, "serve")
	srv.Env, srv.Stdout, srv.Stderr = env, serverLog, serverLog
	if err := srv.Start(); err != nil {
		return 0, err
	}
	defer func() {
		_ = srv.Process.Signal(os.Interrupt)
		_ = srv.Wait()
	}()
	if err := waitReady(baseURL + "/readyz"); err != nil {
		return 0, fmt.Errorf("%w\n%s", err, tail(serverLog.Name()))
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(filepath.Join(tmp, "chromium")),
		chromedp.WindowSize(1024, 800),
	)
	var cancel context.CancelFunc
	allocCtx, cancel = chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil { // start the browser once
		return 0, fmt.Errorf("start Chromium: %w", err)
	}
	allocCtx = browser
	code := m.Run()
	fmt.Printf("e2e: %d page views checked with axe-core, the skip link and 320px reflow\n", pagesChecked.Load())
	// No journey ran (`make bench` runs the packages' benchmarks alone):
	// there is no page to check.
	if code == 0 && pagesChecked.Load() > 0 {
		problems, err := validatePages()
		if err != nil {
			// The journeys ran: a checker that cannot check fails the run,
			// with or without CI.
			problems = append(problems, err.Error())
		}
		for _, p := range problems {
			fmt.Println(p)
		}
		if len(problems) > 0 {
			fmt.Printf("e2e: the Nu HTML Checker found %d errors\n", len(problems))
			code = 1
		}
	}
	return code, nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found")
		}
		dir = parent
	}
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

func waitReady(url string) error {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the server did not become ready")
}

// tail returns the last lines of a file, for failure messages.
func tail(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		lines = append(lines, s.Text())
		if len(lines) > 40 {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}
