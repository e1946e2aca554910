package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// A vote sent from a page opened before the idea was answered is refused,
// and refused in the tally too: the person is told votes can no longer
// change, and the counts everyone reads stay as they were when the idea
// was answered. (A vote statement that forgot the idea's status once
// stored the vote and moved the counts while saying voting had closed.)
func TestAVoteOnAnAnsweredIdeaLeavesTheTallyAlone(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	res := sp.layC.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", "Evening sessions").fill("Tell us more", "After work suits more people").submit()
	idea := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
	wantRedirect(t, res, sp.path("/proposals/"))
	wantRedirect(t, sp.layC.open(t, idea).form("Save my vote").check("Support").submit(), idea)

	// Two members have the page open; the lead answers the idea meanwhile.
	staffPage, layPage := sp.staffC.open(t, idea), sp.layC.open(t, idea)
	wantRedirect(t, sp.leadC.open(t, idea).form("Save the answer").check("Adopted").
		fill("Why?", "Most people asked for it").submit(), idea)

	for _, vote := range []*filledForm{staffPage.form("Save my vote").check("Object"), layPage.form("Save my vote").check("Object")} {
		res := vote.submit()
		wantRedirect(t, res, idea+"?notice=proposal-closed")
		after := vote.p.c.follow(t, res)
		if got := text(after.doc, "main"); !strings.Contains(got, "votes can no longer change") {
			t.Errorf("the voter is not told voting has closed: %s", got)
		}
	}
	d := sp.leadC.open(t, idea).doc
	if got := cells(d, "[data-testid=tally-lay] td"); got != "1|0|0" {
		t.Errorf("lay partners' tally after the refused votes: %s, want 1|0|0 (support, neutral, object)", got)
	}
	if got := cells(d, "[data-testid=tally-staff] td"); got != "0|0|0" {
		t.Errorf("staff tally after the refused vote: %s, want 0|0|0", got)
	}
	if n := sp.e.count(`SELECT count(*) FROM votes v JOIN proposals p ON p.id = v.proposal_id WHERE p.project_id = $1`, sp.p.ID); n != 1 {
		t.Errorf("%d votes stored, want the one made while the idea was open", n)
	}
}

// A vote's reason may be coproduce.MaxVoteReason characters: one more is
// refused with the message stating that limit (not another field's), the
// vote kept in the form, and nothing stored.
func TestAVoteReasonOverItsLimitSaysWhatTheLimitIs(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	res := sp.layC.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", "Large print agendas").fill("Tell us more", "Easier to read").submit()
	idea := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
	wantRedirect(t, res, sp.path("/proposals/"))

	tooLong := strings.Repeat("é", coproduce.MaxVoteReason+1)
	res = sp.staffC.open(t, idea).form("Save my vote").check("Object").fill("Why? (optional)", tooLong).submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := sp.staffC.pageOf(t, idea, res)
	if got := text(again.doc, "#reason-error"); !strings.Contains(got, "This must be 1,000 characters or fewer") {
		t.Errorf("the reason's error says %q", got)
	}
	if got := text(again.doc, "[data-testid=error-summary]"); !strings.Contains(got, "1,000 characters") {
		t.Errorf("the error summary says %q", got)
	}
	if got := again.doc.Find("textarea[name=reason]").Text(); got != tooLong {
		t.Errorf("the reason typed was not kept (%d characters)", len([]rune(got)))
	}
	if n := sp.e.count(`SELECT count(*) FROM votes WHERE user_id = $1`, sp.staff.ID); n != 0 {
		t.Errorf("%d votes stored from a refused form", n)
	}
	wantRedirect(t, again.form("Save my vote").check("Object").fill("Why? (optional)", tooLong[len("é"):]).submit(), idea)
	if n := sp.e.count(`SELECT length(reason) FROM votes WHERE user_id = $1`, sp.staff.ID); n != coproduce.MaxVoteReason {
		t.Errorf("a reason of %d characters stored, want %d", n, coproduce.MaxVoteReason)
	}
}
