package coproduce

import (
	"errors"
	"math"
	"strconv"
	"time"
)

// The audit actions of the principles check. Answers are not audited: the
// audit trail would say who answered when, beside figures that are only
// shown for groups of three.
const (
	AuditPrinciplesOpen  = "principles.open"
	AuditPrinciplesClose = "principles.close"
)

func init() {
	AuditActions = append(AuditActions, AuditPrinciplesOpen, AuditPrinciplesClose)
}

// ErrRoundClosed means an answer was sent to a principles round that a lead
// has closed (from a page opened before it closed).
var ErrRoundClosed = errors.New("the principles round is closed")

// ErrNotPresent means someone not recorded present at a meeting tried to
// answer its check.
var ErrNotPresent = errors.New("not recorded present at the meeting")

// ErrMeetingNotOver means a meeting's check was answered before the
// meeting ended.
var ErrMeetingNotOver = errors.New("the meeting has not ended")

// Principle is one of the six principles of co-production.
type Principle string

// The six principles, in the order the seeds give them; each is also the
// name of its score's column.
const (
	PrincipleAssets        Principle = "assets"
	PrincipleCapabilities  Principle = "capabilities"
	PrincipleMutuality     Principle = "mutuality"
	PrincipleNetworks      Principle = "networks"
	PrincipleBlurringRoles Principle = "blurring_roles"
	PrincipleCatalysts     Principle = "catalysts"
)

// Principles lists the six in order.
var Principles = []Principle{PrincipleAssets, PrincipleCapabilities, PrincipleMutuality,
	PrincipleNetworks, PrincipleBlurringRoles, PrincipleCatalysts}

// PLevel is where a member places the project on Needham and Carr's three
// levels of co-production (0: not placed).
type PLevel int

// The three levels, from least to most transformative.
const (
	LevelDescription    PLevel = 1
	LevelRecognition    PLevel = 2
	LevelTransformation PLevel = 3
)

// PLevels lists the three in order.
var PLevels = []PLevel{LevelDescription, LevelRecognition, LevelTransformation}

// Key is the level's name in messages: "description", ...
func (l PLevel) Key() string {
	switch l {
	case LevelDescription:
		return "description"
	case LevelRecognition:
		return "recognition"
	case LevelTransformation:
		return "transformation"
	}
	return ""
}

// DeclaredPLevel maps the involvement level a project declared at step 4
// onto Needham and Carr's three levels, so that what partners experience can
// be set against what was promised (docs/decisions.md):
//
//   - inform is description: people are told, and co-production is at most
//     their compliance with a service;
//   - consult and engage are recognition: people's views are asked for and
//     heard, but the service decides what to do with them;
//   - co-design and co-produce are transformation: partners' ideas shape the
//     result as equals, which is what both promise.
//
// A project with no approach yet declares nothing (0).
func DeclaredPLevel(l Level) PLevel {
	switch l {
	case LevelInform:
		return LevelDescription
	case LevelConsult, LevelEngage:
		return LevelRecognition
	case LevelCoDesign, LevelCoProduce:
		return LevelTransformation
	}
	return 0
}

// MinGroup is the fewest answers a group's figures are shown for. With one
// or two, a member could work out another's answer from the figures and
// their own (decisions.md).
const MinGroup = 3

// PrinciplesRound is one round of the principles check.
type PrinciplesRound struct {
	ID        int64
	ProjectID int64
	Title     string
	OpenedAt  time.Time
	ClosedAt  *time.Time
}

// Open reports whether the round takes answers.
func (r PrinciplesRound) Open() bool { return r.ClosedAt == nil }

// ValidateRoundTitle checks the title a lead gives a round.
func ValidateRoundTitle(title string) error {
	var v ValidationError
	checkLine(&v, "title", title, 200, true, "error.principles.title_required")
	return v.Err()
}

// PrinciplesAnswer is one member's answer in a round: a score from 1 to 5
// for each principle (in Principles' order), a comment on each (optional)
// and the level they place the project at.
type PrinciplesAnswer struct {
	Scores   [6]int
	Comments [6]string
	Level    PLevel
}

// PrinciplesInput is an answer as posted: "score_assets" = "4", ...
type PrinciplesInput struct {
	Scores   [6]string
	Comments [6]string
	Level    string
}

// Normalize tidies the comments.
func (in *PrinciplesInput) Normalize() {
	for i := range in.Comments {
		in.Comments[i] = CleanText(in.Comments[i])
	}
}

// ScoreField and CommentField name a principle's form fields, shared by the
// form and the handler.
func ScoreField(p Principle) string   { return "score_" + string(p) }
func CommentField(p Principle) string { return "comment_" + string(p) }

// LevelField names the level's form field.
const LevelField = "level"

// Validate checks that every principle has a score and the level is one of
// the three.
func (in PrinciplesInput) Validate() (PrinciplesAnswer, error) {
	var v ValidationError
	var out PrinciplesAnswer
	for i, p := range Principles {
		n, ok := scale(in.Scores[i])
		if !ok {
			v.Add(ScoreField(p), "error.principles.score_required."+string(p))
		}
		out.Scores[i] = n
		checkText(&v, CommentField(p), in.Comments[i], 2000, false, "")
		out.Comments[i] = in.Comments[i]
	}
	l, err := strconv.Atoi(in.Level)
	if err != nil || l < 1 || l > 3 {
		v.Add(LevelField, "error.principles.level_required")
	}
	out.Level = PLevel(l)
	return out, v.Err()
}

// scale reads a point on a five-point scale.
func scale(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= 5
}

// Figures are one group's figures for one round or meeting: how many
// answered and, only when MinGroup or more did, the mean of each question
// and how many placed the project at each level. Means is nil for a group
// too small to show: the storage never reads them out.
type Figures struct {
	Answered int
	Means    []float64
	// Levels counts answers at description, recognition and
	// transformation; Level is the middle answer (the lower of the two
	// middle ones for an even count). Both zero for a meeting's check.
	Levels [3]int
	Level  PLevel
}

// Shown reports whether the group's figures may be shown.
func (f Figures) Shown() bool { return f.Means != nil }

// PrinciplesOverview is what the principles check's page shows a viewer:
// every round's figures, newest first, the involvement level declared at
// step 4 ("" for none), and whether the viewer has answered the open round.
type PrinciplesOverview struct {
	Results  []RoundResult
	Declared Level
	Answered bool
}

// RoundResult is a round's figures for lay partners and for staff.
type RoundResult struct {
	Round PrinciplesRound
	Lay   Figures
	Staff Figures
}

// GapAt reports whether the two groups' means for principle i differ by a
// point or more: a sign that partners and staff experience the project
// differently. Only groups whose figures show are compared.
func (r RoundResult) GapAt(i int) bool {
	if !r.Lay.Shown() || !r.Staff.Shown() {
		return false
	}
	// Rounded to the tenth the page shows, so that 1.0 on the page is a gap.
	return math.Abs(round1(r.Lay.Means[i])-round1(r.Staff.Means[i])) >= 1
}

// Gaps lists the principles where the groups differ by a point or more.
func (r RoundResult) Gaps() []Principle {
	var out []Principle
	for i, p := range Principles {
		if r.GapAt(i) {
			out = append(out, p)
		}
	}
	return out
}

// BelowDeclared reports whether the level lay partners experience (their
// middle answer) is below the level the project declared at step 4.
func (r RoundResult) BelowDeclared(declared PLevel) bool {
	return declared != 0 && r.Lay.Shown() && r.Lay.Level != 0 && r.Lay.Level < declared
}

// round1 rounds to one decimal place.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// Question is one of the three questions asked after a meeting.
type Question string

// The three questions; each is also its column's name.
const (
	QuestionListened   Question = "listened"
	QuestionTookPart   Question = "took_part"
	QuestionDifference Question = "difference"
)

// Questions lists them in order.
var Questions = []Question{QuestionListened, QuestionTookPart, QuestionDifference}

// MeetingCheck is one person's answer after a meeting: 1 (disagree
// strongly) to 5 (agree strongly) for each question.
type MeetingCheck struct {
	Scores [3]int
}

// QuestionField names a question's form field.
func QuestionField(q Question) string { return "q_" + string(q) }

// ValidateMeetingCheck checks the three answers as posted.
func ValidateMeetingCheck(posted [3]string) (MeetingCheck, error) {
	var v ValidationError
	var out MeetingCheck
	for i, q := range Questions {
		n, ok := scale(posted[i])
		if !ok {
			v.Add(QuestionField(q), "error.meeting_check.required."+string(q))
		}
		out.Scores[i] = n
	}
	return out, v.Err()
}

// MeetingCheckResult is a meeting's check figures for lay partners and for
// staff.
type MeetingCheckResult struct {
	Meeting Meeting
	Lay     Figures
	Staff   Figures
}

// GapAt reports whether the groups differ by a point or more on question i.
func (r MeetingCheckResult) GapAt(i int) bool {
	return r.Lay.Shown() && r.Staff.Shown() && math.Abs(round1(r.Lay.Means[i])-round1(r.Staff.Means[i])) >= 1
}

// ToCheck is a meeting the member attended and has not yet said how it
// went.
type ToCheck struct {
	MeetingID int64
	Title     string
	StartsAt  time.Time
}

// DataPrinciples is one of the person's answers to the principles check,
// for their personal data download.
type DataPrinciples struct {
	Project    string               `json:"project"`
	Round      string               `json:"round"`
	Scores     map[Principle]int    `json:"scores"`
	Comments   map[Principle]string `json:"comments"`
	Level      string               `json:"level"`
	AnsweredAt time.Time            `json:"answered_at"`
}

// DataMeetingCheck is one of the person's answers after a meeting.
type DataMeetingCheck struct {
	Project    string           `json:"project"`
	Meeting    string           `json:"meeting"`
	Scores     map[Question]int `json:"scores"`
	AnsweredAt time.Time        `json:"answered_at"`
}
