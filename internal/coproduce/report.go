package coproduce

import (
	"sort"
	"strconv"
	"time"
)

// Namer gives each person the label a report shows: their name when they
// agreed to be named, otherwise their role and a number ("Lay partner 3"),
// the same label for the same person throughout one report.
type Namer struct {
	names   map[int64]string
	roles   map[int64]ProjectRole
	named   map[int64]bool
	labels  map[int64]string
	counter map[ProjectRole]int
	// RoleLabel words a role for an anonymous label ("Lay partner").
	RoleLabel func(ProjectRole) string
	// Former labels people no longer in the project.
	Former string
}

// NewNamer prepares labels for a project's members.
func NewNamer(members []ReportMember, roleLabel func(ProjectRole) string, former string) *Namer {
	n := &Namer{names: map[int64]string{}, roles: map[int64]ProjectRole{}, named: map[int64]bool{},
		labels: map[int64]string{}, counter: map[ProjectRole]int{}, RoleLabel: roleLabel, Former: former}
	for _, m := range members {
		n.names[m.UserID], n.roles[m.UserID], n.named[m.UserID] = m.Name, m.Role, m.Named
	}
	return n
}

// Label returns the person's label in this report.
func (n *Namer) Label(userID int64) string {
	if l, ok := n.labels[userID]; ok {
		return l
	}
	role, ok := n.roles[userID]
	var l string
	switch {
	case !ok:
		l = n.Former
	case n.named[userID]:
		l = n.names[userID]
	default:
		n.counter[role]++
		l = n.RoleLabel(role) + " " + strconv.Itoa(n.counter[role])
	}
	n.labels[userID] = l
	return l
}

// ReportMember is a member as a report needs them.
type ReportMember struct {
	UserID int64
	Name   string
	Role   ProjectRole
	Named  bool
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
