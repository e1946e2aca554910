package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A facilitator attaches a paper to the demo's next workshop, with its
// large print version; a lay partner sees both listed and downloads the
// paper. Every page is checked with axe on the way.
func TestFacilitatorAttachesPapersToAMeeting(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		dir := t.TempDir()
		notes := filepath.Join(dir, "Travel notes.txt")
		large := filepath.Join(dir, "Travel notes large print.pdf")
		content := []byte("How to get to the library" + suffix + "\nBus 32 stops outside.\n")
		if err := os.WriteFile(notes, content, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(large, []byte("%PDF-1.4\n%%EOF\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		title := "Travel notes" + suffix

		tom := newTab(t, js)
		tom.signIn("tom.evans@example.org")
		project := tom.projectID(strokeProject)
		tom.visit(project + "/meetings")
		tom.click("[data-testid=meeting-list] a[href*='/meetings/']")
		meeting := strings.SplitN(tom.path(), "?", 2)[0]
		if got := tom.text("[data-testid=papers-due]"); !strings.Contains(got, "Papers are due 7 days before the meeting") {
			tom.fail("when papers are due: %q", got)
		}

		tom.do(chromedp.SetUploadFiles(chromedp.CSS("#paper_file"), []string{notes}))
		tom.fill("#paper_title", title)
		tom.click("[data-testid=add-paper]")
		if got := tom.text("[data-testid=papers]"); !strings.Contains(got, title+" (Plain text, ") {
			tom.fail("the paper is not listed: %q", got)
		}

		tom.do(chromedp.SetUploadFiles(chromedp.CSS("#paper_file"), []string{large}))
		tom.do(chromedp.SetValue(chromedp.CSS("#paper_version"), "large_print:"+
			eval[string](tom, `[...document.querySelectorAll('#paper_version option')].find(o => o.textContent.includes('`+title+`')).value.split(':')[1]`)))
		tom.click("[data-testid=add-paper]")
		if got := tom.text("[data-testid=paper-large_print]"); !strings.Contains(got, "Large print version of “"+title+"” (PDF, ") {
			tom.fail("the large print version is not listed: %q", got)
		}

		margaret := newTab(t, js)
		margaret.signIn("margaret.jones@example.org")
		margaret.visit(meeting)
		if margaret.count("[data-testid=add-paper]") != 0 || margaret.count("[data-testid=papers-late]") != 0 {
			margaret.fail("a lay partner is offered the paper forms or the late warning")
		}
		name, data := margaret.download("[data-testid=paper] a[data-testid=paper-link][href$='/papers/" +
			eval[string](margaret, `[...document.querySelectorAll('[data-testid=paper-link]')].find(a => a.textContent === '`+title+`').href.split('/papers/')[1]`) + "']")
		if name != "Travel notes.txt" || !bytes.Equal(data, content) {
			margaret.fail("downloaded %q: %q", name, data)
		}
	})
}
