package views

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
)

// FuzzPlainTextDOM renders arbitrary text and reads the result back as a
// browser would. Whatever people type, the page must hold only the <a>
// and <br> elements the renderer makes, every link must go to an http(s)
// address, and the words shown must be the words typed.
func FuzzPlainTextDOM(f *testing.F) {
	for _, s := range []string{
		"", "one\ntwo\r\nthree", "see https://nhs.uk/a?b=1.", "(https://example.org/path)",
		`http://x"><img src=x onerror=a>`, "javascript:alert(1)", "<script>alert(1)</script>",
		"mailto:a@example.org", "https://", "http://a.example/&amp;<b>", "\u202ehttps://a.example",
		"https://[::1]:80/x", "HTTP://UPPER.example", "a\rb", "&lt;p&gt;", "https://a.example/'quote'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := render(t, s)
		// Parse inside a <div> so that the text sits in the body, where a
		// browser keeps every character.
		d, err := goquery.NewDocumentFromReader(strings.NewReader("<div id=root>" + out + "</div>"))
		if err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, out)
		}
		root := d.Find("#root")
		if root.Length() != 1 || d.Find("div").Length() != 1 {
			t.Fatalf("output broke out of its container: %q -> %s", s, out)
		}
		var shown strings.Builder
		root.Contents().Each(func(_ int, n *goquery.Selection) {
			switch goquery.NodeName(n) {
			case "#text":
				shown.WriteString(n.Text())
			case "br":
				shown.WriteString("\n")
			case "a":
				checkLink(t, s, out, n)
				shown.WriteString(n.Text())
			default:
				t.Fatalf("element <%s> from input %q:\n%s", goquery.NodeName(n), s, out)
			}
		})
		// Stored text is always valid UTF-8 without NUL (the forms reject
		// anything else); for such text the words shown are the words
		// typed. A browser reads a lone carriage return as a newline.
		if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
			want := strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
			if got := shown.String(); got != want {
				t.Fatalf("text changed:\n in  %q\n out %q\nhtml %s", s, got, out)
			}
		}
	})
}

// checkLink checks one <a>: only our attributes, an http(s) address with a
// host, plain text inside, and the address is the one its text shows.
func checkLink(t *testing.T, in, out string, a *goquery.Selection) {
	t.Helper()
	node := a.Nodes[0]
	for _, attr := range node.Attr {
		if attr.Key != "href" && attr.Key != "rel" {
			t.Fatalf("link has attribute %s from input %q:\n%s", attr.Key, in, out)
		}
	}
	if rel, _ := a.Attr("rel"); rel != "nofollow noopener noreferrer" {
		t.Fatalf("link rel = %q for input %q", rel, in)
	}
	href, _ := a.Attr("href")
	u, err := url.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.Fatalf("link to %q from input %q", href, in)
	}
	if a.Children().Length() != 0 {
		t.Fatalf("markup inside a link from input %q:\n%s", in, out)
	}
	if !utf8.ValidString(in) || strings.ContainsRune(in, 0) {
		return // a browser drops a NUL from the text, not from the address
	}
	shown, err := url.Parse(a.Text())
	if err != nil || shown.String() != href {
		t.Fatalf("link text %q goes to %q (input %q)", a.Text(), href, in)
	}
}
