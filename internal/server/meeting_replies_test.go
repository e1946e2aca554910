package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// A meeting that has begun no longer asks "Are you coming?": the demo's
// past workshop once did, under its own register.
func TestMeetingStopsAskingWhoIsComingOnceStarted(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	meeting := func(title string, starts time.Time) string {
		t.Helper()
		id, err := sp.e.store.CreateMeeting(context.Background(), sp.facilitator.ID, coproduce.Meeting{ProjectID: sp.p.ID,
			Title: title, StartsAt: starts, EndsAt: starts.Add(2 * time.Hour), Venue: "Community centre"})
		if err != nil {
			t.Fatal(err)
		}
		return sp.path("/meetings/" + itoa(id))
	}
	past := meeting("Workshop one", time.Now().Add(-48*time.Hour))
	next := meeting("Workshop two", time.Now().Add(48*time.Hour))

	t.Run("PastMeetingAsksNothing", func(t *testing.T) {
		p := sp.layC.open(t, past)
		if p.has("Send my answer") || strings.Contains(p.doc.Text(), "Are you coming?") {
			t.Error("a meeting that has taken place asks whether the person is coming")
		}
		if got := text(p.doc, "[data-testid=replies-closed]"); !strings.Contains(got, "Replies closed when this meeting started.") {
			t.Errorf("no word that replies are closed: %q", got)
		}
	})

	t.Run("NextMeetingAsks", func(t *testing.T) {
		sp.layC.follow(t, sp.layC.open(t, next).form("Send my answer").check("Yes, I am coming").submit())
		if n := sp.e.count(`SELECT count(*) FROM meeting_replies WHERE user_id = $1 AND attending`, sp.lay.ID); n != 1 {
			t.Errorf("%d replies saved, want 1", n)
		}
	})

	t.Run("FormOpenedBeforeTheStartIsRefusedAfterIt", func(t *testing.T) {
		form := sp.staffC.open(t, next).form("Send my answer").check("Yes, I am coming")
		sp.e.exec(`UPDATE meetings SET starts_at = now() - interval '1 minute' WHERE project_id = $1 AND title = 'Workshop two'`, sp.p.ID)
		page := sp.staffC.follow(t, form.submit())
		if !strings.Contains(page.doc.Text(), "This meeting has already started, so your reply was not saved.") {
			t.Error("no word that the reply came too late")
		}
		if n := sp.e.count(`SELECT count(*) FROM meeting_replies WHERE user_id = $1`, sp.staff.ID); n != 0 {
			t.Errorf("%d replies saved after the start, want 0", n)
		}
	})
}
