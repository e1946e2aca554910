package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// Ask, record, flag: someone who joins is asked about their communication
// needs, tells them on the support form as it renders, and the leads and
// facilitators (not other members) see the short tag they chose to show.
func TestCommunicationNeedsAskedRecordedAndFlagged(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	step := sp.path("/steps/select")
	wantRedirect(t, sp.leadC.post(step+"/invitations", url.Values{"name": {"Pat Carer"}, "email": {"pat@example.test"},
		"role": {"lay_partner"}}), step)
	link := e.lastLink("pat@example.test", "/invitations/")
	pat := e.client()
	res := pat.open(t, link).form("Yes, I will take part").submit()
	ask := sp.path("/communication-needs")
	wantRedirect(t, res, ask)

	t.Run("AskedOnJoiningAndMaySkip", func(t *testing.T) {
		page := pat.follow(t, res)
		if got := text(page.doc, "h1"); got != "Do you have any communication needs?" {
			t.Errorf("joining leads to %q", got)
		}
		if page.doc.Find("[data-testid=ask-skip]").AttrOr("href", "") != sp.path("") {
			t.Error("no way to skip the question")
		}
		bad := page.form("Continue").submit()
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		if doc(t, bad).Find("#has_needs-error").Length() != 1 {
			t.Error("no answer: no field error")
		}
		wantRedirect(t, pat.open(t, ask).form("Continue").check("No, not now").submit(), sp.path(""))
		wantRedirect(t, pat.open(t, ask).form("Continue").check("Yes, I want to tell you about them").submit(),
			sp.path("/support/me"))
	})

	form := func() *filledForm {
		return pat.open(t, sp.path("/support/me")).form("Save").check("Large print").check("Emails in plain text only").
			check("By text message").fill("An interpreter for another language (optional)", "Polish").
			check("Yes, show a short note")
	}
	t.Run("APhoneNumberIsNeededForTexts", func(t *testing.T) {
		bad := form().submit()
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		d := doc(t, bad)
		if d.Find("#phone-error").Length() != 1 {
			t.Error("no phone number: no field error")
		}
		if _, ok := d.Find("input#plain_text_email").Attr("checked"); !ok || d.Find("input#language_interpreter").AttrOr("value", "") != "Polish" {
			t.Error("what was given is not kept")
		}
	})
	wantRedirect(t, form().fill("Phone number (if we should call or text you)", "07700 900 982").submit(), sp.path("/steps/support"))
	own := pat.open(t, sp.path("/support/me"))
	for _, id := range []string{"large_print", "plain_text_email"} {
		if _, ok := own.doc.Find("input#" + id).Attr("checked"); !ok {
			t.Errorf("%s not kept", id)
		}
	}
	if _, ok := own.doc.Find("input[name=contact_way][value=text]").Attr("checked"); !ok {
		t.Error("contact by text not kept")
	}
	if got := own.doc.Find("input#language_interpreter").AttrOr("value", ""); got != "Polish" {
		t.Errorf("the interpreter's language reads %q when the form is opened again, want Polish", got)
	}

	t.Run("LeadsSeeTheTagOnTheMemberList", func(t *testing.T) {
		u, err := e.store.UserByEmail(context.Background(), "pat@example.test")
		if err != nil {
			t.Fatal(err)
		}
		before := e.count(`SELECT count(*) FROM audit_events WHERE action = 'support.read' AND actor_id = $1`, sp.facilitator.ID)
		flag := text(sp.facC.open(t, sp.path("/members")).doc, "[data-testid=comms-flag]")
		for _, want := range []string{"Large print", "Plain text emails", "Interpreter: Polish", "Contact by text"} {
			if !strings.Contains(flag, want) {
				t.Errorf("the tag lacks %q: %q", want, flag)
			}
		}
		if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'support.read' AND actor_id = $1 AND subject = $2`,
			sp.facilitator.ID, "user:"+itoa(u.ID)); n != 1 || e.count(`SELECT count(*) FROM audit_events WHERE action = 'support.read' AND actor_id = $1`, sp.facilitator.ID) != before+1 {
			t.Errorf("reading the tag audited %d times, want once", n)
		}
		for _, c := range []*client{sp.layC, sp.staffC} {
			if c.open(t, sp.path("/members")).doc.Find("[data-testid=comms-flag]").Length() != 0 {
				t.Error("a member who does not run the project sees the tag")
			}
		}
	})
	t.Run("NoTagWithoutTheirChoice", func(t *testing.T) {
		wantRedirect(t, pat.open(t, sp.path("/support/me")).form("Save").check("No, do not show it").submit(), sp.path("/steps/support"))
		if sp.facC.open(t, sp.path("/members")).doc.Find("[data-testid=comms-flag]").Length() != 0 {
			t.Error("the tag is shown after Pat chose not to show it")
		}
	})
}

// The access plan lists each attendee's communication needs, for the
// meeting's organisers only.
func TestAccessPlanListsCommunicationNeeds(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	ctx := context.Background()
	wantRedirect(t, sp.layC.open(t, sp.path("/support/me")).form("Save").check("Large print").check("Braille").submit(), sp.path("/steps/support"))
	wantRedirect(t, sp.staffC.open(t, sp.path("/support/me")).form("Save").check("A British Sign Language (BSL) interpreter").
		check("An advocate to help me have my say").submit(), sp.path("/steps/support"))
	m := meetingFor(t, sp)
	for _, u := range []*coproduce.User{sp.lay, sp.staff} {
		if err := sp.e.store.ReplyToMeeting(ctx, m.ID, u.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	path := sp.path("/meetings/" + itoa(m.ID))
	plan := text(sp.facC.open(t, path).doc, "[data-testid=plan-communication]")
	for _, want := range []string{sp.lay.Name + ": Large print, Braille", sp.staff.Name + ": BSL interpreter, Advocate"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the plan lacks %q: %q", want, plan)
		}
	}
	if sp.layC.open(t, path).doc.Find("[data-testid=plan-communication]").Length() != 0 {
		t.Error("a lay partner sees the others' communication needs")
	}
}

// Papers: a member who asked for large print is given the large-print
// version of each paper that has one; whoever sends the papers sees who
// needs which version and which papers lack it.
func TestPapersInTheVersionEachPersonNeeds(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	wantRedirect(t, sp.layC.open(t, sp.path("/support/me")).form("Save").check("Large print").
		check("Yes, show a short note").submit(), sp.path("/steps/support"))
	m := meetingFor(t, sp)
	add := func(title string, version coproduce.PaperVersion, of int64) int64 {
		t.Helper()
		id, err := sp.e.store.AddPaper(context.Background(), sp.lead.ID, sp.p.ID, postgres.NewPaper{MeetingID: m.ID,
			Version: version, VersionOf: of, Title: title, FileName: "p.txt", ContentType: "text/plain; charset=utf-8",
			Data: []byte("A paper")})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	agenda := add("Agenda", coproduce.PaperStandard, 0)
	large := add("", coproduce.PaperLargePrint, agenda)
	add("Exercise sheets", coproduce.PaperStandard, 0)
	path := sp.path("/meetings/" + itoa(m.ID))

	mine := sp.layC.open(t, path).doc.Find("[data-testid=paper-for-you] a")
	if mine.Length() != 1 || mine.AttrOr("href", "") != path+"/papers/"+itoa(large) || !strings.Contains(mine.Text(), "Your large print version") {
		t.Errorf("the lay partner's own versions: %d links, first %q", mine.Length(), mine.AttrOr("href", ""))
	}
	if sp.staffC.open(t, path).doc.Find("[data-testid=paper-for-you]").Length() != 0 {
		t.Error("someone who asked for nothing is offered a version")
	}
	d := sp.facC.open(t, path).doc
	if got := text(d, "[data-testid=paper-needs] li"); !strings.Contains(got, "Large print: "+sp.lay.Name) {
		t.Errorf("who needs which version: %q", got)
	}
	missing := text(d, "[data-testid=paper-missing-large_print]")
	if !strings.Contains(missing, "Exercise sheets") || strings.Contains(missing, "Agenda") {
		t.Errorf("missing large print warning: %q, want the exercise sheets alone", missing)
	}
	if sp.staffC.open(t, path).doc.Find("[data-testid=paper-needs]").Length() != 0 {
		t.Error("a staff partner sees who needs which version")
	}
}

func meetingFor(t *testing.T, sp *stepProject) coproduce.Meeting {
	t.Helper()
	start := time.Now().Add(14 * 24 * time.Hour).Truncate(time.Hour)
	m := coproduce.Meeting{ProjectID: sp.p.ID, Title: "Workshop", Venue: "Community centre", StartsAt: start, EndsAt: start.Add(2 * time.Hour)}
	id, err := sp.e.store.CreateMeeting(context.Background(), sp.lead.ID, m)
	if err != nil {
		t.Fatal(err)
	}
	m.ID = id
	return m
}
