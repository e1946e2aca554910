package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	stdhtml "html"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"

	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/pdfprint"
	"github.com/coproduce/coproduce/web/views"
)

// PDFs (reports and printable packs) are the same HTML pages a browser
// shows, printed by Chromium into tagged PDF (internal/pdfprint). Printing
// takes a browser tab's memory and a core for about a second, so only
// maxPDFs are printed at once; a few more wait their turn, briefly, and
// beyond that the person is asked to try again in a minute rather than
// joining a queue with no end.
const (
	maxPDFs        = 2
	maxPDFsWaiting = 4
	// pdfWait is the longest a PDF waits for a slot.
	pdfWait = 30 * time.Second
	// pdfRetryAfter is the Retry-After, in seconds, of a busy answer.
	pdfRetryAfter = 30
)

var (
	// errPDFBusy: every slot is taken and the waiting places too, or the
	// wait ran out.
	errPDFBusy = errors.New("too many PDFs at once")
	// errNoPDF: this server cannot print (Chromium is not installed).
	errNoPDF = errors.New("PDF printing unavailable")
)

// shared is the process's one Chromium printer, for every server built
// without a printer of its own (the tests build many; each server's static
// files are the same embedded files), so that one browser runs.
var shared struct {
	once    sync.Once
	printer *pdfprint.Printer
}

// printerFor returns the shared printer, made on first use with these
// static files.
func printerFor(static fs.FS) *pdfprint.Printer {
	shared.once.Do(func() { shared.printer = pdfprint.New(PrinterOptions(static)) })
	return shared.printer
}

// PrinterOptions are a printer's options for these static files: the
// page's stylesheets under /static/ and the design system's pictures under
// /assets/, as the server serves them.
func PrinterOptions(static fs.FS) pdfprint.Options {
	files := map[string]fs.FS{"/static/": static}
	if assets, err := fs.Sub(static, "vendor/assets"); err == nil {
		files["/assets/"] = assets
	}
	return pdfprint.Options{Files: files}
}

// takePDFSlot takes one of the PDF slots, waiting for one if it must and
// may: errPDFBusy when the waiting places are full or the wait runs out.
// release gives the slot back.
func (s *Server) takePDFSlot(ctx context.Context) (release func(), err error) {
	release = func() { <-s.pdfSlots }
	select {
	case s.pdfSlots <- struct{}{}:
		return release, nil
	default:
	}
	select {
	case s.pdfWaiting <- struct{}{}:
		defer func() { <-s.pdfWaiting }()
	default:
		s.metrics.pdfBusy.Inc()
		return nil, errPDFBusy
	}
	s.metrics.pdfWaits.Inc()
	wait := time.NewTimer(pdfWait)
	defer wait.Stop()
	select {
	case s.pdfSlots <- struct{}{}:
		return release, nil
	case <-wait.C:
		s.metrics.pdfBusy.Inc()
		return nil, errPDFBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// pdfPage is the layout's model for a page printed to PDF: the page
// without what belongs to the person's visit (the menus, a notice, the
// session's reminder), which the print stylesheet would hide anyway.
func (s *Server) pdfPage() views.Page {
	return views.Page{OrgName: s.cfg.OrgName}
}

// pdfDoc is a page to send as a PDF.
type pdfDoc struct {
	page templ.Component
	// htmlPath is the address of the same page as HTML; title is the
	// page's title, for the foot of each page, and filename the name of
	// the download.
	htmlPath, title, filename string
	// large is set for large print: the foot of the page is large too.
	large bool
}

// sendPDF prints a page as a tagged PDF and sends it as a download; the
// caller holds a PDF slot. ctx is the context the page is rendered in (a
// report's reads may take longer than a page's).
func (s *Server) sendPDF(ctx context.Context, w http.ResponseWriter, r *http.Request, d pdfDoc) error {
	var html bytes.Buffer
	if err := d.page.Render(ctx, &html); err != nil {
		return err
	}
	// The connection's write limit (a minute from the request) is no
	// longer than the print's own limit, after a wait for a slot and the
	// report's reads: the answer, the PDF or "try again", would find the
	// connection closed.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(pdfprint.DefaultTimeout + 15*time.Second))
	var pdf bytes.Buffer
	err := s.printer.Print(ctx, &pdf, pdfprint.Page{HTML: html.Bytes(), Path: d.htmlPath, Footer: pdfFooter(r, d.title, d.large)})
	switch {
	case errors.Is(err, pdfprint.ErrNoChromium):
		return errNoPDF
	case errors.Is(err, context.DeadlineExceeded) && r.Context().Err() == nil:
		// Our own time limit, on a machine too busy to print in time:
		// the person is asked to try again, as when every slot is taken.
		s.log.WarnContext(r.Context(), "PDF took too long", "error", err)
		return fmt.Errorf("%w: %w", errPDFBusy, err)
	case err != nil:
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+d.filename+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(pdf.Len()))
	if _, err := w.Write(pdf.Bytes()); err != nil {
		s.log.InfoContext(r.Context(), "write response", "error", err)
	}
	return nil
}

// pdfFooter is the foot of each printed page: the title and "page 2 of
// 5", in the person's language, centred; in large print, 16 point like
// the rest.
func pdfFooter(r *http.Request, title string, large bool) string {
	words := i18n.FromContext(r.Context()).T("pdf.footer", map[string]any{
		"Title": "\x00title\x00", "Page": "\x00page\x00", "Pages": "\x00pages\x00"})
	words = strings.NewReplacer("\x00title\x00", stdhtml.EscapeString(title),
		"\x00page\x00", `<span class="pageNumber"></span>`, "\x00pages\x00", `<span class="totalPages"></span>`).
		Replace(stdhtml.EscapeString(words))
	size := "9pt"
	if large {
		size = "16pt"
	}
	return `<div style="width:100%;font-family:'Noto Sans',sans-serif;font-size:` + size +
		`;color:#4c6272;text-align:center">` + words + `</div>`
}

// pdfFailure answers a PDF that could not be made for want of Chromium or
// of a free slot: 503, with a plain message and, when busy, when to try
// again. It reports whether err was one of those.
func (s *Server) pdfFailure(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case errors.Is(err, errPDFBusy):
		w.Header().Set("Retry-After", strconv.Itoa(pdfRetryAfter))
		s.messagePage(w, r, http.StatusServiceUnavailable, "pdf.busy.title", "pdf.busy.body")
	case errors.Is(err, errNoPDF):
		s.log.ErrorContext(r.Context(), "PDF printing unavailable: install Chromium (Debian package chromium)")
		s.messagePage(w, r, http.StatusServiceUnavailable, "pdf.unavailable.title", "pdf.unavailable.body")
	default:
		return false
	}
	return true
}
