package server_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// A lay partner suggests an outcome; members say what they think, one
// view each, shown by side; a lead agrees it with a reason; a facilitator
// says how it is measured; members add readings, which the table lists in
// date order and the chart draws. Every form is submitted as the page
// draws it, and each refuses what does not fit with the words kept.
func TestOutcomeFromSuggestionToReadings(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	list := sp.path("/evaluate/outcomes")
	var outcome string

	t.Run("SuggestionWithoutTitleIsShownAgain", func(t *testing.T) {
		res := sp.layC.open(t, list).form("Suggest the outcome").fill("What outcome matters to you?", " ").
			fill("Why does it matter? (optional)", "My husband waited all day").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if got := text(d, "[data-testid=error-summary]"); !strings.Contains(got, "Enter the outcome that matters to you") {
			t.Errorf("error summary %q", got)
		}
		if got := d.Find("#why").Text(); got != "My husband waited all day" {
			t.Errorf("the reason typed was not kept: %q", got)
		}
	})

	t.Run("LayPartnerSuggests", func(t *testing.T) {
		res := sp.layC.open(t, list).form("Suggest the outcome").fill("What outcome matters to you?", "Fewer missed visits").
			fill("Why does it matter? (optional)", "My husband waited all day").submit()
		outcome, _, _ = strings.Cut(res.Header().Get("Location"), "?")
		page := sp.layC.follow(t, res)
		if got := text(page.doc, "[data-testid=outcome-title]"); got != "Fewer missed visits" {
			t.Errorf("title %q", got)
		}
		if !strings.Contains(page.doc.Text(), "Suggested by "+sp.lay.Name+" (Lay partner)") {
			t.Error("the page does not say who suggested it, as a lay partner")
		}
	})

	t.Run("OneViewPerPersonBySide", func(t *testing.T) {
		sp.layC.follow(t, sp.layC.open(t, outcome).form("Save what you think").check("Object").submit())
		sp.layC.follow(t, sp.layC.open(t, outcome).form("Save what you think").check("Support").submit())
		page := sp.staffC.follow(t, sp.staffC.open(t, outcome).form("Save what you think").check("Neutral").submit())
		if got := cells(page.doc, "[data-testid=tally-lay] td"); got != "1|0|0" {
			t.Errorf("lay partners' views %q, want one support", got)
		}
		if got := cells(page.doc, "[data-testid=tally-staff] td"); got != "0|1|0" {
			t.Errorf("staff views %q, want one neutral", got)
		}
	})

	t.Run("OnlyALeadAnswersAndMustSayWhy", func(t *testing.T) {
		if sp.facC.open(t, outcome).has("Save the answer") {
			t.Error("a facilitator is offered the lead's answer")
		}
		res := sp.leadC.open(t, outcome).form("Save the answer").check("Agreed").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if got := text(doc(t, res), "[data-testid=error-summary]"); !strings.Contains(got, "Enter why") {
			t.Errorf("error summary %q", got)
		}
		page := sp.leadC.follow(t, sp.leadC.open(t, outcome).form("Save the answer").check("Agreed").
			fill("Why?", "Carers told us missed visits matter most.").submit())
		if got := text(page.doc, "[data-testid=outcome-answer]"); !strings.Contains(got, "Agreed") || !strings.Contains(got, "Carers told us missed visits matter most.") {
			t.Errorf("answer reads %q", got)
		}
		if sp.staffC.open(t, outcome).has("Save what you think") {
			t.Error("an answered outcome still takes views")
		}
	})

	t.Run("FacilitatorSaysHowItIsMeasured", func(t *testing.T) {
		if sp.layC.open(t, outcome).has("Save how it is measured") {
			t.Error("a lay partner is offered the measure form")
		}
		res := sp.facC.open(t, outcome).form("Save how it is measured").check("A number").
			fill("What does the number count? (for a number only)", "missed visits a month").
			fill("Baseline: where things stand now", "lots").fill("Target: where we want to get to", "4").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if got := text(d, "[data-testid=error-summary]"); !strings.Contains(got, "Enter the baseline as a number") {
			t.Errorf("error summary %q", got)
		}
		if v := d.Find("#baseline").AttrOr("value", ""); v != "lots" {
			t.Errorf("the baseline typed was not kept: %q", v)
		}
		page := sp.facC.follow(t, sp.facC.open(t, outcome).form("Save how it is measured").check("A number").
			fill("What does the number count? (for a number only)", "missed visits a month").
			fill("Baseline: where things stand now", "12").fill("Target: where we want to get to", "4").submit())
		if got := text(page.doc, "[data-testid=measure]"); !strings.Contains(got, "12 missed visits a month") || !strings.Contains(got, "4 missed visits a month") {
			t.Errorf("measure reads %q", got)
		}
	})

	t.Run("ReadingsInDateOrderInTableAndChart", func(t *testing.T) {
		add := func(c *client, day, value, source string) *page {
			t.Helper()
			return c.follow(t, c.open(t, outcome).form("Add the reading").fill("Date of the reading", day).
				fill("Reading (missed visits a month)", value).fill("Where did this come from?", source).submit())
		}
		today := time.Now().In(coproduce.UK)
		add(sp.layC, today.AddDate(0, 0, -10).Format(time.DateOnly), "7", "Ward records")
		page := add(sp.staffC, today.AddDate(0, -2, 0).Format(time.DateOnly), "10", "Carers' survey")
		got := cells(page.doc, "[data-testid=readings] tbody tr td:nth-child(2)")
		if got != "12 missed visits a month|10 missed visits a month|7 missed visits a month|4 missed visits a month" {
			t.Errorf("the table reads %q, want the baseline, the readings by date, the target", got)
		}
		if !strings.Contains(text(page.doc, "[data-testid=readings]"), "Carers' survey") {
			t.Error("the table does not say where a reading came from")
		}
		chart := page.doc.Find("[data-testid=outcome-chart]")
		if chart.AttrOr("role", "") != "img" || chart.Find(".app-outcome-chart__readings circle").Length() != 2 {
			t.Errorf("the chart is not one image with two readings: %d points", chart.Find(".app-outcome-chart__readings circle").Length())
		}
		if desc := fold(chart.Find("desc").Text()); !strings.Contains(desc, "2 readings") || !strings.Contains(desc, "from 10 missed visits a month to 7 missed visits a month") {
			t.Errorf("the chart is described as %q", desc)
		}
		// The newer reading is drawn to the right of the older, and lower.
		pts := chart.Find(".app-outcome-chart__readings circle")
		x0, x1 := pts.Eq(0).AttrOr("cx", ""), pts.Eq(1).AttrOr("cx", "")
		y0, y1 := pts.Eq(0).AttrOr("cy", ""), pts.Eq(1).AttrOr("cy", "")
		if !(atof(t, x0) < atof(t, x1)) || !(atof(t, y0) < atof(t, y1)) {
			t.Errorf("points at (%s,%s) and (%s,%s): the older reading of 10 should be left of and above the 7", x0, y0, x1, y1)
		}
		if got := text(sp.layC.open(t, list).doc, "[data-testid=outcomes-agreed]"); !strings.Contains(got, "Latest reading: 7 missed visits a month") {
			t.Errorf("the list of outcomes reads %q", got)
		}
	})

	t.Run("FutureReadingIsRefused", func(t *testing.T) {
		res := sp.layC.open(t, outcome).form("Add the reading").
			fill("Date of the reading", time.Now().AddDate(0, 0, 3).Format(time.DateOnly)).
			fill("Reading (missed visits a month)", "5").fill("Where did this come from?", "A guess").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if got := text(doc(t, res), "[data-testid=error-summary]"); !strings.Contains(got, "cannot be in the future") {
			t.Errorf("error summary %q", got)
		}
	})

	t.Run("InTheLayPartnersDataDownload", func(t *testing.T) {
		res := sp.layC.get("/me/data")
		wantStatus(t, res, http.StatusOK)
		var d coproduce.PersonalData
		if err := json.Unmarshal(res.Body.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Outcomes) != 1 || d.Outcomes[0].Title != "Fewer missed visits" || len(d.OutcomeViews) != 1 ||
			d.OutcomeViews[0].Choice != "support" || len(d.Readings) != 1 || !strings.Contains(d.Readings[0].Text, "Ward records") {
			t.Errorf("the lay partner's data: outcomes %+v, views %+v, readings %+v", d.Outcomes, d.OutcomeViews, d.Readings)
		}
	})

	t.Run("OutsidersGetNotFound", func(t *testing.T) {
		wantStatus(t, sp.outsideC.get(outcome), http.StatusNotFound)
		wantStatus(t, sp.outsideC.get(list), http.StatusNotFound)
	})
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return f
}
