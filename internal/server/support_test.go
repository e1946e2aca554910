package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSupportProfilesArePrivate(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	wantRedirect(t, sp.layC.post(sp.path("/support/me"), url.Values{"hearing_loop": {"yes"}, "bsl_interpreter": {"yes"},
		"bad_times": {"Not after 3pm: my medication"}}), sp.path("/steps/support"))
	own := doc(t, sp.layC.get(sp.path("/support/me")))
	if _, ok := own.Find("input#hearing_loop").Attr("checked"); !ok {
		t.Error("own profile not kept")
	}
	member := sp.path("/support/members/" + itoa(sp.lay.ID))

	t.Run("OthersInTheProjectCannotRead", func(t *testing.T) {
		for _, c := range []*client{sp.staffC, sp.e.signedIn(sp.staff)} {
			res := c.get(member)
			wantStatus(t, res, http.StatusForbidden)
			if strings.Contains(res.Body.String(), "medication") {
				t.Error("profile shown")
			}
		}
		wantStatus(t, sp.outsideC.get(member), http.StatusNotFound)
		if strings.Contains(sp.staffC.get(sp.path("/steps/support")).Body.String(), "medication") {
			t.Error("profile on the support page for a partner")
		}
	})
	t.Run("LeadsReadAndTheReadIsAudited", func(t *testing.T) {
		before := e.count(`SELECT count(*) FROM audit_events WHERE action = 'support.read' AND actor_id = $1`, sp.facilitator.ID)
		res := sp.facC.get(member)
		wantStatus(t, res, http.StatusOK)
		got := text(doc(t, res), "[data-testid=member-support]")
		for _, want := range []string{"hearing loop", "Sign Language", "medication"} {
			if !strings.Contains(got, want) {
				t.Errorf("profile lacks %q: %s", want, got)
			}
		}
		if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'support.read' AND actor_id = $1`, sp.facilitator.ID); n != before+1 {
			t.Errorf("reads audited: %d then %d", before, n)
		}
	})
}

func TestMeetingAccessPlan(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	sp.layC.post(sp.path("/support/me"), url.Values{"hearing_loop": {"yes"}, "step_free": {"yes"}})
	sp.staffC.post(sp.path("/support/me"), url.Values{"hearing_loop": {"yes"}, "good_times": {"Mornings"}})

	bad := sp.facC.post(sp.path("/meetings"), url.Values{"title": {""}, "date": {"2027-02-30"}, "start": {"10:00"}, "end": {"09:00"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if d := doc(t, bad); d.Find("#title-error").Length() != 1 || d.Find("#date-error").Length() != 1 || d.Find("#venue-error").Length() != 1 {
		t.Error("missing field errors")
	}
	res := sp.facC.post(sp.path("/meetings"), url.Values{"title": {"Workshop one"}, "date": {"2027-03-04"}, "start": {"10:00"},
		"end": {"12:00"}, "venue": {"Community centre, High Street"}, "step_free": {"yes"}})
	wantRedirect(t, res, sp.path("/meetings/"))
	meeting := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
	wantRedirect(t, sp.layC.post(meeting+"/reply", url.Values{"attending": {"yes"}}), meeting)
	wantRedirect(t, sp.staffC.post(meeting+"/reply", url.Values{"attending": {"yes"}}), meeting)

	d := doc(t, sp.facC.get(meeting))
	plan := text(d, "[data-testid=access-plan]")
	for _, want := range []string{"A hearing loop (2 people)", sp.lay.Name, sp.staff.Name, "Step-free access (1 person)", "Particular times of day"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q: %s", want, plan)
		}
	}
	if warn := text(d, "[data-testid=venue-warning]"); !strings.Contains(warn, "The venue does not have a hearing loop, and someone coming needs one.") || strings.Contains(warn, "Step-free") {
		t.Errorf("venue warning: %q", warn)
	}
	if d := doc(t, sp.layC.get(meeting)); d.Find("[data-testid=access-plan]").Length() != 0 {
		t.Error("access plan shown to a lay partner")
	}

	ics := sp.layC.get(meeting + "/calendar.ics")
	wantStatus(t, ics, http.StatusOK)
	body := ics.Body.String()
	for _, want := range []string{"BEGIN:VCALENDAR", "BEGIN:VEVENT", "SUMMARY:Workshop one", "DTSTART", "20270304T100000Z"} {
		if !strings.Contains(body, want) {
			t.Errorf("ics lacks %q:\n%s", want, body)
		}
	}

	// The meeting takes place: the register opens when it starts.
	sp.e.exec(`UPDATE meetings SET starts_at = now() - interval '2 hours', ends_at = now() WHERE id = $1`, lastSegment(meeting))
	wantStatus(t, sp.layC.post(meeting+"/attendance", url.Values{"present": {itoa(sp.lay.ID)}}), http.StatusForbidden)
	wantRedirect(t, sp.facC.post(meeting+"/attendance", url.Values{"present": {itoa(sp.lay.ID), itoa(sp.outsider.ID)}, "notes": {"Good session"}}), meeting)
	if n := sp.e.count(`SELECT count(*) FROM meeting_attendance`); n != 1 {
		t.Errorf("%d attended, want 1 (outsiders are not recorded)", n)
	}
}

func TestBuddies(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	wantStatus(t, sp.facC.post(sp.path("/support/buddies"), url.Values{"partner": {itoa(sp.lay.ID)}, "buddy": {itoa(sp.staff.ID)}}), http.StatusForbidden)
	wantStatus(t, sp.leadC.post(sp.path("/support/buddies"), url.Values{"partner": {itoa(sp.staff.ID)}, "buddy": {itoa(sp.lay.ID)}}), http.StatusUnprocessableEntity)
	wantRedirect(t, sp.leadC.post(sp.path("/support/buddies"), url.Values{"partner": {itoa(sp.lay.ID)}, "buddy": {itoa(sp.staff.ID)}}), sp.path("/steps/support"))
	if got := text(doc(t, sp.layC.get(sp.path(""))), "[data-testid=buddy]"); !strings.Contains(got, sp.staff.Name) {
		t.Errorf("lay partner does not see their buddy: %q", got)
	}
	if got := text(doc(t, sp.staffC.get(sp.path(""))), "[data-testid=buddy]"); !strings.Contains(got, sp.lay.Name) {
		t.Errorf("buddy does not see the pairing: %q", got)
	}
}
