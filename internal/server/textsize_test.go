package server_test

import (
	"testing"
)

// larger reports whether the page shows larger text.
func (p *page) larger() bool { return p.doc.Find("html").HasClass("app-text-larger") }

// A visitor chooses larger text on the page they are on, and comes back
// to it with every page after in larger text, until they choose the
// standard size again.
func TestAVisitorChoosesLargerTextAndKeepsIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	p := c.open(t, "/sign-in?next=/projects")
	if p.larger() {
		t.Fatal("a first visit shows larger text")
	}
	res := p.form("Larger text").submit()
	wantRedirect(t, res, "/sign-in?next=/projects")
	if p = c.open(t, "/sign-in"); !p.larger() || !p.has("Standard text size") {
		t.Fatalf("after choosing larger text: larger %v", p.larger())
	}
	wantRedirect(t, p.form("Standard text size").submit(), "/sign-in")
	if c.open(t, "/sign-in").larger() {
		t.Error("still larger after choosing the standard size")
	}
}

// A signed-in person's choice is kept with their account: it follows them
// to another browser.
func TestASignedInPersonsTextSizeFollowsThem(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	wantRedirect(t, sp.layC.open(t, sp.path("")).form("Larger text").submit(), sp.path(""))
	if !sp.e.signedIn(sp.lay).open(t, "/projects").larger() {
		t.Error("another browser of hers does not show larger text")
	}
	if sp.staffC.open(t, "/projects").larger() {
		t.Error("someone else's pages show larger text")
	}
}

// Someone who asked for large print meets larger text by itself, and may
// still choose the standard size.
func TestLargePrintBringsLargerTextUntilThePersonChooses(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	wantRedirect(t, sp.layC.open(t, sp.path("/support/me")).form("Save").check("Large print").submit(), sp.path("/steps/support"))
	p := sp.layC.open(t, sp.path(""))
	if !p.larger() {
		t.Fatal("large print asked for, but the text is standard")
	}
	wantRedirect(t, p.form("Standard text size").submit(), sp.path(""))
	if sp.layC.open(t, sp.path("")).larger() {
		t.Error("she chose the standard size, but the text is still larger")
	}
}

// The control returns only to a page of this site.
func TestTextSizeReturnsOnlyToThisSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	f := c.open(t, "/sign-in").form("Larger text")
	f.values.Set("back", "//evil.example/")
	if loc := f.submit().Header().Get("Location"); loc != "/projects" {
		t.Errorf("sent back to %q, want /projects (the home of signed-in people)", loc)
	}
}
