package coproduce

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// OutcomeDecision is a lead's answer to a proposed outcome.
type OutcomeDecision string

// The answers: agreed as one of the outcomes the project measures, or not.
const (
	OutcomeAgreed    OutcomeDecision = "agreed"
	OutcomeNotAgreed OutcomeDecision = "not_agreed"
)

// OutcomeDecisions lists the answers in the order they are offered.
var OutcomeDecisions = []OutcomeDecision{OutcomeAgreed, OutcomeNotAgreed}

// Measure is how an agreed outcome is measured.
type Measure string

// The measures: a number with its unit, a 1 to 5 scale, yes or no, or the
// stories people tell.
const (
	MeasureNumber  Measure = "number"
	MeasureScale   Measure = "scale"
	MeasureYesNo   Measure = "yes_no"
	MeasureStories Measure = "stories"
)

// Measures lists the measures in the order they are offered.
var Measures = []Measure{MeasureNumber, MeasureScale, MeasureYesNo, MeasureStories}

// Figures reports whether the measure is a figure that can be drawn over
// time: every measure but stories.
func (m Measure) Figures() bool { return m != "" && m != MeasureStories }

// Outcome is an outcome a member proposed, the members' views of it by
// side, a lead's answer, and once agreed how it is measured and its
// readings in date order.
type Outcome struct {
	ID           int64
	ProjectID    int64
	Title        string
	Why          string
	ProposedByID int64
	ProposedBy   string
	ProposerRole ProjectRole
	CreatedAt    time.Time
	Tally        Tally
	// Withdrawn is set when its proposer, a lead or a facilitator withdrew
	// it before it was answered, with who did and why.
	Withdrawn       bool
	WithdrawnAt     time.Time
	WithdrawnBy     string
	WithdrawnReason string
	// Wordings are the wordings it had before each change, oldest first
	// (on its page only).
	Wordings []OutcomeWording
	// Decision is "" while the outcome waits for a lead's answer.
	Decision  OutcomeDecision
	Reason    string
	DecidedBy string
	DecidedAt time.Time
	// Measure is "" until a lead or facilitator says how it is measured.
	Measure  Measure
	Unit     string
	Baseline float64
	Target   float64
	Readings []Reading
	// ReadingCount is how many readings it has, on lists that do not load
	// them; Latest the newest by date, if any.
	ReadingCount int
	Latest       *Reading
	// Impact are the changes in the impact log it led to (on its page
	// only).
	Impact []ImpactMention
}

// Open reports whether the outcome still waits for a lead's answer: not
// answered and not withdrawn.
func (o Outcome) Open() bool { return o.Decision == "" && !o.Withdrawn }

// Linkable reports whether an impact entry may name it: agreed, or still
// waiting for an answer.
func (o Outcome) Linkable() bool { return o.Agreed() || o.Open() }

// CanChange reports whether a person may change its wording or withdraw
// it: while it waits for an answer, its proposer or a lead or facilitator.
func (o Outcome) CanChange(a Access) bool {
	return o.Open() && a.IsMember() && (a.CanFacilitate() || (a.User != nil && a.User.ID == o.ProposedByID))
}

// OutcomeWording is the wording an outcome had before a change.
type OutcomeWording struct {
	Title     string
	Why       string
	ChangedBy string
	ChangedAt time.Time
}

// Agreed reports whether a lead agreed it.
func (o Outcome) Agreed() bool { return o.Decision == OutcomeAgreed }

// Reading is one dated reading of an outcome: a figure, or for stories a
// story; and where it came from.
type Reading struct {
	ID         int64
	TakenOn    time.Time
	Value      float64
	Story      string
	Source     string
	RecordedBy string
}

// OutcomeInput is a proposed outcome as a member types it.
type OutcomeInput struct {
	Title string
	Why   string
	// FormToken makes the same form sent twice one outcome.
	FormToken string
}

// Normalize folds the title onto one line and tidies the reason.
func (in *OutcomeInput) Normalize() {
	in.Title = OneLine(in.Title)
	in.Why = CleanText(in.Why)
}

// Validate checks the outcome.
func (in OutcomeInput) Validate() error {
	var v ValidationError
	checkLine(&v, "title", in.Title, 200, true, "error.outcome.title_required")
	checkText(&v, "why", in.Why, 5000, false, "")
	return v.Err()
}

// ValidateOutcomeWithdrawReason checks the reason for withdrawing an
// outcome, which may be left out, as for an idea.
func ValidateOutcomeWithdrawReason(reason string) error {
	var v ValidationError
	checkText(&v, "withdraw_reason", reason, 2000, false, "")
	return v.Err()
}

// OutcomeDecisionInput is a lead's answer to a proposed outcome.
type OutcomeDecisionInput struct {
	Decision OutcomeDecision
	Reason   string
}

// Validate checks the answer: both answers must say why.
func (in OutcomeDecisionInput) Validate() error {
	var v ValidationError
	if !oneOf(in.Decision, OutcomeDecisions) {
		v.Add("decision", "error.outcome.decision_required")
	}
	checkText(&v, "reason", in.Reason, 5000, true, "error.outcome.reason_required")
	return v.Err()
}

// MeasureInput is how an agreed outcome is measured, as posted.
type MeasureInput struct {
	Measure  string
	Unit     string
	Baseline string
	Target   string
}

// Normalize folds the fields onto one line.
func (in *MeasureInput) Normalize() {
	in.Unit = OneLine(in.Unit)
	in.Baseline = OneLine(in.Baseline)
	in.Target = OneLine(in.Target)
}

// MeasureValues are a measure's checked values.
type MeasureValues struct {
	Measure          Measure
	Unit             string
	Baseline, Target float64
}

// Validate checks the measure and reads its figures: a number needs what
// it counts, and every measure but stories a baseline and a target that
// fit it.
func (in MeasureInput) Validate() (MeasureValues, error) {
	var v ValidationError
	out := MeasureValues{Measure: Measure(in.Measure)}
	if !oneOf(out.Measure, Measures) {
		v.Add("measure", "error.outcome.measure_required")
		return out, v.Err()
	}
	if out.Measure == MeasureNumber {
		checkLine(&v, "unit", in.Unit, 60, true, "error.outcome.unit_required")
		out.Unit = in.Unit
	}
	if !out.Measure.Figures() {
		return out, v.Err()
	}
	var ok bool
	if out.Baseline, ok = ParseFigure(out.Measure, in.Baseline); !ok {
		v.Add("baseline", figureError(out.Measure, "baseline"))
	}
	if out.Target, ok = ParseFigure(out.Measure, in.Target); !ok {
		v.Add("target", figureError(out.Measure, "target"))
	}
	return out, v.Err()
}

// figureError is the message for a figure that does not fit its measure.
func figureError(m Measure, field string) string {
	return "error.outcome." + field + "_" + string(m)
}

// maxFigure bounds every figure, as the database does.
const maxFigure = 1e12

// ParseFigure reads a figure for a measure: any number for a number (with
// commas between thousands if the person writes them), 1 to 5 for a scale,
// and yes or no (in English or Welsh, or 1 or 0) for yes/no.
func ParseFigure(m Measure, s string) (float64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if m == MeasureYesNo {
		switch s {
		case "yes", "y", "ie", "oes", "do", "1":
			return 1, true
		case "no", "n", "na", "nac oes", "naddo", "0":
			return 0, true
		}
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(s, ",", ""), " ", ""), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) >= maxFigure {
		return 0, false
	}
	if m == MeasureScale && (f < 1 || f > 5) {
		return 0, false
	}
	return f, true
}

// ReadingInput is a reading as posted.
type ReadingInput struct {
	TakenOn string // YYYY-MM-DD
	Value   string
	Story   string
	Source  string
}

// Normalize tidies the fields.
func (in *ReadingInput) Normalize() {
	in.TakenOn = OneLine(in.TakenOn)
	in.Value = OneLine(in.Value)
	in.Story = CleanText(in.Story)
	in.Source = OneLine(in.Source)
}

// ReadingValues are a reading's checked values.
type ReadingValues struct {
	TakenOn time.Time
	Value   float64
	Story   string
	Source  string
}

// Validate checks a reading of an outcome measured by m, taken no later
// than today (UK time, now): a figure that fits the measure, or for
// stories a story; and always where it came from.
func (in ReadingInput) Validate(m Measure, now time.Time) (ReadingValues, error) {
	var v ValidationError
	out := ReadingValues{Source: in.Source}
	day, err := time.Parse(time.DateOnly, in.TakenOn)
	switch {
	case err != nil:
		v.Add("taken_on", "error.reading.date_invalid")
	case in.TakenOn > now.In(UK).Format(time.DateOnly):
		v.Add("taken_on", "error.reading.date_future")
	}
	out.TakenOn = day
	if m.Figures() {
		var ok bool
		if out.Value, ok = ParseFigure(m, in.Value); !ok {
			v.Add("value", figureError(m, "value"))
		}
	} else {
		checkText(&v, "story", in.Story, 5000, true, "error.reading.story_required")
		out.Story = in.Story
	}
	checkLine(&v, "source", in.Source, 300, true, "error.reading.source_required")
	return out, v.Err()
}

// ErrMeasureInUse means a change to how an outcome is measured was refused
// because readings were already taken the old way.
var ErrMeasureInUse = errors.New("the outcome already has readings of another kind")

// FigureText writes one figure of an outcome as people read it ("8 missed
// visits", "3 out of 5", "Yes"), with t the reader's catalogue.
func (o Outcome) FigureText(t func(id string, data ...map[string]any) string, f float64) string {
	n := strconv.FormatFloat(f, 'f', -1, 64)
	switch o.Measure {
	case MeasureNumber:
		return t("figure.number", map[string]any{"N": n, "Unit": o.Unit})
	case MeasureScale:
		return t("figure.scale", map[string]any{"N": n})
	case MeasureYesNo:
		if f >= 0.5 {
			return t("figure.yes_label")
		}
		return t("figure.no_label")
	}
	return n
}
