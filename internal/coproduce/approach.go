package coproduce

import "time"

// Level is a point on the involvement continuum, from least to most shared
// power.
type Level string

// The levels of involvement.
const (
	LevelInform    Level = "inform"
	LevelConsult   Level = "consult"
	LevelEngage    Level = "engage"
	LevelCoDesign  Level = "co_design"
	LevelCoProduce Level = "co_produce"
)

// Levels lists the continuum in order.
var Levels = []Level{LevelInform, LevelConsult, LevelEngage, LevelCoDesign, LevelCoProduce}

// EngagementStage is where in the life of a service people are involved.
type EngagementStage string

// The engagement stages.
var EngagementStages = []EngagementStage{"co_commissioning", "co_design", "co_delivery", "co_assessment"}

// Scope is the level at which the change happens.
type Scope string

// The scopes.
var Scopes = []Scope{"strategic", "system", "individual"}

// Method is a way of engaging people.
type Method string

// The methods.
var Methods = []Method{"forum", "focus_group", "interview", "questionnaire", "workshop", "online_discussion"}

// Approach is how a project will engage people (step 4).
type Approach struct {
	ProjectID      int64
	Level          Level
	LevelRationale string
	Stage          EngagementStage
	StageRationale string
	Scope          Scope
	ScopeRationale string
	Methods        map[Method]string // method → rationale
	Version        int
	UpdatedAt      time.Time
}

// ApproachInput is what a lead chooses.
type ApproachInput struct {
	Level          Level
	LevelRationale string
	Stage          EngagementStage
	StageRationale string
	Scope          Scope
	ScopeRationale string
	Methods        map[Method]string
	BaseVersion    int
}

// Normalize trims the fields.
func (in *ApproachInput) Normalize() {
	in.LevelRationale = CleanText(in.LevelRationale)
	in.StageRationale = CleanText(in.StageRationale)
	in.ScopeRationale = CleanText(in.ScopeRationale)
	for m, r := range in.Methods {
		in.Methods[m] = CleanText(r)
	}
}

// Validate checks the choices: each is one of the known values, and each
// method chosen says why.
func (in ApproachInput) Validate() error {
	var v ValidationError
	if !oneOf(in.Level, Levels) {
		v.Add("level", "error.approach.level_required")
	}
	checkText(&v, "level_rationale", in.LevelRationale, 2000, false, "")
	if !oneOf(in.Stage, EngagementStages) {
		v.Add("stage", "error.approach.stage_required")
	}
	checkText(&v, "stage_rationale", in.StageRationale, 2000, false, "")
	if !oneOf(in.Scope, Scopes) {
		v.Add("scope", "error.approach.scope_required")
	}
	checkText(&v, "scope_rationale", in.ScopeRationale, 2000, false, "")
	if len(in.Methods) == 0 {
		v.Add("methods", "error.approach.method_required")
	}
	for _, m := range Methods {
		if r, ok := in.Methods[m]; ok {
			checkText(&v, "rationale_"+string(m), r, 2000, true, "error.approach.method_rationale_required")
		}
	}
	for m := range in.Methods {
		if !oneOf(m, Methods) {
			v.Add("methods", "error.approach.method_unknown")
		}
	}
	return v.Err()
}

func oneOf[T comparable](x T, list []T) bool {
	for _, y := range list {
		if x == y {
			return true
		}
	}
	return false
}

// ValidLevel reports whether l is on the continuum.
func ValidLevel(l Level) bool { return oneOf(l, Levels) }

// Involvement is the level a member is willing to offer.
type Involvement struct {
	UserID int64
	Name   string
	Role   ProjectRole
	Level  Level // "" when not yet chosen
}
