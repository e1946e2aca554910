package views

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/i18n"
)

func catalogue(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c.Strict = true
	return c
}

// Every easy-read point has its message, and its picture is one make
// copies into the static files (web/pictures.txt); every easy-read
// message stands in for a message the pages show, or is a point a page
// opens with.
func TestEasyReadMessagesAndPicturesExist(t *testing.T) {
	c := catalogue(t)
	list, err := os.ReadFile("../pictures.txt")
	if err != nil {
		t.Fatal(err)
	}
	copied := map[string]bool{}
	for _, line := range strings.Split(string(list), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			copied[line] = true
		}
	}
	points := map[string]bool{}
	for page, pts := range easyPages {
		if len(pts) == 0 {
			t.Errorf("%s: no points", page)
		}
		for _, pt := range pts {
			points[pt.id] = true
			if !c.Has(pt.id) {
				t.Errorf("%s: no message %s", page, pt.id)
			}
			if !copied[pt.picture] {
				t.Errorf("%s: picture %q is not in web/pictures.txt, so make does not copy it", page, pt.picture)
			}
		}
	}
	for _, name := range easyPictures() {
		delete(copied, name)
	}
	for name := range copied {
		t.Errorf("web/pictures.txt copies %q, which no page uses", name)
	}
	for _, id := range c.IDs() {
		rest, ok := strings.CutPrefix(id, EasyReadPrefix)
		switch {
		case !ok:
		case strings.HasPrefix(rest, "point."):
			if !points[id] {
				t.Errorf("%s: a point no page shows", id)
			}
		case !c.Has(rest):
			t.Errorf("%s: stands in for %s, which the catalogue does not have", id, rest)
		}
	}
}

// In easy read a page shows a message's easy-read words in its place, and
// opens with its points: a picture with an empty alt on the left of each;
// in standard words it shows neither.
func TestEasyReadWordsAndPoints(t *testing.T) {
	c := catalogue(t)
	ctx := i18n.WithLocalizer(context.Background(), c.Localizer("en"))
	if got := T(ctx, "signin.heading"); got != "Sign in to Coproduce" {
		t.Errorf("standard heading %q", got)
	}
	var b strings.Builder
	if err := EasyReadPoints("signin").Render(ctx, &b); err != nil || b.Len() != 0 {
		t.Errorf("standard words show points: %q (%v)", b.String(), err)
	}
	easy := WithEasyRead(ctx, true)
	if got := T(easy, "signin.heading"); got != "Sign in" {
		t.Errorf("easy-read heading %q", got)
	}
	if got := T(easy, "signin.email"); got != "Email address" {
		t.Errorf("a label with no easy-read words shows %q", got)
	}
	b.Reset()
	if err := EasyReadPoints("signin").Render(easy, &b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if n := strings.Count(html, `alt=""`); n != len(easyPages["signin"]) {
		t.Errorf("%d pictures with an empty alt, want %d:\n%s", n, len(easyPages["signin"]), html)
	}
	if !strings.Contains(html, `src="/static/vendor/pictures/login.svg"`) || !strings.Contains(html, "Sign in to take part in your project.") {
		t.Errorf("the points:\n%s", html)
	}
	if strings.Index(html, "<img") > strings.Index(html, "Sign in to take part") {
		t.Error("the picture is not before (left of) its words")
	}
	if got := htmlClass(easy); got != "app-text-larger app-easy-read" {
		t.Errorf("easy read's html class %q: easy read brings larger text", got)
	}
}
