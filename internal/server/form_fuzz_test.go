package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// FuzzSafeNext checks the "next" address kept across signing in: whatever
// is asked for, the redirect a browser follows stays on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"", "/projects/1", "/projects?x=1#y", "//evil.example", "/\\evil.example",
		"/\t/evil.example", "https://evil.example", "/%2F%2Fevil.example", "/.//evil.example", "/..//evil.example",
		"/a/../..//evil.example", "javascript:alert(1)", "/\x00", "/ /evil.example", "/\u3000/evil.example"} {
		f.Add(s)
	}
	site, _ := url.Parse("https://coproduce.test/sign-in")
	f.Fuzz(func(t *testing.T, next string) {
		out := safeNext(next)
		if out != "/projects" && out != next {
			t.Fatalf("safeNext(%q) = %q, neither the address asked for nor the project list", next, out)
		}
		req := httptest.NewRequest(http.MethodPost, "https://coproduce.test/sign-in", nil)
		rec := httptest.NewRecorder()
		http.Redirect(rec, req, out, http.StatusSeeOther)
		loc := rec.Header().Get("Location")
		// A browser drops tabs and newlines from an address and reads a
		// backslash as a slash (the WHATWG URL standard).
		browser := strings.ReplaceAll(strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, loc), "\\", "/")
		u, err := site.Parse(browser)
		if err == nil && (u.Host != site.Host || u.Scheme != site.Scheme) {
			t.Fatalf("safeNext(%q) = %q sends the browser to %s", next, out, u)
		}
	})
}

// FuzzAuditFilter reads arbitrary query strings as the audit log's
// filter. A filter that is accepted has positive ids and a date range
// that runs forwards; every problem is a message in the catalogue.
func FuzzAuditFilter(f *testing.F) {
	for _, s := range []string{"", "project=1&person=2&from=2025-01-01&to=2025-01-31", "project=0", "person=-5",
		"project=9223372036854775808", "from=2025-02-30", "from=2025-02-01&to=2025-01-01", "to=9999-12-31",
		"from=0000-01-01", "from=2025-03-30&to=2025-03-30", "project=%20%207%20", "from=2025-1-1", "%zz"} {
		f.Add(s)
	}
	catalog, err := i18n.Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, _ := url.ParseQuery(query)
		filter, v := auditFilter(q)
		if v != nil {
			for _, fe := range v.Fields {
				if !catalog.Has(fe.Message) {
					t.Fatalf("%q: message %q is not in the catalogue", query, fe.Message)
				}
			}
			if filter != (coproduce.AuditFilter{}) {
				t.Fatalf("%q: a rejected filter still filters: %+v", query, filter)
			}
			return
		}
		if filter.ProjectID < 0 || filter.ActorID < 0 {
			t.Fatalf("%q: accepted with ids %d, %d", query, filter.ProjectID, filter.ActorID)
		}
		if !filter.From.IsZero() && !filter.To.IsZero() && !filter.From.Before(filter.To) {
			t.Fatalf("%q: accepted a range from %v to %v", query, filter.From, filter.To)
		}
		for _, d := range []time.Time{filter.From, filter.To} {
			if l := d.In(auditZone); !d.IsZero() && (l.Hour() != 0 || l.Minute() != 0) {
				t.Fatalf("%q: a day boundary at %v, not midnight UK time", query, l)
			}
		}
	})
}

// FuzzFormValues covers the small parsers of posted and routed values: the
// step in a URL, the version a form was based on, and the cleaning and
// checking of posted text.
func FuzzFormValues(f *testing.F) {
	for _, s := range []string{"identify", "select", "understand", "Identify", "", "0", "-1", "+3", " 2",
		"9223372036854775807", "1e3", "a\r\nb\r\n", "  \t x \n", "\x00", "\xff", "\r\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if step, ok := coproduce.StepBySlug(s); ok && (!step.Valid() || step.Slug() != s) {
			t.Fatalf("StepBySlug(%q) = %v, %v", s, step, ok)
		}
		r := &http.Request{PostForm: url.Values{"version": {s}}}
		if v, err := postedVersion(r); err == nil && (v < 0 || !sameNumber(s, v)) {
			t.Fatalf("postedVersion(%q) = %d", s, v)
		}
		c := coproduce.CleanText(s)
		if strings.Contains(c, "\r") || c != strings.TrimSpace(c) || coproduce.CleanText(c) != c {
			t.Fatalf("CleanText(%q) = %q", s, c)
		}
		if coproduce.ValidText(s) && (!utf8.ValidString(s) || strings.ContainsRune(s, 0)) {
			t.Fatalf("ValidText(%q) but PostgreSQL cannot store it", s)
		}
	})
}

// sameNumber reports whether s reads as the number n.
func sameNumber(s string, n int) bool {
	m, err := strconv.Atoi(s)
	return err == nil && m == n
}
