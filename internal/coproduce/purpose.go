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
	// The Welsh versions of each part, empty where not written.
	PurposeCy          string
	ExpectationsCy     string
	FixedCy            string
	OpenToChangeCy     string
	ContributionsUseCy string
	ExpensesPolicyCy   string
	CreatedByName      string
	CreatedAt          time.Time
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
	// The Welsh versions of each part.
	PurposeCy          string
	ExpectationsCy     string
	FixedCy            string
	OpenToChangeCy     string
	ContributionsUseCy string
	ExpensesPolicyCy   string
	// Bilingual is the project's setting: each part written in one
	// language must then be written in the other too.
	Bilingual   bool
	BaseVersion int
	// FormToken is the token of the form that saves it: the same form sent
	// twice saves one version.
	FormToken string
}

// PurposeFields names the parts of the statement, in reading order. A
// part's Welsh version is named with "_cy" after it.
var PurposeFields = []string{"purpose", "expectations", "fixed", "open_to_change", "contributions_use", "expenses_policy"}

// purposeParts are the parts of a statement in PurposeFields' order, each
// in English and in Welsh.
func purposeParts(en, cy [6]*string) [][2]*string {
	out := make([][2]*string, len(en))
	for i := range en {
		out[i] = [2]*string{en[i], cy[i]}
	}
	return out
}

func (p *Purpose) parts() [][2]*string {
	return purposeParts(
		[6]*string{&p.Purpose, &p.Expectations, &p.Fixed, &p.OpenToChange, &p.ContributionsUse, &p.ExpensesPolicy},
		[6]*string{&p.PurposeCy, &p.ExpectationsCy, &p.FixedCy, &p.OpenToChangeCy, &p.ContributionsUseCy, &p.ExpensesPolicyCy})
}

func (in *PurposeInput) parts() [][2]*string {
	return purposeParts(
		[6]*string{&in.Purpose, &in.Expectations, &in.Fixed, &in.OpenToChange, &in.ContributionsUse, &in.ExpensesPolicy},
		[6]*string{&in.PurposeCy, &in.ExpectationsCy, &in.FixedCy, &in.OpenToChangeCy, &in.ContributionsUseCy, &in.ExpensesPolicyCy})
}

// Part returns one part of the statement (a name from PurposeFields) in
// English and in Welsh.
func (p Purpose) Part(field string) (en, cy string) {
	for i, f := range PurposeFields {
		if f == field {
			pp := p.parts()[i]
			return *pp[0], *pp[1]
		}
	}
	return "", ""
}

// Bilingual reports whether every part written is written in both
// languages, with the purpose itself: what a bilingual project publishes.
func (p Purpose) Bilingual() bool {
	for _, pp := range p.parts() {
		if (*pp[0] == "") != (*pp[1] == "") {
			return false
		}
	}
	return p.Purpose != ""
}

// Normalize trims the fields.
func (in *PurposeInput) Normalize() {
	for _, pp := range in.parts() {
		*pp[0], *pp[1] = CleanText(*pp[0]), CleanText(*pp[1])
	}
}

// Validate checks the statement. The purpose itself is required, in
// English or in Welsh (in both for a bilingual project); the rest may be
// filled in over time.
func (in PurposeInput) Validate() error {
	var v ValidationError
	for i, pp := range in.parts() {
		field := PurposeFields[i]
		checkText(&v, field, *pp[0], 5000, false, "")
		checkText(&v, field+"_cy", *pp[1], 5000, false, "")
		if in.Bilingual {
			bothOrNeither(&v, field, *pp[0], field+"_cy", *pp[1])
		}
	}
	if in.Purpose == "" && in.PurposeCy == "" && v.For("purpose") == "" && v.For("purpose_cy") == "" {
		v.Fields = append([]FieldError{{Field: "purpose", Message: "error.purpose.required"}}, v.Fields...)
	}
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
