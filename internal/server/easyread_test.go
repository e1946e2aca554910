package server_test

import (
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// easyRead reports whether the page is in easy read: marked so on the
// page, with larger text, and opening with its easy-read points.
func (p *page) easyRead() bool {
	html := p.doc.Find("html")
	on := html.HasClass("app-easy-read")
	if on && !html.HasClass("app-text-larger") {
		p.t.Errorf("%s: easy read without larger text", p.path)
	}
	return on
}

// points are the words of the easy-read points that open the page.
func (p *page) points() []string {
	var out []string
	p.doc.Find("[data-testid=easy-read-points] li").Each(func(_ int, li *goquery.Selection) {
		if alt, ok := li.Find("img").Attr("alt"); !ok || alt != "" {
			p.t.Errorf("%s: a point's picture has alt %q; its words say it all, so it should be empty", p.path, alt)
		}
		out = append(out, fold(li.Text()))
	})
	return out
}

// A visitor turns easy read on from the page they are on and comes back to
// it in easy read, with the page's easy-read points and words, until they
// turn it off. Their browser keeps the choice.
func TestAVisitorTurnsOnEasyReadAndKeepsIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	p := c.open(t, "/sign-in?next=/projects")
	if p.easyRead() || len(p.points()) > 0 {
		t.Fatal("a first visit is in easy read")
	}
	wantRedirect(t, p.form("Easy read").submit(), "/sign-in?next=/projects")
	p = c.open(t, "/sign-in")
	if !p.easyRead() {
		t.Fatal("after choosing easy read, the sign-in page is not in easy read")
	}
	if got := p.points(); len(got) != 4 || got[0] != "Sign in to take part in your project." {
		t.Errorf("the sign-in page's points: %q", got)
	}
	if h := fold(p.doc.Find("h1").Text()); h != "Sign in" {
		t.Errorf("the easy-read heading is %q, want the easy-read words", h)
	}
	if p.has("Larger text") || p.has("Standard text size") {
		t.Error("easy read has larger text already, but the text size control is still offered")
	}
	wantRedirect(t, p.form("Turn off easy read").submit(), "/sign-in")
	if p = c.open(t, "/sign-in"); p.easyRead() || !p.has("Easy read") {
		t.Error("still in easy read after turning it off")
	}
}

// A form in easy read posts the same fields as it does in standard words:
// only the words around it change.
func TestEasyReadFormsKeepTheirFields(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	fields := func(p *page, button string) []string {
		var names []string
		p.form(button).sel.Find("input, textarea, select").Each(func(_ int, s *goquery.Selection) {
			names = append(names, s.AttrOr("name", ""))
		})
		return names
	}
	standard := fields(sp.layC.open(t, sp.path("/support/me")), "Save")
	sp.layC.open(t, sp.path("")).form("Easy read").submit()
	p := sp.layC.open(t, sp.path("/support/me"))
	if !p.easyRead() {
		t.Fatal("not in easy read")
	}
	if easy := fields(p, "Save"); !slices.Equal(easy, standard) {
		t.Errorf("the support form's fields in easy read are %v, in standard words %v", easy, standard)
	}
	if !p.doc.Find("label:contains('No steps to get in (step-free access)')").Is("label") {
		t.Error("the support form's labels are not in easy read words")
	}
}

// Someone whose support needs ask for easy read meets it by itself, on
// every page and in any browser, and may turn it off: that choice is kept
// with their account.
func TestAnEasyReadNeedTurnsEasyReadOnUntilThePersonChooses(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	if sp.layC.open(t, sp.path("")).easyRead() {
		t.Fatal("easy read before anyone asked for it")
	}
	wantRedirect(t, sp.layC.open(t, sp.path("/support/me")).form("Save").check("Easy read").submit(), sp.path("/steps/support"))
	p := sp.layC.open(t, sp.path(""))
	if !p.easyRead() || len(p.points()) == 0 {
		t.Fatal("easy read asked for, but the project page is in standard words")
	}
	if !sp.e.signedIn(sp.lay).open(t, sp.path("/steps/be-clear")).easyRead() {
		t.Error("another browser of hers is not in easy read")
	}
	if sp.staffC.open(t, sp.path("")).easyRead() {
		t.Error("someone else's pages are in easy read")
	}
	wantRedirect(t, p.form("Turn off easy read").submit(), sp.path(""))
	if sp.layC.open(t, sp.path("")).easyRead() {
		t.Error("she turned easy read off, but the page is still in easy read")
	}
	if sp.e.signedIn(sp.lay).open(t, sp.path("")).easyRead() {
		t.Error("turning easy read off did not stick: another browser of hers is in easy read")
	}
}

// A visitor who turned easy read on before signing in stays in easy read
// once signed in, until they choose for their account.
func TestEasyReadChosenBeforeSigningInGoesWithThePerson(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	c := sp.e.client()
	c.open(t, "/sign-in").form("Easy read").submit()
	res := c.open(t, "/sign-in").form("Sign in").fill("Email address", sp.lay.Email).fill("Password", pgtest.Password).submit()
	wantRedirect(t, res, "/projects")
	if !c.open(t, sp.path("")).easyRead() {
		t.Error("after signing in, the pages are not in easy read")
	}
	if sp.e.signedIn(sp.lay).open(t, sp.path("")).easyRead() {
		t.Error("a browser's choice changed her account's pages in another browser")
	}
}

// The switch returns only to a page of this site.
func TestEasyReadReturnsOnlyToThisSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.client().open(t, "/sign-in").form("Easy read")
	f.values.Set("back", "//evil.example/")
	if loc := f.submit().Header().Get("Location"); loc != "/projects" {
		t.Errorf("sent back to %q, want /projects", loc)
	}
}
