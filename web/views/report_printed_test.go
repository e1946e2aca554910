package views

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/report"
)

// A printed report's "You said, we did" gives answered and acted-on ideas
// in full, and lists only the newest of the ideas still waiting for an
// answer, one short row each, saying how many wait in all and where the
// rest are; the report's page lists every idea in full.
func TestPrintedReportListsTheNewestWaitingIdeas(t *testing.T) {
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	catalog.Strict = true
	ctx := i18n.WithLocalizer(context.Background(), catalog.Localizer("en"))
	r := &report.Report{Printed: true}
	r.Proposals = append(r.Proposals, report.Proposal{Title: "Answered idea", Response: "adopted"},
		report.Proposal{Title: "Idea with an action", Open: true, Actions: []report.Action{{Description: "Book a room", Status: "not_started"}}},
		report.Proposal{Title: "Withdrawn idea", Open: true, Withdrawn: true})
	for i := range report.PrintedWaitingIdeas + 50 {
		r.Proposals = append(r.Proposals, report.Proposal{Title: "Waiting " + strconv.Itoa(i), Open: true})
	}
	section := func(r *report.Report) *goquery.Document {
		var b strings.Builder
		waiting := report.WaitingIdeas{}
		list := r.Proposals
		if r.Printed {
			list, waiting = r.PrintedDone(), r.PrintedWaiting()
		}
		if err := reportProposals(list, waiting).Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		d, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	d := section(r)
	full := d.Find("[data-testid=report-proposals] tbody tr")
	if full.Length() != 3 || !strings.Contains(full.Text(), "Idea with an action") || strings.Contains(full.Text(), "Waiting") {
		t.Errorf("full table has %d rows: %q", full.Length(), full.Text())
	}
	short := d.Find("[data-testid=report-waiting] tbody tr")
	if short.Length() != report.PrintedWaitingIdeas || short.First().Find("td").First().Text() != "Waiting 0" ||
		short.Last().Find("td").First().Text() != "Waiting 199" {
		t.Errorf("waiting table: %d rows, first %q, last %q", short.Length(), short.First().Text(), short.Last().Text())
	}
	text := strings.Join(strings.Fields(d.Text()), " ")
	for _, want := range []string{"Ideas still waiting for an answer: 250", "The newest 200 are listed here."} {
		if !strings.Contains(text, want) {
			t.Errorf("printed section lacks %q", want)
		}
	}

	r.Printed = false
	page := section(r)
	if n := page.Find("[data-testid=report-proposals] tbody tr").Length(); n != 253 || page.Find("[data-testid=report-waiting]").Length() != 0 {
		t.Errorf("the report's page: %d ideas in full, want all 253", n)
	}
}
