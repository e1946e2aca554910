package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// languageLink is the "Cymraeg" / "English" link at the top of the page.
func (p *page) languageLink() (text, lang, href string) {
	p.t.Helper()
	a := p.doc.Find(`header a[hreflang]`)
	if a.Length() != 1 {
		p.t.Fatalf("%s: %d language links in the header, want 1", p.path, a.Length())
	}
	return fold(a.Text()), a.AttrOr("lang", ""), a.AttrOr("href", "")
}

func (p *page) lang() string { return p.doc.Find("html").AttrOr("lang", "") }

// A browser that asks for Welsh gets the page in Welsh, lang="cy", the
// design system's own words in Welsh too, and a link to English marked as
// English; one that asks for English gets English and a link to Cymraeg.
func TestABrowserAskingForWelshGetsWelsh(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.header.Set("Accept-Language", "cy-GB,cy;q=0.9,en-GB;q=0.8")
	p := c.open(t, "/sign-in")
	if p.lang() != "cy" {
		t.Errorf(`lang = %q, want "cy"`, p.lang())
	}
	if got := text(p.doc, "h1"); got != "Mewngofnodi i Coproduce" {
		t.Errorf("heading %q", got)
	}
	if got := text(p.doc, ".nhsuk-skip-link"); got != "Neidio i'r prif gynnwys" {
		t.Errorf("skip link %q", got)
	}
	if words, lang, _ := p.languageLink(); words != "English" || lang != "en" {
		t.Errorf("language link %q lang=%q, want English lang=en", words, lang)
	}
	// A form's errors come back in Welsh too.
	res := p.form("Mewngofnodi").fill("Cyfeiriad e-bost", "nobody@example.test").fill("Cyfrinair", "not the password").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := text(c.pageOf(t, "/sign-in", res).doc, ".nhsuk-error-summary__title"); got != "Mae problem" {
		t.Errorf("error summary title %q", got)
	}

	en := e.client()
	en.header.Set("Accept-Language", "en-GB,en;q=0.9")
	p = en.open(t, "/sign-in")
	if p.lang() != "en" || text(p.doc, "h1") != "Sign in to Coproduce" {
		t.Errorf("English browser: lang=%q heading %q", p.lang(), text(p.doc, "h1"))
	}
	if words, lang, _ := p.languageLink(); words != "Cymraeg" || lang != "cy" {
		t.Errorf("language link %q lang=%q, want Cymraeg lang=cy", words, lang)
	}
}

// The link switches the language and brings the person back to the page
// they were on, query and all; the choice lasts; a return address that
// leads off the site is not followed.
func TestTheLanguageLinkSwitchesAndKeepsThePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	proj := pgtest.Project(t, e.store, lead)
	c := e.signedIn(lead)
	path := "/projects/" + itoa(proj.ID) + "/members"
	p := c.open(t, path)
	if p.lang() != "en" {
		t.Fatalf("lang = %q before switching", p.lang())
	}
	_, _, href := p.languageLink()
	res := c.get(href)
	wantRedirect(t, res, path)
	p = c.follow(t, res)
	if p.lang() != "cy" || text(p.doc, "h1") != "Aelodau" {
		t.Errorf("after Cymraeg: lang=%q heading %q", p.lang(), text(p.doc, "h1"))
	}
	// Other pages stay in Welsh.
	if p = c.open(t, "/projects"); p.lang() != "cy" || text(p.doc, "h1") != "Eich prosiectau" {
		t.Errorf("next page: lang=%q heading %q", p.lang(), text(p.doc, "h1"))
	}
	// And back to English, on the same page with its query.
	p = c.open(t, path+"?page=2")
	_, _, href = p.languageLink()
	res = c.get(href)
	wantRedirect(t, res, path+"?page=2")
	if p = c.follow(t, res); p.lang() != "en" {
		t.Errorf("after English: lang=%q", p.lang())
	}
	for _, bad := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
		res := c.get("/language?" + url.Values{"lang": {"cy"}, "return": {bad}}.Encode())
		if loc := res.Header().Get("Location"); res.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.Contains(loc, "evil") {
			t.Errorf("return %q: %d to %q", bad, res.Code, loc)
		}
	}
	// A language we do not speak changes nothing: the page stays in the
	// Welsh the loop above chose.
	wantRedirect(t, c.get("/language?lang=fr&return=/projects"), "/projects")
	if p := c.open(t, "/projects"); p.lang() != "cy" {
		t.Errorf("after lang=fr: lang=%q", p.lang())
	}
}

// A signed-in person answers "Which language would you like us to use
// when we write to you?" on their account page: the answer is saved, the
// pages follow it, and it follows them to another browser when they sign
// in there.
func TestAPersonSavesTheirLanguageOnTheAccountPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RolePartner)
	c := e.signedIn(u)
	p := c.open(t, "/account")
	if got := text(p.doc, "#language-heading + form legend"); got != "Which language would you like us to use when we write to you?" {
		t.Errorf("question %q", got)
	}
	// Nothing chosen: the error, in the page's language.
	res := p.form("Save language").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := text(c.pageOf(t, "/account", res).doc, ".nhsuk-error-summary a"); got != "Choose English or Welsh" {
		t.Errorf("error %q", got)
	}
	res = p.form("Save language").check("Cymraeg").submit()
	wantRedirect(t, res, "/account?notice=language-saved")
	p = c.follow(t, res)
	if p.lang() != "cy" || text(p.doc, `[data-testid="notice"]`) != "Mae eich iaith wedi'i chadw. Byddwn ni'n ei defnyddio pan fyddwn ni'n ysgrifennu atoch chi." {
		t.Errorf("after saving: lang=%q notice %q", p.lang(), text(p.doc, `[data-testid="notice"]`))
	}
	if got := p.doc.Find(`input[name="language"][checked]`).AttrOr("value", ""); got != "cy" {
		t.Errorf("the saved answer shown is %q", got)
	}
	if n := e.count(`SELECT count(*) FROM users WHERE id = $1 AND language = 'cy'`, u.ID); n != 1 {
		t.Error("the language was not saved")
	}
	// Another browser, asking for English, signs in: the pages are Welsh.
	other := e.signedIn(u)
	other.header.Set("Accept-Language", "en-GB")
	if p := other.open(t, "/projects"); p.lang() != "cy" {
		t.Errorf("another browser after sign-in: lang=%q", p.lang())
	}
}

// Dates are written with Welsh month names on a Welsh page.
func TestDatesInWelsh(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	proj := pgtest.Project(t, e.store, lead)
	c := e.signedIn(lead)
	c.header.Set("Accept-Language", "cy")
	p := c.open(t, "/projects/"+itoa(proj.ID)+"/history")
	body := p.doc.Find("main").Text()
	months := []string{"Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"}
	found := false
	for _, m := range months {
		found = found || strings.Contains(body, m)
	}
	english := []string{"January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December"}
	for _, m := range english {
		if strings.Contains(body, m) {
			t.Errorf("an English month %q on a Welsh page", m)
		}
	}
	if !found {
		t.Errorf("no Welsh month on the history page:\n%s", fold(body))
	}
}
