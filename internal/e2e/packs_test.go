package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// printPDF prints the page as Chromium's print command does, on the
// page's own paper size (A4, from the stylesheet), without the browser's
// header and footer or background colours (as browsers print by default). With E2E_KEEP_PDF set to a folder, it keeps the file
// there as name, to be looked at.
func (b *tab) printPDF(name string) []byte {
	b.t.Helper()
	yes, no := true, false
	res, err := chromedp.Call(b.ctx, page.PrintToPDF, page.PrintToPDFParams{
		PreferCSSPageSize: &yes, DisplayHeaderFooter: &no, PrintBackground: &no})
	if err != nil {
		b.fail("print to PDF: %v", err)
	}
	if !strings.HasPrefix(string(res.Data), "%PDF-") {
		b.fail("printing gave no PDF (%d bytes)", len(res.Data))
	}
	if dir := os.Getenv("E2E_KEEP_PDF"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, name), res.Data, 0o644)
	}
	return res.Data
}

// pdfPages counts a PDF's pages from its text: pdftotext ends each page
// with a form feed.
func pdfPages(text string) int { return strings.Count(text, "\f") }

// smallestPrintedPoints is the smallest font size, in points, of any text
// in the pack as the print stylesheet lays it out.
func (b *tab) smallestPrintedPoints() float64 {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		b.fail("emulate print: %v", err)
	}
	defer func() {
		_, _ = chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
	}()
	// Every element that holds text of its own and is printed.
	return eval[float64](b, `Math.min(...[...document.querySelectorAll('[data-testid=pack] *')]
		.filter(e => e.getClientRects().length > 0 && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
		.map(e => Math.round(parseFloat(getComputedStyle(e).fontSize) * 0.75 * 10) / 10))`)
}

// A facilitator prints the purpose statement in standard and in large
// print, and the voting sheet for the open ideas: the printed pages hold
// the text, without the site's menus, and large print is at least 16 point
// and takes more pages.
func TestFacilitatorPrintsThePurposeStatementAndTheVotingSheet(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		tom := newTab(t, js)
		tom.signIn("tom.evans@example.org")
		project := tom.projectID(strokeProject)

		tom.visit(project + "/steps/be-clear")
		tom.click("[data-testid=print-purpose]")
		if got := eval[string](tom, `document.querySelector('[data-testid=pack]').dataset.size`); got != "standard" {
			tom.fail("the pack opens in %q print", got)
		}
		if js && tom.count("[data-app-print]:not([hidden])") != 1 {
			tom.fail("no Print button with JavaScript on")
		}
		standard := pdfText(tom, tom.printPDF("purpose-standard"+strings.ReplaceAll(suffix, " ", "_")+".pdf"))
		if small := tom.smallestPrintedPoints(); small >= 16 {
			tom.fail("standard print is already large: smallest text %.1fpt", small)
		}

		tom.choose("#size-2")
		tom.click("[data-testid=pack-size]")
		if !strings.Contains(tom.path(), "size=large") || tom.count(".app-pack--large") != 1 {
			tom.fail("choosing large print went to %s", tom.path())
		}
		large := pdfText(tom, tom.printPDF("purpose-large"+strings.ReplaceAll(suffix, " ", "_")+".pdf"))
		if small := tom.smallestPrintedPoints(); small < 16 {
			tom.fail("large print has text of %.1fpt, under 16pt", small)
		}
		for _, text := range []string{standard, large} {
			for _, want := range []string{strokeProject, "Purpose statement", "What the project is for", "Expenses and payment"} {
				if !strings.Contains(text, want) {
					tom.fail("the printed purpose statement lacks %q:\n%s", want, text)
				}
			}
			for _, menu := range []string{"Sign out", "Print size", "Back to", "Overview"} {
				if strings.Contains(text, menu) {
					tom.fail("the printed page shows %q:\n%s", menu, text)
				}
			}
		}
		if pdfPages(large) <= pdfPages(standard) {
			tom.fail("large print takes %d pages, standard %d", pdfPages(large), pdfPages(standard))
		}

		tom.visit(project + "/steps/build")
		tom.click("[data-testid=print-ideas]")
		ideas := tom.count("[data-testid=pack-idea]")
		if ideas == 0 {
			tom.fail("the voting sheet has no open ideas")
		}
		sheet := pdfText(tom, tom.printPDF("voting-sheet"+strings.ReplaceAll(suffix, " ", "_")+".pdf"))
		for _, want := range []string{"Voting sheet for open ideas", "Votes so far", "Support", "Neutral", "Object",
			"Margaret Jones", "Siân Williams", "A short video of each exercise"} {
			if !strings.Contains(sheet, want) {
				tom.fail("the printed voting sheet lacks %q:\n%s", want, sheet)
			}
		}
		// Each idea starts a page of its own.
		if pdfPages(sheet) < ideas {
			tom.fail("%d ideas printed on %d pages", ideas, pdfPages(sheet))
		}
	})
}
