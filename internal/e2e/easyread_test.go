package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// screenshots is where the easy-read journey leaves its pictures of each
// page, at 1280 and 320 pixels wide, for a person to look at (as the
// easy-read picture in docs/guide was made).
var screenshots = filepath.Join(os.TempDir(), "coproduce-e2e-screenshots")

// screenshot saves the whole page at 1280 and at 320 pixels wide.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	_ = os.MkdirAll(screenshots, 0o755)
	for _, w := range []int64{1280, 320} {
		b.do(chromedp.EmulateViewport(w, 900))
		if b.js {
			// The header's script folds menu items into "More" after a resize.
			time.Sleep(300 * time.Millisecond)
		}
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			b.fail("screenshot: %v", err)
		}
		file := filepath.Join(screenshots, name+"-"+map[int64]string{1280: "1280", 320: "320"}[w]+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			b.fail("save screenshot: %v", err)
		}
	}
	b.do(chromedp.EmulateViewport(1024, 800))
}

// checkFocusVisible tabs through the page from the top, and fails on any
// control that takes focus with nothing to show it has: no outline and no
// box shadow, on the control or (for a design-system radio or checkbox,
// whose input is hidden) on its label's drawn box.
func (b *tab) checkFocusVisible() {
	b.t.Helper()
	eval[bool](b, `(() => { const x = document.createElement('span'); x.tabIndex = -1; document.body.prepend(x); x.focus(); x.remove(); return true })()`)
	seen := 0
	for range 80 {
		b.do(chromedp.KeyEvent(kb.Tab))
		el := eval[string](b, `(() => {
			const e = document.activeElement;
			if (!e || e === document.body) return 'end';
			const shows = s => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
			// A date or time field's parts (hour, minute, the clock button)
			// are the browser's own, and it draws their focus itself.
			if (e.type === 'time' || e.type === 'date') return 'ok';
			let ok = shows(getComputedStyle(e));
			if (!ok && (e.type === 'checkbox' || e.type === 'radio') && e.labels && e.labels[0]) {
				ok = shows(getComputedStyle(e.labels[0], '::before'));
			}
			const r = e.getBoundingClientRect();
			return ok && r.width > 0 && r.height > 0 ? 'ok' : e.outerHTML.slice(0, 100);
		})()`)
		if el == "end" {
			break
		}
		if el != "ok" {
			b.fail("focus is not visible on %s", el)
		}
		seen++
	}
	if seen < 3 {
		b.fail("the Tab key reached only %d controls", seen)
	}
}

// readEasy checks a page in easy read: it is marked so, with larger text,
// opens with its points (each a picture with an empty alt before its
// words), passes the keyboard checks, and is photographed.
func (b *tab) readEasy(name string) {
	b.t.Helper()
	if !eval[bool](b, `document.documentElement.classList.contains('app-easy-read') && document.documentElement.classList.contains('app-text-larger')`) {
		b.fail("%s is not in easy read with larger text", name)
	}
	if bad := eval[int](b, `Array.from(document.querySelectorAll('[data-testid=easy-read-points] li')).filter(li => {
			const img = li.querySelector('img'), p = li.querySelector('p');
			return !img || img.getAttribute('alt') !== '' || !img.complete || img.naturalWidth === 0 ||
				img.getBoundingClientRect().right > p.getBoundingClientRect().left;
		}).length`); bad > 0 {
		b.fail("%s: %d points whose picture is missing, has words in its alt, or is not on the left of the words", name, bad)
	}
	if b.count("[data-testid=easy-read-points] li") < 3 {
		b.fail("%s: fewer than 3 easy-read points", name)
	}
	// Focus styles and the layout are the same with scripts on or off: the
	// run with them on tabs through and photographs each page.
	if b.js {
		b.checkFocusVisible()
		b.screenshot(name)
	}
}

// TestEasyReadJourney: a lay partner turns easy read on at the sign-in
// page with the keyboard (and off, and on again), signs in, accepts an
// invitation and reads the pages a lay partner uses in easy read with
// larger text: each passes axe, the skip link, the 320px check and a tab
// through with focus visible, and is photographed at 1280 and 320 pixels
// wide. His browser carries the choice into his account, which he never
// changes, so other journeys see his pages as before.
func TestEasyReadJourney(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		lead := newTab(t, js)
		lead.signIn("aisha.khan@example.org")
		lead.visit("/projects/new")
		lead.fill("#title", "Easy read"+suffix)
		lead.click("form[action='/projects/new'] button")
		invited := strings.SplitN(lead.path(), "?", 2)[0]
		lead.visit(invited + "/members")
		lead.fill("#email", "david.okafor@example.org")
		lead.choose("input[name=role][value=lay_partner]")
		lead.click("form[action$='/members'] button")
		admin := newTab(t, js)
		admin.signIn("admin@example.org")
		invitation := linkInOutbox(admin, "david.okafor@example.org\x00Easy read"+suffix, "/invitations/")

		// One person reads a dozen pages, each checked: longer than most
		// journeys take in one tab.
		b := newTabFor(t, js, 8*time.Minute)
		b.visit("/sign-in")
		b.tabTo("[data-testid=easy-read-on]")
		b.pressEnter()
		if b.path() != "/sign-in" {
			b.fail("easy read came back to %s, not the sign-in page", b.path())
		}
		b.readEasy("sign-in")
		b.click("[data-testid=easy-read-off]")
		if b.count("html.app-easy-read") != 0 || b.count("[data-testid=easy-read-points]") != 0 {
			b.fail("still in easy read after turning it off")
		}
		b.click("[data-testid=easy-read-on]")
		b.signIn("david.okafor@example.org")

		b.visit(invitation)
		b.readEasy("invitation")
		b.click("[data-testid=accept]")

		project := b.projectID("Improving stroke rehabilitation at home")
		for _, p := range []struct{ path, name string }{
			{project, "project"},
			{project + "/steps/be-clear", "purpose"},
			{project + "/steps/understand", "four-rs"},
			{project + "/steps/build", "ideas"},
		} {
			b.visit(p.path)
			b.readEasy(p.name)
		}
		b.click("[data-proposal-id] a")
		b.readEasy("idea")
		b.need("form[action$='/vote'] input[name=choice]")
		for _, p := range []struct{ path, name string }{
			{project + "/support/me", "support"},
			{project + "/claims", "claims"},
			{project + "/meetings", "meetings"},
		} {
			b.visit(p.path)
			b.readEasy(p.name)
		}
		b.click("[data-testid=meeting-list] a")
		b.readEasy("meeting")
		b.visit("/updates")
		b.readEasy("updates")
	})
}
