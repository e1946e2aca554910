package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coproduce/coproduce/internal/postgres/bigseed"
)

// row is one line of the results table.
type row struct {
	name string
	load *loadResult
	// measured and target are the parts judged as they were measured
	// (errors, exact counts, bytes, ratios to another scenario of the
	// run), and pass their verdict.
	measured, target string
	pass             bool
	// checks are the parts judged against the baselines, at the end of
	// the run, when both measurements of each baseline are in.
	checks []check
	// bases, for a baseline's own row, are the figures it shows.
	bases []string
}

type bench struct {
	o         options
	srv       *server
	pool      *pgxpool.Pool
	projects  map[string]bigseed.Project
	transport http.RoundTripper
	rows      []row
	bases     baselines
	burners   *burners
	vacuum    *vacuumer
	users     baselineUsers
	// baseRows are the rows of baselines A and B, whose errors the second
	// measurement adds to.
	baseRows struct{ a, b int }
	growth   []row
	profile  string
	// soakSection is the soak's part of the results.
	soakSection string
}

// add adds a row and says how it looks so far (its ratios to the
// baselines measured once), returning its index.
func (b *bench) add(r row) int {
	b.rows = append(b.rows, r)
	verdict := "pass so far"
	if !r.verdict(b.bases) {
		verdict = "FAIL so far"
	}
	measured, _ := r.texts(b.bases)
	step(fmt.Sprintf("%-60s %s (%s)", r.name, verdict, measured))
	return len(b.rows) - 1
}

// members signs in n people of a project (its lay partners, in turn).
func (b *bench) members(p bigseed.Project, n int) ([]*member, error) {
	var out []*member
	for i := range n {
		m, err := signIn(b.srv.base, b.transport, p.LayEmails[i%len(p.LayEmails)], password)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// sessionsOf signs one person in n times and shares those sessions among
// the workers, for a page only that person sees as they do.
func (b *bench) sessionsOf(email string, n int) ([]*member, error) {
	var signedIn []*member
	for range n {
		m, err := signIn(b.srv.base, b.transport, email, password)
		if err != nil {
			return nil, err
		}
		signedIn = append(signedIn, m)
	}
	out := make([]*member, workers)
	for i := range out {
		out[i] = signedIn[i%n]
	}
	return out, nil
}

func (b *bench) get(path string) request {
	return func(m *member, _, _ int) (int, error) { return m.get(b.srv.base, path) }
}

func projectPath(p bigseed.Project, suffix string) string {
	return "/projects/" + strconv.FormatInt(p.ID, 10) + suffix
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func (b *bench) scenarios(ctx context.Context) error {
	busy, small, talk, medium := b.projects[busiestTitle], b.projects[smallTitle], b.projects[talkTitle], b.projects[mediumTitle]
	d := b.o.duration
	step("signing in 32 members of each project measured")
	busyMembers, err := b.members(busy, workers)
	if err != nil {
		return err
	}
	smallMembers, err := b.members(small, workers)
	if err != nil {
		return err
	}
	talkMembers, err := b.members(talk, workers)
	if err != nil {
		return err
	}
	page := projectPath(busy, "")
	_, _, pageSize, status, err := download(busyMembers[0], b.srv.base, page)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("project page: status %d, %v", status, err)
	}
	lead, err := signIn(b.srv.base, b.transport, busy.LeadEmail, password)
	if err != nil {
		return err
	}
	mediumLead, err := signIn(b.srv.base, b.transport, medium.LeadEmail, password)
	if err != nil {
		return err
	}
	b.users = baselineUsers{busy: busyMembers, lead: lead, mediumLead: mediumLead, pageSize: pageSize}
	if err := b.measureBaselines(false); err != nil {
		return err
	}

	// The project page, with the server's memory watched; then profiled
	// under the same load apart, since a profiler running through part of
	// the measurement would slow the page's turns and not B's.
	stop := make(chan struct{})
	peakRSS := b.srv.watchMemory(stop)
	before, besideBefore := b.besideB(busyMembers, page)
	close(stop)
	rss := <-peakRSS
	profileDone := make(chan error, 1)
	go func() { profileDone <- b.cpuProfile(busyMembers[0], d/2) }()
	load(busyMembers, d/2+time.Second, b.get(page), is(200))
	if err := <-profileDone; err != nil {
		step("no profile: " + err.Error())
	}
	b.add(row{name: "Project page, busiest project (1,000 ideas, 100,000 comments), as a lay partner", load: &before,
		checks: pageChecks(before, besideBefore, pageFloor, pageP99), measured: besideText("B", besideBefore), target: "no errors",
		pass: before.errors == 0})
	b.add(row{name: "Server memory under the page load", measured: fmt.Sprintf("%d MB resident", rss>>20),
		target: "≤ 200 MB", pass: rss > 0 && rss <= 200<<20})

	// The two projects' pages alongside each other, so that the ratio is
	// the cost of size, not of the moment.
	smallPage, busyAgain := b.alongside(d,
		func(d time.Duration) loadResult { return load(smallMembers, d, b.get(projectPath(small, "")), is(200)) },
		func(d time.Duration) loadResult { return load(busyMembers, d, b.get(page), is(200)) })
	ratio := busyAgain.rps / smallPage.rps
	b.add(row{name: "Project page, project with 500 comments", load: &smallPage,
		measured: fmt.Sprintf("busiest = %.2f × this, alongside it (%.0f req/s)", ratio, busyAgain.rps),
		target:   fmt.Sprintf("busiest ≥ %g × this", sizeFloor), pass: ratio >= sizeFloor && smallPage.errors == 0 && busyAgain.errors == 0})

	if err := b.welshPage(busy, page); err != nil {
		return err
	}

	// The same page as the project's lead, whose work list reads what waits
	// for her: the page the lay partners above get is their own part.
	leads, err := b.sessionsOf(busy.LeadEmail, 4)
	if err != nil {
		return err
	}
	asLead, besideLead := b.besideB(leads, page)
	b.add(row{name: "Project page as its lead, busiest project (with the work list)", load: &asLead,
		checks: pageChecks(asLead, besideLead, pageFloor, pageP99), measured: besideText("B", besideLead), target: "no errors",
		pass: asLead.errors == 0})

	// The Updates page of a member with 1,000 updates, of which it lists
	// the newest 50; the header counts the unseen ones up to 100.
	reader := busy.LayEmails[0]
	if err := bigseed.GiveUpdates(ctx, b.pool, reader, busy.ID, 1000); err != nil {
		return err
	}
	readers, err := b.sessionsOf(reader, 4)
	if err != nil {
		return err
	}
	updates, besideUpdates := b.besideB(readers, "/updates")
	b.add(row{name: "Updates page, a member with 1,000 updates", load: &updates,
		checks: pageChecks(updates, besideUpdates, pageFloor, pageP99), measured: besideText("B", besideUpdates), target: "no errors",
		pass: updates.errors == 0})

	talkIDs, err := bigseed.ProposalIDs(ctx, b.pool, talk.ID)
	if err != nil {
		return err
	}
	idea, besideIdea := b.besideB(talkMembers, projectPath(talk, "/proposals/"+strconv.FormatInt(talkIDs[0], 10)))
	b.add(row{name: "Idea page with 500 comments", load: &idea, checks: pageChecks(idea, besideIdea, 0.4, 3.5),
		measured: besideText("B", besideIdea), target: "no errors", pass: idea.errors == 0})

	if err := b.principles(ctx, busy, busyMembers); err != nil {
		return err
	}
	if err := b.writes(ctx, busy, busyMembers); err != nil {
		return err
	}

	// Before and after cannot be loaded alongside each other, so each is
	// taken against B alongside it, and the two ratios compared.
	after, besideAfter := b.besideB(busyMembers, page)
	ratio = (after.rps / besideAfter.rps) / (before.rps / besideBefore.rps)
	b.add(row{name: "Project page after 50,000 more comments and votes", load: &after,
		measured: fmt.Sprintf("%.2f × before, each against B alongside it (%.2f × B, then %.2f × B)", ratio,
			before.rps/besideBefore.rps, after.rps/besideAfter.rps),
		target: fmt.Sprintf("≥ %g × before", afterWritesFloor), pass: ratio >= afterWritesFloor && after.errors == 0})

	if err := b.exports(ctx, busy, medium); err != nil {
		return err
	}
	if b.o.growth {
		return b.measureGrowth(d / 2)
	}
	return nil
}

// welshPage measures the busiest project page in Welsh against the same
// page in English, one straight after the other in the same run, with the
// same lay partners (each signed in again, choosing Cymraeg with the
// language link as a browser would). Welsh Language Standards: the Welsh
// service is no worse than the English one.
func (b *bench) welshPage(busy bigseed.Project, page string) error {
	english, err := b.members(busy, workers)
	if err != nil {
		return err
	}
	welsh, err := b.members(busy, workers)
	if err != nil {
		return err
	}
	for _, m := range welsh {
		if status, err := m.get(b.srv.base, "/language?lang=cy&return=%2Fprojects"); err != nil || status != http.StatusSeeOther {
			return fmt.Errorf("choose Cymraeg: status %d, %v", status, err)
		}
	}
	inEnglish, inWelsh := b.alongside(b.o.duration,
		func(d time.Duration) loadResult { return load(english, d, b.get(page), is(200)) },
		func(d time.Duration) loadResult { return load(welsh, d, b.get(page), is(200)) })
	ratio := inWelsh.rps / inEnglish.rps
	b.add(row{name: "Project page, busiest project, in English (to compare with Welsh, alongside it)", load: &inEnglish,
		target: "no errors", pass: inEnglish.errors == 0})
	b.add(row{name: "Project page, busiest project, in Welsh", load: &inWelsh,
		measured: fmt.Sprintf("Welsh = %.2f × English", ratio), target: fmt.Sprintf("Welsh ≥ %g × English, no errors", welshFloor),
		pass: ratio >= welshFloor && inWelsh.errors == 0})
	return nil
}

var choices = []string{"support", "neutral", "object"}

// writes posts votes and comments, then 50,000 more of both.
func (b *bench) writes(ctx context.Context, busy bigseed.Project, members []*member) error {
	ids, err := bigseed.ProposalIDs(ctx, b.pool, busy.ID)
	if err != nil {
		return err
	}
	vote := func(pick func(w, n int) int64) request {
		return func(m *member, w, n int) (int, error) {
			return m.post(b.srv.base, projectPath(busy, "/proposals/"+strconv.FormatInt(pick(w, n), 10)+"/vote"),
				url.Values{"choice": {choices[(w+n)%3]}})
		}
	}
	random := vote(func(w, n int) int64 { return ids[(w*7919+n*104729)%len(ids)] })
	votes, besideVotes := b.besideW(members, random)
	b.add(row{name: "Vote, random ideas of the busiest project", load: &votes, checks: writeChecks(votes, besideVotes, writeFloor, writeP99),
		measured: besideText("W", besideVotes), target: "no errors", pass: votes.errors == 0})

	one, besideOne := b.besideW(members, vote(func(int, int) int64 { return ids[0] }))
	b.add(row{name: "Vote, everyone on one idea", load: &one, checks: writeChecks(one, besideOne, oneIdeaFloor, oneIdeaP99),
		measured: besideText("W", besideOne), target: "no errors", pass: one.errors == 0})

	comment := func(m *member, w, n int) (int, error) {
		return m.post(b.srv.base, projectPath(busy, "/proposals/"+strconv.FormatInt(ids[(w*31+n)%len(ids)], 10)+"/comments"),
			url.Values{"body": {commentText}, "form_token": {fmt.Sprintf("bench-%d-%d-%d", time.Now().UnixNano(), w, n)}})
	}
	comments, besideComments := b.besideW(members, comment)
	b.add(row{name: "Comment", load: &comments, checks: writeChecks(comments, besideComments, commentFloor, commentP99),
		measured: besideText("W", besideComments), target: "no errors", pass: comments.errors == 0})

	step("posting 25,000 more comments and 25,000 more votes")
	var failed atomic.Int64
	burst(members, 50_000, func(m *member, w, n int) {
		var status int
		var err error
		if n%2 == 0 {
			status, err = comment(m, w, n)
		} else {
			status, err = random(m, w, n)
		}
		if err != nil || status != http.StatusSeeOther {
			failed.Add(1)
		}
	})
	mismatches, total, err := bigseed.TallyMismatches(ctx, b.pool, busy.ID)
	if err != nil {
		return err
	}
	b.add(row{name: "Tallies after all the voting, against a COUNT of the votes",
		measured: fmt.Sprintf("%d of %d ideas differ (%d votes); %d failed posts", mismatches, len(ids), total, failed.Load()),
		target:   "exactly right", pass: mismatches == 0 && failed.Load() == 0})
	return nil
}

const commentText = "We tried the new visit times at the stroke club and most people said a text the day before " +
	"helped, though a few would rather have a phone call. Could we offer both and ask people which they prefer?"

// burst makes total requests as fast as the members can, between them.
func burst(members []*member, total int64, do func(m *member, w, n int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w, m := range members {
		wg.Go(func() {
			for n := next.Add(1); n <= total; n = next.Add(1) {
				do(m, w, int(n))
			}
		})
	}
	wg.Wait()
}

// pageChecks are a page's targets against baseline B loaded alongside
// it (besideB).
func pageChecks(r, b loadResult, floorB, p99 float64) []check {
	return besideChecks("B", r, b, floorB, p99)
}

// besideB loads a page alongside baseline B (alongside): the page as
// members, B as the busiest project's lay partners, as at the start.
func (b *bench) besideB(members []*member, path string) (page, base loadResult) {
	base, page = b.alongside(b.o.duration,
		func(d time.Duration) loadResult {
			return load(b.users.busy, d, b.get(projectPath(b.projects[busiestTitle], "/bench/select")), is(200))
		},
		func(d time.Duration) loadResult { return load(members, d, b.get(path), is(200)) })
	return page, base
}

// besideW loads a write alongside baseline W, both as the same members:
// W's one UPDATE is of each member's own membership.
func (b *bench) besideW(members []*member, write request) (got, base loadResult) {
	w := projectPath(b.projects[busiestTitle], "/bench/write")
	base, got = b.alongside(b.o.duration,
		func(d time.Duration) loadResult {
			return load(members, d, func(m *member, _, _ int) (int, error) { return m.post(b.srv.base, w, nil) }, is(http.StatusSeeOther))
		},
		func(d time.Duration) loadResult { return load(members, d, write, is(http.StatusSeeOther)) })
	return got, base
}

// besideText is a baseline's figures alongside a scenario, for the
// results.
func besideText(of string, base loadResult) string {
	return fmt.Sprintf("%s alongside: %.0f req/s, p99 %s", of, base.rps, ms(base.p99))
}

// writeChecks are a write's targets against baseline W loaded alongside
// it (besideW): one UPDATE behind the same stack, so that what the disk
// and the CPU are doing at that moment moves both alike.
func writeChecks(r, w loadResult, floorW, p99 float64) []check {
	return besideChecks("W", r, w, floorW, p99)
}

// exportChecks are an export's targets: its time at most total × the time
// the COPY baseline took for the same number of rows, downloaded in turns
// with it (copyTime), and its first byte (when firstByte is not 0) at most
// firstByte × that time.
func exportChecks(took, first, copyTime time.Duration, total, firstByte float64) []check {
	base := copyTime.Seconds()
	if base <= 0 {
		base = -1 // never measured: fail
	}
	out := []check{{value: took.Seconds(), k: total, beside: base, of: "COPY"}}
	if firstByte > 0 {
		out = append(out, check{what: "first byte", value: first.Seconds(), k: firstByte, beside: base, of: "COPY"})
	}
	return out
}

// complete says whether an export arrived whole: a CSV with a line for
// each of the rows (the comments have no line breaks), a JSON report that
// ends as one does, a PDF with its end-of-file marker. An export cut
// short after its status was sent (by a deadline, say) still ends with a
// 200, and would otherwise look fast.
func complete(path string, got body, rows int) bool {
	end := strings.TrimSpace(string(got.tail))
	switch {
	case strings.HasSuffix(path, ".csv"):
		return got.lines >= int64(rows)
	case strings.HasSuffix(path, ".json"):
		// The report closes its comments array and itself; a stream cut
		// between two comments ends with a comment's "}" alone.
		return strings.HasSuffix(end, "]}")
	case strings.HasSuffix(path, ".pdf"):
		return strings.HasSuffix(end, "%%EOF")
	}
	return true
}

// exports times the reports of the busiest project and watches the
// server's peak memory while each is made.
func (b *bench) exports(ctx context.Context, busy, medium bigseed.Project) error {
	lead, mediumLead := b.users.lead, b.users.mediumLead
	busyRows, err := bigseed.CommentCount(ctx, b.pool, busy.ID)
	if err != nil {
		return err
	}
	mediumRows, err := bigseed.CommentCount(ctx, b.pool, medium.ID)
	if err != nil {
		return err
	}
	type export struct {
		name         string
		m            *member
		path         string
		copyPath     string
		rows         int
		total, first float64
		growMB       int64
		turns        int
	}
	busyCopy, mediumCopy := projectPath(busy, "/bench/comments.csv"), projectPath(medium, "/bench/comments.csv")
	if err := b.startChromium(mediumLead, projectPath(medium, "/reports/identify.pdf")); err != nil {
		return err
	}
	for _, e := range []export{
		{fmt.Sprintf("CSV of the busiest project's %d comments", busyRows), lead, projectPath(busy, "/reports/build.csv"),
			busyCopy, busyRows, exportCSV, exportFirstByte, 32, 3},
		{fmt.Sprintf("CSV of a project's %d comments", mediumRows), mediumLead, projectPath(medium, "/reports/build.csv"),
			mediumCopy, mediumRows, exportCSV, exportFirstByte, 32, 5},
		{"JSON project report, busiest project", lead, projectPath(busy, "/reports/project.json"),
			busyCopy, busyRows, exportJSON, 0, 64, 3},
		// Chromium is already running (startChromium): the PDF's memory
		// is what printing it takes.
		{"PDF project report, busiest project (1,000 ideas; the newest 200 waiting for an answer and 200 comments printed)", lead, projectPath(busy, "/reports/project.pdf"),
			busyCopy, busyRows, exportPDF, 0, 400, 1},
	} {
		step("exporting: " + e.name)
		x, err := b.export(e.m, e.path, e.copyPath, e.rows, e.turns)
		if err != nil {
			// A failed export is a failed row, not the end of the run:
			// the rest still has something to say.
			b.add(row{name: e.name, measured: fmt.Sprintf("**failed**: %v", err), target: "whole", pass: false})
			continue
		}
		measured := fmt.Sprintf("%.2f s, first byte %s, memory +%d MB, %.1f MB out; COPY in turns with it: %.2f s",
			x.took.Seconds(), ms(x.first), x.grew>>20, float64(x.size)/(1<<20), x.copyTime.Seconds())
		if x.chromium > 0 {
			measured += fmt.Sprintf(" (Chromium +%d MB)", x.chromium>>20)
		}
		if !x.whole {
			measured += ", **cut short** (not every row, or no proper end)"
		}
		b.add(row{name: e.name, checks: exportChecks(x.took, x.first, x.copyTime, e.total, e.first),
			measured: measured, target: fmt.Sprintf("whole, memory grows ≤ %d MB", e.growMB), pass: x.whole && x.grew <= e.growMB<<20})
	}
	return b.pdfQueue(lead, projectPath(busy, "/reports/project.pdf"))
}

// startChromium asks for a small PDF (a stage report), for which the server
// starts Chromium, as its first PDF after a start does: the time and
// memory that takes are Chromium's start, kept apart from the busiest
// project's PDF, which is then measured as every later one is made.
func (b *bench) startChromium(m *member, path string) error {
	step("starting Chromium with a small PDF")
	before := b.srv.childMemory()
	stop := make(chan struct{})
	peak := b.srv.watchChildMemory(stop)
	took, _, _, status, got, err := downloadBody(m, b.srv.base, path)
	close(stop)
	top := <-peak
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("a small PDF: status %d, %v", status, err)
	}
	idle := b.srv.childMemory()
	started := max(top, idle) - before
	b.add(row{name: "Chromium's start: the first PDF after the server starts, a stage report",
		measured: fmt.Sprintf("%.2f s; Chromium %d MB at its peak, %d MB idle after", took.Seconds(), started>>20, idle>>20),
		target:   fmt.Sprintf("whole, Chromium ≤ %d MB", chromiumStartMB), pass: complete(path, got, 0) && started <= chromiumStartMB<<20})
	return nil
}

// chromiumStartMB bounds Chromium's memory (proportional shares of its
// processes) when it has started and printed a small PDF.
const chromiumStartMB = 512

// exported is an export measured in turns with its COPY baseline: the
// medians of its turns, and the most memory any turn grew by.
type exported struct {
	took, first, copyTime time.Duration
	size, grew, chromium  int64
	whole                 bool
}

// export downloads an export turns times, each time between two
// downloads of the COPY baseline for the same rows (COPY, export, COPY,
// export, … COPY), so that both are measured at the same moment of the
// machine; it keeps the medians, and the COPY's time scaled to the
// export's rows. The server's memory and Chromium's are watched during
// each export.
func (b *bench) export(m *member, path, copyPath string, rows, turns int) (exported, error) {
	var x exported
	var took, first, copies []time.Duration
	x.whole = true
	for turn := 0; turn <= turns; turn++ {
		c, err := copyOnce(m, b.srv.base, copyPath)
		if err != nil {
			return x, err
		}
		copies = append(copies, time.Duration(c.perRow*float64(rows)*float64(time.Second)))
		if turn == turns {
			break
		}
		rss, _ := b.srv.memory()
		children := b.srv.childMemory()
		b.srv.resetPeak()
		stop := make(chan struct{})
		childPeak := b.srv.watchChildMemory(stop)
		total, firstByte, size, status, got, err := downloadBody(m, b.srv.base, path)
		close(stop)
		childTop := <-childPeak
		if err != nil || status != http.StatusOK {
			return x, fmt.Errorf("after %.1f s: status %d, %v", total.Seconds(), status, err)
		}
		_, peak := b.srv.memory()
		// The server's own growth, and Chromium's (which prints the PDFs
		// in processes of its own, started with the first).
		chromium := max(childTop-children, 0)
		x.chromium = max(x.chromium, chromium)
		x.grew = max(x.grew, max(peak-rss, 0)+chromium)
		x.size = size
		x.whole = x.whole && complete(path, got, rows)
		took, first = append(took, total), append(first, firstByte)
	}
	x.took, x.first, x.copyTime = median(took), median(first), median(copies)
	return x, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// maxPDFs is how many PDFs the server prints at once (and four more
// wait: internal/server/pdf.go).
const maxPDFs = 2

// pdfQueue asks for seven PDFs at once: two are printed at a time and
// four wait for a turn; the seventh is told at once to come back later
// (503 with Retry-After) rather than joining a queue without end.
func (b *bench) pdfQueue(lead *member, path string) error {
	step("seven PDFs at once")
	rss, _ := b.srv.memory()
	children := b.srv.childMemory()
	b.srv.resetPeak()
	stop := make(chan struct{})
	childPeak := b.srv.watchChildMemory(stop)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var took []time.Duration
	made, refused, bad := 0, 0, 0
	for range 7 {
		wg.Go(func() {
			start := time.Now()
			status, retry, err := getPDF(lead, b.srv.base+path)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && status == http.StatusOK:
				made++
				took = append(took, time.Since(start))
			case err == nil && status == http.StatusServiceUnavailable && retry != "":
				refused++
			default:
				bad++
			}
		})
	}
	wg.Wait()
	close(stop)
	_, peak := b.srv.memory()
	grew := max(peak-rss, 0) + max(<-childPeak-children, 0)
	waited, err := b.srv.metric("coproduce_pdf_report_waits_total")
	if err != nil {
		return err
	}
	slices.Sort(took)
	span := "none made"
	if len(took) > 0 {
		span = fmt.Sprintf("%.1f s to %.1f s", took[0].Seconds(), took[len(took)-1].Seconds())
	}
	b.add(row{name: "Seven PDF reports asked for at once",
		measured: fmt.Sprintf("%d made (%s), %d told to try again, %d failed, %.0f waited, memory +%d MB",
			made, span, refused, bad, waited, grew>>20),
		target: "two at a time, four wait, the rest told to try again (503, Retry-After)",
		pass:   bad == 0 && made >= maxPDFs && refused >= 1 && waited >= 1})
	return nil
}

// getPDF asks for a PDF, reading it to the end, and returns the status
// and any Retry-After.
func getPDF(m *member, url string) (status int, retryAfter string, err error) {
	res, err := m.client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, res.Header.Get("Retry-After"), err
}

// measureGrowth loads the project page of projects of growing size.
func (b *bench) measureGrowth(d time.Duration) error {
	for _, sh := range append([]bigseed.Shape{shapes[0]}, growth...) {
		p := b.projects[sh.Title]
		members, err := b.members(p, workers)
		if err != nil {
			return err
		}
		r := load(members, d, b.get(projectPath(p, "")), is(200))
		b.growth = append(b.growth, row{name: fmt.Sprintf("%d ideas, %d comments, %d votes", sh.Proposals, sh.Comments, sh.Votes),
			load: &r, pass: r.errors == 0})
		step(fmt.Sprintf("growth: %s: %.0f requests/s", sh.Title, r.rps))
	}
	return nil
}

// cpuProfile records where the server's time goes for d, and keeps the
// top of the profile for the results.
func (b *bench) cpuProfile(m *member, d time.Duration) error {
	req, err := http.NewRequest(http.MethodGet, b.srv.base+"/debug/pprof/profile?seconds="+strconv.Itoa(max(1, int(d.Seconds()))), nil)
	if err != nil {
		return err
	}
	res, err := m.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: status %d", res.StatusCode)
	}
	path := filepath.Join(os.TempDir(), "coproduce-bench-cpu.pprof")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, res.Body); err != nil {
		f.Close()
		return err
	}
	f.Close()
	out, err := goTool("pprof", "-top", "-nodecount=15", b.o.bin, path)
	if err != nil {
		return err
	}
	b.profile = strings.TrimSpace(out)
	return nil
}
