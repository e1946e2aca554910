package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coproduce/coproduce/internal/postgres/bigseed"
)

// The soak: 50 members of the busiest project, signed in through the
// form, send a mix of requests back to back for minutes (5 in make bench).
// It passes with no 5xx and no other unexpected answer, no lost writes
// (what the database holds is exactly what the server confirmed to the
// clients) and flat server memory (the last minute's peak within 10 % of
// the second minute's: the first minute is warming up).

const (
	soakMembers = 50
	// exportsAtOnce caps the exports in flight: each streams tens of MB.
	exportsAtOnce = 2
	// votingIdeas are how many ideas (the newest) the votes go to, so that
	// members come back to an idea and change sides, and meet others there.
	votingIdeas = 100
	// ideaPages is how far into an idea's discussion the views go.
	ideaPages = 5
)

type kind int

const (
	projectView kind = iota
	ideaView
	voteKind
	commentKind
	exportKind
	kinds
)

var kindNames = [kinds]string{"Project page", "Idea page, pages 1 to 5 of its discussion", "Vote, changing sides",
	"Comment", "Export: CSV of comments or JSON report"}

// The mix of each member's requests, as weights out of 100. Only those who
// run a project may have its data exports, so lay partners never export;
// the lead and facilitators export one request in ten, but never more
// than exportsAtOnce at once (when both slots are busy they view the
// project page instead).
var (
	layMix    = [kinds]int{30, 40, 20, 10, 0}
	runnerMix = [kinds]int{30, 30, 20, 10, 10}
)

// soaker is one simulated member and what they saw.
type soaker struct {
	m   *member
	mix [kinds]int
	r   *rand.Rand
	// voted is the last side the server confirmed, per idea; unsure are
	// ideas whose last vote's outcome the client never learnt.
	voted    map[int64]string
	unsure   map[int64]bool
	comments int // confirmed
	tally    soakTally
}

// soakTally counts one member's (or, added up, everyone's) responses.
type soakTally struct {
	latencies  [kinds][]time.Duration
	serverErrs [kinds]int // 5xx
	transport  [kinds]int // no response at all
	unexpected [kinds]int // any other status than the one expected
	firstError string
}

func (t *soakTally) add(o soakTally) {
	for k := range kinds {
		t.latencies[k] = append(t.latencies[k], o.latencies[k]...)
		t.serverErrs[k] += o.serverErrs[k]
		t.transport[k] += o.transport[k]
		t.unexpected[k] += o.unexpected[k]
	}
	if t.firstError == "" {
		t.firstError = o.firstError
	}
}

// soakRun is what the soak shares between its members.
type soakRun struct {
	b         *bench
	project   bigseed.Project
	ideas     []int64
	tokens    string // the prefix of this run's comment form tokens
	exporting chan struct{}
}

// soak runs the soak on the busiest project and adds its rows.
func (b *bench) soak(ctx context.Context) error {
	busy := b.projects[busiestTitle]
	ideas, err := bigseed.ProposalIDs(ctx, b.pool, busy.ID)
	if err != nil {
		return err
	}
	runners, err := bigseed.RunnerEmails(ctx, b.pool, busy.ID)
	if err != nil {
		return err
	}
	emails := append(runners, busy.LayEmails[:soakMembers-len(runners)]...)
	step(fmt.Sprintf("soak: signing in %d members of the busiest project", len(emails)))
	var soakers []*soaker
	for i, email := range emails {
		m, err := signIn(b.srv.base, b.transport, email, password)
		if err != nil {
			return err
		}
		mix := layMix
		if i < len(runners) {
			mix = runnerMix
		}
		soakers = append(soakers, &soaker{m: m, mix: mix, r: rand.New(rand.NewPCG(uint64(i), 9)),
			voted: map[int64]string{}, unsure: map[int64]bool{}})
	}
	run := &soakRun{b: b, project: busy, ideas: ideas, tokens: fmt.Sprintf("soak-%d-", time.Now().UnixNano()),
		exporting: make(chan struct{}, exportsAtOnce)}

	d := b.o.soak
	step(fmt.Sprintf("soak: %s of mixed traffic", d))
	stopSampling := make(chan struct{})
	samples := b.srv.sampleRSS(time.Second, stopSampling)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w, s := range soakers {
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline); n++ {
				run.once(s, w, n)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopSampling)
	return b.soakResults(ctx, run, soakers, elapsed, <-samples)
}

// once sends one request of the member's mix and records the outcome.
func (run *soakRun) once(s *soaker, w, n int) {
	k := pick(s.r, s.mix)
	if k == exportKind {
		select {
		case run.exporting <- struct{}{}:
			defer func() { <-run.exporting }()
		default:
			k = projectView
		}
	}
	t := time.Now()
	status, location, err := run.send(s, k, w, n)
	s.tally.latencies[k] = append(s.tally.latencies[k], time.Since(t))
	want, confirms := http.StatusOK, ""
	switch k {
	case voteKind:
		want, confirms = http.StatusSeeOther, "notice=vote-saved"
	case commentKind:
		want, confirms = http.StatusSeeOther, "notice=comment-added"
	}
	switch {
	case err != nil:
		s.tally.transport[k]++
	case status >= 500:
		s.tally.serverErrs[k]++
	case status != want || !strings.Contains(location, confirms):
		s.tally.unexpected[k]++
	}
	if (err != nil || status != want || !strings.Contains(location, confirms)) && s.tally.firstError == "" {
		s.tally.firstError = fmt.Sprintf("%s: status %d, %v", kindNames[k], status, err)
	}
}

// pick draws a kind of request by the weights.
func pick(r *rand.Rand, mix [kinds]int) kind {
	total := 0
	for _, w := range mix {
		total += w
	}
	n := r.IntN(total)
	for k, w := range mix {
		if n < w {
			return kind(k)
		}
		n -= w
	}
	return projectView
}

// send makes one request of kind k, and for a write remembers what the
// server confirmed.
func (run *soakRun) send(s *soaker, k kind, w, n int) (int, string, error) {
	base, ideas := run.b.srv.base, run.ideas
	switch k {
	case ideaView:
		id := ideas[s.r.IntN(len(ideas))]
		return s.m.fetch(http.MethodGet, base, ideaPath(run.project, id, "?page="+strconv.Itoa(1+s.r.IntN(ideaPages))), nil)
	case voteKind:
		return run.vote(s)
	case commentKind:
		id := ideas[s.r.IntN(len(ideas))]
		form := url.Values{"body": {commentText}, "form_token": {fmt.Sprintf("%s%d-%d", run.tokens, w, n)}}
		status, location, err := s.m.fetch(http.MethodPost, base, ideaPath(run.project, id, "/comments"), form)
		if err == nil && status == http.StatusSeeOther && strings.Contains(location, "notice=comment-added") {
			s.comments++
		}
		return status, location, err
	case exportKind:
		report := "/reports/build.csv"
		if s.r.IntN(2) == 0 {
			report = "/reports/project.json"
		}
		return s.m.fetch(http.MethodGet, base, projectPath(run.project, report), nil)
	}
	return s.m.fetch(http.MethodGet, base, projectPath(run.project, ""), nil)
}

// vote moves the member's vote on one of the newest ideas to another side.
func (run *soakRun) vote(s *soaker) (int, string, error) {
	newest := run.ideas[max(0, len(run.ideas)-votingIdeas):]
	id := newest[s.r.IntN(len(newest))]
	side := choices[s.r.IntN(len(choices))]
	for side == s.voted[id] {
		side = choices[s.r.IntN(len(choices))]
	}
	status, location, err := s.m.fetch(http.MethodPost, run.b.srv.base, ideaPath(run.project, id, "/vote"),
		url.Values{"choice": {side}})
	switch {
	case err == nil && status == http.StatusSeeOther && strings.Contains(location, "notice=vote-saved"):
		s.voted[id] = side
		delete(s.unsure, id)
	case err != nil || status >= 500:
		// The vote may or may not have been stored: the client cannot say.
		s.unsure[id] = true
	}
	return status, location, err
}

func ideaPath(p bigseed.Project, id int64, suffix string) string {
	return projectPath(p, "/proposals/"+strconv.FormatInt(id, 10)+suffix)
}

// fetch sends a request as a browser on our pages would, reads the whole
// answer, and returns its status and where it redirects to.
func (m *member) fetch(method, base, path string, form url.Values) (int, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, base+path, body)
	if err != nil {
		return 0, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	res, err := m.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, res.Header.Get("Location"), err
}

// rssSample is the server's resident memory at one moment of the soak.
type rssSample struct {
	at  time.Duration
	rss int64
}

// sampleRSS reads the server's resident memory every interval until stop
// is closed, and then sends every reading.
func (s *server) sampleRSS(every time.Duration, stop <-chan struct{}) <-chan []rssSample {
	out := make(chan []rssSample, 1)
	go func() {
		var got []rssSample
		start := time.Now()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				out <- got
				return
			case <-t.C:
				rss, _ := s.memory()
				got = append(got, rssSample{at: time.Since(start), rss: rss})
			}
		}
	}()
	return out
}
