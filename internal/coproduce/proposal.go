package coproduce

import (
	"time"
)

// Proposal is an idea for change, or a ground rule for working together,
// put to the project (step 6).
type Proposal struct {
	ID          int64
	ProjectID   int64
	AuthorID    int64
	AuthorName  string
	AuthorRole  ProjectRole
	Title       string
	Body        string
	GroundRule  bool
	Open        bool
	Response    Response
	Rationale   string
	RespondedBy string
	RespondedAt *time.Time
	CreatedAt   time.Time
	Tally       Tally
	Comments    int
	// Withdrawn is set when the author withdrew the idea before it was
	// answered, WithdrawnAt when, and WithdrawnReason why (may be empty).
	Withdrawn       bool
	WithdrawnAt     *time.Time
	WithdrawnReason string
	// Recorded is set when a facilitator recorded the idea for its author.
	Recorded Recorded
}

// CanWithdraw reports whether userID may withdraw the idea: only its
// author, and only while it waits for an answer.
func (p Proposal) CanWithdraw(userID int64) bool {
	return p.Open && p.AuthorID != 0 && p.AuthorID == userID
}

// IdeaSummary is an idea as a list shows it: title, answer and its stored
// counts. Votes are counted support, neutral, object, in that order.
type IdeaSummary struct {
	ID         int64
	ProjectID  int64
	Title      string
	Open       bool
	Response   Response
	Withdrawn  bool
	Comments   int
	Lay, Staff [3]int
	CreatedAt  time.Time
}

// AwaitingAnswer reports whether a lay partner's proposal has waited too
// long for an answer (28 days).
func (p Proposal) AwaitingAnswer(now time.Time) bool {
	return p.Open && p.AuthorRole == RoleLayPartner && now.Sub(p.CreatedAt) > 28*24*time.Hour
}

// ProposalInput is a new proposal.
type ProposalInput struct {
	Title      string
	Body       string
	GroundRule bool
	// FormToken is the token of the form that sent it: the same form sent
	// twice makes one proposal.
	FormToken string
}

// Normalize trims the fields.
func (in *ProposalInput) Normalize() {
	in.Title = OneLine(in.Title)
	in.Body = CleanText(in.Body)
}

// Validate checks the proposal.
func (in ProposalInput) Validate() error {
	var v ValidationError
	checkLine(&v, "title", in.Title, 200, true, "error.proposal.title_required")
	checkText(&v, "body", in.Body, 10000, true, "error.proposal.body_required")
	return v.Err()
}

// Response is how a proposal was answered.
type Response string

// The responses.
const (
	Adopted    Response = "adopted"
	Adapted    Response = "adapted"
	NotAdopted Response = "not_adopted"
)

// Responses lists the answers in the order they are offered.
var Responses = []Response{Adopted, Adapted, NotAdopted}

// ResponseInput closes a proposal with an answer.
type ResponseInput struct {
	Response  Response
	Rationale string
}

// Validate checks the answer: "not adopted" must say why.
func (in ResponseInput) Validate() error {
	var v ValidationError
	if !oneOf(in.Response, Responses) {
		v.Add("response", "error.response.required")
	}
	checkText(&v, "rationale", in.Rationale, 5000, in.Response == NotAdopted, "error.response.rationale_required")
	return v.Err()
}

// ValidateRevision checks a changed answer to an idea answered as current
// with rationale: as a first answer, and it must change something.
func (in ResponseInput) ValidateRevision(current Response, rationale string) error {
	if err := in.Validate(); err != nil {
		return err
	}
	if in.Response == current && in.Rationale == rationale {
		var v ValidationError
		v.Add("response", "error.answer_change.unchanged")
		return v.Err()
	}
	return nil
}

// AnswerChange is one change of an idea's answer: who changed it and when,
// and the answer it had before (Was, with its reason).
type AnswerChange struct {
	At           time.Time
	By           string
	Was          Response
	WasRationale string
}

// ValidateWithdrawReason checks the author's reason for withdrawing an
// idea, which they may leave out. Its field is withdraw_reason, so that it
// is not taken for the vote's reason on the same page.
func ValidateWithdrawReason(reason string) error {
	var v ValidationError
	checkText(&v, "withdraw_reason", reason, 2000, false, "")
	return v.Err()
}

// Choice is a vote.
type Choice string

// The choices.
const (
	Support Choice = "support"
	Neutral Choice = "neutral"
	Object  Choice = "object"
)

// Choices lists the choices in the order they are offered.
var Choices = []Choice{Support, Neutral, Object}

// ValidChoice reports whether c is a choice.
func ValidChoice(c Choice) bool { return oneOf(c, Choices) }

// MaxVoteReason caps a vote's reason.
const MaxVoteReason = 1000

// Tally counts votes by choice, for lay partners and for staff separately,
// so everyone can see whether partners and professionals agree.
type Tally struct {
	Lay   map[Choice]int `json:"lay_partners"`
	Staff map[Choice]int `json:"staff"`
}

// NewTally returns an empty tally.
func NewTally() Tally { return Tally{Lay: map[Choice]int{}, Staff: map[Choice]int{}} }

// Add counts one vote from a member in role.
func (t Tally) Add(role ProjectRole, c Choice, n int) {
	if role == RoleLayPartner {
		t.Lay[c] += n
	} else {
		t.Staff[c] += n
	}
}

// Total is the number of votes.
func (t Tally) Total() int {
	n := 0
	for _, c := range Choices {
		n += t.Lay[c] + t.Staff[c]
	}
	return n
}

// Comment is a plain-text contribution to a proposal's discussion.
type Comment struct {
	ID           int64
	ProposalID   int64
	AuthorID     int64
	AuthorName   string
	AuthorRole   ProjectRole
	ParentID     int64
	Body         string
	CreatedAt    time.Time
	EditedAt     *time.Time
	HiddenReason string
	Hidden       bool
	Replies      []Comment
	// Recorded is set when a facilitator recorded the comment for its
	// author.
	Recorded Recorded
}

// CommentEditWindow is how long an author may edit their comment.
const CommentEditWindow = 15 * time.Minute

// Editable reports whether userID may still edit the comment.
func (c Comment) Editable(userID int64, now time.Time) bool {
	return !c.Hidden && c.AuthorID == userID && now.Sub(c.CreatedAt) < CommentEditWindow
}

// MaxCommentLength caps a comment.
const MaxCommentLength = 5000

// ValidateComment checks a comment's text.
func ValidateComment(body string) error {
	var v ValidationError
	checkText(&v, "body", body, MaxCommentLength, true, "error.comment.required")
	return v.Err()
}

// Moderation is one time a facilitator hid a comment or showed it again,
// with their reason.
type Moderation struct {
	CommentID int64
	Hidden    bool // false: shown again
	Reason    string
	By        string
	At        time.Time
}

// ValidateShowReason checks why a facilitator shows a hidden comment again.
func ValidateShowReason(reason string) error {
	var v ValidationError
	checkText(&v, "reason", reason, 2000, true, "error.show.reason_required")
	return v.Err()
}

// VoteReason is a reason a member gave with their vote. UserID is for
// labelling them as reports do (Namer); it is never shown.
type VoteReason struct {
	ProposalID int64
	UserID     int64
	Choice     Choice
	Reason     string
}

// ValidateHideReason checks why a facilitator hides a comment.
func ValidateHideReason(reason string) error {
	var v ValidationError
	checkText(&v, "reason", reason, 2000, true, "error.hide.reason_required")
	return v.Err()
}

// ActionStatus is how far an action has got.
type ActionStatus string

// The action statuses.
var ActionStatuses = []ActionStatus{"not_started", "in_progress", "done"}

// Action is something that will be done about an adopted proposal.
type Action struct {
	ID          int64
	ProposalID  int64
	Description string
	Owner       string
	DueOn       time.Time
	Status      ActionStatus
}

// ActionInput is a new action.
type ActionInput struct {
	Description string
	Owner       string
	DueOn       string // as posted, YYYY-MM-DD
	Status      ActionStatus
	// FormToken is the token of the form that adds it: the same form sent
	// twice adds one action.
	FormToken string
}

// Normalize tidies the description and folds the owner onto one line.
func (in *ActionInput) Normalize() {
	in.Description = CleanText(in.Description)
	in.Owner = OneLine(in.Owner)
	in.DueOn = OneLine(in.DueOn)
}

// Validate checks the action and returns its due date.
func (in ActionInput) Validate() (time.Time, error) {
	var v ValidationError
	checkText(&v, "description", in.Description, 2000, true, "error.action.description_required")
	checkLine(&v, "owner", in.Owner, 200, true, "error.action.owner_required")
	due, err := time.Parse("2006-01-02", in.DueOn)
	if err != nil {
		v.Add("due_on", "error.action.due_invalid")
	}
	if !oneOf(in.Status, ActionStatuses) {
		v.Add("status", "error.action.status_required")
	}
	return due, v.Err()
}

// ProposalDiscussion is one page of an idea's discussion.
type ProposalDiscussion struct {
	// Comments are page Page of Pages: top-level comments with replies.
	Comments    []Comment
	Page, Pages int
}

// ProposalPage is what an idea's page shows one viewer.
type ProposalPage struct {
	Proposal Proposal
	ProposalDiscussion
	Actions    []Action
	Vote       Choice // "" when the viewer has not voted
	VoteReason string
	// VoteReasons are the reasons members gave with their votes, oldest
	// first; AnswerChanges the answer's earlier versions, oldest first;
	// Moderations each comment's hiding and showing again, by comment.
	VoteReasons   []VoteReason
	AnswerChanges []AnswerChange
	Moderations   map[int64][]Moderation
	// DecidedAt is the meeting whose minutes gave the current answer.
	DecidedAt *DecidedAt
	// Impact are the changes in the impact log that came from the idea or
	// one of its actions.
	Impact []ImpactMention
}

// Overdue reports whether the action is past its due date: it is not done
// and its due date is before today in UK time.
func (a Action) Overdue(now time.Time) bool {
	return a.Status != "done" && a.DueOn.Format("2006-01-02") < now.In(UK).Format("2006-01-02")
}

// OverdueAction is an action past its due date, with the idea it belongs to.
type OverdueAction struct {
	Action
	ProposalTitle string
}
