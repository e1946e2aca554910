package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Cluster is a PostgreSQL server of a test's own, which the test can stop
// and start again: for fault tests, which must not stop the shared server.
type Cluster struct {
	bin  string
	dir  string
	port int
	// runAs runs the server's programs as the postgres account when the
	// tests run as root, which PostgreSQL refuses to run as.
	runAs []string
}

// NewCluster creates and starts a cluster in a new directory, removed when
// the test ends, and returns it with an empty database named coproduce.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	bin, err := ProgramDir()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "coproduce-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{bin: bin, dir: dir, port: freePort(t)}
	t.Cleanup(func() {
		_ = c.pgCtl("stop", "-m", "immediate")
		_ = os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 {
		if err := c.handToPostgres(); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := c.command("initdb", "-D", c.data(), "-A", "trust", "-U", "postgres", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	c.Start(t)
	conn, err := pgx.Connect(context.Background(), c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "CREATE DATABASE coproduce"); err != nil {
		t.Fatal(err)
	}
	return c
}

// URL is the address of a database on the cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Start starts the server on its port and waits until it accepts
// connections.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50", c.port, c.dir)
	if err := c.pgCtl("start", "-l", filepath.Join(c.dir, "log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		t.Fatalf("start PostgreSQL: %v\n%s", err, log)
	}
}

// Stop shuts the server down the way an operator's restart does: clients
// are disconnected at once, then it stops.
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	if err := c.pgCtl("stop", "-m", "fast"); err != nil {
		t.Fatalf("stop PostgreSQL: %v", err)
	}
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

func (c *Cluster) pgCtl(args ...string) error {
	args = append([]string{"-D", c.data(), "-w", "-s"}, args...)
	out, err := c.command("pg_ctl", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %v: %w: %s", args, err, out)
	}
	return nil
}

func (c *Cluster) command(program string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, program)
	if len(c.runAs) > 0 {
		return exec.Command(c.runAs[0], append(append(c.runAs[1:], path), args...)...)
	}
	return exec.Command(path, args...)
}

// handToPostgres gives the cluster's directory to the postgres account and
// runs the server's programs as it.
func (c *Cluster) handToPostgres() error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs a postgres account: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(c.dir, uid, gid); err != nil {
		return err
	}
	c.runAs = []string{"runuser", "-u", "postgres", "--"}
	return nil
}

// ProgramDir finds the newest installed PostgreSQL's programs (pg_ctl,
// pg_dump, pg_restore, ...), which Debian keeps out of PATH.
func ProgramDir() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := string(out[:len(out)-1])
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(found) == 0 {
		return "", fmt.Errorf("no PostgreSQL server programs (pg_ctl) found: run `make db`")
	}
	sort.Strings(found)
	return filepath.Dir(found[len(found)-1]), nil
}

// freePort asks the system for a loopback port nobody is using.
func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
