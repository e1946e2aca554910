package server_test

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/server"
)

// manyScripts are comments as people write them, in the languages most
// written in England and Wales after English: each must come back from
// the PDF whole and in order (right-to-left ones too).
var manyScripts = map[string]string{
	"Welsh":    "Diolch yn fawr am y cyfle i siarad ŵyn ac ŷd",
	"Polish":   "Dziękuję za spotkanie, źródło żółwia",
	"Romanian": "Mulțumesc pentru întâlnire, știință și țară",
	"Urdu":     "میں اس خیال کی حمایت کرتا ہوں",
	"Arabic":   "شكرا جزيلا على هذه الفكرة",
	"Bengali":  "আমি এই ধারণাকে সমর্থন করি",
	"Punjabi":  "ਮੈਂ ਇਸ ਵਿਚਾਰ ਦਾ ਸਮਰਥਨ ਕਰਦਾ ਹਾਂ",
	"Chinese":  "我支持这个想法，谢谢大家",
}

// scriptsProject is the report project with a comment in each of
// manyScripts, from the three members who may comment.
func scriptsProject(t *testing.T) *stepProject {
	t.Helper()
	sp := reportProject(t)
	idea := sp.propose(t, sp.leadC, "Ideas in every language")
	clients := []*client{sp.layC, sp.staffC, sp.leadC}
	i := 0
	for lang, text := range manyScripts {
		res := clients[i%len(clients)].post(idea+"/comments", url.Values{"body": {text}, "form_token": {"s-" + lang}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("comment in %s: %d", lang, res.Code)
		}
		i++
	}
	return sp
}

// A report's PDF is tagged, titled and in the person's language, and
// every script comes back from it as it was written.
func TestReportPDFIsTaggedInEveryScript(t *testing.T) {
	t.Parallel()
	sp := scriptsProject(t)
	res := sp.leadC.get(sp.path("/reports/project.pdf"))
	wantStatus(t, res, http.StatusOK)
	pdf := res.Body.Bytes()
	keepPDF(t, "report.pdf", pdf)
	info := pdfInfo(t, pdf)
	if info["Tagged"] != "yes" {
		t.Errorf("the PDF is not tagged: %q", info["Tagged"])
	}
	if want := "Report: " + sp.p.Title; !strings.Contains(info["Title"], sp.p.Title) {
		t.Errorf("the PDF's title is %q, want %q", info["Title"], want)
	}
	if !strings.Contains(string(pdf), "/Lang (en-GB)") && !strings.Contains(string(pdf), "/Lang (en)") {
		t.Error("the PDF does not say its language")
	}
	// The comments whose script names their language carry it in the
	// PDF's tags, for a screen reader's voice.
	for _, lang := range []string{"ur", "bn", "pa", "zh"} {
		if !strings.Contains(string(pdf), "/Lang ("+lang+")") {
			t.Errorf("no text of the PDF is tagged as in %q", lang)
		}
	}
	// Read two ways: as laid out, where a wrapped cell's lines interleave
	// with its neighbours'; and in the order the PDF holds the text, each
	// cell whole, but right-to-left runs as drawn, left to right.
	text, inOrder := pdfText(t, pdf), pdfTextInOrder(t, pdf)
	for lang, want := range manyScripts {
		// Compared without white space: a line may break anywhere, and
		// pdftotext puts spaces of its own between Chinese characters.
		if !strings.Contains(squash(text), squash(want)) && !strings.Contains(squash(inOrder), squash(want)) {
			t.Errorf("the PDF's text lacks the %s comment %q", lang, want)
		}
	}
	if t.Failed() {
		t.Logf("the PDF's text:\n%s", text)
	}
}

// A pack in large print comes as a tagged PDF with nothing smaller than 16
// point, and takes more pages than standard print.
func TestPackPDFInLargePrint(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	long := strings.Repeat("Rehabilitation at home that fits daily life, planned with the people who use it. ", 6)
	res := sp.leadC.open(t, sp.path("/steps/be-clear/purpose")).form("Save new version").
		fill("What the project is for", long).fill("What we ask of you", long).fill("What cannot change", long).
		fill("What is open to change", long).fill("How your ideas will be used", long).
		fill("Expenses and payment", "Travel is paid back.").submit()
	wantRedirect(t, res, sp.path("/steps/be-clear"))
	pack := openLink(t, sp.layC, sp.path("/steps/be-clear"), "print-purpose")
	large := sp.layC.pageOf(t, pack.path, pack.form("Show in this size").check("Large print").submit())
	pages := map[string]int{}
	for size, p := range map[string]*page{"standard": pack, "large": large} {
		href, ok := p.doc.Find("[data-testid=pack-pdf]").Attr("href")
		if !ok {
			t.Fatalf("%s: the pack offers no PDF", size)
		}
		res := sp.layC.get(href)
		wantStatus(t, res, http.StatusOK)
		pdf := res.Body.Bytes()
		keepPDF(t, "purpose-"+size+".pdf", pdf)
		info := pdfInfo(t, pdf)
		if info["Tagged"] != "yes" {
			t.Errorf("%s: the PDF is not tagged", size)
		}
		if !strings.Contains(info["Title"], "Purpose statement") {
			t.Errorf("%s: the PDF's title is %q", size, info["Title"])
		}
		text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
		for _, want := range []string{"Purpose statement", "What the project is for"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the PDF lacks %q:\n%s", size, want, text)
			}
		}
		for _, menu := range []string{"Sign out", "Print size", "Download as a PDF"} {
			if strings.Contains(text, menu) {
				t.Errorf("%s: the PDF shows %q", size, menu)
			}
		}
		smallest := smallestPoints(t, pdf)
		if size == "large" && smallest < 16 {
			t.Errorf("large print has text of %.1f pt, under 16 pt", smallest)
		}
		if size == "standard" && smallest >= 16 {
			t.Errorf("standard print is already large: smallest text %.1f pt", smallest)
		}
		pages[size] = strings.Count(pdfText(t, pdf), "\f")
	}
	if pages["large"] <= pages["standard"] {
		t.Errorf("large print takes %d pages, standard %d", pages["large"], pages["standard"])
	}
}

// When every PDF slot is taken and every waiting place too, a PDF is
// refused at once with 503, a plain message and when to try again,
// rather than joining a queue without end.
func TestBusyPDFAsksToTryAgain(t *testing.T) {
	t.Parallel()
	sp := reportProject(t)
	release := server.HoldPDFSlots(sp.e.server)
	res := sp.leadC.get(sp.path("/reports/project.pdf"))
	wantStatus(t, res, http.StatusServiceUnavailable)
	if got := res.Header().Get("Retry-After"); got == "" {
		t.Error("a busy answer without Retry-After")
	}
	if !strings.Contains(res.Body.String(), "try again in a minute") {
		t.Errorf("the busy page does not say to try again:\n%s", res.Body.String())
	}
	wantStatus(t, sp.leadC.get(sp.path("/steps/build/print.pdf")), http.StatusServiceUnavailable)
	release()
	wantStatus(t, sp.leadC.get(sp.path("/reports/project.pdf")), http.StatusOK)
}

// squash drops a text's white space and the marks pdftotext puts around right-to-left lines.
func squash(s string) string { return bidiMarks.Replace(strings.Join(strings.Fields(s), "")) }

// bidiMarks are the embedding marks pdftotext puts around each line of
// right-to-left text, which a comment wrapped onto two lines has inside.
var bidiMarks = strings.NewReplacer("\u202a", "", "\u202b", "", "\u202c", "", "\u202d", "", "\u202e", "")

// pdfInfo is what poppler's pdfinfo says of a PDF, by field.
func pdfInfo(t *testing.T, pdf []byte) map[string]string {
	t.Helper()
	out, err := exec.Command("pdfinfo", writeTemp(t, pdf)).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}

func writeTemp(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// keepPDF keeps a PDF, with COPRODUCE_KEEP_PDF set to a folder, to be
// looked at (pdftoppm -png turns its pages into pictures).
func keepPDF(t *testing.T, name string, pdf []byte) {
	if dir := os.Getenv("COPRODUCE_KEEP_PDF"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+"-"+name), pdf, 0o644)
	}
}

// fontSize finds the font sizes in pdftohtml's XML.
var fontSize = regexp.MustCompile(`<fontspec id="\d+" size="(-?[\d.]+)"`)

// smallestPoints is the smallest font size, in points, of any text in the
// PDF, as poppler's pdftohtml reads it (at zoom 1, a size is in points).
func smallestPoints(t *testing.T, pdf []byte) float64 {
	t.Helper()
	out, err := exec.Command("pdftohtml", "-xml", "-i", "-q", "-stdout", "-zoom", "1", writeTemp(t, pdf)).Output()
	if err != nil {
		t.Fatalf("pdftohtml: %v", err)
	}
	smallest := 0.0
	for _, m := range fontSize.FindAllStringSubmatch(string(out), -1) {
		size, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		if smallest == 0 || size < smallest {
			smallest = size
		}
	}
	if smallest == 0 {
		t.Fatal("pdftohtml found no text")
	}
	return smallest
}
