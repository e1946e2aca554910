package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// lockIdea holds a lock on an idea's row, so that votes on it wait: a
// stand-in for any slow query. The lock goes when the test calls release.
func lockIdea(t *testing.T, dbURL string, idea int64) (release func()) {
	t.Helper()
	conn := connect(t, dbURL)
	tx, err := conn.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(context.Background(), `SELECT 1 FROM proposals WHERE id = $1 FOR UPDATE`, idea); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { _ = tx.Rollback(context.Background()) }) }
	t.Cleanup(release)
	return release
}

// waitingOnLocks counts the database's queries waiting for a lock.
func waitingOnLocks(t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	var n int
	err := conn.QueryRow(context.Background(), `
		SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAJammedPoolAnswers503WithinTheAcquireTimeout(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	project, ideas := demoDatabase(t, dbURL)
	srv := startServer(t, dbURL, map[string]string{"DB_MAX_CONNS": "2", "DB_ACQUIRE_TIMEOUT": "1s"})
	voters := make([]*browser, 2)
	for i := range voters {
		voters[i] = newBrowser(t)
		voters[i].signIn(srv.URL, demoPartners[i], demoPassword)
	}
	viewer := newBrowser(t)
	viewer.signIn(srv.URL, demoPartners[2], demoPassword)

	release := lockIdea(t, dbURL, ideas[0])
	voteURL := fmt.Sprintf("%s/projects/%d/proposals/%d/vote", srv.URL, project, ideas[0])
	votes := make([]int, len(voters))
	var wg sync.WaitGroup
	for i, b := range voters {
		wg.Go(func() { votes[i], _, _ = b.post(voteURL, "choice=support") })
	}
	// Both connections are now held by votes waiting on the lock.
	conn := connect(t, dbURL)
	waitUntil(t, 5*time.Second, "votes waiting on the lock", func() bool { return waitingOnLocks(t, conn) >= 1 })

	start := time.Now()
	status, body, err := viewer.get(fmt.Sprintf("%s/projects/%d", srv.URL, project))
	took := time.Since(start)
	if status != http.StatusServiceUnavailable || err != nil {
		t.Errorf("page view with every connection busy: %d %v, want 503\n%.300s", status, err, body)
	}
	if took > 2500*time.Millisecond {
		t.Errorf("the 503 took %s; the acquire timeout is 1s\n%s", took, srv.logs)
	}
	t.Logf("503 after %s with the pool jammed", took.Round(time.Millisecond))

	release()
	wg.Wait()
	for i, status := range votes {
		if status != http.StatusSeeOther && status != http.StatusServiceUnavailable {
			t.Errorf("vote %d: %d, want 303 (or 503 if it found no connection)", i, status)
		}
	}
	if status, _, _ := viewer.get(fmt.Sprintf("%s/projects/%d", srv.URL, project)); status != http.StatusOK {
		t.Errorf("page view after the jam: %d", status)
	}
	storedCountsAgree(t, conn)
}

func TestAClientThatLeavesHasItsQueryCancelled(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	project, ideas := demoDatabase(t, dbURL)
	srv := startServer(t, dbURL, nil)
	b := newBrowser(t)
	b.signIn(srv.URL, demoPartners[0], demoPassword)
	conn := connect(t, dbURL)
	votesNow := func() string {
		var v string
		if err := conn.QueryRow(context.Background(), `SELECT coalesce(string_agg(user_id || choice, ',' ORDER BY user_id), '')
			FROM votes WHERE proposal_id = $1`, ideas[0]).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := votesNow()
	release := lockIdea(t, dbURL, ideas[0])
	defer release()

	b.client.Timeout = 700 * time.Millisecond // the person gives up and closes the tab
	_, _, err := b.post(fmt.Sprintf("%s/projects/%d/proposals/%d/vote", srv.URL, project, ideas[0]), "choice=object")
	if !isTimeout(err) {
		t.Fatalf("the vote did not wait on the lock: %v", err)
	}
	// The server notices the closed connection and cancels the query, while
	// the lock is still held: nothing is left waiting in the database.
	took := waitUntil(t, 5*time.Second, "the abandoned query cancelled", func() bool { return waitingOnLocks(t, conn) == 0 })
	t.Logf("query cancelled %s after the client left", took.Round(time.Millisecond))
	release()
	if after := votesNow(); after != before {
		t.Errorf("the abandoned vote was written: votes went from %q to %q", before, after)
	}
	storedCountsAgree(t, conn)
}
