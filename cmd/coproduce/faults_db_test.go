package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// The demo's people who take part in its stroke project.
var demoPartners = []string{"margaret.jones@example.org", "david.okafor@example.org",
	"sian.williams@example.org", "priya.patel@example.org"}

const demoPassword = "coproduce-demo"

// demoDatabase loads the demo into dbURL and returns the stroke project's
// id and its ideas.
func demoDatabase(t *testing.T, dbURL string) (project int64, ideas []int64) {
	t.Helper()
	var out strings.Builder
	if err := run(context.Background(), []string{"demo"}, envWith(map[string]string{"DATABASE_URL": dbURL}), nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	conn := connect(t, dbURL)
	err := conn.QueryRow(context.Background(), `
		SELECT p.id FROM projects p JOIN memberships m ON m.project_id = p.id JOIN users u ON u.id = m.user_id
		WHERE u.email = 'margaret.jones@example.org' ORDER BY p.id LIMIT 1`).Scan(&project)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := conn.Query(context.Background(), `SELECT id FROM proposals WHERE project_id = $1 ORDER BY id`, project)
	ideas, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ideas) == 0 {
		t.Fatalf("demo ideas: %v (%d)", err, len(ideas))
	}
	return project, ideas
}

func connect(t *testing.T, dbURL string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// storedCountsAgree counts the ideas whose stored vote and comment counts
// differ from counting the rows: a half-written vote or comment shows up
// here.
func storedCountsAgree(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	var wrong int
	err := conn.QueryRow(context.Background(), `
		SELECT count(*) FROM proposals p
		WHERE (p.lay_support, p.lay_neutral, p.lay_object, p.staff_support, p.staff_neutral, p.staff_object, p.comment_count) <>
		      (SELECT count(*) FILTER (WHERE v.lay AND v.choice = 'support'), count(*) FILTER (WHERE v.lay AND v.choice = 'neutral'),
		              count(*) FILTER (WHERE v.lay AND v.choice = 'object'), count(*) FILTER (WHERE NOT v.lay AND v.choice = 'support'),
		              count(*) FILTER (WHERE NOT v.lay AND v.choice = 'neutral'), count(*) FILTER (WHERE NOT v.lay AND v.choice = 'object'),
		              (SELECT count(*) FROM comments c WHERE c.proposal_id = p.id AND c.hidden_at IS NULL)
		       FROM votes v WHERE v.proposal_id = p.id)`).Scan(&wrong)
	if err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("%d ideas' stored counts differ from their votes and comments", wrong)
	}
}

// load is page views, votes and comments from signed-in partners, with
// every answer recorded by the phase it came in.
type load struct {
	base    string
	project int64
	ideas   []int64
	phase   atomic.Int32

	mu       sync.Mutex
	statuses [3]map[int]int
	slowest  [3]time.Duration
	failures []string
	// comments counts the comments the server confirmed; attempted, all
	// that were sent.
	comments, attempted int
	sample503           string
}

func (l *load) record(status int, took time.Duration, body string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ph := l.phase.Load()
	if err != nil {
		l.failures = append(l.failures, fmt.Sprintf("phase %d: %v", ph, err))
		return
	}
	if l.statuses[ph] == nil {
		l.statuses[ph] = map[int]int{}
	}
	l.statuses[ph][status]++
	l.slowest[ph] = max(l.slowest[ph], took)
	if status == http.StatusServiceUnavailable && l.sample503 == "" {
		l.sample503 = body
	}
}

func (l *load) run(ctx context.Context, b *browser, marker string) {
	for i := 0; ctx.Err() == nil; i++ {
		idea := l.ideas[rand.IntN(len(l.ideas))]
		start := time.Now()
		var status int
		var body string
		var err error
		switch i % 3 {
		case 0:
			status, body, err = b.get(fmt.Sprintf("%s/projects/%d", l.base, l.project))
		case 1:
			choice := []string{"support", "neutral", "object"}[rand.IntN(3)]
			status, body, err = b.post(fmt.Sprintf("%s/projects/%d/proposals/%d/vote", l.base, l.project, idea),
				url.Values{"choice": {choice}}.Encode())
		case 2:
			status, body, err = b.post(fmt.Sprintf("%s/projects/%d/proposals/%d/comments", l.base, l.project, idea),
				url.Values{"body": {marker}, "form_token": {fmt.Sprint(rand.Int64())}}.Encode())
			l.mu.Lock()
			l.attempted++
			if status == http.StatusSeeOther {
				l.comments++
			}
			l.mu.Unlock()
		}
		l.record(status, time.Since(start), body, err)
	}
}

// TestTheDatabaseGoingAwayAndComingBack stops PostgreSQL under a load of
// page views, votes and comments, then starts it again.
func TestTheDatabaseGoingAwayAndComingBack(t *testing.T) {
	t.Parallel()
	cluster := pgtest.NewCluster(t)
	dbURL := cluster.URL("coproduce")
	project, ideas := demoDatabase(t, dbURL)
	srv := startServer(t, dbURL, map[string]string{"DB_ACQUIRE_TIMEOUT": "2s"})

	l := &load{base: srv.URL, project: project, ideas: ideas}
	ctx, stopLoad := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, email := range demoPartners {
		b := newBrowser(t)
		b.signIn(srv.URL, email, demoPassword)
		wg.Go(func() { l.run(ctx, b, "Said during the fault test") })
	}
	probe := newBrowser(t)
	probe.signIn(srv.URL, demoPartners[0], demoPassword)
	time.Sleep(time.Second)

	l.phase.Store(1)
	cluster.Stop(t)
	time.Sleep(3 * time.Second)
	if status, _, err := probe.get(srv.URL + "/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database stopped: %d %v, want 503", status, err)
	}

	cluster.Start(t)
	l.phase.Store(2)
	restarted := time.Now()
	waitUntil(t, 10*time.Second, "everything works again", func() bool {
		ready, _, _ := probe.get(srv.URL + "/readyz")
		page, _, _ := probe.get(fmt.Sprintf("%s/projects/%d", srv.URL, project))
		vote, _, _ := probe.post(fmt.Sprintf("%s/projects/%d/proposals/%d/vote", srv.URL, project, ideas[0]), "choice=support")
		return ready == http.StatusOK && page == http.StatusOK && vote == http.StatusSeeOther
	})
	recovered := time.Since(restarted)
	time.Sleep(time.Second)
	stopLoad()
	wg.Wait()
	t.Logf("recovered %s after PostgreSQL started; answers by phase (up, down, back): %v; slowest: %v",
		recovered.Round(time.Millisecond), l.statuses, l.slowest)

	for _, f := range l.failures {
		t.Errorf("request failed without an answer: %s", f)
	}
	for ph, byStatus := range l.statuses {
		for status, n := range byStatus {
			if status >= 500 && status != http.StatusServiceUnavailable {
				t.Errorf("phase %d: %d answers of %d", ph, n, status)
			}
		}
	}
	if l.statuses[1][http.StatusServiceUnavailable] == 0 {
		t.Error("no 503 while the database was stopped")
	}
	if !strings.Contains(l.sample503, "Sorry, the service is unavailable") {
		t.Errorf("the 503 is not the service-unavailable page:\n%.400s", l.sample503)
	}
	if l.slowest[1] > 3*time.Second {
		t.Errorf("slowest answer while the database was stopped took %s", l.slowest[1])
	}

	// The errors of the outage are logged, but without who was affected.
	for _, personal := range append([]string{"Margaret", "Said during the fault test"}, demoPartners...) {
		if strings.Contains(srv.logs.String(), personal) {
			t.Errorf("the logs name %q", personal)
		}
	}

	conn := connect(t, dbURL)
	storedCountsAgree(t, conn)
	var stored int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM comments WHERE body = 'Said during the fault test'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored < l.comments || stored > l.attempted {
		t.Errorf("%d comments stored; the server confirmed %d of %d sent", stored, l.comments, l.attempted)
	}
}
