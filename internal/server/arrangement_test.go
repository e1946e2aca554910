package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// A facilitator records what has been booked for a lay partner coming to a
// meeting (her papers in large print, a taxi); she sees it on the
// meeting's page, and nobody else reads it there.
func TestFacilitatorRecordsWhatIsArranged(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	ctx := context.Background()
	starts := time.Now().Add(72 * time.Hour)
	meetingID, err := sp.e.store.CreateMeeting(ctx, sp.facilitator.ID, coproduce.Meeting{ProjectID: sp.p.ID,
		Title: "Workshop three", StartsAt: starts, EndsAt: starts.Add(2 * time.Hour), Venue: "Community centre", StepFree: true})
	if err != nil {
		t.Fatal(err)
	}
	meeting := sp.path("/meetings/" + itoa(meetingID))
	arrangements := meeting + "/arrangements"
	sp.layC.follow(t, sp.layC.open(t, sp.path("/support/me")).form("Save").
		check("Large print").check("Regular breaks").check("Step-free access").submit())
	sp.layC.follow(t, sp.layC.open(t, meeting).form("Send my answer").check("Yes, I am coming").submit())

	t.Run("OnlyThoseWhoRunItSeeIt", func(t *testing.T) {
		wantStatus(t, sp.layC.get(arrangements), http.StatusForbidden)
		wantStatus(t, sp.layC.get(arrangements+"/"+itoa(sp.lay.ID)), http.StatusForbidden)
		// Only the project's members have arrangements.
		wantStatus(t, sp.facC.get(arrangements+"/"+itoa(sp.outsider.ID)), http.StatusNotFound)
	})

	t.Run("ListShowsBookableNeedsOnly", func(t *testing.T) {
		page := sp.facC.open(t, arrangements)
		got := text(page.doc, "[data-testid=arrangement]")
		for _, want := range []string{sp.lay.Name, "Large print: Not arranged yet", "Regular breaks: Not arranged yet"} {
			if !strings.Contains(got, want) {
				t.Errorf("the arrangements say %q, want %q", got, want)
			}
		}
		// The venue's step-free access is the venue's, not a booking; and
		// someone who has not said they are coming is not listed.
		if strings.Contains(got, "Step-free") || strings.Contains(got, sp.staff.Name) {
			t.Errorf("the arrangements list a need the venue meets, or someone not coming: %q", got)
		}
	})

	t.Run("TooLongNoteIsShownAgainWithInput", func(t *testing.T) {
		long := strings.Repeat("a", coproduce.MaxArrangementNote+1)
		res := sp.facC.open(t, arrangements+"/"+itoa(sp.lay.ID)).form("Save").check("Large print").
			fill("Anything else arranged (optional)", long).submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if got := text(d, "[data-testid=error-summary]"); !strings.Contains(got, "300 characters or fewer") {
			t.Errorf("error summary says %q", got)
		}
		if got := d.Find("#note").Text(); got != long {
			t.Errorf("the note typed was not kept (%d characters)", len(got))
		}
		if _, checked := d.Find("input[name=needs][value=large_print]").Attr("checked"); !checked {
			t.Error("the ticked need was not kept")
		}
		if n := sp.e.count(`SELECT count(*) FROM meeting_arrangements`); n != 0 {
			t.Errorf("%d arrangements stored after a refused form", n)
		}
	})

	t.Run("SavedAndToldToThePerson", func(t *testing.T) {
		taxi := "A taxi will collect you from home at 1:15pm."
		res := sp.facC.open(t, arrangements+"/"+itoa(sp.lay.ID)).form("Save").check("Large print").
			fill("Anything else arranged (optional)", taxi).submit()
		page := sp.facC.follow(t, res)
		if got := text(page.doc, "[data-testid=notice]"); !strings.Contains(got, "They will be told in their reminder") {
			t.Errorf("after saving the page says %q", got)
		}
		got := text(page.doc, "[data-testid=arrangement]")
		for _, want := range []string{"Large print: Arranged", "Regular breaks: Not arranged yet", taxi} {
			if !strings.Contains(got, want) {
				t.Errorf("the arrangements say %q, want %q", got, want)
			}
		}
		mine := text(sp.layC.open(t, meeting).doc, "[data-testid=your-arrangement]")
		if !strings.Contains(mine, "Large print") || !strings.Contains(mine, taxi) {
			t.Errorf("her meeting page says %q", mine)
		}
		if other := sp.staffC.open(t, meeting).doc.Find("[data-testid=your-arrangement]"); other.Length() != 0 {
			t.Errorf("another member reads her arrangements: %q", other.Text())
		}
		if data := sp.layC.get("/me/data").Body.String(); !strings.Contains(data, taxi) {
			t.Error("her personal data download does not hold what was arranged for her")
		}
		if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE action = 'meeting.arrangements'`); n != 1 {
			t.Errorf("%d audit events for the arrangement, want 1", n)
		}
	})

	t.Run("ClearingEverythingRemovesIt", func(t *testing.T) {
		sp.facC.follow(t, sp.facC.open(t, arrangements+"/"+itoa(sp.lay.ID)).form("Save").uncheck("Large print").
			fill("Anything else arranged (optional)", "").submit())
		if n := sp.e.count(`SELECT count(*) FROM meeting_arrangements`); n != 0 {
			t.Errorf("%d arrangements kept after everything was cleared", n)
		}
	})
}
