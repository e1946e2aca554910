package coproduce

import (
	"strconv"
	"strings"
	"time"
)

// The audit actions of the impact log and the shared reflection.
const (
	AuditImpactAdd      = "impact.add"
	AuditImpactUpdate   = "impact.update"
	AuditImpactRemove   = "impact.remove"
	AuditReflectionSave = "reflection.save"
)

func init() {
	AuditActions = append(AuditActions, AuditImpactAdd, AuditImpactUpdate, AuditImpactRemove, AuditReflectionSave)
}

// ImpactEntry is one change the project made because partners took part:
// what changed and when, the ideas, actions and outcomes it came from, and
// who contributed to it.
type ImpactEntry struct {
	ID          int64
	ProjectID   int64
	Title       string
	WhatChanged string
	ChangedOn   time.Time
	Ideas       []ImpactIdea
	Actions     []ImpactAction
	Outcomes    []ImpactOutcome
	// Contributors are the members who contributed, by their names (the
	// report labels them by the naming rules instead).
	Contributors []ImpactContributor
	CreatedBy    string
	UpdatedAt    time.Time
}

// ImpactIdea is an idea an entry came from.
type ImpactIdea struct {
	ID    int64
	Title string
}

// ImpactAction is an action an entry came from, with its idea.
type ImpactAction struct {
	ID          int64
	ProposalID  int64
	Description string
	IdeaTitle   string
}

// ImpactOutcome is an outcome partners defined that an entry helped.
type ImpactOutcome struct {
	ID    int64
	Title string
}

// ImpactContributor is a member who contributed to a change.
type ImpactContributor struct {
	UserID int64
	Name   string
	Role   ProjectRole
}

// ImpactMention is an entry as an idea's page names it: "This idea
// changed something".
type ImpactMention struct {
	ID        int64
	Title     string
	ChangedOn time.Time
}

// ImpactInput is an entry as a lead or facilitator types it.
type ImpactInput struct {
	Title        string
	WhatChanged  string
	ChangedOn    string // as posted, YYYY-MM-DD
	Ideas        []string
	Actions      []string
	Outcomes     []string
	Contributors []string
}

// Normalize folds the title onto one line and tidies the text.
func (in *ImpactInput) Normalize() {
	in.Title = OneLine(in.Title)
	in.WhatChanged = CleanText(in.WhatChanged)
	in.ChangedOn = OneLine(in.ChangedOn)
}

// ImpactValues are an entry's checked values.
type ImpactValues struct {
	Title        string
	WhatChanged  string
	ChangedOn    time.Time
	Ideas        []int64
	Actions      []int64
	Outcomes     []int64
	Contributors []int64
}

// ImpactChoices are the ids a project offers an entry: its ideas, its
// actions, its outcomes (agreed or still proposed) and its members, so
// that an entry names only its own.
type ImpactChoices struct {
	Ideas, Actions, Outcomes, Members map[int64]bool
}

// MaxWhatChanged caps an entry's description.
const MaxWhatChanged = 5000

// Validate checks the entry; today is the day (UK time) it is recorded, as
// a change that has not happened yet is not an impact.
func (in ImpactInput) Validate(c ImpactChoices, today time.Time) (ImpactValues, error) {
	var v ValidationError
	out := ImpactValues{Title: in.Title, WhatChanged: in.WhatChanged}
	checkLine(&v, "title", in.Title, 200, true, "error.impact.title_required")
	checkText(&v, "what_changed", in.WhatChanged, MaxWhatChanged, true, "error.impact.what_changed_required")
	switch on, err := time.Parse(time.DateOnly, in.ChangedOn); {
	case in.ChangedOn == "":
		v.Add("changed_on", "error.impact.changed_on_required")
	case err != nil:
		v.Add("changed_on", "error.impact.changed_on_invalid")
	case on.Format(time.DateOnly) > today.In(UK).Format(time.DateOnly):
		v.Add("changed_on", "error.impact.changed_on_future")
	default:
		out.ChangedOn = on
	}
	var ok bool
	if out.Ideas, ok = chosenIDs(in.Ideas, c.Ideas); !ok {
		v.Add("ideas", "error.impact.idea_invalid")
	}
	if out.Actions, ok = chosenIDs(in.Actions, c.Actions); !ok {
		v.Add("actions", "error.impact.action_invalid")
	}
	if out.Outcomes, ok = chosenIDs(in.Outcomes, c.Outcomes); !ok {
		v.Add("outcomes", "error.impact.outcome_invalid")
	}
	if out.Contributors, ok = chosenIDs(in.Contributors, c.Members); !ok {
		v.Add("contributors", "error.impact.contributor_invalid")
	}
	return out, v.Err()
}

// chosenIDs reads ticked ids, each once, refusing one not offered.
func chosenIDs(posted []string, offered map[int64]bool) ([]int64, bool) {
	var out []int64
	seen := map[int64]bool{}
	for _, s := range posted {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || !offered[id] {
			return nil, false
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, true
}

// Reflection is a version of the project's critical reflection, which its
// members write together.
type Reflection struct {
	Version   int
	Body      string
	WrittenBy int64
	// WriterName is who wrote this version, as the app names them.
	WriterName string
	WrittenAt  time.Time
}

// ReflectionInput is a member's change to the reflection, made from the
// version they saw (0 when there was none).
type ReflectionInput struct {
	Body        string
	BaseVersion int
}

// MaxReflectionLength caps the reflection.
const MaxReflectionLength = 20000

// Validate checks the reflection's length.
func (in ReflectionInput) Validate() error {
	var v ValidationError
	checkText(&v, "reflection", in.Body, MaxReflectionLength, true, "error.reflection.required")
	return v.Err()
}
