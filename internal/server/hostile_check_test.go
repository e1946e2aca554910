package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/coproduce/coproduce/internal/csvsafe"
)

// Checks that content shown by a page or download stayed inert.

// wantShown fails unless the page's text holds each key's hostile text, as
// text.
func wantShown(t *testing.T, what string, body []byte, keys []string) {
	t.Helper()
	d, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(d)
	for _, k := range keys {
		if !strings.Contains(text.String(), shown(k)) {
			t.Errorf("%s does not show %s's text", what, k)
		}
	}
}

// urlAttributes are the attributes a browser follows or loads.
var urlAttributes = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true,
	"poster": true, "srcset": true, "background": true, "cite": true, "data": true, "ping": true}

// inputTags are elements that can only have come from the input: the
// pages draw none of them.
var inputTags = map[string]bool{"hostile-tag": true, "img": true, "iframe": true, "object": true, "embed": true,
	"frame": true, "math": true, "base": true, "style": true, "b": true, "marquee": true}

// wantInert fails if an HTML page holds an element or attribute that came
// from the input, a script of its own, or a link that is not relative,
// http(s) or mailto.
func wantInert(t *testing.T, what string, body []byte) {
	t.Helper()
	for _, p := range inertProblems(body) {
		t.Errorf("%s: %s", what, p)
	}
}

func inertProblems(body []byte) []string {
	d, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	var walk func(n *html.Node, inHead bool)
	walk = func(n *html.Node, inHead bool) {
		if n.Type == html.ElementNode {
			problems = append(problems, elementProblems(n, inHead)...)
			inHead = inHead || n.Data == "head"
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inHead)
		}
	}
	walk(d, false)
	return problems
}

func elementProblems(n *html.Node, inHead bool) []string {
	var out []string
	switch {
	case inputTags[n.Data]:
		out = append(out, "a <"+n.Data+"> element")
	case n.Data == "script" && (!ourScript(n) || n.FirstChild != nil):
		out = append(out, "a script that is not one of our files: "+render(n))
	case n.Data == "svg" && !strings.HasPrefix(attr(n, "class"), "app-"):
		out = append(out, "an <svg> that is not ours")
	case (n.Data == "link" || n.Data == "meta") && !inHead:
		out = append(out, "a <"+n.Data+"> in the body")
	}
	for _, a := range n.Attr {
		name := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(name, "on"), name == "data-hostile", strings.ContainsAny(name, `"'<>=/`):
			out = append(out, fmt.Sprintf("<%s> has the attribute %q from the input", n.Data, a.Key))
		case urlAttributes[name] && !allowedURL(a.Val):
			out = append(out, fmt.Sprintf("<%s %s=%q>", n.Data, a.Key, a.Val))
		}
	}
	return out
}

func ourScript(n *html.Node) bool {
	src := attr(n, "src")
	return strings.HasPrefix(src, "/static/") || strings.HasPrefix(src, "/assets/")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func render(n *html.Node) string {
	var b bytes.Buffer
	_ = html.Render(&b, n)
	return b.String()
}

// allowedURL accepts links within the site and http, https and mailto
// links, nothing else (no javascript:, data:, or //other.host).
func allowedURL(v string) bool {
	u, err := url.Parse(v)
	if err != nil || v != strings.TrimSpace(v) {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "":
		return u.Host == "" && !strings.HasPrefix(v, "//") && !strings.HasPrefix(v, `/\`)
	case "http", "https", "mailto":
		return true
	}
	return false
}

// wantSafeDownload checks a download by its type: HTML is inert, every CSV
// cell is safe to open in a spreadsheet, JSON parses, and a PDF's text has
// no control characters.
func wantSafeDownload(t *testing.T, what string, res interface {
	Result() *http.Response
}) {
	t.Helper()
	r := res.Result()
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK {
		t.Errorf("%s: %d", what, r.StatusCode)
		return
	}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "text/html"):
		wantInert(t, what, body)
	case strings.HasPrefix(ct, "text/csv"):
		wantSafeCSV(t, what, body)
	case strings.HasPrefix(ct, "application/json"):
		if !json.Valid(body) {
			t.Errorf("%s: not valid JSON", what)
		}
	case ct == "application/pdf":
		for _, r := range pdfText(t, body) {
			if (r < 0x20 && r != '\n' && r != '\f' && r != '\t') || r == 0x7f || r == 0xfffd {
				t.Errorf("%s: the PDF's text holds the character %U", what, r)
				break
			}
		}
	case ct == "application/zip":
		z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for _, f := range z.File {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			if strings.HasSuffix(f.Name, ".csv") {
				wantSafeCSV(t, what+"/"+f.Name, b)
			}
		}
	default:
		t.Errorf("%s: unexpected type %q", what, ct)
	}
}

func wantSafeCSV(t *testing.T, what string, body []byte) {
	t.Helper()
	for _, p := range csvProblems(body) {
		t.Errorf("%s: %s", what, p)
	}
}

// csvProblems lists cells a spreadsheet would run as a formula.
func csvProblems(body []byte) []string {
	rest, ok := bytes.CutPrefix(body, []byte(csvsafe.BOM))
	if !ok {
		return []string{"the file does not start with the byte order mark"}
	}
	rows, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				out = append(out, fmt.Sprintf("the cell %.40q would run as a formula", cell))
			}
		}
	}
	return out
}

// wantSafeCalendar checks that line breaks in a meeting's title and venue
// did not add properties to the calendar file.
func wantSafeCalendar(t *testing.T, res interface{ Result() *http.Response }) {
	t.Helper()
	body, _ := io.ReadAll(res.Result().Body)
	for _, line := range strings.Split(string(body), "\r\n") {
		if strings.HasPrefix(line, "X-INJECTED") || strings.HasPrefix(line, "ATTENDEE") {
			t.Errorf("calendar: injected line %q", line)
		}
	}
}

// blockTags end a run of text: a right-to-left override left open inside
// one of them cannot reorder what comes after it. A line break ends a
// paragraph too, and an inline-block (a button, a tag, the back link) is a
// paragraph of its own.
var blockTags = map[string]bool{"p": true, "li": true, "td": true, "th": true, "dd": true, "dt": true, "div": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "caption": true, "label": true, "legend": true, "summary": true,
	"title": true, "textarea": true, "option": true, "select": true, "button": true, "input": true, "bdi": true,
	"br": true, "form": true, "ul": true, "ol": true, "table": true, "tr": true, "dl": true, "details": true,
	"fieldset": true, "header": true, "nav": true, "main": true, "footer": true, "body": true}

func isBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	class := attr(n, "class")
	return blockTags[n.Data] || strings.Contains(class, "nhsuk-caption") || strings.Contains(class, "nhsuk-back-link") ||
		strings.Contains(class, "nhsuk-tag")
}

// bidiLeaks lists places where the fixture's open right-to-left override
// (rlo + "evil", which ends each hostile value) is followed by more text
// in the same paragraph before anything closes it: that text would be shown
// reordered (a date reversed, a name swapped).
func bidiLeaks(body []byte) []string {
	d, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			rest := n.Data
			for {
				_, after, found := strings.Cut(rest, rlo+"evil")
				if !found {
					break
				}
				rest = after
				next := strings.TrimSpace(after)
				if next == "" {
					next = textAfter(n)
				}
				if next != "" && !strings.HasPrefix(next, "\u2069") && !strings.HasPrefix(next, "\u202C") {
					out = append(out, fmt.Sprintf("%.50q is followed by %.40q", n.Data, next))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(d)
	return out
}

// textAfter is the text that follows n within its block.
func textAfter(n *html.Node) string {
	var b strings.Builder
	for cur := n; cur != nil && !isBlock(cur); cur = cur.Parent {
		for s := cur.NextSibling; s != nil && !isBlock(s); s = s.NextSibling {
			b.WriteString(allText(s))
		}
	}
	return strings.TrimSpace(b.String())
}

func allText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	if isBlock(n) {
		return ""
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(allText(c))
	}
	return b.String()
}

// wrapClasses let a long word wrap: ours (app.css) and the design
// system's.
var wrapClasses = []string{"nhsuk-main-wrapper", "app-prewrap", "app-break-word", "nhsuk-summary-list__value",
	"nhsuk-summary-list__key", "nhsuk-header__account-item", "nhsuk-u-text-break-word"}

// longWordProblems lists long unbroken words that could push a page
// sideways: shown outside an element that lets them wrap, or in a table
// that does not scroll in its own box (a table cell grows to fit a word).
func longWordProblems(body []byte) []string {
	d, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	var walk func(n *html.Node, wraps, bareTable bool)
	walk = func(n *html.Node, wraps, bareTable bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "head", "script", "noscript", "textarea":
				return
			case "table":
				// A table in a scroll box scrolls on its own; any other grows.
				scrolls := strings.Contains(attr(n.Parent, "class"), "app-table-scroll")
				wraps, bareTable = wraps || scrolls, !scrolls
			}
			for _, c := range wrapClasses {
				wraps = wraps || strings.Contains(" "+attr(n, "class")+" ", " "+c+" ")
			}
		}
		if n.Type == html.TextNode && (!wraps || bareTable) {
			for _, w := range strings.Fields(n.Data) {
				if len([]rune(w)) > 60 {
					out = append(out, fmt.Sprintf("a %d-character word in <%s>", len([]rune(w)), n.Parent.Data))
					break
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, wraps, bareTable)
		}
	}
	walk(d, false, false)
	return out
}
