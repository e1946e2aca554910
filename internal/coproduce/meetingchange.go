package coproduce

import "errors"

var (
	// ErrMeetingStarted means a meeting that has started (or finished) was
	// to be edited or cancelled: what happened is recorded, not moved.
	ErrMeetingStarted = errors.New("the meeting has started")
	// ErrMeetingCancelled means a cancelled meeting was to be changed,
	// replied to or have its attendance recorded.
	ErrMeetingCancelled = errors.New("the meeting is cancelled")
)

// Audit actions of a meeting's later life.
const (
	AuditMeetingUpdate = "meeting.update"
	AuditMeetingCancel = "meeting.cancel"
	AuditClaimDraft    = "claim.draft"
	AuditClaimSend     = "claim.send"
)

func init() {
	AuditActions = append(AuditActions, AuditMeetingUpdate, AuditMeetingCancel, AuditClaimDraft, AuditClaimSend)
}

// MaxCancelReason is the longest reason for cancelling a meeting.
const MaxCancelReason = 1000

// CheckCancelReason checks the optional reason given for cancelling.
func CheckCancelReason(reason string) error {
	var v ValidationError
	checkText(&v, "reason", reason, MaxCancelReason, false, "")
	return v.Err()
}

// Moved reports whether the meeting's time changed from before to m: a
// reminder is due again, and the news says when it is now.
func (m Meeting) Moved(before Meeting) bool {
	return !m.StartsAt.Equal(before.StartsAt) || !m.EndsAt.Equal(before.EndsAt)
}

// ReminderArrangements sorts a person's needs for their reminder of a
// meeting: what has been arranged for them (the venue's step-free access,
// hearing loop and accessible toilet, and what the organisers booked: a),
// what the venue lacks and nobody has booked, and the other needs nobody
// has said are arranged (an interpreter, large print, ...), for them to
// check with the organisers.
// All are need keys ("step_free"). They are theirs alone: only their own
// reminder carries them.
func ReminderArrangements(m Meeting, p SupportProfile, a Arrangement) (arranged, missing, toCheck []string) {
	arranged, lacking := Arrangements(m, p.Needs())
	for _, n := range BookableNeeds(m, p) {
		switch {
		case a.Has(n):
			arranged = append(arranged, n)
		case oneOf(n, lacking):
			missing = append(missing, n)
		default:
			toCheck = append(toCheck, n)
		}
	}
	return arranged, missing, toCheck
}
