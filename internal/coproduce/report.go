package coproduce

import (
	"sort"
	"strconv"
	"time"
)

// Namer gives each person the label a report shows: their name when they
// agreed to be named, otherwise the pseudonym their membership was given
// when they joined: the role they joined in and a number ("Lay partner 3").
// It is theirs for the life of the project: the same in every report and
// format, never given to anyone else. Someone erased or no longer in the project is
// Former. Scrub puts the same labels in place of names inside free text.
type Namer struct {
	members map[int64]ReportMember
	// RoleLabel words a role for an anonymous label ("Lay partner").
	RoleLabel func(ProjectRole) string
	// Former labels people no longer in the project, or erased.
	Former string
	// Ambiguous replaces a name in free text that could be more than one
	// member ("a member").
	Ambiguous string
	// NameNobody labels everyone by role and number, even those who
	// agreed to be named (for the public page).
	NameNobody bool

	scrub *nameScrubber
}

// NewNamer prepares labels for a project's members.
func NewNamer(members []ReportMember, roleLabel func(ProjectRole) string, former string) *Namer {
	n := &Namer{members: map[int64]ReportMember{}, RoleLabel: roleLabel, Former: former}
	for _, m := range members {
		n.members[m.UserID] = m
	}
	return n
}

// Label returns the person's label.
func (n *Namer) Label(userID int64) string {
	m, ok := n.members[userID]
	switch {
	case !ok || m.Erased:
		return n.Former
	case m.Named && !n.NameNobody:
		return m.Name
	default:
		return n.RoleLabel(m.PseudonymRole) + " " + strconv.Itoa(m.Pseudonym)
	}
}

// Scrub replaces, in free text a person wrote, the name of every member who
// is not named (see NameForms) with their label.
func (n *Namer) Scrub(text string) string {
	if n.scrub == nil {
		n.scrub = n.newScrubber()
	}
	return n.scrub.replace(text)
}

// ReportMember is a member as a report needs them.
type ReportMember struct {
	UserID int64
	Name   string
	Role   ProjectRole
	Named  bool
	// PseudonymRole and Pseudonym are the membership's pseudonym for the
	// life of the project: the role it joined in and its number.
	PseudonymRole ProjectRole
	Pseudonym     int
	// Erased is set once the person's personal data was erased.
	Erased bool
}

// Participation is how people took part, by role.
type Participation struct {
	MembersByRole      map[ProjectRole]int `json:"members_by_role"`
	CommentsByRole     map[ProjectRole]int `json:"comments_by_role"`
	VotesByRole        map[ProjectRole]int `json:"votes_by_role"`
	Proposals          int                 `json:"proposals"`
	ProposalsFromLay   int                 `json:"proposals_from_lay_partners"`
	Answered           int                 `json:"proposals_answered"`
	MedianDaysToAnswer float64             `json:"median_days_to_answer"`
}

// MedianDays is the median of the durations, in days (0 for none).
func MedianDays(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	mid := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[mid].Hours() / 24
	}
	return (ds[mid-1] + ds[mid]).Hours() / 48
}

// ReportComment is a comment as a report shows it. A hidden comment's
// words are never in a report: Body is empty and Hidden is set.
type ReportComment struct {
	ID         int64
	ParentID   int64
	ProposalID int64
	Proposal   string
	AuthorID   int64
	CreatedAt  time.Time
	Hidden     bool
	Body       string
	// OnIdea is how many comments the idea has, when a report shows only
	// the newest of them (0 otherwise).
	OnIdea int
}

// ReportOutcome is an outcome partners defined, as the project report's
// "Involvement and its impact" shows it: how it is measured, where it
// started, where it should get to and its latest reading. The outcomes
// feature fills these; until it does, the report says they are not
// recorded yet.
type ReportOutcome struct {
	Title string `json:"title"`
	// Measure says in words how it is measured ("A number", "Yes or no").
	Measure  string `json:"measure"`
	Baseline string `json:"baseline"`
	Target   string `json:"target"`
	// Latest is the newest reading, nil when there is none.
	Latest *ReportReading `json:"latest,omitempty"`
}

// ReportReading is one reading of an outcome: its value, the day it was
// taken (YYYY-MM-DD) and where it came from.
type ReportReading struct {
	Value  string `json:"value"`
	On     string `json:"on"`
	Source string `json:"source"`
}

// ReportPrinciplesRound is one round of the principles check, as the
// project report shows it: for each principle, the mean rating of lay
// partners and of staff side by side. A group's mean is shown only when
// at least three in it answered (nil otherwise: "fewer than three
// answered"). The principles check fills these.
type ReportPrinciplesRound struct {
	Title      string                 `json:"title"`
	Principles []ReportPrincipleMeans `json:"principles"`
}

// ReportPrincipleMeans is one principle's means in a round.
type ReportPrincipleMeans struct {
	// Principle is one of assets, capabilities, mutuality, networks,
	// blurring_roles and catalysts.
	Principle string   `json:"principle"`
	Lay       *float64 `json:"lay_partners_mean"`
	Staff     *float64 `json:"staff_mean"`
}
