package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/chromedp/chromedp"
)

// englishMessages are the catalogue's English words that a Welsh page must
// never show: every English message that differs from its Welsh one, cut
// at its placeholders into the fixed words around them. Short pieces are
// compared with a whole passage of text, long ones looked for inside one.
var englishMessages = sync.OnceValues(func() ([]string, error) {
	en, err := readMessages("en.toml")
	if err != nil {
		return nil, err
	}
	cy, err := readMessages("cy.toml")
	if err != nil {
		return nil, err
	}
	var allWelsh strings.Builder
	for _, forms := range cy {
		for _, f := range forms {
			allWelsh.WriteString(f + "\n")
		}
	}
	welsh := allWelsh.String()
	seen := map[string]bool{}
	var out []string
	for id, forms := range en {
		for form, text := range forms {
			if cy[id][form] == text {
				continue // the same in both languages: a name, "OK"
			}
			for _, piece := range templateCode.Split(htmlTag.ReplaceAllString(text, " "), -1) {
				piece = strings.Join(strings.Fields(piece), " ")
				piece = strings.Trim(piece, " .,:;()–-“”\"'")
				// A piece a Welsh message also has (a name, a number's
				// sign, "NHS") is not English alone; nor is a piece
				// with no letters or too short to mean anything.
				if len([]rune(piece)) < 3 || !hasLetters.MatchString(piece) || strings.Contains(welsh, piece) || seen[piece] {
					continue
				}
				seen[piece] = true
				out = append(out, piece)
			}
		}
	}
	sort.Strings(out)
	return out, nil
})

var (
	templateCode = regexp.MustCompile(`\{\{[^}]*\}\}`)
	htmlTag      = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	hasLetters   = regexp.MustCompile(`[A-Za-z]{2}`)
)

// readMessages reads a catalogue file: each id with its text, or its plural
// forms by CLDR category.
func readMessages(name string) (map[string]map[string]string, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if _, err := toml.DecodeFile(filepath.Join(root, "internal", "i18n", "locales", name), &raw); err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
			out[id] = map[string]string{"": v}
		case map[string]any:
			forms := map[string]string{}
			for k, f := range v {
				if s, ok := f.(string); ok {
					forms[k] = s
				}
			}
			out[id] = forms
		}
	}
	return out, nil
}

// leakScript lists the text on a Welsh page that is an English catalogue
// message: each element's own words (its text, and the words it gives
// screen readers: alt, aria-label, title, a button's value), outside any
// passage marked as another language (lang="en": the English version of
// something not yet written in Welsh, the "English" link). What people
// wrote in a form's fields is theirs, not the catalogue's.
const leakScript = `((messages) => {
	const short = new Set(messages.filter(m => m.length < 16));
	const long = messages.filter(m => m.length >= 16);
	const found = [];
	const look = (words, el) => {
		words = words.replace(/\s+/g, ' ').trim();
		if (!words) return;
		const bare = words.replace(/^[\s.,:;()–\-“”"']+|[\s.,:;()–\-“”"']+$/g, '');
		let hit = short.has(bare) ? bare : long.find(m => words.includes(m));
		if (hit) found.push(hit + '  ⟵  <' + el.tagName.toLowerCase() + '> ' + words.slice(0, 100));
	};
	for (const el of document.querySelectorAll('html *')) {
		if (el.closest('script, style, textarea, template, [hidden]')) continue;
		const lang = (el.closest('[lang]') || document.documentElement).getAttribute('lang');
		if (lang !== 'cy') continue;
		let own = '';
		for (const n of el.childNodes) if (n.nodeType === 3) own += n.textContent;
		look(own, el);
		for (const a of ['alt', 'aria-label', 'title', 'placeholder']) if (el.hasAttribute(a)) look(el.getAttribute(a), el);
		if (el.matches('input[type=submit], input[type=button]')) look(el.value, el);
	}
	look(document.title, document.documentElement);
	return found;
})`

// checkNoEnglish fails when a Welsh page shows an English catalogue
// message: a string that leaked past the catalogue, or a message used
// from the wrong language.
func (b *tab) checkNoEnglish() {
	b.t.Helper()
	messages, err := englishMessages()
	if err != nil {
		b.fail("read the catalogue: %v", err)
	}
	data, _ := json.Marshal(messages)
	leaks := eval[[]string](b, leakScript+"("+string(data)+")")
	if len(leaks) > 0 && b.leaks != nil {
		*b.leaks = append(*b.leaks, b.path()+":\n    "+strings.Join(leaks, "\n    "))
		return
	}
	if len(leaks) > 0 {
		b.fail("the Welsh page shows %d English messages:\n%s", len(leaks), strings.Join(leaks, "\n"))
	}
}

// sweepPeople are the demo people whose pages the sweep walks, each seeing
// the project as their role does: a lay partner, the engagement lead and
// the administrator. (A facilitator's and a staff partner's pages are
// kinds these three reach.)
var sweepPeople = []string{"margaret.jones@example.org", "aisha.khan@example.org", "admin@example.org"}

// sweepSkip are addresses the sweep does not open: files, the language
// link (it would switch back to English), what leaves the session, and the
// outbox, which shows each email as it was sent, in its recipient's
// language and not the reader's.
var sweepSkip = regexp.MustCompile(`^/(static|language|sign-out)|^/admin/outbox|\.(pdf|csv|json|zip|ics|png|svg|txt)(\?|$)|/download|/file`)

// pagePattern is what a page is, without which one: numbers and tokens
// out, so that the sweep opens each kind of page once, not every idea.
var pagePattern = regexp.MustCompile(`[0-9]+|[A-Za-z0-9_-]{20,}`)

// mainPages are the pages kept as screenshots, to be looked at.
var mainPages = regexp.MustCompile(`^/(projects(/N(/(steps(/[a-z-]+)?|proposals/N|meetings|reports|edit|public-preview))?)?|updates|account|p/.*)$`)

// ownPages are the pages each person sees as their own (their projects,
// a project's front page): opened for every person, not once.
var ownPages = regexp.MustCompile(`^/projects(/[0-9]+)?$`)

// TestEveryPageInWelsh walks, in Welsh, every page the demo people can
// reach by following links from their projects, each kind of page once,
// with the checks every page gets (axe, the skip link, 320-pixel reflow,
// the Nu HTML Checker) and one more: no visible text, and nothing said to
// a screen reader, is an English catalogue message. With E2E_SCREENSHOTS
// set to a folder, it keeps a screenshot of each page at 1280 and at 320
// pixels wide, to be looked at.
func TestEveryPageInWelsh(t *testing.T) {
	visited := map[string]bool{}
	pages := 0
	var leaks []string
	// E2E_SWEEP_LIMIT, for a quick look, stops each person's walk after
	// that many pages; unset, the walk goes everywhere.
	limit, _ := strconv.Atoi(os.Getenv("E2E_SWEEP_LIMIT"))
	defer func() {
		if len(leaks) > 0 {
			t.Errorf("%d Welsh pages show English messages:\n%s", len(leaks), strings.Join(leaks, "\n"))
		}
	}()
	for _, email := range sweepPeople {
		b := newTabFor(t, false, 30*time.Minute)
		b.leaks = &leaks
		b.signIn(email)
		b.visit("/language?lang=cy&return=%2Fprojects")
		if b.lang() != "cy" {
			b.fail("the language link did not switch to Welsh")
		}
		queue := []string{"/projects"}
		own := map[string]bool{} // this person's own pages, opened once each
		opened := 0
		for len(queue) > 0 && (limit == 0 || opened < limit) {
			path := queue[0]
			queue = queue[1:]
			// Each person's own project page, and the pages new to the
			// sweep.
			key := pagePattern.ReplaceAllString(strings.SplitN(path, "?", 2)[0], "N")
			if ownPages.MatchString(path) {
				if own[path] {
					continue
				}
				own[path] = true
			} else if visited[key] {
				continue
			}
			visited[key] = true
			if !b.isPage(path) {
				continue
			}
			b.visit(path)
			pages, opened = pages+1, opened+1
			if (email == sweepPeople[0] || email == sweepPeople[1]) && mainPages.MatchString(key) {
				b.sweepScreenshot(email, key) // the main pages, as a lay partner and the lead see them
			}
			queue = append(queue, b.links()...)
		}
	}
	if limit == 0 && pages < 40 {
		t.Errorf("the sweep opened only %d pages", pages)
	}
	t.Logf("the Welsh sweep checked %d pages (%d kinds)", pages, len(visited))
}

// links are the same-site pages this page links to.
func (b *tab) links() []string {
	all := eval[[]string](b, `[...document.querySelectorAll('a[href]')]
		.map(a => new URL(a.getAttribute('href'), location.href))
		.filter(u => u.origin === location.origin)
		.map(u => u.pathname + u.search)`)
	var out []string
	for _, l := range all {
		if !sweepSkip.MatchString(l) {
			out = append(out, l)
		}
	}
	return out
}

// isPage reports whether path answers with a page (not a file, not an
// error) for this person, asked without leaving the current page.
func (b *tab) isPage(path string) bool {
	b.t.Helper()
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`fetch(%q, {credentials: 'same-origin'}).then(r =>
		r.ok && !r.redirected && (r.headers.get('content-type') || '').startsWith('text/html'))`, path),
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("ask for %s: %v", path, err)
	}
	return ok
}

// sweepScreenshot keeps the page at 1280 and 320 pixels wide when
// E2E_SCREENSHOTS names a folder.
func (b *tab) sweepScreenshot(person, key string) {
	b.t.Helper()
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	name := strings.Split(person, "@")[0] + regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(key, "_")
	for _, width := range []int64{1280, 320} {
		b.do(chromedp.EmulateViewport(width, 900))
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(80))
		if err != nil {
			b.fail("screenshot: %v", err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.jpg", name, width)), png, 0o644); err != nil {
			b.fail("save the screenshot: %v", err)
		}
	}
	b.do(chromedp.EmulateViewport(1024, 800))
}
