package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// pagesChecked counts the pages checked with axe, for the closing note.
var pagesChecked atomic.Int64

// tab is one browser tab with its own cookies, as one person.
type tab struct {
	t   *testing.T
	ctx context.Context
	js  bool
	// console gathers what the browser logs as an error: a refused font,
	// a blocked script, an uncaught exception. check fails on any.
	console *consoleErrors
	// leaks, when set, gathers the English messages found on Welsh pages
	// instead of failing at the first, so a walk reports them all.
	leaks *[]string
}

// consoleErrors are the errors one tab logged since they were last taken.
type consoleErrors struct {
	mu     sync.Mutex
	errors []consoleError
}

type consoleError struct{ source, text, url string }

func (c *consoleErrors) add(e consoleError) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errors = append(c.errors, e)
}

func (c *consoleErrors) take() []consoleError {
	c.mu.Lock()
	defer c.mu.Unlock()
	taken := c.errors
	c.errors = nil
	return taken
}

// listenForErrors records every error the page logs: the Log domain
// reports refused resources and security policy violations, the Runtime
// domain console.error calls and uncaught exceptions.
func listenForErrors(ctx context.Context, c *consoleErrors) error {
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError {
				c.add(consoleError{string(ev.Entry.Source), ev.Entry.Text, ev.Entry.URL})
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				c.add(consoleError{source: "console.error"})
			}
		case *runtime.EventExceptionThrown:
			c.add(consoleError{source: "exception", text: ev.ExceptionDetails.Text})
		}
	}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
	return err
}

func newTab(t *testing.T, js bool) *tab {
	t.Helper()
	return newTabFor(t, js, 2*time.Minute)
}

// newTabFor is a tab that may stay open for d: a walk through many pages
// takes longer than one journey.
func newTabFor(t *testing.T, js bool, d time.Duration) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	console := &consoleErrors{}
	if err := listenForErrors(ctx, console); err != nil {
		t.Fatalf("listen for console errors: %v", err)
	}
	if !js {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
			emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("disable JavaScript: %v", err)
		}
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(cancelTimeout)
	return &tab{t: t, ctx: ctx, js: js, console: console}
}

// fail saves a screenshot and the page's HTML, then fails the test,
// naming the folder they are in.
func (b *tab) fail(format string, args ...any) {
	b.t.Helper()
	dir := filepath.Join(artifacts, regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(b.t.Name(), "_"))
	_ = os.MkdirAll(dir, 0o755)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(b.ctx), 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "page.png"), png, 0o644)
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "page.html"), []byte(html), 0o644)
	}
	url, _ := chromedp.Run(ctx, chromedp.Location())
	b.t.Fatalf("%s\n(at %s; screenshot and HTML in %s)", fmt.Sprintf(format, args...), url, dir)
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fail("%v", err)
	}
}

func eval[T any](b *tab, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.fail("evaluate %s: %v", js, err)
	}
	return v
}

// visit opens a page and checks it.
func (b *tab) visit(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(baseURL + path))
	b.check()
}

// path is the current page's path and query.
func (b *tab) path() string {
	return eval[string](b, `location.pathname + location.search`)
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	return strings.Join(strings.Fields(eval[string](b, fmt.Sprintf(
		`Array.from(document.querySelectorAll(%q)).map(e => e.textContent).join(' ')`, sel))), " ")
}

func (b *tab) count(sel string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// act does something that changes the page (a post that redirects, or one
// that updates the page in place with JavaScript), waits for the new page,
// and checks it.
func (b *tab) act(action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	eval[bool](b, `(document.querySelector('main') || document.body).firstElementChild.setAttribute('data-e2e-old', '1'), true`)
	b.do(action)
	deadline := time.Now().Add(20 * time.Second)
	for {
		done, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](
			`document.readyState === 'complete' && !document.querySelector('[data-e2e-old]') && !!document.querySelector('main')`))
		if err == nil && done {
			break
		}
		if time.Now().After(deadline) {
			b.fail("the page did not change")
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.check()
}

// need fails at once when nothing matches sel, rather than waiting.
func (b *tab) need(sel string) {
	b.t.Helper()
	if b.count(sel) == 0 {
		b.fail("nothing matches %s", sel)
	}
}

// click follows a link or presses a button with the mouse.
func (b *tab) click(sel string) {
	b.t.Helper()
	b.need(sel)
	b.act(chromedp.Click(chromedp.CSS(sel)))
}

// fill types into a field (clearing what was there).
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	b.need(sel)
	eval[bool](b, fmt.Sprintf(`document.querySelector(%q).value = '', true`, sel))
	b.do(chromedp.SendKeys(chromedp.CSS(sel), value))
}

// choose picks a radio button or ticks a box (leaving a ticked box ticked).
func (b *tab) choose(sel string) {
	b.t.Helper()
	b.need(sel)
	if eval[bool](b, fmt.Sprintf(`document.querySelector(%q).checked`, sel)) {
		return
	}
	b.do(chromedp.Click(chromedp.CSS(sel)))
}

// tabTo presses Tab until the element matching sel has focus, as a
// keyboard user would.
func (b *tab) tabTo(sel string) {
	b.t.Helper()
	for range 60 {
		if eval[bool](b, fmt.Sprintf(`document.activeElement === document.querySelector(%q)`, sel)) {
			return
		}
		b.do(chromedp.KeyEvent(kb.Tab))
	}
	b.fail("could not reach %s with the Tab key", sel)
}

// typeKeys types at the focused element.
func (b *tab) typeKeys(s string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(s))
}

// pressEnter presses Enter on the focused element and waits for the result.
func (b *tab) pressEnter() {
	b.t.Helper()
	b.act(chromedp.KeyEvent(kb.Enter))
}

// wcagTags are the rules a page must pass.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// check runs axe-core on the page, then checks the skip link and reflow,
// and that the browser logged no error since the last check.
func (b *tab) check() {
	b.t.Helper()
	b.checkConsole()
	b.checkNoEmptyLists()
	if b.lang() == "cy" {
		b.checkNoEnglish()
	}
	b.savePage()
	b.axe()
	b.checkSkipLink()
	b.checkReflow()
}

// checkConsole fails on any error the browser logged since the last check.
// The page's own status is not one: a form shown again with its errors
// answers 422 and a missing page 404 on purpose, and Chromium logs each as a
// resource that failed to load.
func (b *tab) checkConsole() {
	b.t.Helper()
	page := strings.SplitN(eval[string](b, `location.href`), "#", 2)[0]
	var errs []string
	for _, e := range b.console.take() {
		if e.source == "network" && e.url == page {
			continue
		}
		errs = append(errs, fmt.Sprintf("%s: %s %s", e.source, e.text, e.url))
	}
	if len(errs) > 0 {
		b.fail("the browser logged %d errors:\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// checkNoEmptyLists fails on a list with no items: a screen reader
// announces "list, 0 items" and then nothing. A hidden list is not read
// out (the design system's header keeps its overflow menu hidden and
// empty until the navigation wraps).
func (b *tab) checkNoEmptyLists() {
	b.t.Helper()
	empty := eval[[]string](b, `[...document.querySelectorAll('ul, ol')]
		.filter(l => !l.closest('[hidden]') && !l.querySelector('li')).map(l => l.outerHTML.slice(0, 120))`)
	if len(empty) > 0 {
		b.fail("%d empty lists:\n%s", len(empty), strings.Join(empty, "\n"))
	}
}

// axe runs axe-core on the page as it is now.
func (b *tab) axe() {
	b.t.Helper()
	pagesChecked.Add(1)
	tags, _ := json.Marshal(wcagTags)
	if !b.js {
		// axe-core needs timers, which do not run while the page's scripts
		// are off; let them run for the check. Scripts the page loaded
		// earlier were blocked then and do not run now.
		b.scripts(true)
		defer b.scripts(false)
	}
	if !eval[bool](b, `typeof axe !== 'undefined'`) {
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
			b.fail("inject axe-core: %v", err)
		}
	}
	res, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]axeViolation](
		`axe.run(document, {runOnly: {type: 'tag', values: `+string(tags)+`}}).then(r => r.violations)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("axe: %v", err)
	}
	if len(res) > 0 {
		var msg strings.Builder
		for _, v := range res {
			targets := make([]string, 0, len(v.Nodes))
			for _, n := range v.Nodes {
				targets = append(targets, fmt.Sprint(n.Target...))
			}
			fmt.Fprintf(&msg, "\n  %s: %s\n    at %s", v.ID, v.Help, strings.Join(targets, ", "))
		}
		b.fail("axe found %d accessibility violations:%s", len(res), msg.String())
	}
}

func (b *tab) scripts(on bool) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		b.fail("switch JavaScript: %v", err)
	}
}

// checkSkipLink: the first Tab from the top reaches "Skip to main content",
// and following it moves focus to the main content.
func (b *tab) checkSkipLink() {
	b.t.Helper()
	// Start again from the top of the page, as after loading it: focus a
	// throwaway element at the very start, then remove it. (A page with an
	// error summary moves focus to the summary when it loads.)
	eval[bool](b, `(() => { const x = document.createElement('span'); x.tabIndex = -1; document.body.prepend(x); x.focus(); x.remove(); window.scrollTo(0, 0); return true })()`)
	b.do(chromedp.KeyEvent(kb.Tab))
	want := "Skip to main content"
	if eval[string](b, `document.documentElement.lang`) == "cy" {
		want = "Neidio i'r prif gynnwys"
	}
	if got := eval[string](b, `document.activeElement.textContent.trim()`); got != want {
		b.fail("the first Tab reached %q, not the skip link", got)
	}
	b.do(chromedp.KeyEvent(kb.Enter))
	deadline := time.Now().Add(5 * time.Second)
	for eval[string](b, `document.activeElement.id`) != "maincontent" {
		if time.Now().After(deadline) {
			b.fail("the skip link did not move focus to the main content (focus is on %q)",
				eval[string](b, `document.activeElement.outerHTML.slice(0, 80)`))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkReflow: at 320 CSS pixels wide the page does not scroll sideways
// (WCAG 1.4.10).
func (b *tab) checkReflow() {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(320, 800))
	defer b.do(chromedp.EmulateViewport(1024, 800))
	if b.js {
		// The header's script folds menu items into "More" after a resize.
		time.Sleep(300 * time.Millisecond)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 321 {
		wide := eval[string](b, `Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 321).slice(-3).map(e => e.tagName + '.' + e.className).join(', ')`)
		b.fail("at 320px the page is %dpx wide (widest: %s)", w, wide)
	}
}
