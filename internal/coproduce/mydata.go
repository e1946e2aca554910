package coproduce

import "time"

// PersonalData is everything held about one person, for them to download
// (UK GDPR right of access). Its JSON shape is documented in
// docs/personal-data.md.
type PersonalData struct {
	GeneratedAt time.Time     `json:"generated_at"`
	Account     DataAccount   `json:"account"`
	Memberships []DataMember  `json:"memberships"`
	Support     []DataSupport `json:"support_needs"`
	Proposals   []DataText    `json:"proposals"`
	Comments    []DataText    `json:"comments"`
	Votes       []DataVote    `json:"votes"`
	Claims      []DataClaim   `json:"claims"`
	Acknowledge []DataAck     `json:"acknowledgements"`
	Updates     []DataText    `json:"updates"`
	// From the Evaluate section: the outcomes they suggested, what they
	// thought of outcomes, the readings they added (figure or story, with
	// where it came from) and their notes on readiness checks they
	// answered as a lead.
	Outcomes     []DataText `json:"outcomes"`
	OutcomeViews []DataVote `json:"outcome_views"`
	Readings     []DataText `json:"outcome_readings"`
	Readiness    []DataText `json:"readiness_notes"`
	// Principles and MeetingChecks are the person's own answers to the
	// principles check and to the checks after meetings.
	Principles    []DataPrinciples   `json:"principles_check"`
	MeetingChecks []DataMeetingCheck `json:"meeting_checks"`
	// Arranged is what organisers booked for them for each meeting.
	Arranged []DataArranged `json:"arrangements"`
}

// DataArranged is what was arranged for the person for one meeting.
type DataArranged struct {
	Project string    `json:"project"`
	Meeting string    `json:"meeting"`
	Needs   []string  `json:"needs"`
	Note    string    `json:"note"`
	At      time.Time `json:"updated_at"`
}

// DataSupport is what the person told one project they need; Project is
// empty for needs given before they were kept per project and not yet
// placed in one.
type DataSupport struct {
	Project string `json:"project"`
	SupportProfile
}

// DataAccount is the account itself (never the password hash).
type DataAccount struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	// Notify is how they hear of each kind of update (NewsKinds).
	Notify    map[NewsKind]Notify `json:"notifications"`
	CreatedAt time.Time           `json:"created_at"`
}

// DataMember is one project membership.
type DataMember struct {
	Project       string    `json:"project"`
	Role          string    `json:"role"`
	PaymentLevel  int       `json:"payment_level"`
	PaymentChoice string    `json:"payment_choice"`
	JoinedAt      time.Time `json:"joined_at"`
	// How the project reaches them (email, phone, post or in person), with
	// the phone number and postal address they gave, if any.
	ContactWay    string `json:"contact_way"`
	Phone         string `json:"phone,omitempty"`
	PostalAddress string `json:"postal_address,omitempty"`
}

// DataText is something the person wrote.
type DataText struct {
	Project   string    `json:"project"`
	Title     string    `json:"title,omitempty"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// DataVote is one vote.
type DataVote struct {
	Project  string `json:"project"`
	Proposal string `json:"proposal"`
	Choice   string `json:"choice"`
	Reason   string `json:"reason"`
}

// DataClaim is one expense or payment.
type DataClaim struct {
	Project     string `json:"project"`
	Category    string `json:"category"`
	Date        string `json:"date"`
	AmountPence int    `json:"amount_pence"`
	Status      string `json:"status"`
	Description string `json:"description"`
	HasReceipt  bool   `json:"has_receipt"`
}

// DataAck is something the person confirmed they read.
type DataAck struct {
	Project string    `json:"project"`
	What    string    `json:"what"`
	At      time.Time `json:"at"`
}
