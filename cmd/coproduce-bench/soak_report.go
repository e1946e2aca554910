package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coproduce/coproduce/internal/postgres/bigseed"
)

// soakMinutes are the parts the soak's memory is compared in: minutes of
// the 5-minute soak, shorter parts of a shorter one.
const soakMinutes = 5

// flatMemory is how much higher the last minute's peak may be than the
// second's.
const flatMemory = 1.10

// soakResults checks what the soak did against the database, and adds the
// soak's rows and its section of the results.
func (b *bench) soakResults(ctx context.Context, run *soakRun, soakers []*soaker, elapsed time.Duration, samples []rssSample) error {
	var all soakTally
	for _, s := range soakers {
		all.add(s.tally)
	}
	overall := soakOverall(all, elapsed)
	serverErrs, transport, unexpected := sum(all.serverErrs), sum(all.transport), sum(all.unexpected)
	b.add(row{name: fmt.Sprintf("Soak: %d members, mixed traffic for %s", len(soakers), b.o.soak), load: &overall,
		measured: fmt.Sprintf("%d 5xx, %d transport errors, %d other unexpected", serverErrs, transport, unexpected),
		target:   "no 5xx, no errors", pass: overall.errors == 0})

	if err := b.soakComments(ctx, run, soakers); err != nil {
		return err
	}
	if err := b.soakVotes(ctx, run, soakers); err != nil {
		return err
	}

	peaks := minutePeaks(samples, b.o.soak)
	ratio := 0.0
	if peaks[1] > 0 {
		ratio = float64(peaks[soakMinutes-1]) / float64(peaks[1])
	}
	b.add(row{name: "Soak: server memory, peak of the last minute against the second", measured: fmt.Sprintf("%d MB against %d MB (%.2f ×)",
		peaks[soakMinutes-1]>>20, peaks[1]>>20, ratio), target: fmt.Sprintf("≤ %.2f ×", flatMemory), pass: ratio > 0 && ratio <= flatMemory})
	b.soakSection = soakSection(all, elapsed, peaks, b.o.soak)
	return nil
}

// soakComments compares the comments each member saw confirmed with the
// comments of this run the database holds, member by member.
func (b *bench) soakComments(ctx context.Context, run *soakRun, soakers []*soaker) error {
	stored, err := bigseed.CommentsByToken(ctx, b.pool, run.project.ID, run.tokens)
	if err != nil {
		return err
	}
	confirmed, total, differ := 0, 0, 0
	for _, s := range soakers {
		confirmed += s.comments
		if stored[s.m.email] != s.comments {
			differ++
		}
	}
	for _, n := range stored {
		total += n
	}
	counts, err := bigseed.CommentCountMismatches(ctx, b.pool, run.project.ID)
	if err != nil {
		return err
	}
	b.add(row{name: "Soak: comments confirmed against comments stored",
		measured: fmt.Sprintf("%d confirmed, %d stored, %d members differ; %d ideas' comment counts differ from a COUNT", confirmed, total, differ, counts),
		target:   "exactly equal", pass: confirmed == total && differ == 0 && counts == 0 && confirmed > 0})
	return nil
}

// soakVotes compares each member's last confirmed side on each idea with
// the vote stored, and the stored tallies with a count of the votes.
func (b *bench) soakVotes(ctx context.Context, run *soakRun, soakers []*soaker) error {
	var emails []string
	for _, s := range soakers {
		emails = append(emails, s.m.email)
	}
	stored, err := bigseed.Votes(ctx, b.pool, run.project.ID, emails)
	if err != nil {
		return err
	}
	pairs, differ, unsure := 0, 0, 0
	for _, s := range soakers {
		unsure += len(s.unsure)
		for id, side := range s.voted {
			if s.unsure[id] {
				continue
			}
			pairs++
			if stored[bigseed.StoredVote{Email: s.m.email, ProposalID: id}] != side {
				differ++
			}
		}
	}
	tallies, votes, err := bigseed.TallyMismatches(ctx, b.pool, run.project.ID)
	if err != nil {
		return err
	}
	b.add(row{name: "Soak: last confirmed vote against vote stored, and the tallies",
		measured: fmt.Sprintf("%d of %d member–idea pairs differ (%d unknown); %d ideas' tallies differ from a COUNT of %d votes",
			differ, pairs, unsure, tallies, votes),
		target: "exactly equal", pass: differ == 0 && unsure == 0 && tallies == 0 && pairs > 0})
	return nil
}

func soakOverall(t soakTally, elapsed time.Duration) loadResult {
	var all []time.Duration
	for k := range kinds {
		all = append(all, t.latencies[k]...)
	}
	r := percentiles(all, elapsed)
	r.errors = sum(t.serverErrs) + sum(t.transport) + sum(t.unexpected)
	r.firstError = t.firstError
	return r
}

func percentiles(latencies []time.Duration, elapsed time.Duration) loadResult {
	slices.Sort(latencies)
	r := loadResult{requests: len(latencies), rps: float64(len(latencies)) / elapsed.Seconds()}
	if len(latencies) > 0 {
		r.p50, r.p99 = latencies[len(latencies)/2], latencies[len(latencies)*99/100]
	}
	return r
}

func sum(counts [kinds]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// minutePeaks is the highest resident memory in each fifth of the soak.
func minutePeaks(samples []rssSample, d time.Duration) [soakMinutes]int64 {
	var peaks [soakMinutes]int64
	for _, s := range samples {
		i := min(int(s.at*soakMinutes/d), soakMinutes-1)
		peaks[i] = max(peaks[i], s.rss)
	}
	return peaks
}

// soakSection is the soak's part of bench-results.md: each kind of
// request, and the server's memory minute by minute.
func soakSection(t soakTally, elapsed time.Duration, peaks [soakMinutes]int64, d time.Duration) string {
	var md strings.Builder
	fmt.Fprintf(&md, "\n## Soak\n\n%d members of the busiest project, signed in through the form, sent requests back to back for %s "+
		"(the mix is in [performance.md](performance.md#soak)).\n\n", soakMembers, d)
	md.WriteString("| Request | Requests | Requests/s | p50 | p99 | 5xx | Other errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for k := range kinds {
		r := percentiles(t.latencies[k], elapsed)
		fmt.Fprintf(&md, "| %s | %d | %.1f | %s | %s | %d | %d |\n", kindNames[k], r.requests, r.rps, ms(r.p50), ms(r.p99),
			t.serverErrs[k], t.transport[k]+t.unexpected[k])
	}
	part := "Minute"
	if d != soakMinutes*time.Minute {
		part = fmt.Sprintf("Fifth (%s each)", d/soakMinutes)
	}
	fmt.Fprintf(&md, "\nThe server's resident memory, sampled every second:\n\n| %s | Peak resident memory |\n| ---: | ---: |\n", part)
	for i, p := range peaks {
		fmt.Fprintf(&md, "| %d | %d MB |\n", i+1, p>>20)
	}
	return md.String()
}
