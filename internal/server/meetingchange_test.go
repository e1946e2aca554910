package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// calendar downloads a meeting's calendar file as a member and parses it
// with a real parser.
func calendar(t *testing.T, c *client, meeting string) (*ics.Calendar, *ics.VEvent) {
	t.Helper()
	res := c.get(meeting + "/calendar.ics")
	wantStatus(t, res, http.StatusOK)
	cal, err := ics.ParseCalendar(strings.NewReader(res.Body.String()))
	if err != nil {
		t.Fatalf("the calendar file does not parse: %v\n%s", err, res.Body)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events in the calendar file", len(events))
	}
	return cal, events[0]
}

func prop(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func calMethod(c *ics.Calendar) string {
	for _, p := range c.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			return p.Value
		}
	}
	return ""
}

// A facilitator moves a meeting from its page: every member is told (an
// email at once for a lay partner, with the link to the calendar file, and
// an update), and the calendar file keeps its UID with a higher SEQUENCE.
func TestEditingAMeetingTellsMembersAndUpdatesTheirCalendar(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	day := time.Now().In(coproduce.UK).AddDate(0, 0, 3)
	meeting := sp.arrangeMeeting(t, "Planning day", day)
	_, before := calendar(t, sp.layC, meeting)
	if got := prop(before, ics.ComponentPropertySequence); got != "0" {
		t.Errorf("a new meeting's SEQUENCE is %q, want 0", got)
	}

	// Time passes since the email telling of the meeting (emails at once
	// are at most one per NOTIFY_GATHER; later ones wait to be gathered).
	sp.e.exec(`UPDATE users SET last_notice_at = NULL`)
	edit := sp.facC.open(t, meeting).link("Change or cancel this meeting")
	res := edit.form("Save the changes").fill("Starts at", "10:00").fill("Ends at", "12:00").submit()
	wantRedirect(t, res, meeting+"?notice=meeting-updated")
	page := sp.facC.follow(t, res)
	if got := fold(page.doc.Find("[data-testid=notice]").Text()); !strings.Contains(got, "Everyone in the project has been told") {
		t.Errorf("notice %q", got)
	}
	if got := fold(page.doc.Find("[data-testid=meeting]").Text()); !strings.Contains(got, "10:00") {
		t.Errorf("the meeting page shows %q, not the new time", got)
	}

	_, after := calendar(t, sp.layC, meeting)
	if prop(after, ics.ComponentPropertyUniqueId) != prop(before, ics.ComponentPropertyUniqueId) {
		t.Errorf("UID changed from %q to %q", prop(before, ics.ComponentPropertyUniqueId), prop(after, ics.ComponentPropertyUniqueId))
	}
	if got := prop(after, ics.ComponentPropertySequence); got != "1" {
		t.Errorf("SEQUENCE after an edit is %q, want 1", got)
	}
	start, err := after.GetStartAt()
	if err != nil || start.In(coproduce.UK).Format("15:04") != "10:00" {
		t.Errorf("DTSTART %v (%v), want 10:00", start, err)
	}

	// The lay partner hears at once, by email, with the calendar link.
	var body string
	if err := sp.e.tx.QueryRow(t.Context(), `SELECT text_body FROM emails WHERE to_address = $1 AND subject LIKE 'Meeting changed:%'`,
		sp.lay.Email).Scan(&body); err != nil {
		t.Fatalf("no email telling the lay partner of the change: %v", err)
	}
	for _, want := range []string{"has changed: Planning day", "10:00 to 12:00", meeting + "/calendar.ics"} {
		if !strings.Contains(body, want) {
			t.Errorf("the email lacks %q:\n%s", want, body)
		}
	}
	updates := sp.layC.open(t, "/updates")
	if !strings.Contains(fold(updates.doc.Text()), "has changed: Planning day") {
		t.Error("the lay partner's Updates page does not say the meeting changed")
	}

	t.Run("AnOlderFormDoesNotOverwrite", func(t *testing.T) {
		stale := edit.form("Save the changes").fill("What is the meeting?", "Old title")
		res := stale.submit()
		wantRedirect(t, res, meeting+"/edit?notice=meeting-changed-meanwhile")
		if n := sp.e.count(`SELECT count(*) FROM meetings WHERE title = 'Old title'`); n != 0 {
			t.Error("a form from before the change overwrote it")
		}
	})
	t.Run("PartnersCannotEdit", func(t *testing.T) {
		wantStatus(t, sp.layC.get(meeting+"/edit"), http.StatusForbidden)
	})
}

// Cancelling keeps the meeting, marked cancelled with its reason; replies
// and the register close; the calendar file cancels it (METHOD:CANCEL,
// STATUS:CANCELLED, the same UID, a higher SEQUENCE).
func TestACancelledMeetingsCalendarFileCancelsIt(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	meeting := sp.arrangeMeeting(t, "Planning day", time.Now().AddDate(0, 0, 3))
	_, before := calendar(t, sp.layC, meeting)
	sp.e.exec(`UPDATE users SET last_notice_at = NULL`)
	res := sp.facC.open(t, meeting+"/edit").form("Cancel the meeting").
		fill("Why is it cancelled? (optional)", "The room flooded").submit()
	wantRedirect(t, res, meeting+"?notice=meeting-cancelled")

	page := sp.layC.open(t, meeting)
	if got := fold(page.doc.Find("[data-testid=meeting-cancelled]").Text()); !strings.Contains(got, "This meeting is cancelled") ||
		!strings.Contains(got, "The room flooded") {
		t.Errorf("the cancelled meeting's page says %q", got)
	}
	if page.has("Send my answer") {
		t.Error("a cancelled meeting still takes replies")
	}
	cal, ev := calendar(t, sp.layC, meeting)
	if got := calMethod(cal); got != "CANCEL" {
		t.Errorf("METHOD %q, want CANCEL", got)
	}
	if got := prop(ev, ics.ComponentPropertyStatus); got != "CANCELLED" {
		t.Errorf("STATUS %q, want CANCELLED", got)
	}
	if prop(ev, ics.ComponentPropertyUniqueId) != prop(before, ics.ComponentPropertyUniqueId) ||
		prop(ev, ics.ComponentPropertySequence) != "1" {
		t.Errorf("UID %q SEQUENCE %q, want the same UID and 1", prop(ev, ics.ComponentPropertyUniqueId), prop(ev, ics.ComponentPropertySequence))
	}
	if n := sp.e.count(`SELECT count(*) FROM emails WHERE to_address = $1 AND subject = 'Meeting cancelled: Planning day'
		AND text_body LIKE '%The room flooded%'`, sp.lay.Email); n != 1 {
		t.Errorf("%d cancellation emails with the reason to the lay partner, want 1", n)
	}
	list := sp.layC.open(t, sp.path("/meetings"))
	if list.doc.Find("[data-testid=cancelled-tag]").Length() != 1 {
		t.Error("the meetings list does not mark the meeting cancelled")
	}
	// A facilitator's page opened before cancelling cannot change it now.
	wantRedirect(t, sp.facC.get(meeting+"/edit"), meeting+"?notice=meeting-cancelled-already")
}

// Recording a lay partner as present starts a travel claim for them: their
// expenses page says "We have started a claim for you", and they check and
// send it; a facilitator can send one for them. Attendance before the
// start is still refused.
func TestAPresentPersonGetsADraftClaim(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	past := sp.arrangeMeeting(t, "Last week's workshop", time.Now().AddDate(0, 0, -7))
	wantRedirect(t, sp.facC.open(t, past).form("Save who came").check(sp.lay.Name).submit(), past)

	claims := sp.layC.open(t, sp.path("/claims"))
	box := fold(claims.doc.Find("[data-testid=draft-claims]").Text())
	if !strings.Contains(box, "We have started a claim for your travel to Last week's workshop") {
		t.Fatalf("the lay partner's expenses page says %q", box)
	}
	if claims.doc.Find("[data-testid=claims]").Length() != 0 {
		t.Error("the draft is listed as a claim sent")
	}
	res := claims.link("Check and send it").form("Send the claim").check("Driving your own car").fill("Miles (for driving or cycling)", "12").submit()
	wantRedirect(t, res, sp.path("/claims?notice=claim-sent"))
	if got := sp.e.count(`SELECT count(*) FROM claims WHERE user_id = $1 AND status = 'submitted' AND miles = 12 AND meeting_id IS NOT NULL`,
		sp.lay.ID); got != 1 {
		t.Errorf("%d sent claims for 12 miles, want 1", got)
	}
	if n := sp.e.count(`SELECT count(*) FROM updates WHERE user_id = $1 AND line LIKE '%we have started a claim for your travel%'`, sp.lay.ID); n != 1 {
		t.Errorf("%d updates telling the lay partner of the draft, want 1", n)
	}

	t.Run("AFacilitatorSendsOneForThem", func(t *testing.T) {
		other := sp.arrangeMeeting(t, "Yesterday's workshop", time.Now().AddDate(0, 0, -1))
		wantRedirect(t, sp.facC.open(t, other).form("Save who came").check(sp.lay.Name).submit(), other)
		page := sp.facC.open(t, sp.path("/claims")).link("Send it for " + sp.lay.Name)
		if got := fold(page.doc.Find("[data-testid=claim-for]").Text()); !strings.Contains(got, sp.lay.Name) {
			t.Errorf("the page does not say whose claim it is: %q", got)
		}
		res := page.form("Send the claim for "+sp.lay.Name).check("Bus, train or taxi").fill("Amount in pounds (for anything else)", "4.20").submit()
		wantRedirect(t, res, sp.path("/claims?notice=claim-sent-for"))
		if n := sp.e.count(`SELECT count(*) FROM claims WHERE user_id = $1 AND submitted_by = $2 AND amount_pence = 420`,
			sp.lay.ID, sp.facilitator.ID); n != 1 {
			t.Errorf("%d claims sent by the facilitator for the lay partner, want 1", n)
		}
	})
	t.Run("AttendanceBeforeTheStartIsStillRefused", func(t *testing.T) {
		future := sp.arrangeMeeting(t, "Next week", time.Now().AddDate(0, 0, 7))
		if sp.facC.open(t, future).has("Save who came") {
			t.Error("the register is offered before the meeting starts")
		}
		if n := sp.e.count(`SELECT count(*) FROM claims c JOIN meetings m ON m.id = c.meeting_id WHERE m.title = 'Next week'`); n != 0 {
			t.Errorf("%d claims for a meeting that has not started", n)
		}
	})
}

// The access plan flags a person coming whose latest time is before the
// meeting ends, and shows leads and facilitators their other needs in
// their own words.
func TestTheAccessPlanChecksTimes(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	meeting := sp.arrangeMeeting(t, "Planning day", time.Now().AddDate(0, 0, 3)) // 14:00 to 16:00
	res := sp.layC.open(t, sp.path("/support/me")).form("Save").
		fill("The latest time you can stay until (optional)", "15:00").
		fill("Anything else (optional)", "I need a quiet room to rest").submit()
	wantStatus(t, res, http.StatusSeeOther)
	wantRedirect(t, sp.layC.open(t, meeting).form("Send my answer").check("Yes, I am coming").submit(), meeting)

	page := sp.facC.open(t, meeting)
	plan := fold(page.doc.Find("[data-testid=access-plan]").Text())
	for _, want := range []string{"outside the times they can take part", sp.lay.Name + ": not after 15:00", "I need a quiet room to rest"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the access plan lacks %q: %q", want, plan)
		}
	}
	if page.doc.Find("[data-testid=time-warning]").Length() != 1 {
		t.Error("no warning that the meeting is outside someone's times")
	}
	if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE action = 'support.read' AND subject = $1`, "user:"+itoa(sp.lay.ID)); n == 0 {
		t.Error("reading the lay partner's needs for the plan was not audited")
	}

	t.Run("ALaterTimeIsRefused", func(t *testing.T) {
		res := sp.layC.open(t, sp.path("/support/me")).form("Save").
			fill("The earliest time you can start (optional)", "16:00").
			fill("The latest time you can stay until (optional)", "15:00").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(fold(doc(t, res).Find("[data-testid=error-summary]").Text()), "The latest time must be after the earliest time") {
			t.Error("no error saying the times are the wrong way round")
		}
	})
}
