package coproduce

import "time"

// YourPart is one member's own part in a project, which the top of the
// project's page shows them: what waits for them, what happened to their
// ideas, their next meeting, their claims and who to contact.
type YourPart struct {
	// ToVote are open ideas by others the member has not voted on.
	ToVote []IdeaSummary
	// ToAnswer are meetings still to come the member has not replied to.
	ToAnswer []Meeting
	// Ideas are the member's own ideas, newest first, with their actions.
	Ideas []YourIdea
	// Next is the next meeting, or nil when none is arranged.
	Next *NextMeeting
	// Claims are the member's own claims, newest first.
	Claims []Claim
	// Leads are the names of the project's leads, other than the member.
	Leads []string
	// Recorded is what facilitators recorded for the member, still as
	// recorded.
	Recorded []RecordedForYou
	// Round is the open principles check round the member has not
	// answered, or nil; ToCheck the meetings they came to lately and have
	// not said how went, newest first.
	Round   *PrinciplesRound
	ToCheck []ToCheck
}

// YourIdea is an idea as its author follows it: the answer, and how each
// action on it is going.
type YourIdea struct {
	ID        int64
	Title     string
	Open      bool
	Withdrawn bool
	Response  Response
	CreatedAt time.Time
	Actions   []Action
}

// NextMeeting is the next meeting as one member sees it: their reply, and
// which of the needs they told the project the venue has arranged for.
type NextMeeting struct {
	Meeting
	Attending *bool
	// Arranged and NotArranged are need keys ("step_free", ...): the
	// venue's features that meet the member's needs, and those it lacks.
	Arranged, NotArranged []string
}

// venueNeeds are the needs a venue's features meet.
var venueNeeds = []string{"step_free", "hearing_loop", "accessible_toilet"}

// Arrangements splits the member's needs that a venue can meet into those
// the meeting has and those it lacks. An online-only meeting has no venue
// to arrange.
func Arrangements(m Meeting, needs []string) (arranged, missing []string) {
	if m.Venue == "" {
		return nil, nil
	}
	for _, n := range needs {
		for _, v := range venueNeeds {
			if n != v {
				continue
			}
			if venueLacks(m, n) {
				missing = append(missing, n)
			} else {
				arranged = append(arranged, n)
			}
		}
	}
	return arranged, missing
}

// WorkList is what waits for a project's leads and facilitators, beyond
// what the project page shows everyone (the actions past due).
type WorkList struct {
	// Ideas are lay partners' ideas waiting 21 days or more for an
	// answer, the oldest few first, and IdeasWaiting how many wait in all.
	Ideas        []WaitingIdea
	IdeasWaiting int
	// Claims are the submitted claims the viewer may decide.
	Claims []Claim
	// NotRead and NotAgreed name the members who have not read the latest
	// purpose statement, or agreed their latest 4Rs.
	NotRead, NotAgreed []string
	// Invitations are the pending invitations to join, soonest to expire
	// first.
	Invitations []Invitation
	// Access is the next meeting's needs the venue does not meet, or nil.
	Access *AccessGap
	// LatePapers are the meetings to come whose papers are late.
	LatePapers []LatePapers
}

// WaitingIdea is an idea waiting for an answer, with how many days.
type WaitingIdea struct {
	ID     int64
	Title  string
	Author string
	Days   int
}

// AnswerDue is how many days an idea may wait for an answer, and NearlyDue
// when a lead is first warned.
const (
	AnswerDue = 28
	NearlyDue = 21
)

// Overdue reports whether the idea has waited longer than AnswerDue days.
func (w WaitingIdea) Overdue() bool { return w.Days > AnswerDue }

// AccessGap is the next meeting's needs, among those who said they are
// coming, that its venue does not meet: how many people need each.
type AccessGap struct {
	Meeting Meeting
	Needs   []NeedCount
}

// NeedCount is how many people have a need.
type NeedCount struct {
	Need  string
	Count int
}

// Expiring reports whether a pending invitation ends within a week.
func (i Invitation) Expiring(now time.Time) bool {
	return i.Open() && i.ExpiresAt.Sub(now) < 7*24*time.Hour
}

// ProjectLead is one of a project's leads.
type ProjectLead struct {
	UserID int64
	Name   string
}

// OtherLeads are the names of the leads other than the viewer: those a
// member may contact.
func OtherLeads(leads []ProjectLead, viewerID int64) []string {
	var out []string
	for _, l := range leads {
		if l.UserID != viewerID {
			out = append(out, l.Name)
		}
	}
	return out
}
