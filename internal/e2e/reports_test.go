package e2e

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/csvsafe"
)

const strokeProject = "Improving stroke rehabilitation at home"

// download clicks a link that downloads a file and returns the file, as
// the browser saved it.
func (b *tab) download(sel string) (name string, data []byte) {
	b.t.Helper()
	dir := b.t.TempDir()
	if _, err := chromedp.Call(b.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior:         browser.SetDownloadBehaviorBehaviorAllow,
		BrowserContextID: chromedp.FromContext(b.ctx).BrowserContextID,
		DownloadPath:     dir,
	}); err != nil {
		b.fail("allow downloads: %v", err)
	}
	b.need(sel)
	b.do(chromedp.Click(chromedp.CSS(sel)))
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		if len(entries) == 1 && !strings.HasSuffix(entries[0].Name(), ".crdownload") {
			data, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
			if err != nil {
				b.fail("read download: %v", err)
			}
			return entries[0].Name(), data
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.fail("nothing was downloaded from %s", sel)
	return "", nil
}

func TestFacilitatorDownloadsTheBuildStageReport(t *testing.T) {
	modes(t, func(t *testing.T, js bool, _ string) {
		tom := newTab(t, js)
		tom.signIn("tom.evans@example.org")
		project := tom.projectID(strokeProject)
		tom.visit(project)
		tom.click("[data-testid=reports-link]")
		tom.click("[data-testid=report-build]")
		if got := tom.text("h1"); got != strokeProject {
			tom.fail("report heading %q", got)
		}
		comments := tom.text("[data-testid=report-comments]")
		if !strings.Contains(comments, "ŵyr a ŷd") || !strings.Contains(comments, "Margaret Jones") {
			tom.fail("the report's comments: %s", comments)
		}
		// Lay partners who did not agree to be named are labelled.
		if got := tom.text("main"); strings.Contains(got, "Siân Williams") || !strings.Contains(got, "Lay partner") {
			tom.fail("naming in the report: %s", got)
		}

		name, pdf := tom.download("[data-testid=report-downloads] a[href$='build.pdf']")
		if !strings.HasSuffix(name, "-build-report.pdf") || !strings.HasPrefix(string(pdf), "%PDF-") {
			tom.fail("PDF download %s (%d bytes)", name, len(pdf))
		}
		// A table cell's words may wrap onto lines of their own.
		if text := strings.Join(strings.Fields(pdfText(tom, pdf)), " "); !strings.Contains(text, "Step 6: Build") || !strings.Contains(text, "ŵyr a ŷd") {
			tom.fail("the PDF's text lacks the step or the Welsh comment:\n%s", text)
		}

		name, data := tom.download("[data-testid=report-downloads] a[href$='build.csv']")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), csvsafe.BOM))).ReadAll()
		if err != nil || !strings.HasSuffix(name, ".csv") || rows[0][0] != "Section" || len(rows) < 8 {
			tom.fail("CSV download %s: %v, %d rows", name, err, len(rows))
		}

		name, data = tom.download("[data-testid=report-downloads] a[href$='build.json']")
		var r struct {
			Scope    string            `json:"scope"`
			Comments []json.RawMessage `json:"comments"`
		}
		// Other journeys comment on the demo project too: the report holds
		// every comment the project has when it is downloaded.
		want := commentsInProject(t, 1)
		if err := json.Unmarshal(data, &r); err != nil || r.Scope != "build" || len(r.Comments) != want {
			tom.fail("JSON download %s: %v, scope %q, %d comments, want %d", name, err, r.Scope, len(r.Comments), want)
		}
	})
}

// pdfText extracts a PDF's text with poppler's pdftotext.
func pdfText(b *tab, pdf []byte) string {
	b.t.Helper()
	path := filepath.Join(b.t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		b.fail("%v", err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		b.fail("pdftotext (make test installs poppler-utils): %v", err)
	}
	return string(out)
}

func TestLeadPublishesThePublicPage(t *testing.T) {
	aisha := newTab(t, false)
	aisha.signIn("aisha.khan@example.org")
	project := aisha.projectID(strokeProject)
	aisha.visit(project + "/reports")
	// Publishing starts with a preview of exactly what will be public.
	aisha.click("[data-testid=preview-public]")
	if got := aisha.text("[data-testid=public-preview]"); !strings.Contains(got, "Exercise sheets with pictures") {
		aisha.fail("the preview: %s", got)
	}
	aisha.click("[data-testid=publish]")
	public := strings.TrimSpace(aisha.text("[data-testid=public-link]"))
	visitor := newTab(t, false)
	visitor.visit(public) // checked with axe, signed out
	page := visitor.text("main")
	if !strings.Contains(page, strokeProject) || !strings.Contains(page, "Exercise sheets with pictures") {
		visitor.fail("the public page: %s", page)
	}
	for _, private := range []string{"Margaret Jones", "Siân Williams", "example.org"} {
		if strings.Contains(page, private) {
			visitor.fail("the public page shows %q", private)
		}
	}
	aisha.visit(project + "/reports")
	aisha.click("[data-testid=unpublish]")
	visitor.do(chromedp.Navigate(baseURL + public))
	if got := visitor.text("h1"); strings.Contains(got, strokeProject) {
		visitor.fail("still public after unpublishing: %s", got)
	}
}

// commentsInProject counts a project's comments, hidden ones included, in
// the suite's database.
func commentsInProject(t *testing.T, projectID int64) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM comments c JOIN proposals p ON p.id = c.proposal_id
		WHERE p.project_id = $1`, projectID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
