package pdfprint_test

import (
	"bytes"
	"context"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/coproduce/coproduce/internal/pdfprint"
)

// files are the static files the test pages may load.
var files = map[string]fs.FS{
	"/static/": fstest.MapFS{
		"print.css": {Data: []byte(`@page { size: A4; margin: 20mm } body { font-family: "Noto Sans", sans-serif }`)},
		"logo.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">` +
			`<rect width="40" height="40" fill="#005eb8"/></svg>`)},
		"app.js": {Data: []byte(`document.title = "A script ran"`)},
	},
}

func newPrinter(t *testing.T, timeout time.Duration) *pdfprint.Printer {
	t.Helper()
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Fatal("Chromium is needed (Debian package chromium): make test installs it")
	}
	p := pdfprint.New(pdfprint.Options{Files: files, Timeout: timeout})
	t.Cleanup(p.Close)
	return p
}

// page is a small accessible page in Welsh with words in other scripts.
const page = `<!DOCTYPE html>
<html lang="cy">
<head>
<meta charset="utf-8">
<title>Adroddiad y prosiect</title>
<link rel="stylesheet" href="/static/print.css">
<script src="/static/app.js"></script>
<script>document.title = "An inline script ran"</script>
</head>
<body>
<h1>Adroddiad y prosiect</h1>
<p><img src="/static/logo.svg" alt="Logo'r ymddiriedolaeth"> Diolch yn fawr: ŵyn ac ŷd.</p>
<h2>Sylwadau</h2>
<table>
<caption>Sylwadau ar y syniad</caption>
<thead><tr><th scope="col">Person</th><th scope="col">Sylw</th></tr></thead>
<tbody>
<tr><td>Aelod 1</td><td dir="auto" lang="ur">میں اس خیال کی حمایت کرتا ہوں</td></tr>
<tr><td>Aelod 2</td><td dir="auto" lang="bn">আমি এই ধারণাকে সমর্থন করি</td></tr>
<tr><td>Aelod 3</td><td dir="auto" lang="zh">我支持这个想法</td></tr>
</tbody>
</table>
</body>
</html>`

func printPDF(t *testing.T, p *pdfprint.Printer, html string) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := p.Print(context.Background(), &out, pdfprint.Page{HTML: []byte(html), Path: "/report.html"}); err != nil {
		t.Fatalf("print: %v", err)
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("%PDF-")) {
		t.Fatalf("printing gave no PDF (%d bytes)", out.Len())
	}
	return out.Bytes()
}

// The PDF is tagged, with the page's title and language, its heading in
// the outline and its words, in every script, in order; no script ran.
func TestPrintsATaggedPDF(t *testing.T) {
	p := newPrinter(t, 0)
	pdf := printPDF(t, p, page)
	keep(t, "page.pdf", pdf)
	info := run(t, pdf, "pdfinfo")
	for _, want := range []string{"Tagged:          yes", "Title:           Adroddiad y prosiect"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	if !bytes.Contains(pdf, []byte("/Lang (cy)")) {
		t.Error("the PDF does not say it is in Welsh")
	}
	if !bytes.Contains(pdf, []byte("/Alt (Logo")) {
		t.Error("the picture's alt text is not in the PDF")
	}
	// Compared without white space: pdftotext puts spaces of its own
	// between Chinese characters.
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	text := run(t, pdf, "pdftotext", "-enc", "UTF-8")
	for _, want := range []string{"Diolch yn fawr: ŵyn ac ŷd.", "Sylwadau ar y syniad",
		"میں اس خیال کی حمایت کرتا ہوں", "আমি এই ধারণাকে সমর্থন করি", "我支持这个想法"} {
		if !strings.Contains(squash(text), squash(want)) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
}

// Nothing the page names outside our own files is fetched: not another
// site's stylesheet, picture or frame, and not a script of ours.
func TestThePageReachesNoNetwork(t *testing.T) {
	// A server on this machine, over TLS as the page's own address is:
	// every connection to it counts, even one refused for its
	// certificate.
	var hits atomic.Int64
	outside := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	outside.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			hits.Add(1)
		}
	}
	outside.StartTLS()
	defer outside.Close()
	p := newPrinter(t, 0)
	html := strings.Replace(page, "</head>", `<link rel="stylesheet" href="`+outside.URL+`/x.css">
<link rel="preload" as="font" href="`+outside.URL+`/f.woff2" crossorigin>
</head>`, 1)
	html = strings.Replace(html, "</body>", `<img src="`+outside.URL+`/x.png" alt="">
<iframe src="`+outside.URL+`/frame" title="x"></iframe>
<img src="https://example.org/y.png" alt=""></body>`, 1)
	pdf := printPDF(t, p, html)
	if n := hits.Load(); n != 0 {
		t.Errorf("the page reached a server outside %d times", n)
	}
	if info := run(t, pdf, "pdfinfo"); !strings.Contains(info, "Adroddiad y prosiect") {
		t.Errorf("a script changed the title:\n%s", info)
	}
}

// A PDF that takes too long fails, and the printer prints the next one.
func TestATimedOutPDFFails(t *testing.T) {
	p := newPrinter(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	var out bytes.Buffer
	if err := p.Print(ctx, &out, pdfprint.Page{HTML: []byte(page), Path: "/report.html"}); err == nil {
		t.Fatal("a PDF printed within a millisecond")
	}
	// Chromium is stopped rather than left printing what nobody will get
	// (none of this test's processes remain), and the next PDF starts a
	// new one.
	for deadline := time.Now().Add(10 * time.Second); pdfprint.ChildMemory(os.Getpid()) > 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("Chromium still runs after the PDF was abandoned: %d MB", pdfprint.ChildMemory(os.Getpid())>>20)
		}
	}
	printPDF(t, p, page)
}

// run runs a poppler tool on the PDF and returns what it printed.
func run(t *testing.T, pdf []byte, tool string, args ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append(args, path)
	if tool == "pdftotext" {
		args = append(args, "-")
	}
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatalf("%s (Debian package poppler-utils): %v", tool, err)
	}
	return string(out)
}

// keep keeps a PDF, with COPRODUCE_KEEP_PDF set to a folder, to be looked
// at (pdftoppm -png turns its pages into pictures).
func keep(t *testing.T, name string, pdf []byte) {
	if dir := os.Getenv("COPRODUCE_KEEP_PDF"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, name), pdf, 0o644)
	}
}
