package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/coproduce/coproduce/internal/pdfprint"
)

// server is the app, started as its own process as in production.
type server struct {
	cmd  *exec.Cmd
	base string
	log  *bytes.Buffer
}

func startServer(bin, dbURL, addr string) (*server, time.Duration, error) {
	base := "http://" + addr
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "LISTEN_ADDR="+addr, "BASE_URL="+base,
		"LOG_LEVEL=warn", "BENCH_BASELINES=1", "ORG_NAME=Benchmark trust",
		// The load run posts many comments as each member: no posting limit.
		"IDEAS_PER_MINUTE=0", "COMMENTS_PER_MINUTE=0")
	log := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = log, log
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	s := &server{cmd: cmd, base: base, log: log}
	for time.Since(start) < 30*time.Second {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, time.Since(start), nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.stop()
	return nil, 0, fmt.Errorf("the server did not become ready:\n%s", log)
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
	}
}

// memory reads the server's resident memory now and its peak, in bytes.
func (s *server) memory() (rss, peak int64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	return rss, peak
}

// resetPeak starts the peak resident memory again from now (Linux).
func (s *server) resetPeak() {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
}

// watchMemory samples resident memory until stop is closed, returning the
// highest seen.
func (s *server) watchMemory(stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var top int64
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				out <- top
				return
			case <-t.C:
				if rss, _ := s.memory(); rss > top {
					top = rss
				}
			}
		}
	}()
	return out
}

// childMemory is the resident memory of the server's child processes:
// the Chromium that prints PDFs, when it runs.
func (s *server) childMemory() int64 { return pdfprint.ChildMemory(s.cmd.Process.Pid) }

// watchChildMemory samples childMemory until stop is closed, returning
// the highest seen.
func (s *server) watchChildMemory(stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		top := s.childMemory()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				out <- max(top, s.childMemory())
				return
			case <-t.C:
				top = max(top, s.childMemory())
			}
		}
	}()
	return out
}

// metric reads one counter's value from the server's /metrics.
func (s *server) metric(name string) (float64, error) {
	res, err := http.Get(s.base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), " "); ok && k == name {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, fmt.Errorf("no metric %s", name)
}
