package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/demo"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// The backup and restore procedure in docs/operations.md, run as written:
// dump a database with demo data and some use, restore it into a new one,
// compare every table, and start the app on the copy.
func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	start := time.Now()
	backup, restore := backupCommands(t)
	source := pgtest.Clone(t)
	useTheApp(t, source)
	t.Logf("seeded in %s", time.Since(start).Round(time.Millisecond))

	dir := t.TempDir()
	expired := filepath.Join(dir, "coproduce-2000-01-01.dump")
	if err := os.WriteFile(expired, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-40 * 24 * time.Hour)
	if err := os.Chtimes(expired, old, old); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	runShell(t, backup, map[string]string{"DATABASE_URL": source, "BACKUP_DIR": dir})
	dumps, _ := filepath.Glob(filepath.Join(dir, "coproduce-*.dump"))
	if len(dumps) != 1 || dumps[0] == expired {
		t.Fatalf("backup directory holds %v; want only the new dump (the 40-day-old one deleted)", dumps)
	}
	dumped := time.Since(began)

	restored := pgtest.Empty(t)
	began = time.Now()
	runShell(t, restore, map[string]string{"RESTORE_URL": restored, "DUMP_FILE": dumps[0]})
	t.Logf("pg_dump %s, pg_restore %s", dumped.Round(time.Millisecond), time.Since(began).Round(time.Millisecond))

	// Compared before the app starts on the copy, because starting it
	// changes the job queue's tables.
	compareDatabases(t, source, restored, excludedTables(backup))

	in := startServer(t, restored, nil)
	waitUntil(t, 20*time.Second, "the restored app ready", func() bool { return statusOf(in.URL+"/readyz") == http.StatusOK })
	visitor := newBrowser(t)
	visitor.signIn(in.URL, demo.People[0].Email, demo.Password)
	status, body, err := visitor.get(in.URL + "/projects")
	if err != nil || status != http.StatusOK || !strings.Contains(body, "Improving stroke rehabilitation at home") {
		t.Errorf("after the restore, %s's projects page: %d %v, without their project", demo.People[0].Name, status, err)
	}
	t.Logf("whole test %s", time.Since(start).Round(time.Millisecond))
}

// useTheApp loads the demo and uses the app a little, so that sessions,
// sign-in failures, email and queue jobs have rows; then stops it, so that
// nothing changes between the dump and the comparison.
func useTheApp(t *testing.T, dbURL string) {
	t.Helper()
	var out strings.Builder
	if err := run(context.Background(), []string{"demo"}, envWith(map[string]string{"DATABASE_URL": dbURL}), nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	in := startServer(t, dbURL, nil)
	visitor := newBrowser(t)
	visitor.signIn(in.URL, demo.People[0].Email, demo.Password)
	if status, _, err := visitor.get(in.URL + "/projects"); err != nil || status != http.StatusOK {
		t.Fatalf("projects page: %d %v", status, err)
	}
	wrong := url.Values{"email": {demo.People[1].Email}, "password": {"not the password"}}.Encode()
	if status, _, err := newBrowser(t).post(in.URL+"/sign-in", wrong); err != nil || status == http.StatusSeeOther {
		t.Fatalf("a wrong password: %d %v", status, err)
	}
	link := url.Values{"link_email": {demo.People[2].Email}}.Encode()
	if status, _, err := newBrowser(t).post(in.URL+"/sign-in/link", link); err != nil || status != http.StatusSeeOther {
		t.Fatalf("ask for a sign-in link: %d %v", status, err)
	}
	conn := connect(t, dbURL)
	waitUntil(t, 10*time.Second, "the link in the outbox", func() bool {
		return countRows(t, conn, `SELECT count(*) FROM emails WHERE status = 'outbox'`) > 0
	})
	in.stop()
	if err := in.wait(30 * time.Second); err != nil {
		t.Fatalf("stop the app: %v", err)
	}
	for _, table := range []string{"sessions", "sign_in_failures", "audit_events", "river_job"} {
		if countRows(t, conn, "SELECT count(*) FROM "+table) == 0 {
			t.Fatalf("no rows in %s after using the app", table)
		}
	}
}

// backupCommands returns the nightly backup and the restore command, as
// docs/operations.md gives them to operators.
func backupCommands(t *testing.T) (backup, restore string) {
	t.Helper()
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(doc)
	i := strings.Index(section, "\n## Backups\n")
	if i < 0 {
		t.Fatal("docs/operations.md has no Backups section")
	}
	section = section[i+1:]
	if j := strings.Index(section, "\n## "); j >= 0 {
		section = section[:j]
	}
	for _, block := range shellBlocks(section) {
		switch {
		case strings.HasPrefix(block, "pg_dump "):
			backup = block
		case strings.HasPrefix(block, "pg_restore "):
			restore = block
		}
	}
	if backup == "" || restore == "" {
		t.Fatalf("the Backups section needs a sh block starting pg_dump and one starting pg_restore:\n%s", section)
	}
	return backup, restore
}

// shellBlocks returns the text of each ```sh block, without the indent a
// list item gives it.
func shellBlocks(markdown string) []string {
	var blocks []string
	var lines []string
	indent, in := "", false
	for _, line := range strings.Split(markdown, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case !in && trimmed == "```sh":
			in, lines = true, nil
			indent = line[:len(line)-len(strings.TrimLeft(line, " "))]
		case in && trimmed == "```":
			in = false
			blocks = append(blocks, strings.Join(lines, "\n"))
		case in:
			lines = append(lines, strings.TrimPrefix(line, indent))
		}
	}
	return blocks
}

// runShell runs commands with sh as an operator would, with PostgreSQL's
// programs on the PATH.
func runShell(t *testing.T, commands string, env map[string]string) {
	t.Helper()
	bin, err := pgtest.ProgramDir()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-e", "-c", commands)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s\n%v\n%s", commands, err, out)
	}
}

var excludedData = regexp.MustCompile(`--exclude-table-data=(\w+)`)

// excludedTables are the tables whose rows the backup leaves out.
func excludedTables(backup string) map[string]bool {
	out := map[string]bool{}
	for _, m := range excludedData.FindAllStringSubmatch(backup, -1) {
		out[m[1]] = true
	}
	return out
}

// compareDatabases fails unless every table and sequence in the restored
// database matches the source: the same rows, or none for a table whose
// rows the backup leaves out.
func compareDatabases(t *testing.T, source, restored string, excluded map[string]bool) {
	t.Helper()
	want, got := snapshot(t, source), snapshot(t, restored)
	if len(want) < 30 {
		t.Fatalf("only %d tables and sequences in the source: the listing is wrong", len(want))
	}
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: missing after the restore", name)
		case excluded[name]:
			if g.rows != 0 {
				t.Errorf("%s: %d rows restored, want none (the backup leaves them out)", name, g.rows)
			}
		case g != w:
			t.Errorf("%s: restored %s, want %s", name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: in the restored database only", name)
		}
	}
	t.Logf("%d tables and sequences compared, %d with their rows left out", len(want), len(excluded))
}

// contents is a table's row count and checksum, or for a sequence (rows
// -1) its last value.
type contents struct {
	rows int64
	sum  string
}

func (c contents) String() string {
	if c.rows < 0 {
		return c.sum
	}
	return fmt.Sprintf("%d rows (checksum %q)", c.rows, c.sum)
}

// snapshot returns each public table's row count and a checksum of its
// rows, and each sequence's position (so new ids do not collide).
func snapshot(t *testing.T, dbURL string) map[string]contents {
	t.Helper()
	ctx := context.Background()
	conn := connect(t, dbURL)
	rows, err := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]contents{}
	for _, table := range tables {
		var c contents
		query := fmt.Sprintf(`SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM public.%s t`,
			pgx.Identifier{table}.Sanitize())
		if err := conn.QueryRow(ctx, query).Scan(&c.rows, &c.sum); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = c
	}
	rows, err = conn.Query(ctx, `SELECT 'sequence ' || sequencename, 'last value ' || coalesce(last_value::text, 'none')
		FROM pg_sequences WHERE schemaname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		c := contents{rows: -1}
		if err := rows.Scan(&name, &c.sum); err != nil {
			t.Fatal(err)
		}
		out[name] = c
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
