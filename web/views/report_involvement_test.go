package views

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/report"
)

// The report page's "Involvement and its impact" shows hand-filled
// outcomes and a principles round, lay partners and staff side by side,
// and says "Not recorded yet" when there are none.
func TestReportInvolvementHTML(t *testing.T) {
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	catalog.Strict = true
	ctx := i18n.WithLocalizer(context.Background(), catalog.Localizer("en"))
	lay := 2.5
	inv := &report.Involvement{
		Methods: report.InvolvementMethods{MembersByRole: map[coproduce.ProjectRole]int{}, AttendanceByRole: map[coproduce.ProjectRole]int{}},
		Outcomes: []coproduce.ReportOutcome{{Title: "Fewer missed visits", Measure: "A number", Baseline: "12", Target: "3",
			Latest: &coproduce.ReportReading{Value: "5", On: "2026-03-01", Source: "Rota"}}},
		PrinciplesRounds: []coproduce.ReportPrinciplesRound{{Title: "Spring round",
			Principles: []coproduce.ReportPrincipleMeans{{Principle: "networks", Lay: &lay}}}},
	}
	page := func(inv *report.Involvement) *goquery.Document {
		var b strings.Builder
		if err := reportInvolvement(inv).Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		d, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := page(inv)
	var headings []string
	d.Find("h3").Each(func(_ int, s *goquery.Selection) { headings = append(headings, s.Text()) })
	if got := strings.Join(headings, "|"); got != "1. Aim of the involvement|2. Methods|3. Results|4. Outcomes and influence|5. Critical reflection" {
		t.Errorf("GRIPP2 headings %q", got)
	}
	body := strings.Join(strings.Fields(d.Text()), " ")
	for _, want := range []string{"Fewer missed visits", "5 on 2026-03-01 (Rota)", "Spring round", "Networks: working with others",
		"2.5", "Fewer than three answered", "The members have not written their reflection yet."} {
		if !strings.Contains(body, want) {
			t.Errorf("the section lacks %q:\n%s", want, body)
		}
	}
	empty := page(&report.Involvement{})
	if empty.Find("[data-testid=report-outcomes-none]").Length() != 1 || empty.Find("[data-testid=report-principles-none]").Length() != 1 {
		t.Error("with no outcomes or rounds, the section does not say they are not recorded yet")
	}
}
