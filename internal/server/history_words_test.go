package server_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/i18n"
)

// TestHistorySaysEachChangeInWords: the project history and the audit
// trail once showed "amount_pence: → 320" and "response: → not_adopted".
// After a project has been through every form, each change there is a
// sentence: a field named in the catalogue, and values by their names,
// never a stored code or true/false.
func TestHistorySaysEachChangeInWords(t *testing.T) {
	t.Parallel()
	hp := newHostileProject(t)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	l := catalog.Localizer("en")
	for _, id := range catalog.IDs() {
		if strings.HasPrefix(id, "audit.field.") {
			names[l.T(id)] = true
		}
	}
	code := regexp.MustCompile(`“([a-z]+_[a-z_]+|true|false|[0-9]{4}-[0-9]{2}-[0-9]{2}T[^”]*)”`)
	sentence := regexp.MustCompile(`^(.+?) (set to “|changed from “|cleared \(it was “|changed\.$)`)
	checked := 0
	for _, page := range []struct {
		c    *client
		path string
	}{{hp.leadC, hp.path("/history")}, {hp.admC, "/admin/audit"}} {
		page.c.open(t, page.path).doc.Find(".app-changes li").Each(func(_ int, li *goquery.Selection) {
			said := strings.Join(strings.Fields(li.Text()), " ")
			checked++
			m := sentence.FindStringSubmatch(said)
			if m == nil || !strings.HasSuffix(said, ".") {
				t.Errorf("%s: %q is not a sentence", page.path, said)
				return
			}
			if !names[m[1]] {
				t.Errorf("%s: %q names a field the catalogue does not", page.path, said)
			}
			if c := code.FindString(said); c != "" {
				t.Errorf("%s: %q shows the stored value %s", page.path, said, c)
			}
		})
	}
	if checked < 30 {
		t.Errorf("only %d changes checked", checked)
	}
	t.Logf("%d changes read as sentences", checked)
}
