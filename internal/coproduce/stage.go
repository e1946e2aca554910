package coproduce

import "time"

// Step is one of the seven steps of the engagement model, numbered 1 to 7.
type Step int

// The seven steps, in order.
const (
	StepIdentify Step = iota + 1
	StepSelect
	StepBeClear
	StepChoose
	StepSupport
	StepBuild
	StepUnderstand
)

// Steps lists the seven steps in order.
var Steps = []Step{StepIdentify, StepSelect, StepBeClear, StepChoose, StepSupport, StepBuild, StepUnderstand}

var stepSlugs = map[Step]string{
	StepIdentify:   "identify",
	StepSelect:     "select",
	StepBeClear:    "be-clear",
	StepChoose:     "choose",
	StepSupport:    "support",
	StepBuild:      "build",
	StepUnderstand: "understand",
}

// Slug is the step's name in URLs, such as "be-clear".
func (s Step) Slug() string { return stepSlugs[s] }

// Valid reports whether s is one of the seven steps.
func (s Step) Valid() bool { return s >= StepIdentify && s <= StepUnderstand }

// StepBySlug finds a step by its URL name.
func StepBySlug(slug string) (Step, bool) {
	for s, v := range stepSlugs {
		if v == slug {
			return s, true
		}
	}
	return 0, false
}

// StageStatus is how far a step has got.
type StageStatus string

// The stage statuses.
const (
	StageNotStarted StageStatus = "not_started"
	StageInProgress StageStatus = "in_progress"
	StageComplete   StageStatus = "complete"
)

// Stage is a project's record of one step.
type Stage struct {
	ProjectID int64
	Step      Step
	Status    StageStatus
	// Provisional marks a step completed by a lead while the project had no
	// lay partner: it waits for a lay partner to co-sign it.
	Provisional bool
	Notes       string
	Version     int
	UpdatedAt   time.Time
	SignOffs    []SignOff
}

// SignOff is one person's sign-off of a step.
type SignOff struct {
	UserID   int64
	Name     string
	Role     ProjectRole
	SignedAt time.Time
	// InvitedByID and InvitedBy are who invited or added the signer into
	// the project (0 and "" for its creator, or when not recorded), and
	// JoinedAt when; so that a sign-off by someone the other signer
	// brought in shows as such.
	InvitedByID int64
	InvitedBy   string
	JoinedAt    *time.Time
	// Recorded is set when a facilitator recorded the sign-off for the
	// signer, at a meeting or after talking to them.
	Recorded Recorded
}

// InvitedByCoSigner reports whether so's signer was brought into the
// project, on the day they signed, by someone else who signed the step: a
// lead co-signing with a partner they invited that same day.
func (s Stage) InvitedByCoSigner(so SignOff) bool {
	if so.InvitedByID == 0 || so.JoinedAt == nil {
		return false
	}
	day := func(t time.Time) string { return t.In(UK).Format("2006-01-02") }
	return s.SignedBy(so.InvitedByID) && day(*so.JoinedAt) == day(so.SignedAt)
}

// SignedBy reports whether the user has signed the step off.
func (s Stage) SignedBy(userID int64) bool {
	for _, so := range s.SignOffs {
		if so.UserID == userID {
			return true
		}
	}
	return false
}

// HasSignOff reports whether someone in the role has signed the step off.
func (s Stage) HasSignOff(role ProjectRole) bool {
	for _, so := range s.SignOffs {
		if so.Role == role {
			return true
		}
	}
	return false
}

// Waiting says what the step needs next, as a message id, or "" when it
// needs nothing.
func (s Stage) Waiting() string {
	switch {
	case s.Status == StageNotStarted:
		return "waiting.start"
	case s.Status == StageComplete && s.Provisional:
		return "waiting.co_sign_provisional"
	case s.Status == StageComplete:
		return ""
	case !s.HasSignOff(RoleLead):
		return "waiting.lead_sign_off"
	default:
		return "waiting.lay_sign_off"
	}
}

// CanSignOff reports whether this member may sign the step off now: a lead
// or a lay partner who has not signed yet, while the step is in progress,
// or a lay partner co-signing a provisional step.
func (s Stage) CanSignOff(a Access) bool {
	if s.SignedBy(a.User.ID) {
		return false
	}
	switch a.Role {
	case RoleLead:
		return s.Status == StageInProgress
	case RoleLayPartner:
		return s.Status == StageInProgress || (s.Status == StageComplete && s.Provisional)
	}
	return false
}

// NotesInput is a change to a step's free-text notes, made from the
// version the editor saw.
type NotesInput struct {
	Notes       string
	BaseVersion int
}

// MaxNotesLength caps a step's notes.
const MaxNotesLength = 20000

// Validate checks the notes.
func (in NotesInput) Validate() error {
	var v ValidationError
	checkText(&v, "notes", in.Notes, MaxNotesLength, false, "")
	return v.Err()
}
