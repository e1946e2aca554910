package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// The finding: a lead sends approved claims to finance and the connection
// drops 40 ms after the post. The claims were marked exported and their
// only copy was the lost download. Now each export keeps its file: the
// claims are still waiting, or they are in an export whose spreadsheet
// downloads from the list of past exports, with the same rows.
func TestADroppedFinanceDownloadLosesNothing(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	project, _ := demoDatabase(t, dbURL)
	conn := connect(t, dbURL)
	ctx := context.Background()
	rows, _ := conn.Query(ctx, `SELECT id FROM claims WHERE project_id = $1 AND status = 'approved' ORDER BY id`, project)
	approved, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(approved) == 0 {
		t.Fatalf("the demo has no approved claims: %v", err)
	}
	srv, _ := startProcess(t, dbURL, nil)
	lead := newBrowser(t)
	lead.signIn(srv.URL, "aisha.khan@example.org", demoPassword)

	// The post, cut off (a reset, not a clean close) 40 ms after it is sent.
	base, _ := url.Parse(srv.URL)
	var cookies []string
	for _, c := range lead.client.Jar.Cookies(base) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	raw, err := net.Dial("tcp", base.Host)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(raw, "POST /projects/%d/claims/export HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nSec-Fetch-Site: same-origin\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n", project, base.Host, strings.Join(cookies, "; "))
	time.Sleep(40 * time.Millisecond)
	_ = raw.(*net.TCPConn).SetLinger(0)
	_ = raw.Close()

	// Whatever the server managed before it saw the reset has settled.
	status := func(id int64) string {
		var s string
		if err := conn.QueryRow(ctx, `SELECT status FROM claims WHERE id = $1`, id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	time.Sleep(time.Second)
	exported := map[string]bool{}
	for _, id := range approved {
		switch s := status(id); s {
		case "approved":
		case "exported":
			exported[fmt.Sprint(id)] = true
		default:
			t.Errorf("claim %d is %q", id, s)
		}
	}
	if len(exported) == 0 {
		// The reset came before the export was made: nothing was marked,
		// so nothing was lost. Send them now, as the lead would, to check
		// the list the export lands on.
		if st, body, err := lead.post(fmt.Sprintf("%s/projects/%d/claims/export", srv.URL, project), ""); err != nil || st != http.StatusSeeOther {
			t.Fatalf("export: %d %v\n%s", st, err, body)
		}
		for _, id := range approved {
			exported[fmt.Sprint(id)] = true
		}
	}
	t.Logf("%d of %d approved claims were in the dropped export", len(exported), len(approved))

	st, page, err := lead.get(fmt.Sprintf("%s/projects/%d/claims/exports", srv.URL, project))
	if err != nil || st != http.StatusOK {
		t.Fatalf("list of exports: %d %v", st, err)
	}
	links := regexp.MustCompile(`href="(/projects/\d+/claims/exports/\d+)"`).FindAllStringSubmatch(page, -1)
	if len(links) != 1 {
		t.Fatalf("%d exports listed, want 1:\n%s", len(links), page)
	}
	for range 2 { // and again: the file is kept
		st, file, err := lead.get(srv.URL + links[0][1])
		if err != nil || st != http.StatusOK {
			t.Fatalf("download: %d %v", st, err)
		}
		records, err := csv.NewReader(strings.NewReader(file)).ReadAll()
		if err != nil || len(records) != len(exported)+1 {
			t.Fatalf("the file has %d rows, want %d: %v\n%s", len(records)-1, len(exported), err, file)
		}
		for _, r := range records[1:] {
			if !exported[r[0]] {
				t.Errorf("claim %s is in the file but was not exported", r[0])
			}
		}
	}
	var downloads int
	_ = conn.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'audit.export' AND subject LIKE 'finance:%.csv'`).Scan(&downloads)
	if downloads != 2 {
		t.Errorf("%d downloads audited, want 2", downloads)
	}
}
