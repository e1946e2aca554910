package coproduce

import "time"

// InvitationStatus is where an invitation stands.
type InvitationStatus string

// The invitation statuses. Expired is worked out from the expiry time.
const (
	InvitationPending   InvitationStatus = "pending"
	InvitationAccepted  InvitationStatus = "accepted"
	InvitationDeclined  InvitationStatus = "declined"
	InvitationExpired   InvitationStatus = "expired"
	InvitationWithdrawn InvitationStatus = "withdrawn"
)

// InvitationLifetime is how long an invitation link works.
const InvitationLifetime = 14 * 24 * time.Hour

// SignInLinkLifetime is how long a one-time sign-in link works.
const SignInLinkLifetime = 15 * time.Minute

// Invitation asks one person to join a project (step 2).
type Invitation struct {
	ID        int64
	ProjectID int64
	Name      string
	Email     string
	GroupID   int64 // 0 when not from an identified group
	GroupName string
	Role      ProjectRole
	Message   string
	Status    InvitationStatus
	ExpiresAt time.Time
	CreatedBy string
	CreatedAt time.Time
	// AcceptedBy names the facilitator who recorded the person's yes,
	// given by phone (AcceptedWay), on RespondedAt; "" when the person
	// answered themself.
	AcceptedBy  string
	AcceptedWay ContactWay
	RespondedAt *time.Time
}

// Open reports whether the invitation can still be accepted.
func (i Invitation) Open() bool { return i.Status == InvitationPending }

// InvitationInput is what a lead fills in to invite someone.
type InvitationInput struct {
	Name    string
	Email   string
	GroupID int64
	Role    ProjectRole
	Message string
	// FormToken is the token of the form that sends it: the same form sent
	// twice sends one invitation.
	FormToken string
}

// Normalize trims the fields.
func (in *InvitationInput) Normalize() {
	in.Name = OneLine(in.Name)
	in.Email = OneLine(in.Email)
	in.Message = CleanText(in.Message)
}

// Validate checks the invitation.
func (in InvitationInput) Validate() error {
	var v ValidationError
	checkName(&v, "name", in.Name)
	checkEmail(&v, "email", in.Email)
	if !in.Role.Valid() {
		v.Add("role", "error.project_role.invalid")
	}
	checkText(&v, "message", in.Message, 2000, false, "")
	return v.Err()
}

// GroupCoverage counts the invitations and acceptances from one group.
type GroupCoverage struct {
	GroupID  int64
	Name     string
	Included bool
	Invited  int
	Accepted int
}
