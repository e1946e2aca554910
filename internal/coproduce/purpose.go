package coproduce

import "time"

// Purpose is one version of a project's purpose statement (step 3): what
// the project is for and what taking part means, honestly stated.
type Purpose struct {
	ProjectID        int64
	Version          int
	Purpose          string
	Expectations     string
	Fixed            string
	OpenToChange     string
	ContributionsUse string
	ExpensesPolicy   string
	CreatedByName    string
	CreatedAt        time.Time
}

// PurposeInput is a new version of the purpose statement, written from
// the version the editor saw (0 for the first).
type PurposeInput struct {
	Purpose          string
	Expectations     string
	Fixed            string
	OpenToChange     string
	ContributionsUse string
	ExpensesPolicy   string
	BaseVersion      int
	// FormToken is the token of the form that saves it: the same form sent
	// twice saves one version.
	FormToken string
}

// Normalize trims the fields.
func (in *PurposeInput) Normalize() {
	for _, f := range []*string{&in.Purpose, &in.Expectations, &in.Fixed, &in.OpenToChange, &in.ContributionsUse, &in.ExpensesPolicy} {
		*f = CleanText(*f)
	}
}

// Validate checks the statement. The purpose itself is required; the rest
// may be filled in over time.
func (in PurposeInput) Validate() error {
	var v ValidationError
	checkText(&v, "purpose", in.Purpose, 5000, true, "error.purpose.required")
	checkText(&v, "expectations", in.Expectations, 5000, false, "")
	checkText(&v, "fixed", in.Fixed, 5000, false, "")
	checkText(&v, "open_to_change", in.OpenToChange, 5000, false, "")
	checkText(&v, "contributions_use", in.ContributionsUse, 5000, false, "")
	checkText(&v, "expenses_policy", in.ExpensesPolicy, 5000, false, "")
	return v.Err()
}

// Acknowledgement is whether a member has acknowledged something current:
// the purpose statement, or their 4Rs.
type Acknowledgement struct {
	UserID         int64
	Name           string
	Role           ProjectRole
	AcknowledgedAt *time.Time
	// Recorded is set when a facilitator recorded the reading for them.
	Recorded Recorded
}

// AckCounts is who still has to read the purpose statement and confirm
// their 4Rs, for the project page's prompts.
type AckCounts struct {
	NotReadPurpose         int
	YouNeedToReadPurpose   bool
	NotConfirmedFourRs     int
	YouNeedToConfirmFourRs bool
}
