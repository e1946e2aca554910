package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/report"
)

// impactIdea is a lay partner's idea in the step project, adopted, with
// an action.
func impactIdea(t *testing.T, sp *stepProject, title string) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := sp.e.store.CreateProposal(ctx, sp.lay.ID, sp.p.ID, coproduce.ProposalInput{Title: title, Body: "Please."})
	if err != nil {
		t.Fatal(err)
	}
	if err := sp.e.store.RespondToProposal(ctx, sp.lead.ID, sp.p.ID, id, coproduce.ResponseInput{Response: coproduce.Adopted, Rationale: "Yes"}); err != nil {
		t.Fatal(err)
	}
	due := time.Now().AddDate(0, 0, 10)
	if err := sp.e.store.AddAction(ctx, sp.lead.ID, sp.p.ID, id, coproduce.ActionInput{Description: "Print the sheets", Owner: "Tom",
		DueOn: due.Format(time.DateOnly), Status: "in_progress"}, due); err != nil {
		t.Fatal(err)
	}
	return id
}

// A facilitator records a change in the impact log through its form,
// linked to a lay partner's idea and naming her as a contributor; every
// member reads it in the log, and the idea's page says it changed
// something. A lay partner is offered no way to record one.
func TestFacilitatorRecordsAChange(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	idea := impactIdea(t, sp, "Large print exercise sheets")
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)

	layLog := sp.layC.open(t, sp.path("/evaluate/impact"))
	if layLog.doc.Find("[data-testid=new-impact]").Length() != 0 || layLog.doc.Find("[data-testid=impact-empty]").Length() != 1 {
		t.Error("a lay partner is offered to record a change, or the empty log does not say so")
	}
	wantStatus(t, sp.layC.get(sp.path("/evaluate/impact/new")), http.StatusForbidden)

	form := sp.facC.open(t, sp.path("/evaluate/impact")).followLink("Record a change").form("Add to the impact log")
	res := form.fill("What changed, in a few words", "Sheets in large print").fill("When did it change?", time.Now().AddDate(0, 0, 2).Format(time.DateOnly)).submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := sp.facC.pageOf(t, sp.path("/evaluate/impact/new"), res)
	if got := text(again.doc, "[data-testid=error-summary]"); !strings.Contains(got, "Enter what is different now") ||
		!strings.Contains(got, "must be today or in the past") {
		t.Errorf("error summary %q", got)
	}
	if got := again.doc.Find("#title").AttrOr("value", ""); got != "Sheets in large print" {
		t.Errorf("the title was not kept: %q", got)
	}
	res = again.form("Add to the impact log").
		fill("What is different now, and how did partners taking part lead to it?", "Every exercise sheet is now in 16 point.").
		fill("When did it change?", yesterday).
		check("Large print exercise sheets").
		check("Print the sheets (from the idea “Large print exercise sheets”)").
		check(sp.lay.Name + " (Lay partner)").submit()
	wantRedirect(t, res, sp.path("/evaluate/impact?notice=impact-added#entry-"))

	log := sp.layC.follow(t, res)
	if got := text(log.doc, "[data-testid=impact-log]"); !strings.Contains(got, "Sheets in large print") ||
		!strings.Contains(got, "Every exercise sheet is now in 16 point.") || !strings.Contains(got, "Who contributed: "+sp.lay.Name) ||
		!strings.Contains(got, "Large print exercise sheets") || !strings.Contains(got, "Print the sheets") {
		t.Errorf("the log reads %q", got)
	}
	ideaPage := sp.layC.open(t, sp.path("/proposals/"+itoa(idea)))
	said := text(ideaPage.doc, "[data-testid=idea-impact]")
	if !strings.Contains(said, "This idea changed something:") || !strings.Contains(said, "Sheets in large print") {
		t.Errorf("the idea's page says %q", said)
	}
	if href := ideaPage.doc.Find("[data-testid=idea-impact] a").AttrOr("href", ""); !strings.HasPrefix(href, sp.path("/evaluate/impact#entry-")) {
		t.Errorf("the idea's page links to %q", href)
	}
	if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE project_id = $1 AND action = 'impact.add'`, sp.p.ID); n != 1 {
		t.Errorf("%d audit events for the new entry", n)
	}
}

// A lead changes an entry (no longer linked to the idea, whose page then
// says nothing) and then takes it out of the log.
func TestLeadChangesAndRemovesAnEntry(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	idea := impactIdea(t, sp, "Texts the day before")
	id, err := sp.e.store.AddImpactEntry(context.Background(), sp.lead.ID, sp.p.ID, coproduce.ImpactValues{Title: "Texts sent",
		WhatChanged: "Families get a text.", ChangedOn: time.Now().AddDate(0, 0, -3), Ideas: []int64{idea}})
	if err != nil {
		t.Fatal(err)
	}
	edit := sp.leadC.open(t, sp.path("/evaluate/impact")).followLink("Change this entry Texts sent")
	if got := edit.doc.Find("#changed_on").AttrOr("value", ""); got != time.Now().AddDate(0, 0, -3).Format(time.DateOnly) {
		t.Errorf("the form shows the date as %q", got)
	}
	res := edit.form("Save the entry").uncheck("Texts the day before").fill("What changed, in a few words", "Texts sent the day before").submit()
	wantRedirect(t, res, sp.path("/evaluate/impact?notice=impact-saved#entry-"+itoa(id)))
	if got := text(sp.leadC.follow(t, res).doc, "[data-testid=impact-log]"); !strings.Contains(got, "Texts sent the day before") {
		t.Errorf("after the change the log reads %q", got)
	}
	if n := sp.layC.open(t, sp.path("/proposals/"+itoa(idea))).doc.Find("[data-testid=idea-impact]").Length(); n != 0 {
		t.Error("the idea still says it changed something after its link was taken away")
	}
	res = sp.leadC.open(t, sp.path("/evaluate/impact/"+itoa(id))).form("Remove from the impact log").submit()
	wantRedirect(t, res, sp.path("/evaluate/impact?notice=impact-removed"))
	if sp.leadC.follow(t, res).doc.Find("[data-testid=impact-empty]").Length() != 1 {
		t.Error("the log is not empty after removing its one entry")
	}
}

// Members write the reflection together: a lay partner writes it; a staff
// partner who opened the page before she saved is told, keeps his words
// and sees hers, and saves again; both versions are kept. An
// administrator reads it but is offered no form.
func TestMembersWriteTheReflectionTogether(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	staffPage := sp.staffC.open(t, sp.path("/evaluate/reflection"))
	res := sp.layC.open(t, sp.path("/evaluate/reflection")).form("Save the reflection").
		fill("The reflection", "The workshops went well.").submit()
	wantRedirect(t, res, sp.path("/evaluate/reflection?notice=reflection-saved"))

	res = staffPage.form("Save the reflection").fill("The reflection", "Meetings started too early.").submit()
	wantStatus(t, res, http.StatusConflict)
	stale := sp.staffC.pageOf(t, sp.path("/evaluate/reflection"), res)
	if got := text(stale.doc, "[data-testid=error-summary]"); !strings.Contains(got, "Someone else saved the reflection") {
		t.Errorf("error summary %q", got)
	}
	if got := text(stale.doc, "[data-testid=reflection-newer]"); !strings.Contains(got, "The workshops went well.") {
		t.Errorf("the newer version is not shown: %q", got)
	}
	if got := stale.doc.Find("#reflection").Text(); got != "Meetings started too early." {
		t.Errorf("his words were not kept: %q", got)
	}
	res = stale.form("Save the reflection").fill("The reflection", "The workshops went well. Meetings started too early.").submit()
	wantRedirect(t, res, sp.path("/evaluate/reflection"))

	admin := sp.e.signedIn(sp.admin).open(t, sp.path("/evaluate/reflection"))
	if admin.has("Save the reflection") {
		t.Error("an administrator outside the project is offered the form")
	}
	versions := text(admin.doc, "[data-testid=reflection-versions]")
	if !strings.Contains(versions, "Version 2, by "+sp.staff.Name) || !strings.Contains(versions, "Version 1, by "+sp.lay.Name) {
		t.Errorf("versions %q", versions)
	}
	if got := text(sp.layC.open(t, sp.path("/evaluate/impact")).doc, "[data-testid=reflection]"); got != "The workshops went well. Meetings started too early." {
		t.Errorf("the log page shows the reflection as %q", got)
	}
}

// The project report's "Involvement and its impact" is in every format,
// filled from the project: its meeting, its answered idea, the impact log
// (the lay partner who contributed labelled, not named) and the
// reflection (her name in it replaced by her label).
func TestReportInvolvementInEveryFormat(t *testing.T) {
	t.Parallel()
	sp := reportProject(t)
	ctx := context.Background()
	ideas, err := sp.e.store.Proposals(ctx, sp.p.ID)
	if err != nil || len(ideas) != 1 {
		t.Fatalf("ideas %v, %v", ideas, err)
	}
	outcome, err := sp.e.store.ProposeOutcome(ctx, sp.lay.ID, sp.p.ID, coproduce.OutcomeInput{Title: "Fewer missed visits"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sp.e.store.AddImpactEntry(ctx, sp.lead.ID, sp.p.ID, coproduce.ImpactValues{Title: "Texts go out",
		WhatChanged: "Everyone gets a text.", ChangedOn: time.Now().AddDate(0, 0, -1), Ideas: []int64{ideas[0].ID},
		Outcomes: []int64{outcome}, Contributors: []int64{sp.lay.ID}}); err != nil {
		t.Fatal(err)
	}
	res := sp.staffC.open(t, sp.path("/evaluate/reflection")).form("Save the reflection").
		fill("The reflection", sp.lay.Name+" made the reminders happen.").submit()
	wantRedirect(t, res, sp.path("/evaluate/reflection"))
	secrets := sp.secrets()

	res = sp.leadC.get(sp.path("/reports/project.json"))
	wantStatus(t, res, http.StatusOK)
	validateAgainstSchema(t, res.Body.Bytes())
	var r struct {
		Involvement report.Involvement `json:"involvement"`
	}
	if err := json.Unmarshal(res.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	inv := r.Involvement
	if len(inv.Impact) != 1 || len(inv.Impact[0].Contributors) != 1 || inv.Impact[0].Contributors[0] != "Lay partner 1" ||
		len(inv.Impact[0].CameFrom) != 2 || inv.Impact[0].CameFrom[0].Title != "Text reminders" ||
		inv.Impact[0].CameFrom[1] != (report.ImpactSource{Kind: "outcome", Title: "Fewer missed visits"}) {
		t.Errorf("impact %+v", inv.Impact)
	}
	if inv.Reflection == nil || inv.Reflection.Text != "Lay partner 1 made the reminders happen." || inv.Reflection.LastChangedBy != sp.staff.Name {
		t.Errorf("reflection %+v", inv.Reflection)
	}
	if inv.Methods.MeetingsHeld != 1 || inv.Methods.AttendanceByRole[coproduce.RoleLayPartner] != 1 || inv.Results.Adopted != 1 {
		t.Errorf("methods %+v, results %+v", inv.Methods, inv.Results)
	}
	wantNone(t, "project.json", res.Body.String(), secrets)

	d := sp.layC.open(t, sp.path("/reports/project.html")).doc
	section := text(d, "[data-testid=report-involvement]")
	for _, want := range []string{"Involvement and its impact", "1. Aim of the involvement", "2. Methods", "3. Results",
		"4. Outcomes and influence", "5. Critical reflection", "Texts go out", "Idea: Text reminders", "Outcome: Fewer missed visits", "Lay partner 1 made the reminders happen."} {
		if !strings.Contains(section, want) {
			t.Errorf("the report page's section lacks %q", want)
		}
	}
	wantNone(t, "project.html", section, secrets)

	res = sp.leadC.get(sp.path("/reports/project.csv"))
	z, err := zip.NewReader(bytes.NewReader(res.Body.Bytes()), int64(res.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(raw)
	}
	if !strings.Contains(files["impact.csv"], "Outcome: Fewer missed visits") {
		t.Errorf("impact.csv lacks the outcome:\n%s", files["impact.csv"])
	}
	for name, want := range map[string]string{"impact.csv": "Texts go out", "reflection.csv": "Lay partner 1 made the reminders happen.",
		"involvement.csv": "3. Results", "outcomes.csv": "Not recorded yet.", "principles.csv": "Not recorded yet."} {
		if !strings.Contains(files[name], want) {
			t.Errorf("%s lacks %q:\n%s", name, want, files[name])
		}
		wantNone(t, name, files[name], secrets)
	}

	pdf := strings.Join(strings.Fields(pdfText(t, sp.facC.get(sp.path("/reports/project.pdf")).Body.Bytes())), " ")
	for _, want := range []string{"Involvement and its impact", "5. Critical reflection", "Texts go out", "Outcome: Fewer missed visits", "Lay partner 1 made the reminders happen."} {
		if !strings.Contains(pdf, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	wantNone(t, "project.pdf", pdf, secrets)
}

// fillImpact records, through the forms, a hostile change in the impact
// log from the hostile idea, naming the lay partner, and a hostile
// reflection.
func (hp *hostileProject) fillImpact(t *testing.T) {
	t.Helper()
	idea := hp.proposal[strings.LastIndex(hp.proposal, "/")+1:]
	loc := mustRedirect(t, hp.facC, hp.path("/evaluate/impact/new"), url.Values{"title": {hostile("IMPACTTITLE")},
		"what_changed": {hostileLong("IMPACTWHAT")}, "changed_on": {time.Now().AddDate(0, 0, -1).In(coproduce.UK).Format(time.DateOnly)},
		"ideas": {idea}, "contributors": {itoa(hp.layID(t))}})
	if _, err := fmt.Sscanf(loc[strings.LastIndex(loc, "#entry-")+len("#entry-"):], "%d", &hp.impact); err != nil {
		t.Fatalf("the new entry went to %q", loc)
	}
	mustRedirect(t, hp.layC, hp.path("/evaluate/reflection"), url.Values{"reflection": {hostileLong("REFLECTION")}, "version": {"0"}})
}
