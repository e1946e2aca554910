package views

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

func render(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	if err := PlainText(s).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPlainText(t *testing.T) {
	for in, want := range map[string]string{
		"one\ntwo":                           "one<br>two",
		"see https://nhs.uk/a?b=1.":          `see <a href="https://nhs.uk/a?b=1" rel="nofollow noopener noreferrer">https://nhs.uk/a?b=1</a>.`,
		"<script>alert(1)</script>":          "&lt;script&gt;alert(1)&lt;/script&gt;",
		"javascript:alert(1)":                "javascript:alert(1)",
		`http://x"><img src=x onerror=a>`:    `<a href="http://x" rel="nofollow noopener noreferrer">http://x</a>&#34;&gt;&lt;img src=x onerror=a&gt;`,
		"(https://example.org/path)":         `(<a href="https://example.org/path" rel="nofollow noopener noreferrer">https://example.org/path</a>)`,
		"ftp://files.example.org not a link": "ftp://files.example.org not a link",
	} {
		if got := render(t, in); got != want {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want)
		}
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"hello\nworld", "https://a.example/x?y=1", "<b>x</b>", "http://\"><svg onload=1>", "\u202ejavascript:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		out := render(t, s)
		// Nothing the person wrote becomes markup: the only tags are our
		// own <br> and <a href="http...">.
		rest := strings.NewReplacer("<br>", "", "</a>", "").Replace(out)
		for i := strings.Index(rest, "<"); i >= 0; i = strings.Index(rest, "<") {
			if !strings.HasPrefix(rest[i:], `<a href="http`) {
				t.Fatalf("markup from input: %q -> %q", s, out)
			}
			rest = rest[i+1:]
		}
	})
}
