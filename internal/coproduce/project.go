package coproduce

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ProjectStatus is where a project is in its life.
type ProjectStatus string

// The project statuses.
const (
	ProjectDraft  ProjectStatus = "draft"
	ProjectActive ProjectStatus = "active"
	ProjectClosed ProjectStatus = "closed"
)

// ProjectStatuses lists the statuses in the order they are offered.
var ProjectStatuses = []ProjectStatus{ProjectDraft, ProjectActive, ProjectClosed}

// Valid reports whether s is one of the project statuses.
func (s ProjectStatus) Valid() bool {
	return s == ProjectDraft || s == ProjectActive || s == ProjectClosed
}

// Project is one co-production project.
type Project struct {
	ID      int64
	Title   string
	Summary string
	// TitleCy and SummaryCy are the Welsh versions, empty until written.
	TitleCy   string
	SummaryCy string
	// Bilingual is a lead's promise that what the public reads is in both
	// Welsh and English: the Welsh title and, when there is one, summary
	// are required, and so is each purpose statement in both languages.
	Bilingual bool
	Status    ProjectStatus
	CreatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Limits on project fields, shared with the database constraints.
const (
	MaxTitleLength   = 200
	MaxSummaryLength = 5000
)

// ProjectInput is what a lead types when creating or editing a project.
type ProjectInput struct {
	Title     string
	Summary   string
	TitleCy   string `json:"title_cy"`
	SummaryCy string `json:"summary_cy"`
	Bilingual bool   `json:"bilingual"`
	Status    ProjectStatus
	// FormToken is the token of the form that creates it: the same form
	// sent twice makes one project. It is not part of the history.
	FormToken string `json:"-"`
}

// Normalize trims the fields and fills the default status.
func (in *ProjectInput) Normalize() {
	in.Title = OneLine(in.Title)
	in.Summary = CleanText(in.Summary)
	in.TitleCy = OneLine(in.TitleCy)
	in.SummaryCy = CleanText(in.SummaryCy)
	if in.Status == "" {
		in.Status = ProjectDraft
	}
}

// Validate checks the input.
func (in ProjectInput) Validate() error {
	var v ValidationError
	switch {
	case in.Title == "":
		v.Add("title", "error.title.required")
	case !ValidText(in.Title):
		v.Add("title", "error.text.invalid")
	case !IsOneLine(in.Title):
		v.Add("title", "error.text.one_line")
	case utf8.RuneCountInString(in.Title) > MaxTitleLength:
		v.Add("title", "error.title.too_long")
	}
	switch {
	case !ValidText(in.Summary):
		v.Add("summary", "error.text.invalid")
	case utf8.RuneCountInString(in.Summary) > MaxSummaryLength:
		v.Add("summary", "error.summary.too_long")
	}
	checkLine(&v, "title_cy", in.TitleCy, MaxTitleLength, in.Bilingual, "error.bilingual.cy.title")
	checkText(&v, "summary_cy", in.SummaryCy, MaxSummaryLength, false, "")
	if in.Bilingual {
		bothOrNeither(&v, "summary", in.Summary, "summary_cy", in.SummaryCy)
	}
	if !in.Status.Valid() {
		v.Add("status", "error.status.invalid")
	}
	return v.Err()
}

// bothOrNeither asks, for a bilingual project, for the other language of
// a text written in only one: the public reads each in its own language.
func bothOrNeither(v *ValidationError, enField, en, cyField, cy string) {
	switch {
	case v.For(enField) != "" || v.For(cyField) != "":
	case en != "" && cy == "":
		v.Add(cyField, "error.bilingual.cy."+enField)
	case en == "" && cy != "":
		v.Add(enField, "error.bilingual.en."+enField)
	}
}

// InLanguage is the version of a text for a reader of lang ("en" or "cy"):
// their own when it is written, else the other, with the language it is
// in so that the page can say so and mark it.
func InLanguage(lang, en, cy string) (text, textLang string) {
	if lang == "cy" {
		if cy != "" || en == "" {
			return cy, "cy"
		}
		return en, "en"
	}
	if en != "" || cy == "" {
		return en, "en"
	}
	return cy, "cy"
}

// TitleIn is the project's title for a reader of lang.
func (p Project) TitleIn(lang string) string {
	t, _ := InLanguage(lang, p.Title, p.TitleCy)
	return t
}

// ValidText rejects invalid UTF-8 and NUL bytes, which PostgreSQL cannot
// store in text columns.
func ValidText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// ProjectSummary is a project as listed, with the viewer's role in it.
type ProjectSummary struct {
	Project
	// Role is the viewer's role, empty when the viewer is an administrator
	// who is not a member.
	Role        ProjectRole
	MemberCount int
	StepsDone   int
}

// ProjectOverview is what a project's front page shows one viewer.
type ProjectOverview struct {
	Stages      []Stage
	MemberCount int
	// AckCounts says who has yet to read the purpose statement or confirm
	// their 4Rs, and whether the viewer has.
	AckCounts
	// Overdue are the oldest lay partners' ideas waiting more than 28 days
	// for an answer: the promise is that every view gets one.
	Overdue []Proposal
	// OverdueActions are the actions past their due date, oldest first.
	OverdueActions []OverdueAction
	// Ideas are the newest ideas, with their stored counts.
	Ideas []IdeaSummary
	// Buddies are the pairings the viewer is part of.
	Buddies []Buddy
	// You is the viewer's own part in the project, when they are a member.
	You YourPart
	// Work is what waits for the project's leads and facilitators: set
	// only when the viewer is one.
	Work *WorkList
	// Leads are the project's leads, by name.
	Leads []ProjectLead
	// Readiness is the newest readiness check, shown only to a lead (who
	// is shown its warnings, or asked to take it); nil before the first.
	Readiness *ReadinessCheck
}
