package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// inLanguage makes the client's browser ask for a language, as a person's
// browser does before they choose one.
func (c *client) inLanguage(lang string) *client {
	c.header.Set("Accept-Language", lang)
	return c
}

// A lead writes the project's title and summary in English and Welsh, and
// sets it as bilingual; each language then shows its own version. Where a
// Welsh version is not written, a Welsh page says so in Welsh and shows the
// English one marked lang="en".
func TestAProjectIsWrittenInWelshAndEnglish(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	edit := sp.leadC.open(t, sp.path("/edit"))
	// Bilingual without its Welsh title: refused, with the English kept.
	res := edit.form("Save changes").fill("Title", "Better stroke care").
		fill("Summary (optional)", "Rehab at home.").check("This project is bilingual: publish it in Welsh and English").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := sp.leadC.pageOf(t, sp.path("/edit"), res)
	summary := text(again.doc, ".nhsuk-error-summary")
	for _, want := range []string{"Enter the title in Welsh, as the project is bilingual", "Enter the summary in Welsh too"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary %q lacks %q", summary, want)
		}
	}
	if got := again.doc.Find("#title_cy").AttrOr("lang", ""); got != "cy" {
		t.Errorf(`the Welsh title's field has lang=%q, want "cy"`, got)
	}
	wantRedirect(t, again.form("Save changes").fill("Title in Welsh", "Gofal strôc gwell").
		fill("Summary in Welsh (optional)", "Adsefydlu gartref.").submit(), sp.path(""))

	cy := sp.layC.inLanguage("cy").open(t, sp.path(""))
	if got := text(cy.doc, "[data-testid=project-title]"); got != "Gofal strôc gwell" {
		t.Errorf("Welsh page title %q", got)
	}
	if !strings.Contains(text(cy.doc, "main"), "Adsefydlu gartref.") || cy.doc.Find("[data-testid=not-in-language]").Length() != 0 {
		t.Errorf("the Welsh page does not show the Welsh summary alone: %q", text(cy.doc, "main"))
	}
	en := sp.staffC.inLanguage("en").open(t, sp.path(""))
	if got := text(en.doc, "[data-testid=project-title]"); got != "Better stroke care" {
		t.Errorf("English page title %q", got)
	}

	// No longer bilingual, and the Welsh summary taken away: Welsh readers
	// see the English summary, marked as English, and are told why.
	res = sp.leadC.open(t, sp.path("/edit")).form("Save changes").fill("Summary in Welsh (optional)", "").
		uncheck("This project is bilingual: publish it in Welsh and English").submit()
	wantRedirect(t, res, sp.path(""))
	cy = sp.layC.open(t, sp.path(""))
	if got := text(cy.doc, "[data-testid=not-in-language]"); got != "Nid yw hwn wedi'i ysgrifennu yn Gymraeg eto, felly mae'n cael ei ddangos yn Saesneg." {
		t.Errorf("the Welsh page's note says %q", got)
	}
	if got := text(cy.doc, `main [lang="en"]`); got != "Rehab at home." {
		t.Errorf(`the English summary marked lang="en" is %q`, got)
	}
	p, err := sp.e.store.ProjectByID(context.Background(), sp.p.ID)
	if err != nil || p.Bilingual || p.TitleCy != "Gofal strôc gwell" {
		t.Errorf("stored project %+v, %v", p, err)
	}
}

// A bilingual project's purpose statement is written in both languages;
// one written before the project became bilingual holds its public page
// back until its Welsh is written. The public page then shows each reader
// their own language.
func TestABilingualProjectPublishesInBothLanguages(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	ctx := context.Background()
	if _, err := sp.e.store.CreatePurposeVersion(ctx, sp.lead.ID, sp.p.ID, coproduce.PurposeInput{Purpose: "Better rehab at home"}); err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, sp.leadC.open(t, sp.path("/edit")).form("Save changes").fill("Title in Welsh", "Prosiect prawf").
		fill("Summary in Welsh (optional)", "Prosiect i brofi.").check("This project is bilingual: publish it in Welsh and English").submit(), sp.path(""))

	preview := sp.leadC.open(t, sp.path("/public-preview"))
	if got := text(preview.doc, "[data-testid=bilingual-gaps]"); !strings.Contains(got, "Write the purpose statement in both Welsh and English") {
		t.Errorf("the preview does not say what is missing: %q", got)
	}
	if preview.has("Publish the public page") {
		t.Error("the preview offers to publish a bilingual page with English only")
	}
	// A publish sent anyway (from a page seen before) is refused.
	res := sp.leadC.post(sp.path("/publish"), map[string][]string{"published": {"yes"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if published, _, _ := sp.e.store.PublicState(ctx, sp.p.ID); published {
		t.Fatal("published with the purpose statement in English only")
	}

	// The statement needs its Welsh: both languages are asked for.
	form := sp.leadC.open(t, sp.stepPath(coproduce.StepBeClear, "/purpose")).form("Save new version")
	res = form.fill("What cannot change", "The budget").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	summary := text(sp.leadC.pageOf(t, "/purpose", res).doc, ".nhsuk-error-summary")
	for _, want := range []string{"Enter what the project is for in Welsh too", "Enter what cannot change in Welsh too"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary %q lacks %q", summary, want)
		}
	}
	res = sp.leadC.pageOf(t, "/purpose", res).form("Save new version").
		fill("What the project is for (in Welsh)", "Adsefydlu gwell gartref").fill("What cannot change (in Welsh)", "Y gyllideb").submit()
	wantRedirect(t, res, sp.stepPath(coproduce.StepBeClear, ""))

	preview = sp.leadC.open(t, sp.path("/public-preview"))
	wantRedirect(t, preview.form("Publish the public page").submit(), sp.path("/reports"))
	_, slug, err := sp.e.store.PublicState(ctx, sp.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	cy := sp.e.client().inLanguage("cy").open(t, "/p/"+slug)
	if got := text(cy.doc, "[data-testid=public-purpose]"); got != "Adsefydlu gwell gartref" || cy.lang() != "cy" {
		t.Errorf("Welsh public page: purpose %q, lang %q", got, cy.lang())
	}
	if got := text(cy.doc, "[data-testid=public-title]"); got != "Prosiect prawf" {
		t.Errorf("Welsh public page title %q", got)
	}
	en := sp.e.client().inLanguage("en").open(t, "/p/"+slug)
	if got := text(en.doc, "[data-testid=public-purpose]"); got != "Better rehab at home" {
		t.Errorf("English public page purpose %q", got)
	}
	// The be-clear step shows members the statement in their language.
	step := sp.layC.inLanguage("cy").open(t, sp.stepPath(coproduce.StepBeClear, ""))
	if got := text(step.doc, "[data-testid=purpose]"); !strings.Contains(got, "Y gyllideb") || strings.Contains(got, "The budget") {
		t.Errorf("the Welsh statement reads %q", got)
	}
}

// A statement written in Welsh only is shown to English readers in Welsh,
// marked lang="cy", with a note in English saying so.
func TestAWelshOnlyStatementIsShownToEnglishReadersMarked(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	res := sp.leadC.open(t, sp.stepPath(coproduce.StepBeClear, "/purpose")).form("Save new version").
		fill("What the project is for (in Welsh)", "Adsefydlu gwell gartref").submit()
	wantRedirect(t, res, sp.stepPath(coproduce.StepBeClear, ""))
	step := sp.layC.inLanguage("en").open(t, sp.stepPath(coproduce.StepBeClear, ""))
	if got := text(step.doc, `[data-testid=purpose] [lang="cy"]`); got != "Adsefydlu gwell gartref" {
		t.Errorf(`the Welsh purpose marked lang="cy" is %q`, got)
	}
	if got := text(step.doc, "[data-testid=not-in-language]"); got != "This has not been written in English yet, so it is shown in Welsh." {
		t.Errorf("note %q", got)
	}
}

func (sp *stepProject) stepPath(step coproduce.Step, suffix string) string {
	return sp.path("/steps/" + step.Slug() + suffix)
}

// An update is written once, in the language its reader chose for what we
// write to them (English until they choose); on a Welsh page it is marked
// as English, not passed off as Welsh, and the project's title beside it is
// the Welsh one.
func TestAnUpdateKeepsTheLanguageItWasWrittenIn(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	if err := sp.e.store.UpdateProject(context.Background(), sp.lead.ID, sp.p.ID, coproduce.ProjectInput{
		Title: sp.p.Title, TitleCy: "Prosiect prawf", Status: sp.p.Status}); err != nil {
		t.Fatal(err)
	}
	sp.propose(t, sp.layC, "Visits at weekends")
	p := sp.leadC.inLanguage("cy").open(t, "/updates")
	line := p.doc.Find("[data-testid=update] a").First()
	if !strings.Contains(line.Text(), "Visits at weekends") || line.AttrOr("lang", "") != "en" {
		t.Errorf(`the update %q is marked lang=%q, want "en"`, line.Text(), line.AttrOr("lang", ""))
	}
	if got := text(p.doc, "[data-testid=update] .nhsuk-body-s"); !strings.Contains(got, "Prosiect prawf") {
		t.Errorf("the update's project is %q", got)
	}
	if en := sp.leadC.inLanguage("en").open(t, "/updates"); en.doc.Find(`[data-testid=update] a[lang]`).Length() != 0 {
		t.Error("an English update is marked as another language on an English page")
	}
}
