package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// arrangeMeeting arranges a meeting from the support step's form, on day
// from 14:00 to 16:00 UK time, and returns its page's path.
func (sp *stepProject) arrangeMeeting(t *testing.T, title string, day time.Time) string {
	t.Helper()
	res := sp.facC.open(t, sp.path("/steps/support")).form("Arrange meeting").
		fill("What is the meeting?", title).fill("Date", day.In(coproduce.UK).Format("2006-01-02")).
		fill("Starts at", "14:00").fill("Ends at", "16:00").fill("Where (the place and address)", "Community centre").submit()
	wantRedirect(t, res, sp.path("/meetings/"))
	return strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
}

// Attendance opens when the meeting starts: before then the page says when
// it opens and offers no register, and a register sent from a page opened
// before the meeting was moved later is refused with nothing written.
func TestTheRegisterOpensWhenTheMeetingStarts(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	if err := sp.e.store.SetPaymentLevel(t.Context(), sp.lead.ID, sp.p.ID, sp.lay.ID, 4); err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(coproduce.UK).AddDate(0, 0, 2)
	future := sp.arrangeMeeting(t, "Planning day", day)
	page := sp.facC.open(t, future)
	if page.has("Save who came") {
		t.Error("the register is offered before the meeting starts")
	}
	want := "You can record who came once the meeting starts at 2pm on " + day.Format("2 January") + "."
	if got := fold(page.doc.Find("[data-testid=attendance-closed]").Text()); got != want {
		t.Errorf("the page says %q, want %q", got, want)
	}

	past := sp.arrangeMeeting(t, "Last week's workshop", time.Now().AddDate(0, 0, -7))
	form := sp.facC.open(t, past).form("Save who came").check(sp.lay.Name).fill("Notes from the meeting", "Went well")
	// The meeting is moved to next week while the register is open.
	sp.e.exec(`UPDATE meetings SET starts_at = starts_at + interval '14 days', ends_at = ends_at + interval '14 days'
		WHERE id = $1`, lastSegment(past))
	res := form.submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := sp.facC.pageOf(t, past, res).doc
	if got := fold(d.Find("[data-testid=error-summary]").Text()); !strings.Contains(got, "You can record who came once the meeting starts at 2pm on ") {
		t.Errorf("error summary %q", got)
	}
	if !strings.HasPrefix(d.Find("title").Text(), "Error:") {
		t.Errorf("title %q lacks the Error: prefix", d.Find("title").Text())
	}
	if n := sp.e.count(`SELECT count(*) FROM meeting_attendance`); n != 0 {
		t.Errorf("%d recorded as present, want none", n)
	}
	if n := sp.e.count(`SELECT count(*) FROM claims`); n != 0 {
		t.Errorf("%d payments made, want none", n)
	}
	if n := sp.e.count(`SELECT count(*) FROM meetings WHERE attendance_taken OR notes <> ''`); n != 0 {
		t.Errorf("%d meetings written, want none", n)
	}
}

// Once the meeting has started, the register is there and saves who came.
func TestTheRegisterOfAStartedMeeting(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	past := sp.arrangeMeeting(t, "Last week's workshop", time.Now().AddDate(0, 0, -7))
	res := sp.facC.open(t, past).form("Save who came").check(sp.lay.Name).submit()
	wantRedirect(t, res, past)
	if got := fold(sp.facC.follow(t, res).doc.Find("[data-testid=notice]").Text()); got == "" {
		t.Error("no confirmation that attendance was saved")
	}
	if n := sp.e.count(`SELECT count(*) FROM meeting_attendance`); n != 1 {
		t.Errorf("%d recorded as present, want 1", n)
	}
}
