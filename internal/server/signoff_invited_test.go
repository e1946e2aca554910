package server_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// TestSignOffShowsWhoInvitedTheSigner: a lead invites a lay partner, who
// accepts the emailed invitation the same day, and the two co-sign a step.
// The step page, the project history and the reports (HTML, CSV, JSON,
// PDF) each show who invited the lay partner and when, with the reports'
// naming rules (the lay partner as "Lay partner 1").
func TestSignOffShowsWhoInvitedTheSigner(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	email := "cosigner-" + itoa(sp.lead.ID) + "@example.test"
	res := sp.leadC.open(t, sp.path("/steps/select")).form("Send invitation").
		fill("Their name", "Nia Cosigner").fill("Their email address", email).check("Lay partner").submit()
	wantRedirect(t, res, sp.path("/steps/select"))
	partner := e.client()
	wantRedirect(t, partner.open(t, e.lastLink(email, "/invitations/")).form("Yes, I will take part").submit(), sp.path(""))

	step := sp.path("/steps/identify")
	wantRedirect(t, sp.leadC.open(t, step).form("Start this step").submit(), step)
	wantRedirect(t, sp.leadC.open(t, step).form("Sign off this step").submit(), step)
	wantRedirect(t, partner.open(t, step).form("Sign off this step").submit(), step)
	today := time.Now().In(coproduce.UK).Format("2 January 2006")
	want := "invited by " + sp.lead.Name + " on " + today

	stepPage := sp.leadC.open(t, step).doc
	signOffs := text(stepPage, "[data-testid=sign-offs]")
	if !strings.Contains(signOffs, "Nia Cosigner") || !strings.Contains(signOffs, want) {
		t.Errorf("step page sign-offs %q, want Nia Cosigner %s", signOffs, want)
	}
	const sameDay = "Invited on the day they signed, by someone who also signed this step"
	if got := text(stepPage, "[data-testid=same-day]"); got != sameDay {
		t.Errorf("the step page does not flag a co-signer the other signer invited that day: %q", got)
	}
	history := sp.leadC.open(t, sp.path("/history")).doc
	var found bool
	history.Find("tr[data-action='stage.sign_off']").Each(func(_ int, row *goquery.Selection) {
		if strings.Contains(row.Text(), "Nia Cosigner") && strings.Contains(row.Find("[data-testid=invited-by]").Text(), want) {
			found = true
		}
	})
	if !found {
		t.Errorf("the history does not show who invited the lay partner who signed")
	}

	labelled := "invited by " + sp.lead.Name + " on " + today
	for _, format := range []string{"html", "csv"} {
		body := sp.leadC.get(sp.path("/reports/identify." + format)).Body.String()
		if strings.Contains(body, "Nia Cosigner") {
			t.Errorf("%s report names a lay partner who did not agree to be named", format)
		}
		if !strings.Contains(body, labelled) || !strings.Contains(body, sameDay) {
			t.Errorf("%s report lacks %q or %q", format, labelled, sameDay)
		}
	}
	var r struct {
		Steps []struct {
			SignOffs []struct {
				By        string     `json:"by"`
				InvitedBy string     `json:"invited_by"`
				InvitedOn *time.Time `json:"invited_on"`
				SameDay   bool       `json:"invited_by_co_signer_same_day"`
			} `json:"sign_offs"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(sp.leadC.get(sp.path("/reports/identify.json")).Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	// Nia has the pseudonym her membership was given when she joined.
	nia := "Lay partner " + itoa(int64(e.count(`SELECT m.pseudonym FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = $1 AND u.email = $2`, sp.p.ID, email)))
	var got []string
	for _, s := range r.Steps {
		for _, so := range s.SignOffs {
			got = append(got, so.By+"<"+so.InvitedBy)
			if so.By == nia && (so.InvitedBy != sp.lead.Name || so.InvitedOn == nil || !so.SameDay) {
				t.Errorf("JSON sign-off %+v, want invited by %s", so, sp.lead.Name)
			}
		}
	}
	if !strings.Contains(strings.Join(got, "|"), nia+"<"+sp.lead.Name) {
		t.Errorf("JSON sign-offs %v", got)
	}
	pdf := pdfText(t, sp.leadC.get(sp.path("/reports/identify.pdf")).Body.Bytes())
	// The PDF is the HTML report printed: "invited by Person 3 on ...".
	if !strings.Contains(strings.ToLower(strings.Join(strings.Fields(pdf), " ")), "invited by") || !strings.Contains(pdf, sp.lead.Name) {
		t.Errorf("PDF lacks who invited the signer:\n%s", pdf)
	}
}
