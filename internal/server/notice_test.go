package server

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/i18n"
)

// TestEveryNoticeIsShown: a redirect's ?notice= key that the table lacks
// shows nothing, and the person saves again. Every key any handler sends
// must be in the table, every message the table names must be in the
// catalogue, and every confirmation the catalogue has must be reachable.
func TestEveryNoticeIsShown(t *testing.T) {
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]string{}
	key := regexp.MustCompile(`notice=([a-z0-9-]+)`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			sent[m[1]] = f
		}
	}
	if len(sent) < 30 {
		t.Fatalf("found only %d notice keys in the handlers", len(sent))
	}
	for k, f := range sent {
		if notices[k] == "" {
			t.Errorf("%s redirects with notice=%s, which no page shows", f, k)
		}
	}
	shown := map[string]bool{}
	for k, id := range notices {
		if !catalog.Has(id) {
			t.Errorf("notice %s names %s, which the catalogue lacks", k, id)
		}
		shown[id] = true
	}
	for _, id := range catalog.IDs() {
		if strings.HasPrefix(id, "notice.") && !shown[id] {
			t.Errorf("the catalogue's confirmation %s is never shown", id)
		}
	}
}
