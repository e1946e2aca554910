// Package pdfprint turns our own accessible HTML pages (a report, a
// printable pack) into tagged PDF with Chromium's print engine, the same
// engine that prints the page from a browser. Chromium lays the page out
// with the print stylesheet, shapes every script through the system's
// fonts (Debian's Noto packages), and writes a tagged PDF: headings,
// paragraphs, lists and tables with their header cells in the structure
// tree, in reading order, with the document's title and an outline.
//
// One Chromium process is started on the first PDF and kept: each PDF is
// printed in a browser context of its own (like a private window), closed
// when it is done. The page loads nothing from any network: every request
// it makes is answered here, from our own static files, or refused.
// See docs/decisions.md "Chromium for PDF".
package pdfprint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// Limits on one PDF and on the browser as a whole.
const (
	// DefaultTimeout bounds printing one PDF, from opening its page to the
	// last byte. The busiest project's report (664 pages) takes about
	// nine seconds on two cores.
	DefaultTimeout = time.Minute
	// MaxHTML is the largest page printed. A printed report holds at most
	// a thousand comments, so even the busiest project's report is a few
	// megabytes; a page beyond this is a fault, not a report.
	MaxHTML = 32 << 20
	// DefaultMemory is how much resident memory Chromium's processes may
	// hold between two PDFs before the browser is started afresh. Each
	// PDF's renderer goes when its browser context closes; this bounds
	// what the browser process itself keeps (caches, fonts).
	DefaultMemory = 768 << 20
)

// ErrNoChromium is returned when Chromium is not installed: the server
// still runs, and a PDF is refused with a plain message.
var ErrNoChromium = errors.New("pdfprint: Chromium is not installed (Debian package chromium)")

// Options configure a Printer; zero values take the defaults.
type Options struct {
	// Chromium is the browser to run; empty finds "chromium" on the PATH.
	Chromium string
	// Files are the files a page may load (its stylesheets and pictures),
	// by the address prefix the server serves them under: "/static/",
	// say. Only stylesheets, pictures and fonts are ever given.
	Files map[string]fs.FS
	// Timeout bounds one PDF.
	Timeout time.Duration
	// Memory is the resident memory, in bytes, above which Chromium is
	// restarted between two PDFs.
	Memory int64
}

// Printer prints pages to PDF. It is safe for concurrent use; the caller
// bounds how many PDFs are printed at once (the server's PDF slots).
type Printer struct {
	opts Options

	mu  sync.Mutex
	cur *browser // the browser new PDFs go to, nil before the first
}

// browser is one running Chromium and the PDFs being printed in it.
type browser struct {
	ctx    context.Context
	stop   context.CancelFunc
	pid    int
	active int
	// stale is set when it grew past the memory limit: new PDFs go to a
	// new browser, and it stops when its last PDF is done.
	stale, stopped bool
	// checking is set while its memory is being read.
	checking bool
}

// New returns a printer; Chromium starts with the first PDF.
func New(opts Options) *Printer {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Memory <= 0 {
		opts.Memory = DefaultMemory
	}
	return &Printer{opts: opts}
}

// Page is one page to print.
type Page struct {
	// HTML is the whole document, as the server would send it.
	HTML []byte
	// Path is the address the page is shown at (its links and the
	// stylesheets it names are resolved against it).
	Path string
	// Footer, when set, is the HTML of each page's foot: Chromium fills
	// <span class="pageNumber"> and <span class="totalPages"> in it.
	Footer string
}

// origin is where the printed page seems to come from. The .invalid
// top-level domain never resolves, and no request to it leaves the
// browser: each is answered from our own files or refused.
const origin = "https://coproduce.invalid"

// Print writes the page as a tagged PDF to w.
func (p *Printer) Print(ctx context.Context, w io.Writer, page Page) error {
	if len(page.HTML) > MaxHTML {
		return fmt.Errorf("pdfprint: page of %d bytes is over the %d byte limit", len(page.HTML), MaxHTML)
	}
	b, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	pdf, err := p.printIn(ctx, b.ctx, page)
	p.release(b, ctx.Err() != nil)
	if err != nil {
		return err
	}
	_, err = w.Write(pdf)
	return err
}

// Close stops Chromium.
func (p *Printer) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur != nil {
		p.cur.stopped = true
		p.cur.stop()
		p.cur = nil
	}
}

// acquire returns the browser to print in, starting one when none runs,
// the one running has died or it has grown too big, and counts the PDF.
func (p *Printer) acquire(ctx context.Context) (*browser, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur != nil && (p.cur.ctx.Err() != nil || p.cur.stale) {
		// It stops when its last PDF is done (retire), or now if none is
		// printing in it or it died.
		if p.cur.active == 0 || p.cur.ctx.Err() != nil {
			p.cur.stopped = true
			p.cur.stop()
		}
		p.cur = nil
	}
	if p.cur == nil {
		b, err := p.start(ctx)
		if err != nil {
			return nil, err
		}
		p.cur = b
	}
	p.cur.active++
	return p.cur, nil
}

// release counts a PDF done, and then looks at how much memory the
// browser holds (apart from the request: reading it takes a moment). A
// PDF abandoned (its time ran out, or the person went away) retires the
// browser at once: closing the tab does not stop Chromium laying out and
// printing a page it has begun, in processes the tab does not own, and a
// refused report left printing took gigabytes and both cores for minutes.
func (p *Printer) release(b *browser, abandoned bool) {
	p.mu.Lock()
	b.active--
	check := !b.checking && !abandoned
	b.checking = b.checking || check
	p.mu.Unlock()
	p.retire(b, abandoned)
	if check {
		go func() {
			over := b.ctx.Err() == nil && b.pid != 0 && TreeMemory(b.pid) > p.opts.Memory
			p.mu.Lock()
			b.checking = false
			p.mu.Unlock()
			p.retire(b, over)
		}()
	}
}

// retire marks a browser that died, or grew past the memory limit
// (over), to be replaced, and stops it once no PDF is printing in it: a
// long-running server's Chromium never grows without bound.
func (p *Printer) retire(b *browser, over bool) {
	p.mu.Lock()
	b.stale = b.stale || over || b.ctx.Err() != nil
	stop := b.stale && b.active == 0 && !b.stopped
	if stop {
		b.stopped = true
		if p.cur == b {
			p.cur = nil
		}
	}
	p.mu.Unlock()
	if stop { // Chromium takes a moment to end: not under the lock
		b.stop()
	}
}

// chromium finds the browser: the one set, or "chromium" on the PATH.
func (p *Printer) chromium() (string, error) {
	if p.opts.Chromium != "" {
		return p.opts.Chromium, nil
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		return "", ErrNoChromium
	}
	return path, nil
}

// start starts Chromium.
func (p *Printer) start(ctx context.Context) (*browser, error) {
	path, err := p.chromium()
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		// The sandbox needs user namespaces, which containers rarely
		// allow. The page is our own HTML with scripts off and no
		// network, so the renderer never runs anyone else's code.
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("mute-audio", true),
		// Containers give /dev/shm 64 MB; Chromium's shared memory goes
		// to /tmp instead.
		chromedp.Flag("disable-dev-shm-usage", true),
		// Behind the request interception and the page's
		// Content-Security-Policy, a last wall: no host name (nor address)
		// resolves. It is the wall that holds for a frame of another site,
		// which Chromium connects to from a process of its own, out of the
		// interception's reach (TestThePageReachesNoNetwork saw that
		// connection without it).
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	)
	// The browser outlives the request that started it.
	alloc, stopAlloc := chromedp.NewExecAllocator(context.WithoutCancel(ctx), opts...)
	bctx, stopBrowser := chromedp.NewContext(alloc)
	if err := chromedp.Do(bctx); err != nil { // start it now
		stopBrowser()
		stopAlloc()
		return nil, fmt.Errorf("pdfprint: start Chromium: %w", err)
	}
	b := &browser{ctx: bctx, stop: func() { stopBrowser(); stopAlloc() }}
	if c := chromedp.FromContext(bctx); c != nil && c.Browser != nil {
		if proc := c.Browser.Process(); proc != nil {
			b.pid = proc.Pid
		}
	}
	return b, nil
}

// TreeMemory is the memory, in bytes, that a process and all its
// descendants hold (Linux; 0 elsewhere): the sum of their proportional
// resident sizes.
func TreeMemory(pid int) int64 {
	children := map[int][]int{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if parent := parentOf(child); parent > 0 {
			children[parent] = append(children[parent], child)
		}
	}
	var total int64
	for queue := []int{pid}; len(queue) > 0; queue = queue[1:] {
		total += residentBytes(queue[0])
		queue = append(queue, children[queue[0]]...)
	}
	return total
}

// ChildMemory is the memory, in bytes, that a process's descendants alone
// hold: a server's Chromium.
func ChildMemory(pid int) int64 { return max(TreeMemory(pid)-residentBytes(pid), 0) }

// parentOf reads a process's parent from /proc/PID/stat: the field after
// the state, which follows the command name in parentheses.
func parentOf(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return 0
	}
	fields := strings.Fields(s[end+1:])
	if len(fields) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid
}

// residentBytes is a process's proportional share of resident memory
// (Pss, from /proc/PID/smaps_rollup): Chromium's processes share much of
// their memory (the browser's code, shared buffers), which their resident
// sizes would each count again. Where Pss is not to be had, its resident
// memory (/proc/PID/statm).
func residentBytes(pid int) int64 {
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if kb, ok := strings.CutPrefix(line, "Pss:"); ok {
				n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 10, 64)
				return n << 10
			}
		}
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(fields[1], 10, 64)
	return pages * int64(os.Getpagesize())
}
