package coproduce

import "time"

// Step is one of the seven steps of the engagement model, numbered 1 to 7.
type Step int

// The seven steps, in order.
const (
	StepIdentify Step = iota + 1
	StepSelect
	StepBeClear
	StepChoose
	StepSupport
	StepBuild
	StepUnderstand
)

// Steps lists the seven steps in order.
var Steps = []Step{StepIdentify, StepSelect, StepBeClear, StepChoose, StepSupport, StepBuild, StepUnderstand}

var stepSlugs = map[Step]string{
	StepIdentify:   "identify",
	StepSelect:     "select",
	StepBeClear:    "be-clear",
	StepChoose:     "choose",
	StepSupport:    "support",
	StepBuild:      "build",
	StepUnderstand: "understand",
}

// Slug is the step's name in URLs, such as "be-clear".
func (s Step) Slug() string { return stepSlugs[s] }

// Valid reports whether s is one of the seven steps.
func (s Step) Valid() bool { return s >= StepIdentify && s <= StepUnderstand }

// StepBySlug finds a step by its URL name.
func StepBySlug(slug string) (Step, bool) {
	for s, v := range stepSlugs {
		if v == slug {
			return s, true
		}
	}
	return 0, false
}

// StageStatus is how far a step has got.
type StageStatus string

// The stage statuses.
const (
	StageNotStarted StageStatus = "not_started"
	StageInProgress StageStatus = "in_progress"
	StageComplete   StageStatus = "complete"
)

// Stage is a project's record of one step.
type Stage struct {
	ProjectID int64
	Step      Step
	Status    StageStatus
	Notes     string
	Version   int
	UpdatedAt time.Time
}
