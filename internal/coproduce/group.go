package coproduce

import "time"

// Affected says how a group is affected by the change.
type Affected string

// How a group can be affected.
const (
	AffectedDirectly   Affected = "direct"
	AffectedIndirectly Affected = "indirect"
)

// StakeholderGroup is a group of people the change will affect (step 1).
type StakeholderGroup struct {
	ID              int64
	ProjectID       int64
	Name            string
	Description     string
	Affected        Affected
	Reach           string
	Included        bool
	ExclusionReason string
	Version         int
	UpdatedAt       time.Time
}

// GroupInput is what a lead types about a group.
type GroupInput struct {
	Name            string
	Description     string
	Affected        Affected
	Reach           string
	Included        string // "yes" or "no", as posted
	ExclusionReason string
	BaseVersion     int
	// FormToken is the token of the form that adds it: the same form sent
	// twice adds one group.
	FormToken string
}

// Normalize trims the fields.
func (in *GroupInput) Normalize() {
	in.Name = OneLine(in.Name)
	in.Description = CleanText(in.Description)
	in.Reach = CleanText(in.Reach)
	in.ExclusionReason = CleanText(in.ExclusionReason)
	if in.Included == "yes" {
		in.ExclusionReason = ""
	}
}

// IsIncluded reports the inclusion choice.
func (in GroupInput) IsIncluded() bool { return in.Included == "yes" }

// Validate checks the group. A group left out needs the reason why.
func (in GroupInput) Validate() error {
	var v ValidationError
	checkLine(&v, "name", in.Name, 200, true, "error.group.name_required")
	checkText(&v, "description", in.Description, 2000, false, "")
	if in.Affected != AffectedDirectly && in.Affected != AffectedIndirectly {
		v.Add("affected", "error.group.affected_required")
	}
	checkText(&v, "reach", in.Reach, 2000, false, "")
	switch in.Included {
	case "yes":
	case "no":
		checkText(&v, "exclusion_reason", in.ExclusionReason, 2000, true, "error.group.reason_required")
	default:
		v.Add("included", "error.group.included_required")
	}
	return v.Err()
}
