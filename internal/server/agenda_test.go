package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// A facilitator builds a meeting's agenda through its forms, records the
// minutes after the meeting with a decision on an idea and an action, and
// publishes them; a lay partner then reads them, comments, and sees on the
// idea where it was decided.
func TestAgendaToMinutes(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	ctx := context.Background()
	ideaID, err := sp.e.store.CreateProposal(ctx, sp.lay.ID, sp.p.ID, coproduce.ProposalInput{Title: "Weekend visits", Body: "Let carers visit at weekends."})
	if err != nil {
		t.Fatal(err)
	}
	starts := time.Now().Add(-26 * time.Hour)
	meetingID, err := sp.e.store.CreateMeeting(ctx, sp.facilitator.ID, coproduce.Meeting{ProjectID: sp.p.ID,
		Title: "Workshop two", StartsAt: starts, EndsAt: starts.Add(2 * time.Hour), Venue: "Community centre"})
	if err != nil {
		t.Fatal(err)
	}
	meeting := sp.path("/meetings/" + itoa(meetingID))
	idea := sp.path("/proposals/" + itoa(ideaID))

	t.Run("OnlyLeadsAndFacilitatorsBuildIt", func(t *testing.T) {
		wantStatus(t, sp.layC.get(meeting+"/agenda"), http.StatusForbidden)
		if sp.layC.open(t, meeting).doc.Find("[data-testid=change-agenda]").Length() != 0 {
			t.Error("a lay partner is offered the link to change the agenda")
		}
	})

	t.Run("FacilitatorAddsItemsInOrder", func(t *testing.T) {
		page := sp.facC.follow(t, sp.facC.open(t, meeting+"/agenda").form("Add the item").
			fill("What is the item?", "Welcome and introductions").fill("Time it starts (optional)", "14:00").
			fill("Who leads it?", sp.facilitator.Name).submit())
		if !strings.Contains(page.doc.Text(), "The item has been added to the agenda.") {
			t.Error("no confirmation that the item was added")
		}
		page = sp.facC.follow(t, page.form("Add the item").fill("What is the item?", "Ideas for carers").
			check("Weekend visits").submit())
		// The second item goes first.
		sp.facC.follow(t, page.form("Move up Ideas for carers").submit())
		got := text(sp.layC.open(t, meeting).doc, "[data-testid=meeting-agenda]")
		first, second := strings.Index(got, "1. Ideas for carers"), strings.Index(got, "2. Welcome and introductions")
		if first < 0 || second < first {
			t.Errorf("the meeting page's agenda reads %q, want the ideas item first", got)
		}
		for _, want := range []string{"At 14:00", "Led by " + sp.facilitator.Name, "Weekend visits"} {
			if !strings.Contains(got, want) {
				t.Errorf("the agenda does not say %q: %q", want, got)
			}
		}
	})

	t.Run("ItemWithoutTitleIsShownAgainWithInput", func(t *testing.T) {
		res := sp.facC.open(t, meeting+"/agenda").form("Add the item").
			fill("What is the item?", " ").fill("Time it starts (optional)", "25:99").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		summary := text(d, "[data-testid=error-summary]")
		for _, want := range []string{"Enter what the item is", "Enter the time as hours and minutes"} {
			if !strings.Contains(summary, want) {
				t.Errorf("error summary %q lacks %q", summary, want)
			}
		}
		if v, _ := d.Find("#time").Attr("value"); v != "25:99" {
			t.Errorf("the time typed was not kept: %q", v)
		}
	})

	t.Run("DraftMinutesAreForFacilitatorsOnly", func(t *testing.T) {
		page := sp.facC.open(t, meeting+"/minutes")
		sp.facC.follow(t, page.form("Save the notes Ideas for carers").
			fill("What was discussed", "Carers said weekends are when they can come.").
			fill("Decisions taken", "Try weekend visits for three months.").submit())
		wantStatus(t, sp.layC.get(meeting+"/minutes"), http.StatusNotFound)
		if sp.layC.open(t, meeting).doc.Find("[data-testid=read-minutes]").Length() != 0 {
			t.Error("the meeting page links a lay partner to draft minutes")
		}
	})

	t.Run("DecisionAnswersTheIdeaAndActionBecomesItsAction", func(t *testing.T) {
		page := sp.facC.follow(t, sp.facC.open(t, meeting+"/minutes").form("Record the decision Ideas for carers").
			fill("Which idea?", "Weekend visits").check("Adopted").submit())
		if !strings.Contains(page.doc.Text(), "The decision has been recorded") {
			t.Error("no confirmation of the decision")
		}
		page = sp.facC.follow(t, page.form("Add the action Ideas for carers").fill("Which idea is it for?", "Weekend visits").
			fill("What needs to be done?", "Ask the ward to open at weekends").fill("Who will do it?", "Ward manager").
			fill("Due by", time.Now().AddDate(0, 1, 0).Format("2006-01-02")).submit())
		if got := text(page.doc, "[data-testid=minutes-actions]"); !strings.Contains(got, "Ask the ward to open at weekends") {
			t.Errorf("the minutes do not list the action: %q", got)
		}
		ideaPage := sp.layC.open(t, idea)
		if got := text(ideaPage.doc, "[data-testid=response]"); !strings.Contains(got, "Adopted") {
			t.Errorf("the idea has no answer: %q", got)
		}
		want := "Decided at the meeting on " + starts.In(coproduce.UK).Format("2 January")
		if got := text(ideaPage.doc, "[data-testid=decided-at]"); got != want {
			t.Errorf("the idea says %q, want %q", got, want)
		}
		if ideaPage.doc.Find("[data-testid=decided-at] a").Length() != 0 {
			t.Error("the idea links a lay partner to draft minutes")
		}
		if !strings.Contains(ideaPage.doc.Text(), "Ask the ward to open at weekends") {
			t.Error("the minuted action is not on the idea's page")
		}
	})

	t.Run("DecisionWithoutAnswerIsRefused", func(t *testing.T) {
		res := sp.facC.open(t, meeting+"/minutes").form("Record the decision Ideas for carers").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if d := doc(t, res); d.Find("[data-testid=error-summary] a[href^='#response-']").Length() != 1 {
			t.Errorf("the error summary does not link to the item's answer: %q", text(d, "[data-testid=error-summary]"))
		}
	})

	t.Run("PublishedMinutesReachMembers", func(t *testing.T) {
		before := sp.e.count(`SELECT count(*) FROM updates WHERE user_id = $1`, sp.lay.ID)
		page := sp.facC.follow(t, sp.facC.open(t, meeting+"/minutes").form("Publish the minutes").submit())
		if !strings.Contains(page.doc.Text(), "The minutes have been published.") {
			t.Error("no confirmation of publishing")
		}
		if after := sp.e.count(`SELECT count(*) FROM updates WHERE user_id = $1 AND link LIKE '%/minutes'`, sp.lay.ID); after != 1 {
			t.Errorf("%d updates about the minutes for the lay partner (had %d updates), want 1", after, before)
		}
		minutes := sp.layC.open(t, meeting+"/minutes")
		for _, want := range []string{"Carers said weekends are when they can come.", "Try weekend visits for three months.", "Ward manager"} {
			if !strings.Contains(minutes.doc.Text(), want) {
				t.Errorf("the published minutes do not say %q", want)
			}
		}
		if minutes.has("Publish the minutes") || minutes.has("Save the notes Ideas for carers") {
			t.Error("a lay partner is offered the facilitator's forms")
		}
		if href, _ := sp.layC.open(t, idea).doc.Find("[data-testid=decided-at] a").Attr("href"); href != meeting+"/minutes" {
			t.Errorf("the idea links to %q, want the minutes", href)
		}
	})

	t.Run("MembersComment", func(t *testing.T) {
		res := sp.layC.open(t, meeting+"/minutes").form("Add your comment").fill("Your comment", "  ").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(text(doc(t, res), "[data-testid=error-summary]"), "Enter your comment") {
			t.Error("an empty comment is not refused with a reason")
		}
		page := sp.layC.follow(t, sp.layC.open(t, meeting+"/minutes").form("Add your comment").
			fill("Your comment", "Thank you, this is what we said.").submit())
		got := text(page.doc, "[data-testid=minute-comments]")
		if !strings.Contains(got, "Thank you, this is what we said.") || !strings.Contains(got, sp.lay.Name) {
			t.Errorf("the comment is not shown with its author: %q", got)
		}
	})
}
