package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// outcomeOf proposes an outcome in a project as by.
func outcomeOf(t *testing.T, sp *stepProject, by *coproduce.User, projectID int64, title string) int64 {
	t.Helper()
	id, err := sp.e.store.ProposeOutcome(context.Background(), by.ID, projectID, coproduce.OutcomeInput{Title: title})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A facilitator ticks, on the entry's form, an outcome the change helped:
// the log links to the outcome's page, the outcome's page names the
// change, and the form to change the entry shows it ticked. An outcome not
// agreed or withdrawn is not offered.
func TestImpactEntryLinksAnOutcome(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sp := newStepProject(t)
	ours := outcomeOf(t, sp, sp.lay, sp.p.ID, "Fewer missed visits")
	refused := outcomeOf(t, sp, sp.lay, sp.p.ID, "Free parking")
	if err := sp.e.store.DecideOutcome(ctx, sp.lead.ID, sp.p.ID, refused, coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeNotAgreed, Reason: "Not ours"}); err != nil {
		t.Fatal(err)
	}
	withdrawn := outcomeOf(t, sp, sp.lay, sp.p.ID, "Shorter letters")
	if err := sp.e.store.WithdrawOutcome(ctx, sp.lay.ID, sp.p.ID, withdrawn, ""); err != nil {
		t.Fatal(err)
	}

	newPage := sp.facC.open(t, sp.path("/evaluate/impact/new"))
	offered := newPage.doc.Find("input[name=outcomes]")
	if offered.Length() != 1 || offered.AttrOr("value", "") != itoa(ours) {
		t.Errorf("%d outcomes offered, want only the one waiting for an answer", offered.Length())
	}
	res := newPage.form("Add to the impact log").
		fill("What changed, in a few words", "Texts the day before").
		fill("What is different now, and how did partners taking part lead to it?", "Families know when we come.").
		fill("When did it change?", time.Now().AddDate(0, 0, -1).Format(time.DateOnly)).
		check("Fewer missed visits").submit()
	wantRedirect(t, res, sp.path("/evaluate/impact?notice=impact-added#entry-"))

	log := sp.layC.follow(t, res)
	if got := text(log.doc, "[data-testid=impact-outcomes]"); !strings.Contains(got, "Fewer missed visits") {
		t.Errorf("the log's outcomes read %q", got)
	}
	if href := log.doc.Find("[data-testid=impact-outcomes] a").AttrOr("href", ""); href != sp.path("/evaluate/outcomes/"+itoa(ours)) {
		t.Errorf("the log links the outcome to %q", href)
	}
	said := text(sp.layC.open(t, sp.path("/evaluate/outcomes/"+itoa(ours))).doc, "[data-testid=outcome-impact]")
	if !strings.Contains(said, "Texts the day before") {
		t.Errorf("the outcome's page names %q", said)
	}
	edit := sp.facC.open(t, sp.path("/evaluate/impact")).followLink("Change this entry Texts the day before")
	if _, checked := edit.doc.Find("input[name=outcomes][value='" + itoa(ours) + "']").Attr("checked"); !checked {
		t.Error("the form to change the entry does not show the outcome ticked")
	}
}

// An outcome of another project, put into the form as if ticked, is
// refused with the error summary and the entry is not recorded.
func TestImpactEntryRefusesAnotherProjectsOutcome(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	other := pgtest.Project(t, sp.e.store, sp.outsider)
	theirs := outcomeOf(t, sp, sp.outsider, other.ID, "Their outcome")
	f := sp.facC.open(t, sp.path("/evaluate/impact/new")).form("Add to the impact log").
		fill("What changed, in a few words", "Texts the day before").
		fill("What is different now, and how did partners taking part lead to it?", "Families know when we come.").
		fill("When did it change?", time.Now().AddDate(0, 0, -1).Format(time.DateOnly))
	f.values.Add("outcomes", itoa(theirs))
	res := f.submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := sp.facC.pageOf(t, sp.path("/evaluate/impact/new"), res)
	if got := text(again.doc, "[data-testid=error-summary]"); !strings.Contains(got, "Choose outcomes from this project's list") {
		t.Errorf("error summary %q", got)
	}
	if strings.Contains(again.doc.Text(), "Their outcome") {
		t.Error("the form shows the other project's outcome")
	}
	if n := sp.e.count(`SELECT count(*) FROM impact_entries`); n != 0 {
		t.Errorf("%d entries stored", n)
	}
}

// The outcome's proposer changes its words on its page (the earlier words
// kept there); a staff partner is offered neither change; a facilitator
// withdraws it with a reason. Withdrawn, it says so, takes no views, and
// leaves the list's "waiting" part for its "withdrawn" part.
func TestOutcomeChangedAndWithdrawn(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	id := outcomeOf(t, sp, sp.lay, sp.p.ID, "Fewer missed visits")
	path := sp.path("/evaluate/outcomes/" + itoa(id))

	staff := sp.staffC.open(t, path)
	if staff.has("Save the changed outcome") || staff.has("Withdraw this outcome") {
		t.Error("a staff partner who did not suggest it is offered to change or withdraw it")
	}

	res := sp.layC.open(t, path).form("Save the changed outcome").fill("What outcome matters to you?", "").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := text(sp.layC.pageOf(t, path, res).doc, "[data-testid=error-summary]"); !strings.Contains(got, "Enter the outcome that matters to you") {
		t.Errorf("error summary %q", got)
	}
	res = sp.layC.open(t, path).form("Save the changed outcome").fill("What outcome matters to you?", "Fewer visits missed or moved").
		fill("Why does it matter? (optional)", "Waiting in all day").submit()
	wantRedirect(t, res, path+"?notice=outcome-changed")
	changed := sp.layC.follow(t, res)
	if got := text(changed.doc, "[data-testid=outcome-title]"); got != "Fewer visits missed or moved" {
		t.Errorf("the title is now %q", got)
	}
	if got := text(changed.doc, "[data-testid=outcome-wordings]"); !strings.Contains(got, "Fewer missed visits") || !strings.Contains(got, sp.lay.Name) {
		t.Errorf("earlier words %q", got)
	}

	res = sp.facC.open(t, path).form("Withdraw this outcome").fill("Why is it being withdrawn? (optional)", "Covered by another outcome").submit()
	wantRedirect(t, res, path+"?notice=outcome-withdrawn")
	page := sp.layC.follow(t, res)
	if got := text(page.doc, "[data-testid=outcome-withdrawn]"); !strings.Contains(got, "Withdrawn") || !strings.Contains(got, "Covered by another outcome") {
		t.Errorf("the page says %q", got)
	}
	if page.has("Save what you think") || page.has("Save the changed outcome") {
		t.Error("a withdrawn outcome still takes views or changes")
	}
	list := sp.layC.open(t, sp.path("/evaluate/outcomes"))
	if strings.Contains(text(list.doc, "[data-testid=outcomes-open]"), "Fewer visits") ||
		!strings.Contains(text(list.doc, "[data-testid=outcomes-withdrawn]"), "Fewer visits missed or moved") {
		t.Errorf("the list shows it waiting, or not withdrawn")
	}
	if n := sp.facC.open(t, sp.path("/evaluate/impact/new")).doc.Find("input[name=outcomes]").Length(); n != 0 {
		t.Errorf("%d outcomes offered to the impact log after the only one was withdrawn", n)
	}
	if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE project_id = $1 AND action IN ('outcome.change', 'outcome.withdraw')`, sp.p.ID); n != 2 {
		t.Errorf("%d audit events, want the change and the withdrawal", n)
	}
}
