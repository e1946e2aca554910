// Command vulndb builds a Go vulnerability database, in the layout that
// govulncheck reads with -db file://DIR, from one version of the
// golang.org/x/vulndb module. The module comes through the Go module proxy
// like any other module (and is checked against the checksum database), so
// `make vulncheck` needs no other network.
//
// The module holds one OSV file per vulnerability under data/osv. The
// database layout (https://go.dev/security/vuln/database) is:
//
//	index/db.json       {"modified": the newest change of any entry}
//	index/modules.json  each affected module with its vulnerabilities and the version that fixes each
//	index/vulns.json    each vulnerability with its aliases (CVE, GHSA)
//	ID/GO-YYYY-NNNN.json the OSV entry itself
//
// Usage (the Makefile's vulncheck target runs it):
//
//	go run ./internal/tools/vulndb -module golang.org/x/vulndb@VERSION -out DIR
//
// It refuses to write a database without standard-library entries, so a
// broken or empty download can never make govulncheck report "no
// vulnerabilities".
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

func main() {
	module := flag.String("module", "", "the vulnerability data: golang.org/x/vulndb@VERSION, fetched with `go mod download`")
	osvDir := flag.String("osv", "", "instead of -module: a folder of OSV files (<ID>.json)")
	out := flag.String("out", "", "the folder to write the database to (replaced whole)")
	flag.Parse()
	if err := run(*module, *osvDir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func run(module, osvDir, out string) error {
	if out == "" || (module == "") == (osvDir == "") {
		return errors.New("usage: vulndb (-module golang.org/x/vulndb@VERSION | -osv DIR) -out DIR")
	}
	var since time.Time
	if module != "" {
		dir, t, err := download(module)
		if err != nil {
			return err
		}
		osvDir, since = filepath.Join(dir, "data", "osv"), t
	}
	db, err := load(osvDir)
	if err != nil {
		return err
	}
	if db.meta.Modified.Before(since) {
		// The OSV files of x/vulndb carry no modification time (it comes
		// from the repository's history), so the module version's own
		// time says how fresh the data is.
		db.meta.Modified = since
	}
	if err := db.check(); err != nil {
		return fmt.Errorf("%s: %w", osvDir, err)
	}
	if err := db.write(out); err != nil {
		return err
	}
	fmt.Printf("vulndb: %d vulnerabilities in %d modules, up to %s, written to %s\n",
		len(db.entries), len(db.modules), db.meta.Modified.Format("2006-01-02"), out)
	return nil
}

// download fetches module@version into the module cache (verified against
// go.sum's checksum database) and returns its folder and its version's time.
func download(module string) (string, time.Time, error) {
	if !strings.HasPrefix(module, "golang.org/x/vulndb@") {
		return "", time.Time{}, fmt.Errorf("-module %q: want golang.org/x/vulndb@VERSION", module)
	}
	// In an empty folder, outside any module, so that the download never
	// touches our go.mod or go.sum.
	empty, err := os.MkdirTemp("", "vulndb-")
	if err != nil {
		return "", time.Time{}, err
	}
	defer os.RemoveAll(empty)
	cmd := exec.Command("go", "mod", "download", "-json", module)
	cmd.Dir = empty
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	var info struct {
		Dir   string
		Info  string // a file holding the version's time
		Error string
	}
	if jerr := json.Unmarshal(b, &info); jerr != nil && err == nil {
		err = jerr
	}
	if info.Error != "" {
		return "", time.Time{}, fmt.Errorf("go mod download %s: %s", module, info.Error)
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("go mod download %s: %v\n%s", module, err, stderr.Bytes())
	}
	b, err = os.ReadFile(info.Info)
	if err != nil {
		return "", time.Time{}, err
	}
	var version struct{ Time time.Time }
	if err := json.Unmarshal(b, &version); err != nil {
		return "", time.Time{}, fmt.Errorf("%s: %w", info.Info, err)
	}
	return info.Dir, version.Time, nil
}

// entry is the part of an OSV entry that the index needs.
type entry struct {
	ID        string    `json:"id"`
	Modified  time.Time `json:"modified"`
	Published time.Time `json:"published"`
	Aliases   []string  `json:"aliases,omitempty"`
	Affected  []struct {
		Package struct {
			Name      string `json:"name"`
			Ecosystem string `json:"ecosystem"`
		} `json:"package"`
		Ranges []struct {
			Type   string `json:"type"`
			Events []struct {
				Introduced string `json:"introduced,omitempty"`
				Fixed      string `json:"fixed,omitempty"`
			} `json:"events"`
		} `json:"ranges"`
	} `json:"affected"`
}

type dbMeta struct {
	Modified time.Time `json:"modified"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type vulnMeta struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

type database struct {
	meta    dbMeta
	modules map[string]*moduleMeta
	entries []vulnMeta
	raw     map[string][]byte // ID -> the OSV file as it came
}

func load(dir string) (*database, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	db := &database{modules: map[string]*moduleMeta{}, raw: map[string][]byte{}}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if filepath.Base(name) != e.ID+".json" {
			return nil, fmt.Errorf("%s holds %q: an OSV file must be named <ID>.json", name, e.ID)
		}
		db.add(e, b)
	}
	return db, nil
}

func (db *database) add(e entry, raw []byte) {
	modified := e.Modified
	if e.Published.After(modified) {
		modified = e.Published
	}
	if modified.After(db.meta.Modified) {
		db.meta.Modified = modified
	}
	db.raw[e.ID] = raw
	db.entries = append(db.entries, vulnMeta{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
	for _, a := range e.Affected {
		path := a.Package.Name
		m := db.modules[path]
		if m == nil {
			m = &moduleMeta{Path: path, Vulns: []moduleVuln{}}
			db.modules[path] = m
		}
		var fixed string
		for _, r := range a.Ranges {
			if r.Type != "SEMVER" {
				continue
			}
			for _, ev := range r.Events {
				if ev.Fixed != "" && less(fixed, ev.Fixed) {
					fixed = ev.Fixed
				}
			}
			// Reintroduced after the latest fix: no version fixes it.
			for _, ev := range r.Events {
				if ev.Introduced != "" && ev.Introduced != "0" && less(fixed, ev.Introduced) {
					fixed = ""
					break
				}
			}
		}
		m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified, Fixed: fixed})
	}
}

// less compares OSV versions (semver without the "v"); "" is the lowest.
func less(a, b string) bool {
	if a == "" {
		return b != ""
	}
	return semver.Compare("v"+a, "v"+b) < 0
}

// check refuses data that would make every scan pass: no entries, or none
// for the Go standard library (module "stdlib") or toolchain.
func (db *database) check() error {
	if len(db.entries) == 0 {
		return errors.New("no OSV entries found")
	}
	if len(db.modules["stdlib"].vulns()) == 0 {
		return errors.New("no entries for the Go standard library (module \"stdlib\")")
	}
	return nil
}

func (m *moduleMeta) vulns() []moduleVuln {
	if m == nil {
		return nil
	}
	return m.Vulns
}

// write builds the database beside out and then swaps it in, so that an
// interrupted run never leaves half a database behind.
func (db *database) write(out string) error {
	out = filepath.Clean(out)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".vulndb-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, d := range []string{"index", "ID"} {
		if err := os.Mkdir(filepath.Join(tmp, d), 0o755); err != nil {
			return err
		}
	}
	modules := make([]*moduleMeta, 0, len(db.modules))
	for _, m := range db.modules {
		sort.Slice(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		modules = append(modules, m)
	}
	sort.Slice(modules, func(i, j int) bool { return modules[i].Path < modules[j].Path })
	sort.Slice(db.entries, func(i, j int) bool { return db.entries[i].ID < db.entries[j].ID })
	for name, v := range map[string]any{"db": db.meta, "modules": modules, "vulns": db.entries} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, "index", name+".json"), b, 0o644); err != nil {
			return err
		}
	}
	for id, b := range db.raw {
		if err := os.WriteFile(filepath.Join(tmp, "ID", id+".json"), b, 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}
