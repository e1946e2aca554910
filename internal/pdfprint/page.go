package pdfprint

import (
	"context"
	"fmt"
	"io/fs"
	"mime"
	"net/url"
	"path"
	"strings"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// printIn prints one page in a browser context of its own, closed (with
// its renderer process) when the PDF is done or the time is up.
func (p *Printer) printIn(ctx, bctx context.Context, pg Page) ([]byte, error) {
	tabCtx, cancel := context.WithCancel(bctx)
	defer cancel()
	// The request's deadline, or the person going away, ends the tab.
	defer context.AfterFunc(ctx, cancel)()
	tab, closeTab := chromedp.NewContext(tabCtx, chromedp.WithNewBrowserContext())
	defer closeTab()
	if err := chromedp.Do(tab); err != nil {
		return nil, failed(ctx, "open a tab", err)
	}
	if err := chromedp.Listen(tab, func(ev any) {
		if ev, ok := ev.(*fetch.EventRequestPaused); ok {
			// Answered apart from the event loop, which must not wait
			// on a command of its own.
			go p.answer(tab, ev, pg)
		}
	}); err != nil {
		return nil, failed(ctx, "listen", err)
	}
	// Our pages work without scripts, and the PDF is of the page as it
	// is sent: no script runs in it.
	if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		return nil, failed(ctx, "turn off scripts", err)
	}
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		return nil, failed(ctx, "intercept requests", err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(origin+pg.Path)); err != nil {
		return nil, failed(ctx, "open the page", err)
	}
	yes, no := true, false
	params := cdppage.PrintToPDFParams{
		// The paper (A4) and margins come from the print stylesheet.
		PreferCSSPageSize: &yes,
		// As a browser prints: no page colours, which would print the
		// design system's grey background.
		PrintBackground:         &no,
		GenerateTaggedPDF:       &yes,
		GenerateDocumentOutline: &yes,
		DisplayHeaderFooter:     &no,
	}
	if pg.Footer != "" {
		header := "<span></span>"
		params.DisplayHeaderFooter, params.HeaderTemplate, params.FooterTemplate = &yes, header, pg.Footer
	}
	res, err := chromedp.Call(tab, cdppage.PrintToPDF, params)
	if err != nil {
		return nil, failed(ctx, "print", err)
	}
	return res.Data, nil
}

// failed names the step that failed, or says the time ran out.
func failed(ctx context.Context, step string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("pdfprint: %s: %w", step, ctx.Err())
	}
	return fmt.Errorf("pdfprint: %s: %w", step, err)
}

// answer answers one request of the page: the page itself, or one of our
// own stylesheets and pictures; anything else (a script, another site,
// a file we do not have) is refused.
func (p *Printer) answer(tab context.Context, ev *fetch.EventRequestPaused, pg Page) {
	body, contentType, ok := p.resource(ev.Request.URL, pg)
	if !ok {
		_, _ = chromedp.Call(tab, fetch.FailRequest, fetch.FailRequestParams{
			RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		return
	}
	headers := []*fetch.HeaderEntry{{Name: "Content-Type", Value: contentType}}
	if strings.HasPrefix(contentType, "text/html") {
		headers = append(headers, &fetch.HeaderEntry{Name: "Content-Security-Policy", Value: pagePolicy})
	}
	_, _ = chromedp.Call(tab, fetch.FulfillRequest, fetch.FulfillRequestParams{
		RequestID:       ev.RequestID,
		ResponseCode:    200,
		ResponseHeaders: headers,
		Body:            body,
	})
}

// pagePolicy is the printed page's Content-Security-Policy: the browser
// itself refuses anything but our own stylesheets, pictures and fonts
// before asking for it. (A frame of another site would be loaded by a
// process of its own, out of reach of the page's request interception.)
const pagePolicy = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'"

// printable are the kinds of file a printed page may load.
var printable = map[string]bool{".css": true, ".svg": true, ".png": true, ".jpg": true, ".woff2": true}

// resource finds what a request of the page asks for.
func (p *Printer) resource(raw string, pg Page) ([]byte, string, bool) {
	if raw == origin+pg.Path {
		return pg.HTML, "text/html; charset=utf-8", true
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme+"://"+u.Host != origin {
		return nil, "", false
	}
	ext := path.Ext(u.Path)
	if !printable[ext] {
		return nil, "", false
	}
	for prefix, files := range p.opts.Files {
		name, ok := strings.CutPrefix(u.Path, prefix)
		if !ok || !fs.ValidPath(name) {
			continue
		}
		if b, err := fs.ReadFile(files, name); err == nil {
			return b, mime.TypeByExtension(ext), true
		}
	}
	return nil, "", false
}
