package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// TestCommentOnTheMinutesCanBeHiddenAndShownAgain: a comment on published
// minutes could not be hidden. A facilitator hides it with a reason, as a
// comment on an idea: members see that it was hidden and why, never its
// words; a lead shows it again with a reason; those who run the project
// see its history, and both are audited. Lay partners are offered neither.
func TestCommentOnTheMinutesCanBeHiddenAndShownAgain(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	starts := time.Now().Add(-26 * time.Hour)
	meetingID, err := sp.e.store.CreateMeeting(context.Background(), sp.facilitator.ID, coproduce.Meeting{ProjectID: sp.p.ID,
		Title: "Workshop two", StartsAt: starts, EndsAt: starts.Add(2 * time.Hour), Venue: "Community centre"})
	if err != nil {
		t.Fatal(err)
	}
	meeting := sp.path("/meetings/" + itoa(meetingID))
	minutes := meeting + "/minutes"
	sp.facC.follow(t, sp.facC.open(t, meeting+"/agenda").form("Add the item").fill("What is the item?", "Welcome").submit())
	sp.facC.follow(t, sp.facC.open(t, minutes).form("Publish the minutes").submit())
	const words = "The nurse on ward 3 was rude to my mother"
	sp.layC.follow(t, sp.layC.open(t, minutes).form("Add your comment").fill("Your comment", words).submit())

	lay := sp.layC.open(t, minutes)
	if lay.doc.Find(`[data-testid=minute-comment] a[href$="/hide"]`).Length() != 0 {
		t.Error("a lay partner is offered to hide a comment")
	}
	hidePath, ok := sp.facC.open(t, minutes).doc.Find(`[data-testid=minute-comment] a[href$="/hide"]`).Attr("href")
	if !ok {
		t.Fatal("no link for the facilitator to hide the comment")
	}
	for _, c := range []*client{sp.layC, sp.staffC} {
		wantStatus(t, c.get(hidePath), http.StatusForbidden)
	}

	hidePage := sp.facC.open(t, hidePath)
	res := hidePage.form("Hide comment").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := sp.facC.pageOf(t, hidePath, res)
	if again.doc.Find("#reason-error").Length() != 1 || !strings.Contains(text(again.doc, "[data-testid=error-summary]"), "Say why you are hiding the comment") {
		t.Errorf("no error for a missing reason: %q", text(again.doc, "[data-testid=error-summary]"))
	}
	if n := sp.e.count(`SELECT count(*) FROM minute_comments WHERE hidden_at IS NOT NULL`); n != 0 {
		t.Errorf("%d comments hidden without a reason", n)
	}
	res = again.form("Hide comment").fill("Why are you hiding it?", "It names a member of staff").submit()
	wantRedirect(t, res, minutes+"?notice=comment-hidden")

	for _, c := range []*client{sp.layC, sp.staffC} {
		page := c.open(t, minutes)
		if got := text(page.doc, "[data-testid=hidden-comment]"); !strings.Contains(got, "Hidden by a facilitator: It names a member of staff") {
			t.Errorf("a member reads %q where the comment was", got)
		}
		if strings.Contains(page.doc.Text(), words) {
			t.Error("a member still reads the hidden comment's words")
		}
		if page.doc.Find(`a[href$="/show"]`).Length() != 0 || page.doc.Find("[data-testid=moderation-history]").Length() != 0 {
			t.Error("a partner is offered to show the comment again, or sees its history")
		}
	}
	if n := sp.auditCount(coproduce.AuditCommentHide); n != 1 {
		t.Errorf("%d hidings audited, want 1", n)
	}

	// A lead shows it again.
	showPath, ok := sp.leadC.open(t, minutes).doc.Find(`[data-testid=minute-comment] a[href$="/show"]`).Attr("href")
	if !ok {
		t.Fatal("the lead is not offered to show the hidden comment again")
	}
	wantStatus(t, sp.layC.get(showPath), http.StatusForbidden)
	showPage := sp.leadC.open(t, showPath)
	if got := text(showPage.doc, "[data-testid=hidden-words]"); got != words {
		t.Errorf("the lead deciding reads %q", got)
	}
	res = showPage.form("Show comment again").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again = sp.leadC.pageOf(t, showPath, res)
	if again.doc.Find("#reason-error").Length() != 1 {
		t.Error("no error for a missing reason")
	}
	res = again.form("Show comment again").fill("Why are you showing it again?", "The member agreed to name no one").submit()
	wantRedirect(t, res, minutes+"?notice=comment-shown")
	page := sp.layC.follow(t, res)
	if page.doc.Find("[data-testid=hidden-comment]").Length() != 0 || !strings.Contains(text(page.doc, "[data-testid=minute-comments]"), words) {
		t.Errorf("the minutes still show the comment hidden: %q", text(page.doc, "[data-testid=minute-comments]"))
	}
	got := text(sp.facC.open(t, minutes).doc, "[data-testid=moderation-history]")
	for _, want := range []string{"by " + sp.facilitator.Name + ": It names a member of staff",
		"Shown again on", "by " + sp.lead.Name + ": The member agreed to name no one"} {
		if !strings.Contains(got, want) {
			t.Errorf("moderation history %q lacks %q", got, want)
		}
	}
	if n := sp.auditCount(coproduce.AuditCommentShow); n != 1 {
		t.Errorf("%d showings audited, want 1", n)
	}
}
