package coproduce

import "time"

// FourRs is one member's role, remit, relationships and responsibility in a
// project (step 7), agreed with a lead and acknowledged by the member.
type FourRs struct {
	ProjectID      int64
	UserID         int64
	Name           string
	ProjectRole    ProjectRole
	Role           string
	Remit          string
	Relationships  string
	Responsibility string
	Version        int // 0 when not written yet
	UpdatedAt      time.Time
	// AcknowledgedVersion is the version the member acknowledged, 0 if none.
	AcknowledgedVersion int
	AcknowledgedAt      *time.Time
	// Recorded says who agreed them for the member, when a facilitator did.
	Recorded Recorded
}

// Written reports whether a lead has written the 4Rs yet.
func (f FourRs) Written() bool { return f.Version > 0 }

// Acknowledged reports whether the member acknowledged the current version.
func (f FourRs) Acknowledged() bool { return f.Written() && f.AcknowledgedVersion == f.Version }

// FourRsInput is what a lead writes for a member.
type FourRsInput struct {
	Role           string
	Remit          string
	Relationships  string
	Responsibility string
	BaseVersion    int
}

// Normalize trims the fields.
func (in *FourRsInput) Normalize() {
	in.Role, in.Remit = CleanText(in.Role), CleanText(in.Remit)
	in.Relationships, in.Responsibility = CleanText(in.Relationships), CleanText(in.Responsibility)
}

// Validate checks that each of the four is written.
func (in FourRsInput) Validate() error {
	var v ValidationError
	checkText(&v, "role", in.Role, 2000, true, "error.four_rs.role_required")
	checkText(&v, "remit", in.Remit, 2000, true, "error.four_rs.remit_required")
	checkText(&v, "relationships", in.Relationships, 2000, true, "error.four_rs.relationships_required")
	checkText(&v, "responsibility", in.Responsibility, 2000, true, "error.four_rs.responsibility_required")
	return v.Err()
}
