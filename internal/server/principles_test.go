package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// choose picks, in the group of radios whose legend says legend, the one
// labelled label: the form has a "Mostly" for each principle.
func (f *filledForm) choose(legend, label string) *filledForm {
	f.p.t.Helper()
	var picked *goquery.Selection
	f.sel.Find("fieldset").Each(func(_ int, fs *goquery.Selection) {
		if fold(fs.Find("legend").First().Text()) != fold(legend) {
			return
		}
		fs.Find("label").Each(func(_ int, l *goquery.Selection) {
			if fold(l.Text()) == fold(label) {
				picked = fs.Find("#" + l.AttrOr("for", "-"))
			}
		})
	})
	if picked == nil || picked.Length() != 1 {
		f.p.t.Fatalf("%s: no %q under %q", f.p.path, label, legend)
	}
	f.values.Set(picked.AttrOr("name", ""), picked.AttrOr("value", ""))
	return f
}

// principleLegends are the six principles as the form names them.
var principleLegends = []string{"People as assets", "Building on what people can do", "Give and take",
	"Networks", "Blurring roles", "Enabling, not delivering"}

// scaleWords are the five points of the principles' scale.
var scaleWords = []string{"", "Not at all", "A little", "Partly", "Mostly", "Fully"}

// answerRound answers the open round through its form: every principle
// scored n, the project placed at level, a comment on the first principle.
func answerRound(t *testing.T, c *client, projectPath string, n int, level, comment string) *page {
	t.Helper()
	check := c.open(t, projectPath+"/evaluate/principles")
	link := check.doc.Find("[data-testid=open-round] a").First().AttrOr("href", "")
	f := c.open(t, link).form("Send my answers")
	for _, l := range principleLegends {
		f.choose(l, scaleWords[n])
	}
	return c.follow(t, f.choose("How far has the project gone?", level).
		fill("Anything you want to say about People as assets (optional)", comment).submit())
}

// A lead starts a round; each member answers it through the form, seeing
// and changing only their own answer; figures for lay partners and staff
// appear once three in each have answered, side by side, with the
// principles where they differ and the level partners experience below
// the one declared; a closed round refuses answers.
func TestPrinciplesCheckThroughItsForms(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	ctx := context.Background()
	lay2 := pgtest.Member(t, sp.e.store, sp.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	lay3 := pgtest.Member(t, sp.e.store, sp.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	lay2C, lay3C := sp.e.signedIn(lay2), sp.e.signedIn(lay3)
	if err := sp.e.store.SaveApproach(ctx, sp.lead.ID, sp.p.ID, coproduce.ApproachInput{Level: coproduce.LevelCoProduce,
		Stage: "co_design", Scope: "system", Methods: map[coproduce.Method]string{"workshop": "Hands on"}}); err != nil {
		t.Fatal(err)
	}
	check := sp.path("/evaluate/principles")

	t.Run("OnlyLeadsStartARound", func(t *testing.T) {
		for _, c := range []*client{sp.layC, sp.facC, sp.staffC} {
			if c.open(t, check).has("Start the round") {
				t.Error("a member who is not a lead is offered the form that starts a round")
			}
			wantStatus(t, c.post(check+"/rounds", url.Values{"title": {"Mine"}}), http.StatusForbidden)
		}
	})
	t.Run("RoundWithoutNameIsShownAgain", func(t *testing.T) {
		res := sp.leadC.open(t, check).form("Start the round").fill("Name of the round", "  ").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if got := text(doc(t, res), "[data-testid=error-summary]"); !strings.Contains(got, "Enter a name for the round") {
			t.Errorf("error summary %q", got)
		}
	})
	page := sp.leadC.follow(t, sp.leadC.open(t, check).form("Start the round").fill("Name of the round", "Spring review").submit())
	if !strings.Contains(page.doc.Text(), "The round has started.") || page.doc.Find("[data-testid=open-round]").Length() != 1 {
		t.Fatal("the lead's page does not show the round started")
	}
	t.Run("WaitsOnEachMembersProjectPage", func(t *testing.T) {
		if got := text(sp.layC.open(t, sp.path("")).doc, "[data-testid=prompts]"); !strings.Contains(got, "Answer the principles check: Spring review") {
			t.Errorf("the lay partner's waiting list says %q", got)
		}
	})
	t.Run("MissingAnswersAreShownAgainWithInput", func(t *testing.T) {
		link := sp.layC.open(t, check).doc.Find("[data-testid=open-round] a").First().AttrOr("href", "")
		res := sp.layC.open(t, link).form("Send my answers").choose("People as assets", "Mostly").
			fill("Anything you want to say about Networks (optional)", "We rarely meet carers' groups").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		summary := text(d, "[data-testid=error-summary]")
		for _, want := range []string{"Choose how well the project builds on what people can do", "Choose how far the project has gone"} {
			if !strings.Contains(summary, want) {
				t.Errorf("error summary %q lacks %q", summary, want)
			}
		}
		if _, ok := d.Find("#score_assets-4").Attr("checked"); !ok {
			t.Error("the score chosen was not kept")
		}
		if got := d.Find("#comment_networks").Text(); got != "We rarely meet carers' groups" {
			t.Errorf("the comment typed was not kept: %q", got)
		}
	})
	answerRound(t, sp.layC, sp.path(""), 2, "Recognition", "PRIVATE-LAY-ONE")
	answerRound(t, lay2C, sp.path(""), 2, "Description", "")
	t.Run("TooFewShowNothingAndSaySo", func(t *testing.T) {
		d := sp.leadC.open(t, check).doc
		if d.Find("[data-testid=too-few-lay]").Length() != 1 || d.Find("[data-testid^=chart-]").Length() != 0 {
			t.Error("with two lay partners' answers and none from staff, the page shows figures or does not say why not")
		}
		if got := text(d, "[data-testid=answered-count]"); got != "Lay partners who answered: 2. Staff who answered: 0." {
			t.Errorf("answered count %q", got)
		}
	})
	t.Run("OnlyTheAuthorSeesTheirAnswer", func(t *testing.T) {
		link := sp.layC.open(t, check).doc.Find("[data-testid=open-round] a").First().AttrOr("href", "")
		if got := sp.layC.open(t, link).doc.Find("#comment_assets").Text(); got != "PRIVATE-LAY-ONE" {
			t.Errorf("the author's own form holds %q, want their comment", got)
		}
		for _, c := range []*client{sp.leadC, sp.facC, lay2C} {
			for _, path := range []string{check, link, sp.path("")} {
				if strings.Contains(c.get(path).Body.String(), "PRIVATE-LAY-ONE") {
					t.Errorf("%s shows another member's comment", path)
				}
			}
		}
	})
	t.Run("TheirAnswerIsInTheirOwnDataAlone", func(t *testing.T) {
		var d coproduce.PersonalData
		if err := json.Unmarshal(sp.layC.get("/me/data").Body.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Principles) != 1 || d.Principles[0].Comments[coproduce.PrincipleAssets] != "PRIVATE-LAY-ONE" ||
			d.Principles[0].Level != "recognition" || d.Principles[0].Scores[coproduce.PrincipleCatalysts] != 2 {
			t.Errorf("the lay partner's data holds %+v", d.Principles)
		}
		if strings.Contains(lay2C.get("/me/data").Body.String(), "PRIVATE-LAY-ONE") {
			t.Error("another member's data download holds the lay partner's comment")
		}
	})
	answerRound(t, lay3C, sp.path(""), 3, "Recognition", "")
	for _, c := range []*client{sp.leadC, sp.facC, sp.staffC} {
		answerRound(t, c, sp.path(""), 4, "Transformation", "")
	}
	t.Run("SideBySideWithGapsAndTheLevelFlag", func(t *testing.T) {
		d := sp.layC.open(t, check).doc
		if d.Find("[data-testid^=chart-] title").Length() != 1 {
			t.Error("no picture of the round")
		}
		row := cells(d, "[data-testid^=figures-] tbody tr:first-child")
		if !strings.Contains(row, "2.3") || !strings.Contains(row, "4.0") || !strings.Contains(row, "Yes") {
			t.Errorf("the first principle's row reads %q, want 2.3, 4.0 and a difference", row)
		}
		if got := text(d, "[data-testid=gaps]"); !strings.Contains(got, "Enabling, not delivering") {
			t.Errorf("the differences say %q", got)
		}
		if got := text(d, "[data-testid=level-gap]"); !strings.Contains(got, "“Co-produce”") || !strings.Contains(got, "“Recognition”") {
			t.Errorf("the level flag says %q", got)
		}
	})
	stale := sp.layC.open(t, sp.layC.open(t, check).doc.Find("[data-testid=open-round] a").First().AttrOr("href", ""))
	page = sp.leadC.follow(t, sp.leadC.open(t, check).form("Close the round").submit())
	if !strings.Contains(page.doc.Text(), "The round is closed.") {
		t.Error("no confirmation that the round closed")
	}
	t.Run("AClosedRoundRefusesAnswers", func(t *testing.T) {
		f := stale.form("Send my answers")
		for _, l := range principleLegends {
			f.choose(l, "Fully")
		}
		after := sp.layC.follow(t, f.choose("How far has the project gone?", "Transformation").submit())
		if !strings.Contains(after.doc.Text(), "This round has closed, so your answers were not saved.") {
			t.Error("no word that the answer came too late")
		}
		if got := cells(after.doc, "[data-testid^=figures-] tbody tr:first-child"); !strings.Contains(got, "2.3") {
			t.Errorf("the figures changed after the round closed: %q", got)
		}
	})
}

// Someone recorded at a meeting is asked, once it has ended, three
// questions, on their project page and the meeting's page; only they see
// their answers; figures show from three answers in a group.
func TestMeetingCheckThroughItsForm(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	ctx := context.Background()
	starts := time.Now().Add(-26 * time.Hour)
	meetingID, err := sp.e.store.CreateMeeting(ctx, sp.facilitator.ID, coproduce.Meeting{ProjectID: sp.p.ID,
		Title: "Workshop two", StartsAt: starts, EndsAt: starts.Add(2 * time.Hour), Venue: "Community centre"})
	if err != nil {
		t.Fatal(err)
	}
	if err := sp.e.store.RecordAttendance(ctx, sp.facilitator.ID, sp.p.ID, meetingID,
		[]int64{sp.lay.ID, sp.facilitator.ID, sp.lead.ID}, ""); err != nil {
		t.Fatal(err)
	}
	meeting := sp.path("/meetings/" + itoa(meetingID))

	t.Run("OnlyThoseRecordedPresent", func(t *testing.T) {
		wantStatus(t, sp.staffC.get(meeting+"/check"), http.StatusForbidden)
		if sp.staffC.open(t, meeting).doc.Find("[data-testid=meeting-check]").Length() != 0 {
			t.Error("someone not at the meeting is asked how it went")
		}
	})
	if got := text(sp.layC.open(t, sp.path("")).doc, "[data-testid=prompts]"); !strings.Contains(got, "Say how Workshop two went") {
		t.Errorf("the lay partner's waiting list says %q", got)
	}
	link := sp.layC.open(t, meeting).doc.Find("[data-testid=answer-check]").AttrOr("href", "")
	t.Run("MissingAnswersAreShownAgain", func(t *testing.T) {
		res := sp.layC.open(t, link).form("Send my answers").choose("I was listened to", "Agree strongly").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if got := text(d, "[data-testid=error-summary]"); !strings.Contains(got, "Choose how far you agree that you could take part") {
			t.Errorf("error summary %q", got)
		}
		if _, ok := d.Find("#q_listened-5").Attr("checked"); !ok {
			t.Error("the answer chosen was not kept")
		}
	})
	answer := func(c *client, words string) *page {
		t.Helper()
		f := c.open(t, link).form("Send my answers")
		for _, q := range []string{"I was listened to", "I could take part", "What we did today will make a difference"} {
			f.choose(q, words)
		}
		return c.follow(t, f.submit())
	}
	after := answer(sp.layC, "Disagree")
	if !strings.Contains(after.doc.Text(), "Thank you. Your answers have been saved.") ||
		!strings.Contains(text(after.doc, "[data-testid=meeting-check]"), "Thank you for saying how this meeting went.") {
		t.Error("the meeting page does not thank the lay partner")
	}
	if _, ok := sp.layC.open(t, link).doc.Find("#q_took_part-2").Attr("checked"); !ok {
		t.Error("the lay partner's own answer is not shown back to them")
	}
	answer(sp.facC, "Agree strongly")
	answer(sp.leadC, "Agree")
	t.Run("FiguresFromThreeInAGroup", func(t *testing.T) {
		d := sp.layC.open(t, sp.path("/evaluate/meetings")).doc
		if d.Find("[data-testid=too-few-lay]").Length() != 1 || d.Find("[data-testid=too-few-staff]").Length() != 1 {
			t.Error("one lay partner's and two staff's answers should show no figures, and say so")
		}
	})
	staff2 := pgtest.Member(t, sp.e.store, sp.p, coproduce.RoleStaff, coproduce.RoleStaffPartner)
	if err := sp.e.store.RecordAttendance(ctx, sp.facilitator.ID, sp.p.ID, meetingID,
		[]int64{sp.lay.ID, sp.facilitator.ID, sp.lead.ID, staff2.ID}, ""); err != nil {
		t.Fatal(err)
	}
	answer(sp.e.signedIn(staff2), "Agree")
	t.Run("StaffFiguresOnceThreeAnswered", func(t *testing.T) {
		d := sp.layC.open(t, sp.path("/evaluate/meetings")).doc
		row := cells(d, "[data-testid^=figures-] tbody tr:first-child")
		if !strings.Contains(row, "Not shown") || !strings.Contains(row, "4.3") {
			t.Errorf("the first question's row reads %q, want lay partners not shown and staff 4.3", row)
		}
	})
}
