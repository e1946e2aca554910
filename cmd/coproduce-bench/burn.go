package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A CPU burner is the bench's own binary started again as a child process
// that spins on one core (GOMAXPROCS=1, one loop, no work of ours running
// beside it) for the whole run, to check that the verdicts hold when the
// machine is busier (-burn N, make bench BURN=N). The run starts it before
// anything else and stops it when the run ends or is interrupted; the child
// also stops by itself at its deadline (-burn-limit) and when its parent is
// gone, so that no burner outlives the run.

// burnEnv, set in a child's environment, makes it a burner spinning until
// the time it holds.
const burnEnv = "COPRODUCE_BENCH_BURN_UNTIL"

func burning() bool { return os.Getenv(burnEnv) != "" }

// burn is a burner's whole life: spin until the deadline or until the
// parent is gone, looking up from the loop every few milliseconds.
func burn() {
	runtime.GOMAXPROCS(1)
	until, err := time.Parse(time.RFC3339Nano, os.Getenv(burnEnv))
	if err != nil {
		os.Exit(2)
	}
	parent := os.Getppid()
	x := uint64(1)
	for {
		for range 1 << 18 {
			x = x*6364136223846793005 + 1442695040888963407
		}
		if time.Now().After(until) || os.Getppid() != parent {
			break
		}
	}
	if x == 0 { // keeps the loop from being optimised away
		fmt.Println(x)
	}
}

// burners are the run's CPU burners.
type burners struct {
	procs []*exec.Cmd
	limit time.Duration
	began time.Time
	once  sync.Once
	// server, once started, is stopped too when the run is interrupted.
	mu     sync.Mutex
	server *server
}

// watch makes an interruption stop the server too.
func (bs *burners) watch(s *server) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	bs.server = s
}

// startBurners starts n burners, each bounded by limit, and stops them if
// the run is interrupted.
func startBurners(n int, limit time.Duration) (*burners, error) {
	bs := &burners{limit: limit, began: time.Now()}
	if n <= 0 {
		return bs, nil
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	until := time.Now().Add(limit).Format(time.RFC3339Nano)
	for range n {
		cmd := exec.Command(self)
		cmd.Env = append(os.Environ(), burnEnv+"="+until, "GOMAXPROCS=1")
		if err := cmd.Start(); err != nil {
			bs.stop()
			return nil, fmt.Errorf("start a CPU burner: %w", err)
		}
		bs.procs = append(bs.procs, cmd)
	}
	step(fmt.Sprintf("%d CPU burner(s) spinning beside the run, for %s at most", n, limit))
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-interrupted
		bs.stop()
		bs.mu.Lock()
		if bs.server != nil {
			bs.server.stop()
		}
		bs.mu.Unlock()
		step("interrupted (" + sig.String() + "): CPU burners stopped")
		os.Exit(130)
	}()
	return bs, nil
}

// stop kills the burners and waits for them to end.
func (bs *burners) stop() {
	if bs == nil {
		return
	}
	bs.once.Do(func() {
		for _, c := range bs.procs {
			_ = c.Process.Kill()
			_ = c.Wait()
		}
	})
}

// cpuSeconds is how much CPU the burners have used so far, from
// /proc/PID/stat (user and system time, in clock ticks of 1/100 s).
func (bs *burners) cpuSeconds() float64 {
	total := 0.0
	for _, c := range bs.procs {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(c.Process.Pid) + "/stat")
		if err != nil {
			continue
		}
		// The fields after the command's name, which is in parentheses.
		_, rest, ok := strings.Cut(string(b), ") ")
		f := strings.Fields(rest)
		if !ok || len(f) < 13 {
			continue
		}
		utime, _ := strconv.ParseFloat(f[11], 64)
		stime, _ := strconv.ParseFloat(f[12], 64)
		total += (utime + stime) / 100
	}
	return total
}

// describe says, for the results, whether burners ran and how much.
func (bs *burners) describe() string {
	if bs == nil || len(bs.procs) == 0 {
		return "off"
	}
	elapsed := time.Since(bs.began).Seconds()
	used := bs.cpuSeconds()
	return fmt.Sprintf("**on**: %d process(es) of the bench's own, each spinning on one core (`-burn %d`), for the whole run: "+
		"%.0f s of CPU in %.0f s (%.0f %% of a core each)", len(bs.procs), len(bs.procs), used, elapsed, used/elapsed/float64(len(bs.procs))*100)
}
