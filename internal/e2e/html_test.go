package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// savedPages maps each saved file to the page and test it came from.
var (
	savedPages sync.Map
	savedCount atomic.Int64
)

// savePage keeps the markup of the page the tab shows for the Nu HTML
// Checker. Only pages seen without JavaScript are kept: their markup is
// exactly what the server sent, not what the design system's scripts made
// of it.
func (b *tab) savePage() {
	b.t.Helper()
	if b.js {
		return
	}
	html := eval[string](b, `'<!DOCTYPE html>\n' + document.documentElement.outerHTML`)
	file := filepath.Join(pagesDir, fmt.Sprintf("%05d.html", savedCount.Add(1)))
	if err := os.WriteFile(file, []byte(html), 0o644); err != nil {
		b.fail("save the page: %v", err)
	}
	savedPages.Store(file, fmt.Sprintf("%s (%s)", b.path(), b.t.Name()))
}

// designSystemOwn is the one error the checker finds in the NHS.UK design
// system's own markup, which we keep as the design system writes it:
// role="text" (an ARIA role screen readers honour but the standard lacks).
func designSystemOwn(message string) bool {
	return strings.Contains(message, "“role”") && strings.Contains(message, "“text”")
}

// validatePages runs the Nu HTML Checker once over every saved page (one
// Java start, not one per page) and lists each error with its page.
func validatePages() ([]string, error) {
	files, err := filepath.Glob(filepath.Join(pagesDir, "*.html"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no page was kept for the Nu HTML Checker")
	}
	args := append([]string{"-jar", vnuJar, "--errors-only", "--format", "json", "--exit-zero-always"}, files...)
	var out bytes.Buffer
	cmd := exec.Command("java", args...)
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("Nu HTML Checker: %v\n%s", err, out.String())
	}
	var report struct {
		Messages []struct {
			Type, URL, Message, Extract string
			LastLine                    int
		}
	}
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		return nil, fmt.Errorf("read the Nu HTML Checker's report: %v\n%s", err, out.String())
	}
	var problems []string
	for _, m := range report.Messages {
		if designSystemOwn(m.Message) {
			continue
		}
		file := strings.TrimPrefix(m.URL, "file:")
		page, _ := savedPages.Load(file)
		problems = append(problems, fmt.Sprintf("%s: line %d: %s: %s\n    %s", page, m.LastLine, m.Type, m.Message, strings.TrimSpace(m.Extract)))
	}
	sort.Strings(problems)
	fmt.Printf("e2e: the Nu HTML Checker read %d pages seen without JavaScript\n", len(files))
	return problems, nil
}
