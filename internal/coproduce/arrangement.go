package coproduce

import (
	"slices"
	"time"
)

// MaxArrangementNote caps what an organiser writes of an arrangement.
const MaxArrangementNote = 300

// Arrangement is what the organisers booked for one person for one
// meeting, beyond what the venue has: the needs they have arranged
// ("bsl_interpreter") and anything else, in words the person reads in
// their reminder ("A taxi will collect you from home at 1:15pm").
type Arrangement struct {
	MeetingID, UserID int64
	Needs             []string
	Note              string
	ByName            string
	At                time.Time
}

// Empty reports whether nothing is arranged.
func (a Arrangement) Empty() bool { return len(a.Needs) == 0 && a.Note == "" }

// Has reports whether need is arranged.
func (a Arrangement) Has(need string) bool { return slices.Contains(a.Needs, need) }

// BookableNeeds are the person's needs that the organisers book for a
// meeting rather than the venue providing them: an interpreter, large
// print, breaks, and a venue feature the venue lacks (a portable hearing
// loop), in the order they are asked.
func BookableNeeds(m Meeting, p SupportProfile) []string {
	var out []string
	for _, n := range p.Needs() {
		if !oneOf(n, venueNeeds) || venueLacks(m, n) {
			out = append(out, n)
		}
	}
	return out
}

// Normalize cleans the note and drops a need posted twice.
func (a *Arrangement) Normalize() {
	a.Note = CleanText(a.Note)
	var needs []string
	for _, n := range a.Needs {
		if !slices.Contains(needs, n) {
			needs = append(needs, n)
		}
	}
	a.Needs = needs
}

// Validate checks an arrangement against the needs the person told the
// project that the meeting's venue does not meet: only those can be
// ticked as arranged.
func (a Arrangement) Validate(m Meeting, p SupportProfile) error {
	var v ValidationError
	bookable := BookableNeeds(m, p)
	for _, n := range a.Needs {
		if !oneOf(n, bookable) {
			v.Add("needs", "error.arrangement.need_unknown")
			break
		}
	}
	checkText(&v, "note", a.Note, MaxArrangementNote, false, "")
	return v.Err()
}
