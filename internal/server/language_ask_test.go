package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Someone who has not told us their language is asked, on the page they
// land on when they sign in, "Which language would you like us to use when
// we write to you?"; their answer is saved, brings them back to that page
// in their language, and they are not asked again.
func TestAPersonIsAskedTheirLanguageWhenTheySignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RolePartner)
	c := e.client()
	res := c.post("/sign-in", url.Values{"email": {u.Email}, "password": {pgtest.Password}})
	wantRedirect(t, res, "/projects?ask-language=1")
	p := c.follow(t, res)
	if got := text(p.doc, "[data-testid=ask-language] legend"); got != "Which language would you like us to use when we write to you?" {
		t.Fatalf("the question %q", got)
	}
	// Answered with nothing chosen: the account page says what to do.
	res = p.form("Save my choice").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res = p.form("Save my choice").check("Cymraeg").submit()
	wantRedirect(t, res, "/projects?notice=language-saved")
	p = c.follow(t, res)
	if p.lang() != "cy" || p.doc.Find("[data-testid=ask-language]").Length() != 0 {
		t.Errorf("after answering: lang %q, asked again: %v", p.lang(), p.doc.Find("[data-testid=ask-language]").Length() != 0)
	}
	if n := e.count(`SELECT count(*) FROM users WHERE id = $1 AND language = 'cy'`, u.ID); n != 1 {
		t.Error("the answer was not saved")
	}
	// Once answered, never asked: not at the next sign-in, nor by the
	// address.
	again := e.client()
	res = again.post("/sign-in", url.Values{"email": {u.Email}, "password": {pgtest.Password}})
	if loc := res.Header().Get("Location"); loc != "/projects" {
		t.Errorf("the next sign-in goes to %q", loc)
	}
	if again.open(t, "/projects?ask-language=1").doc.Find("[data-testid=ask-language]").Length() != 0 {
		t.Error("asked again after answering")
	}
}

// An invited person who joins is asked too, on the project page they
// arrive at.
func TestAnInvitedPersonIsAskedTheirLanguage(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	page := sp.facC.open(t, sp.stepPath(coproduce.StepSelect, ""))
	res := page.form("Send invitation").fill("Their name", "Nia Hughes").fill("Their email address", "nia@example.test").
		check("Lay partner").submit()
	wantRedirect(t, res, sp.stepPath(coproduce.StepSelect, ""))
	link := sp.e.lastLink("nia@example.test", "/invitations/")
	c := sp.e.client()
	res = c.open(t, link).form("Yes, I will take part").submit()
	loc := res.Header().Get("Location")
	if !strings.HasPrefix(loc, sp.path("")) || !strings.Contains(loc, "ask-language=1") {
		t.Fatalf("accepting goes to %q", loc)
	}
	p := c.follow(t, res)
	res = p.form("Save my choice").check("English").submit()
	wantRedirect(t, res, sp.path(""))
	if n := sp.e.count(`SELECT count(*) FROM users WHERE email = 'nia@example.test' AND language = 'en'`); n != 1 {
		t.Error("the answer was not saved")
	}
}

// The requester chooses the reports' language on the reports page (their
// own by default): the report's page, headings and CSV columns are in it,
// while what people wrote stays as they wrote it.
func TestReportsComeInTheLanguageTheRequesterChooses(t *testing.T) {
	t.Parallel()
	sp := reportProject(t)
	p := sp.leadC.open(t, sp.path("/reports"))
	if got := p.doc.Find(`input[name="lang"][checked]`).AttrOr("value", ""); got != "en" {
		t.Errorf("the reports' language starts as %q, want the page's (en)", got)
	}
	res := p.form("Show the reports in this language").check("Cymraeg").submit()
	wantStatus(t, res, http.StatusOK)
	p = sp.leadC.pageOf(t, sp.path("/reports"), res)
	href := p.doc.Find("[data-testid=report-build]").AttrOr("href", "")
	if !strings.HasSuffix(href, "?lang=cy") || p.lang() != "en" {
		t.Fatalf("the build report's link is %q (page lang %q)", href, p.lang())
	}
	report := sp.leadC.open(t, href)
	if report.lang() != "cy" || !strings.HasPrefix(text(report.doc, "title"), "Adroddiad: ") {
		t.Errorf("the report: lang %q, title %q", report.lang(), text(report.doc, "title"))
	}
	if !strings.Contains(text(report.doc, "main"), "Diolch yn fawr: ŵyn ac ŷd") {
		t.Error("the report lost what a member wrote")
	}
	csvHref := report.doc.Find(`[data-testid=report-downloads] a[href*=".csv"]`).AttrOr("href", "")
	records, err := readCSV(t, sp.leadC.get(csvHref).Body.Bytes())
	if err != nil || len(records) == 0 || records[0][0] != "Adran" {
		t.Errorf("the CSV from %q starts %v (%v)", csvHref, records, err)
	}
	if records, _ := readCSV(t, sp.leadC.get(sp.path("/reports/build.csv")).Body.Bytes()); len(records) == 0 || records[0][0] != "Section" {
		t.Errorf("the English CSV starts %v", records)
	}
}
