package coproduce

import (
	"context"
	"time"
)

// RecordHow is how a member told the facilitator who recorded something for
// them (the column recorded_how).
type RecordHow string

// The ways a member can tell someone what to record for them.
const (
	HowPhone    RecordHow = "phone"
	HowInPerson RecordHow = "in_person"
	HowPost     RecordHow = "post"
	HowMeeting  RecordHow = "meeting"
)

// RecordHows lists the ways in the order they are offered.
var RecordHows = []RecordHow{HowPhone, HowInPerson, HowPost, HowMeeting}

// Valid reports whether h is one of the ways.
func (h RecordHow) Valid() bool {
	for _, x := range RecordHows {
		if h == x {
			return true
		}
	}
	return false
}

// OnBehalf is a request a facilitator or lead makes for a member, with the
// member's agreement: what it writes belongs to the member (For), and the
// rows it writes name the recorder (By) and how the member told them.
type OnBehalf struct {
	By  *User
	For *User
	How RecordHow
}

// CanRecordFor reports whether the person with access a may record things
// for a member with role forRole in the same project: leads and
// facilitators may, for any other member, never for themselves.
func (a Access) CanRecordFor(forUserID int64, forRole ProjectRole) bool {
	return a.CanFacilitate() && forRole != "" && a.User != nil && a.User.ID != forUserID
}

type onBehalfKey struct{}

// WithOnBehalf marks a request's context as recording for someone; the
// storage layer writes the recorder into each row it makes and audits it.
func WithOnBehalf(ctx context.Context, o OnBehalf) context.Context {
	return context.WithValue(ctx, onBehalfKey{}, o)
}

// OnBehalfFrom returns the recording the context carries, if any.
func OnBehalfFrom(ctx context.Context) (OnBehalf, bool) {
	o, ok := ctx.Value(onBehalfKey{}).(OnBehalf)
	return o, ok && o.By != nil && o.For != nil
}

// Recorded says that a row was entered by someone else for its owner: who
// entered it, how the owner told them, and when. The zero value is a
// person's own entry.
type Recorded struct {
	ByName string
	How    RecordHow
	At     time.Time
}

// Proxy reports whether the row was recorded on someone's behalf.
func (r Recorded) Proxy() bool { return r.How != "" }

// RecordedForYou is one thing recorded for a person, for the list they see
// when they next sign in.
type RecordedForYou struct {
	// Kind is the thing: "idea", "comment", "vote", "meeting_reply",
	// "purpose_read", "four_rs", "support", "claim" or "sign_off".
	Kind      string
	ProjectID int64
	// RefID is what it is about: the idea (for ideas, comments and votes),
	// the meeting, the claim, or the step's number.
	RefID int64
	// Title names it: the idea's or the meeting's title, the claim's
	// category; empty for the others.
	Title string
	Recorded
}
