package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// TestSignOffComesAfterTheStepContent: on every step page the sign-off
// form comes after everything the person is asked to agree to: every other
// section of the page comes before it, under a heading that says what
// signing means.
func TestSignOffComesAfterTheStepContent(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	for _, step := range coproduce.Steps {
		path := sp.path("/steps/" + step.Slug())
		sp.leadC.open(t, path).form("Start this step").submit()
		pg := sp.leadC.open(t, path)
		form := pg.form("Sign off this step").sel
		all := pg.doc.Find("main *")
		at := all.IndexOfSelection(form)
		heading := pg.doc.Find("#sign-off-heading")
		if fold(heading.Text()) != "Sign off this step" || all.IndexOfSelection(heading) > at {
			t.Errorf("%s: sign-off heading %q not before its form", step.Slug(), heading.Text())
		}
		if !strings.Contains(fold(heading.NextAll().Text()), "Signing off means you have read everything on this page") {
			t.Errorf("%s: no words saying what signing off means", step.Slug())
		}
		pg.doc.Find("main h2, main h3, main form").Each(func(_ int, s *goquery.Selection) {
			if s.Is("#sign-off-heading") || s.IsSelection(form) {
				return
			}
			if all.IndexOfSelection(s) > at {
				t.Errorf("%s: %q comes after the sign-off form", step.Slug(), fold(s.Text()))
			}
		})
	}
}

// TestLayPartnerSignsOffStepThreeAfterReadingThePurpose: a lay partner's
// sign-off of step 3 says they agree to the purpose statement, so they are
// first asked to confirm they have read the version that stands. Signing
// from a page opened before a new version was saved is refused with a
// plain message, nothing is written, and the page offers the confirmation.
// The project page then says step 3's completion and who has still to read
// the statement as two separate things.
func TestLayPartnerSignsOffStepThreeAfterReadingThePurpose(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	path := sp.path("/steps/be-clear")
	sp.leadC.open(t, path).form("Start this step").submit()

	// No statement yet: nothing to agree to.
	pg := sp.layC.open(t, path)
	if pg.has("Sign off this step") {
		t.Fatal("lay partner offered a sign-off with no purpose statement")
	}
	if !strings.Contains(text(pg.doc, "[data-testid=sign-off-no-purpose]"), "when the purpose statement has been written") {
		t.Errorf("no-purpose words %q", text(pg.doc, "[data-testid=sign-off-no-purpose]"))
	}

	writePurpose := func(words string) {
		t.Helper()
		res := sp.leadC.open(t, path+"/purpose").form("Save new version").fill("What the project is for", words).submit()
		wantRedirect(t, res, path)
	}
	writePurpose("Better rehab at home")

	pg = sp.layC.open(t, path)
	if pg.has("Sign off this step") {
		t.Fatal("lay partner offered a sign-off before reading the purpose")
	}
	if !strings.Contains(text(pg.doc, "[data-testid=sign-off-read-first]"), "confirm you have read it") {
		t.Errorf("read-first words %q", text(pg.doc, "[data-testid=sign-off-read-first]"))
	}
	if pg.doc.Find("#confirm-purpose").Length() != 1 {
		t.Error("the link to the confirmation goes nowhere")
	}
	opened := sp.layC.follow(t, pg.form("I have read this").submit())
	if !opened.has("Sign off this step") {
		t.Fatal("lay partner not offered a sign-off after reading")
	}

	// A new version is saved while the partner has the page open.
	writePurpose("Better rehab at home, second version")
	res := opened.form("Sign off this step").submit()
	wantStatus(t, res, http.StatusConflict)
	refused := sp.layC.pageOf(t, path, res)
	summary := text(refused.doc, "[data-testid=error-summary]")
	if !strings.Contains(summary, "Confirm you have read the purpose statement before you sign off") {
		t.Errorf("error summary %q", summary)
	}
	if href, _ := refused.doc.Find("[data-testid=error-summary] a").Attr("href"); href != "#confirm-purpose" || refused.doc.Find(href).Length() != 1 {
		t.Errorf("error summary links to %q, which is not on the page", href)
	}
	if refused.has("Sign off this step") || !refused.has("I have read this") {
		t.Error("refused page does not offer the confirmation first")
	}
	if n := sp.e.count(`SELECT count(*) FROM stage_sign_offs WHERE project_id = $1 AND user_id = $2`, sp.p.ID, sp.lay.ID); n != 0 {
		t.Errorf("%d sign-offs written by a refused sign-off", n)
	}
	if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE project_id = $1 AND actor_id = $2 AND action = $3`,
		sp.p.ID, sp.lay.ID, coproduce.AuditStageSignOff); n != 0 {
		t.Errorf("%d audit events for a refused sign-off", n)
	}

	read := sp.layC.follow(t, refused.form("I have read this").submit())
	wantRedirect(t, read.form("Sign off this step").submit(), path)
	sp.leadC.open(t, path).form("Sign off this step").submit()
	if st := sp.stage(t, coproduce.StepBeClear); st.Status != coproduce.StageComplete {
		t.Fatalf("step 3 %s after both signed", st.Status)
	}

	// Complete means both signed; who has still to read is said apart.
	home := sp.leadC.open(t, sp.path(""))
	item := home.doc.Find("[data-step=be-clear]")
	if item.Find(".nhsuk-tag").First().Text() != "Complete" {
		t.Errorf("tracker says %q", item.Find(".nhsuk-tag").First().Text())
	}
	if w := item.Find("[data-testid=waiting]"); w.Length() != 0 {
		t.Errorf("a complete step says %q", fold(w.Text()))
	}
	if got := fold(item.Find("[data-testid=reading]").Text()); !strings.HasSuffix(got, "members have not read the latest purpose statement yet") {
		t.Errorf("reading line %q", got)
	}
}
