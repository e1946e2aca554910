package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// osv writes one made-up OSV entry for the standard library into dir:
// symbol is the function in package fmt, and events the affected range.
func osv(t *testing.T, dir, id, module, symbol string, events ...string) {
	t.Helper()
	body := fmt.Sprintf(`{
  "schema_version": "1.3.1",
  "id": %q,
  "modified": "0001-01-01T00:00:00Z",
  "published": "2026-01-02T03:04:05Z",
  "aliases": ["CVE-2099-%s"],
  "summary": "Made up for a test",
  "affected": [{
    "package": {"name": %q, "ecosystem": "Go"},
    "ranges": [{"type": "SEMVER", "events": [%s]}],
    "ecosystem_specific": {"imports": [{"path": "fmt", "symbols": [%q]}]}
  }],
  "database_specific": {"url": "https://pkg.go.dev/vuln/%s"}
}`, id, id[len(id)-4:], module, strings.Join(events, ", "), symbol, id)
	if err := os.WriteFile(filepath.Join(dir, id+".json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDatabaseMakesGovulncheckFail builds a database from made-up entries
// and scans a small program with the project's own govulncheck: a
// vulnerability the program reaches must fail the scan, one fixed long ago
// must not be reported. An index govulncheck cannot read, or one with the
// wrong fixed versions, would let every scan pass.
func TestDatabaseMakesGovulncheckFail(t *testing.T) {
	src, db := t.TempDir(), filepath.Join(t.TempDir(), "db")
	osv(t, src, "GO-2099-0001", "stdlib", "Println", `{"introduced": "0"}`)
	osv(t, src, "GO-2099-0002", "stdlib", "Println", `{"introduced": "0"}`, `{"fixed": "1.0.0"}`)
	osv(t, src, "GO-2099-0003", "stdlib", "Print", `{"introduced": "0"}`, `{"fixed": "1.2.0"}`, `{"introduced": "1.3.0"}`)
	osv(t, src, "GO-2099-0004", "example.com/other", "Println", `{"introduced": "0"}`, `{"fixed": "1.2.0"}`, `{"fixed": "1.10.0"}`)
	if err := run("", src, db); err != nil {
		t.Fatal(err)
	}

	var modules []moduleMeta
	readJSON(t, filepath.Join(db, "index", "modules.json"), &modules)
	fixed := map[string]string{}
	for _, m := range modules {
		for _, v := range m.Vulns {
			fixed[m.Path+" "+v.ID] = v.Fixed
		}
	}
	want := map[string]string{
		"stdlib GO-2099-0001":            "",       // never fixed
		"stdlib GO-2099-0002":            "1.0.0",  // fixed
		"stdlib GO-2099-0003":            "",       // came back after its fix
		"example.com/other GO-2099-0004": "1.10.0", // the latest fix, by semver not by text
	}
	if fmt.Sprint(fixed) != fmt.Sprint(want) {
		t.Errorf("index/modules.json fixed versions = %v, want %v", fixed, want)
	}
	var meta dbMeta
	readJSON(t, filepath.Join(db, "index", "db.json"), &meta)
	if got := meta.Modified.Format("2006-01-02"); got != "2026-01-02" {
		t.Errorf("index/db.json modified = %s, want the newest entry's 2026-01-02", got)
	}
	for _, id := range []string{"GO-2099-0001", "GO-2099-0004"} {
		if _, err := os.Stat(filepath.Join(db, "ID", id+".json")); err != nil {
			t.Error(err)
		}
	}

	cmd := exec.Command("go", "tool", "govulncheck", "-db", "file://"+db, "-C", filepath.Join("testdata", "reach"), "./...")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("govulncheck: %v, want exit status 3 (vulnerabilities found)\n%s", err, out)
	}
	if !strings.Contains(string(out), "GO-2099-0001") {
		t.Errorf("govulncheck did not report GO-2099-0001, which the program reaches:\n%s", out)
	}
	if strings.Contains(string(out), "GO-2099-0002") {
		t.Errorf("govulncheck reported GO-2099-0002, fixed in Go 1.0.0:\n%s", out)
	}
}

// TestRefusesDataWithoutStandardLibrary: a download that is empty or holds
// no standard-library entries must not become a database that passes every
// scan.
func TestRefusesDataWithoutStandardLibrary(t *testing.T) {
	empty := t.TempDir()
	db := filepath.Join(t.TempDir(), "db")
	if err := run("", empty, db); err == nil {
		t.Error("built a database from no entries")
	}
	osv(t, empty, "GO-2099-0004", "example.com/other", "Println", `{"introduced": "0"}`)
	if err := run("", empty, db); err == nil || !strings.Contains(err.Error(), "standard library") {
		t.Errorf("run without standard-library entries: %v, want a refusal naming the standard library", err)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused database was written: %v", err)
	}
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
