package server_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// recordFor opens, as the facilitator, the list of things to record for
// the lay partner told by phone, from the members page.
func recordFor(t *testing.T, sp *stepProject) *page {
	t.Helper()
	hub := sp.facC.open(t, sp.path("/members")).link("Record something for " + sp.lay.Name)
	res := hub.form("Continue").check("By phone").check("They agreed to me recording this").submit()
	return sp.facC.follow(t, res)
}

func TestRecordingForAMember(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	ctx := context.Background()
	recorded := "Recorded by " + sp.facilitator.Name + " for " + sp.lay.Name + ", by phone on "
	day := time.Now().In(coproduce.UK).Format("2 January 2006")

	t.Run("AsksHowTheyToldYouAndThatTheyAgreed", func(t *testing.T) {
		hub := sp.facC.open(t, sp.path("/members")).link("Record something for " + sp.lay.Name)
		res := hub.form("Continue").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		summary := text(doc(t, res), "[data-testid=error-summary]")
		for _, want := range []string{"Select how they told you", "Tick to confirm they agreed"} {
			if !strings.Contains(summary, want) {
				t.Errorf("error summary %q lacks %q", summary, want)
			}
		}
	})

	var idea string
	t.Run("Idea", func(t *testing.T) {
		build := recordFor(t, sp).link("A new idea")
		if got := text(build.doc, "[data-testid=on-behalf]"); !strings.Contains(got, "You are recording this for "+sp.lay.Name) {
			t.Fatalf("no banner on the idea form: %q", got)
		}
		res := build.form("Suggest this idea").fill("Your idea in a sentence", "Bus passes for carers").
			fill("Tell us more", "She told me on the phone").submit()
		wantRedirect(t, res, sp.path("/proposals/"))
		idea = strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
		p := sp.facC.follow(t, res)
		if got := text(p.doc, "[data-testid=recorded]"); !strings.Contains(got, recorded+day) {
			t.Errorf("idea page says %q, want %q", got, recorded+day)
		}
		if n := sp.e.count(`SELECT count(*) FROM proposals WHERE author_id = $1 AND recorded_by = $2 AND recorded_how = 'phone'`,
			sp.lay.ID, sp.facilitator.ID); n != 1 {
			t.Errorf("%d ideas of hers recorded by the facilitator, want 1", n)
		}
	})

	t.Run("VoteAndComment", func(t *testing.T) {
		p := recordFor(t, sp).link("Vote or comment on “Bus passes for carers”")
		wantRedirect(t, p.form("Save my vote").check("Support").submit(), idea)
		p = recordFor(t, sp).link("Vote or comment on “Bus passes for carers”")
		wantRedirect(t, p.form("Send comment").fill("Your comment", "Please make it soon").submit(), idea)
		if n := sp.e.count(`SELECT count(*) FROM votes WHERE user_id = $1 AND recorded_by = $2 AND choice = 'support'`, sp.lay.ID, sp.facilitator.ID); n != 1 {
			t.Errorf("%d recorded votes, want 1", n)
		}
		page := sp.layC.open(t, idea)
		if got := text(page.doc, "[data-testid=comment] [data-testid=recorded]"); !strings.Contains(got, recorded) {
			t.Errorf("comment says %q, want %q", got, recorded)
		}
		// Her own vote later changes the same one.
		wantRedirect(t, page.form("Save my vote").check("Object").submit(), idea)
		if n := sp.e.count(`SELECT count(*) FROM votes WHERE user_id = $1`, sp.lay.ID); n != 1 {
			t.Errorf("%d votes of hers, want 1", n)
		}
		if n := sp.e.count(`SELECT lay_object + lay_support FROM proposals WHERE id = $1`, ideaID(idea)); n != 1 {
			t.Errorf("lay votes counted %d, want 1", n)
		}
	})

	t.Run("MeetingReply", func(t *testing.T) {
		id, err := sp.e.store.CreateMeeting(ctx, sp.facilitator.ID, coproduce.Meeting{ProjectID: sp.p.ID, Title: "Workshop two",
			StartsAt: time.Now().Add(48 * time.Hour), EndsAt: time.Now().Add(50 * time.Hour), Venue: "Library"})
		if err != nil {
			t.Fatal(err)
		}
		p := recordFor(t, sp).link("Reply to the invitation to “Workshop two”")
		res := p.form("Send my answer").check("Yes, I am coming").submit()
		wantRedirect(t, res, sp.path("/meetings/"+itoa(id)))
		if n := sp.e.count(`SELECT count(*) FROM meeting_replies WHERE user_id = $1 AND attending AND recorded_by = $2`, sp.lay.ID, sp.facilitator.ID); n != 1 {
			t.Errorf("%d recorded replies, want 1", n)
		}
		if got := text(sp.facC.follow(t, res).doc, "[data-testid=recorded]"); !strings.Contains(got, recorded) {
			t.Errorf("meeting page says %q, want %q", got, recorded)
		}
	})

	t.Run("PurposeRead", func(t *testing.T) {
		if _, err := sp.e.store.CreatePurposeVersion(ctx, sp.lead.ID, sp.p.ID, coproduce.PurposeInput{Purpose: "Better rehab",
			Expectations: "Come when you can", Fixed: "Budget", OpenToChange: "Everything else", ContributionsUse: "Shapes the service",
			ExpensesPolicy: "We pay travel"}); err != nil {
			t.Fatal(err)
		}
		p := recordFor(t, sp).link("That they have read the purpose statement")
		res := p.form("I have read this").submit()
		wantRedirect(t, res, sp.path("/steps/be-clear"))
		if n := sp.e.count(`SELECT count(*) FROM purpose_acknowledgements WHERE user_id = $1 AND recorded_by = $2`, sp.lay.ID, sp.facilitator.ID); n != 1 {
			t.Errorf("%d recorded readings, want 1", n)
		}
		if got := text(sp.facC.follow(t, res).doc, "[data-testid=recorded]"); !strings.Contains(got, recorded) {
			t.Errorf("step page says %q, want %q", got, recorded)
		}
	})

	t.Run("Claim", func(t *testing.T) {
		p := recordFor(t, sp).link("An expense claim")
		yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
		res := p.form("Send claim").check("Parking").fill("Date", yesterday).fill("Amount in pounds", "4.50").
			attach("Receipt (optional)", "receipt.png", pngBytes).submit()
		wantRedirect(t, res, sp.path("/claims"))
		if n := sp.e.count(`SELECT count(*) FROM claims WHERE user_id = $1 AND recorded_by = $2 AND receipt_id IS NOT NULL`, sp.lay.ID, sp.facilitator.ID); n != 1 {
			t.Errorf("%d recorded claims with a receipt, want 1", n)
		}
		if got := text(sp.facC.follow(t, res).doc, "[data-testid=recorded]"); !strings.Contains(got, recorded) {
			t.Errorf("claims page says %q, want %q", got, recorded)
		}
	})

	t.Run("SupportNeeds", func(t *testing.T) {
		p := recordFor(t, sp).link("Their support needs")
		if strings.Contains(p.doc.Text(), "copy") && p.doc.Find("[data-testid=copy-support]").Length() > 0 {
			t.Error("the facilitator is offered what she told other projects")
		}
		res := p.form("Save").check("Large print").submit()
		wantRedirect(t, res, sp.path("/steps/support"))
		if n := sp.e.count(`SELECT count(*) FROM support_profiles WHERE user_id = $1 AND large_print AND recorded_by = $2`, sp.lay.ID, sp.facilitator.ID); n != 1 {
			t.Errorf("%d recorded support profiles, want 1", n)
		}
		if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE action = 'support.read' AND actor_id = $1 AND subject = $2`,
			sp.facilitator.ID, "user:"+itoa(sp.lay.ID)); n < 1 {
			t.Errorf("the facilitator's reading of her needs to record them was not audited")
		}
		if got := text(sp.layC.open(t, sp.path("/support/me")).doc, "[data-testid=recorded]"); !strings.Contains(got, recorded+day) {
			t.Errorf("her support page says %q, want %q", got, recorded+day)
		}
	})

	t.Run("SheSeesWhatWasRecordedForHer", func(t *testing.T) {
		p := sp.layC.open(t, sp.path(""))
		got := text(p.doc, "[data-testid=recorded-for-you]")
		for _, want := range []string{"Your idea “Bus passes for carers”", "Your comment on", "Your reply to the invitation to “Workshop two”",
			"That you have read the purpose statement", "Your expense claim", "Your support needs", recorded} {
			if !strings.Contains(got, want) {
				t.Errorf("Recorded for you lacks %q:\n%s", want, got)
			}
		}
		// Her own vote replaced the recorded one, so it is no longer listed.
		if strings.Contains(got, "Your vote on") {
			t.Errorf("her own vote is listed as recorded for her:\n%s", got)
		}
	})

	t.Run("FourRs", func(t *testing.T) {
		wantRedirect(t, sp.leadC.open(t, sp.path("/steps/understand/members/"+itoa(sp.lay.ID))).form("Save 4Rs").
			fill("Role", "Lay partner").fill("Remit", "Reads the sheets").fill("Relationships", "Works with Tom").
			fill("Responsibility", "Comes to the workshops").submit(), sp.path("/steps/understand"))
		res := recordFor(t, sp).link("That they agree their 4Rs").form("I agree with my 4Rs").submit()
		wantRedirect(t, res, sp.path("/steps/understand"))
		row := text(sp.facC.open(t, sp.path("/steps/understand")).doc, "tr[data-user-id=\""+itoa(sp.lay.ID)+"\"]")
		if !strings.Contains(row, recorded+day) {
			t.Errorf("the 4Rs table says %q, want %q", row, recorded+day)
		}
		if got := text(sp.layC.open(t, sp.path("/steps/understand")).doc, "[data-testid=recorded]"); !strings.Contains(got, recorded+day) {
			t.Errorf("her own 4Rs say %q, want %q", got, recorded+day)
		}
	})

	t.Run("AuditedNamingBoth", func(t *testing.T) {
		if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE action = 'on_behalf.record' AND actor_id = $1 AND subject = $2`,
			sp.facilitator.ID, "user:"+itoa(sp.lay.ID)); n < 7 {
			t.Errorf("%d audit events of recordings, want at least 7", n)
		}
	})

	t.Run("Refusals", func(t *testing.T) {
		q := "?for=" + itoa(sp.lay.ID) + "&how=phone&agreed=yes"
		// A staff partner may not record for others.
		wantStatus(t, sp.staffC.get(sp.path("/steps/build"+q)), http.StatusForbidden)
		wantStatus(t, sp.staffC.get(sp.path("/members/"+itoa(sp.lay.ID)+"/record")), http.StatusForbidden)
		// Nobody records for someone outside the project, or for themselves.
		wantStatus(t, sp.facC.get(sp.path("/steps/build?for="+itoa(sp.outsider.ID)+"&how=phone&agreed=yes")), http.StatusNotFound)
		wantStatus(t, sp.facC.get(sp.path("/steps/build?for="+itoa(sp.facilitator.ID)+"&how=phone&agreed=yes")), http.StatusForbidden)
		// Without their agreement, the form is not opened for them.
		wantRedirect(t, sp.facC.get(sp.path("/steps/build?for="+itoa(sp.lay.ID)+"&how=phone")), sp.path("/members/"+itoa(sp.lay.ID)+"/record"))
		// The members page offers it only to leads and facilitators.
		if strings.Contains(sp.staffC.open(t, sp.path("/members")).doc.Text(), "Record something for") {
			t.Error("a staff partner is offered to record for others")
		}
	})
}

// ideaID is the idea's id from its address.
func ideaID(path string) int64 {
	id, _ := strconv.ParseInt(path[strings.LastIndexByte(path, '/')+1:], 10, 64)
	return id
}
