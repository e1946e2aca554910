package coproduce

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Pence is an exact amount of money.
type Pence int

// String writes the amount as pounds: £12.05.
func (p Pence) String() string { return fmt.Sprintf("£%d.%02d", int(p)/100, int(p)%100) }

// ParsePounds reads "12", "12.5" or "£12.05" exactly, without floating
// point. ok is false for anything else, or negative amounts.
func ParsePounds(s string) (Pence, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "£")
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 7 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, false
	}
	w, err := strconv.Atoi(whole)
	if err != nil || w < 0 || strings.ContainsAny(whole, "+-") {
		return 0, false
	}
	f := 0
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		if f, err = strconv.Atoi(frac); err != nil || strings.ContainsAny(frac, "+-") {
			return 0, false
		}
	}
	return Pence(w*100 + f), true
}

// Category is what a claim is for.
type Category string

// The claim categories: expenses (paid back at cost or by the mile) and
// involvement payments (for time, and taxable).
const (
	MileageCar       Category = "mileage_car"
	MileagePassenger Category = "mileage_passenger"
	MileageBicycle   Category = "mileage_bicycle"
	PublicTransport  Category = "public_transport"
	Parking          Category = "parking"
	CarerCosts       Category = "carer"
	OtherExpense     Category = "other"
	PaymentShort     Category = "payment_short"
	PaymentLong      Category = "payment_long"
)

// ExpenseCategories are the ones a member claims themselves.
var ExpenseCategories = []Category{MileageCar, MileagePassenger, MileageBicycle, PublicTransport, Parking, CarerCosts, OtherExpense}

// RateKeys are the rates an administrator keeps.
var RateKeys = []Category{MileageCar, MileagePassenger, MileageBicycle, PaymentShort, PaymentLong}

// ByMile reports whether the category is paid by the mile from a rate.
func (c Category) ByMile() bool {
	return c == MileageCar || c == MileagePassenger || c == MileageBicycle
}

// Taxable reports whether HMRC treats the item as income: involvement
// payments are; expenses paid back at cost are not.
func (c Category) Taxable() bool { return c == PaymentShort || c == PaymentLong }

// ClaimStatus is where a claim is.
type ClaimStatus string

// The claim statuses.
const (
	ClaimSubmitted ClaimStatus = "submitted"
	ClaimApproved  ClaimStatus = "approved"
	ClaimRejected  ClaimStatus = "rejected"
	ClaimExported  ClaimStatus = "exported"
)

// ClaimStatuses lists the statuses in the order a claim moves through them.
var ClaimStatuses = []ClaimStatus{ClaimSubmitted, ClaimApproved, ClaimExported, ClaimRejected}

// MaxClaim caps one claim: £1,000 (anything bigger goes to finance directly).
const MaxClaim Pence = 100000

// Claim is an expense or an involvement payment.
type Claim struct {
	ID          int64
	ProjectID   int64
	UserID      int64
	UserName    string
	Category    Category
	IncurredOn  time.Time
	Miles       int
	Amount      Pence
	Description string
	MeetingID   int64
	MeetingName string
	HasReceipt  bool
	Status      ClaimStatus
	Reason      string
	DecidedBy   string
	// Recorded is set when a facilitator entered the claim for the
	// claimant.
	Recorded Recorded
	// ProjectTitle is filled when claims are listed across projects, and
	// for the news of a decision; ProjectTitleCy is its Welsh title, empty
	// until written, so that news names the project in its reader's
	// language.
	ProjectTitle, ProjectTitleCy string
	// CanDecide says whether the person reading may approve or reject
	// the claim (see Store.ProjectClaims).
	CanDecide bool
}

// Approver is an account an administrator named to approve staff expense
// claims for the organisation.
type Approver struct {
	UserID  int64
	Name    string
	Email   string
	NamedAt time.Time
}

// FinanceExport is one export of approved claims for finance, kept with
// its file so that it can be downloaded again.
type FinanceExport struct {
	ID        int64
	CreatedAt time.Time
	CreatedBy string
	Items     int
	// File is the CSV as it was first written (empty in lists).
	File string
}

// ClaimInput is what a member types.
type ClaimInput struct {
	Category    Category
	IncurredOn  string
	Miles       string
	Amount      string
	Description string
	MeetingID   int64
}

// Validate checks a claim against today and the mileage rates, and returns
// the date and the exact amount: by the mile from the rate, else as typed.
func (in ClaimInput) Validate(today time.Time, rates map[Category]Pence) (time.Time, int, Pence, error) {
	var v ValidationError
	if !oneOf(in.Category, ExpenseCategories) {
		v.Add("category", "error.claim.category_required")
	}
	day, err := time.Parse("2006-01-02", in.IncurredOn)
	switch {
	case err != nil:
		v.Add("incurred_on", "error.claim.date_invalid")
	case day.After(today):
		v.Add("incurred_on", "error.claim.date_future")
	case today.Sub(day) > 366*24*time.Hour:
		v.Add("incurred_on", "error.claim.date_old")
	}
	var miles int
	var amount Pence
	if in.Category.ByMile() {
		miles, err = strconv.Atoi(strings.TrimSpace(in.Miles))
		if err != nil || miles < 1 || miles > 1000 {
			v.Add("miles", "error.claim.miles_invalid")
		}
		amount = Pence(miles) * rates[in.Category]
	} else {
		var ok bool
		amount, ok = ParsePounds(in.Amount)
		if !ok || amount <= 0 || amount > MaxClaim {
			v.Add("amount", "error.claim.amount_invalid")
		}
	}
	checkText(&v, "description", in.Description, 1000, in.Category == OtherExpense, "error.claim.description_required")
	return day, miles, amount, v.Err()
}

// PaymentChoice is a member's decision about involvement payments.
type PaymentChoice string

// The choices.
const (
	PaymentUndecided PaymentChoice = "undecided"
	PaymentAccept    PaymentChoice = "accept"
	PaymentDecline   PaymentChoice = "decline"
)

// PaidLevel reports whether a payment level is paid for time: levels 3
// and 4 in NHS England's policy; 1 and 2 get expenses only.
func PaidLevel(level int) bool { return level >= 3 }

// PaymentPlan is a member's payment level and choice.
type PaymentPlan struct {
	UserID int64
	Name   string
	Role   ProjectRole
	Level  int
	Choice PaymentChoice
}

// ClaimDraft is a claim started for someone (their travel to a meeting
// they were recorded at), waiting for them or a facilitator to fill in
// and send. Nobody decides it until it is sent.
const ClaimDraft ClaimStatus = "draft"
