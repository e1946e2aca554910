package coproduce

import (
	"strconv"
	"strings"
	"time"
)

// The audit actions of agendas and minutes. They join AuditActions at
// start-up, so that the shared list keeps one line per feature.
const (
	AuditAgendaAdd      = "agenda.add"
	AuditAgendaUpdate   = "agenda.update"
	AuditAgendaRemove   = "agenda.remove"
	AuditAgendaMove     = "agenda.move"
	AuditMinutesSave    = "minutes.save"
	AuditMinutesPublish = "minutes.publish"
)

func init() {
	AuditActions = append(AuditActions, AuditAgendaAdd, AuditAgendaUpdate, AuditAgendaRemove, AuditAgendaMove,
		AuditMinutesSave, AuditMinutesPublish)
}

// AgendaItem is one item of a meeting's agenda, in order, with what was
// minuted under it.
type AgendaItem struct {
	ID        int64
	MeetingID int64
	Position  int
	Title     string
	// Time is the time of day it starts ("14:30"), or "" for none.
	Time string
	// LedBy is the member who leads it (0 for nobody named), LeaderName
	// their name.
	LedBy      int64
	LeaderName string
	Ideas      []AgendaIdea
	// Discussion and Decisions are the minutes' words for the item.
	Discussion string
	Decisions  string
}

// AgendaIdea is an idea an agenda item discusses.
type AgendaIdea struct {
	ID       int64
	Title    string
	Status   string
	Response Response
}

// HasIdea reports whether the item discusses the idea.
func (a AgendaItem) HasIdea(id int64) bool {
	for _, i := range a.Ideas {
		if i.ID == id {
			return true
		}
	}
	return false
}

// AgendaItemInput is an agenda item as a facilitator types it.
type AgendaItemInput struct {
	Title string
	Time  string // as posted, HH:MM, or empty
	LedBy string // a member's user id as posted, or empty for nobody
	Ideas []string
}

// Normalize folds the title and time onto one line.
func (in *AgendaItemInput) Normalize() {
	in.Title = OneLine(in.Title)
	in.Time = OneLine(in.Time)
	in.LedBy = strings.TrimSpace(in.LedBy)
}

// AgendaItemValues are an item's checked values.
type AgendaItemValues struct {
	Title string
	Time  string // "" for none
	LedBy int64  // 0 for nobody
	Ideas []int64
}

// Validate checks the item; members and ideas are the ids the project
// offers, so that an item can name only its own people and ideas.
func (in AgendaItemInput) Validate(members, ideas map[int64]bool) (AgendaItemValues, error) {
	var v ValidationError
	out := AgendaItemValues{Title: in.Title}
	checkLine(&v, "title", in.Title, 200, true, "error.agenda.title_required")
	if in.Time != "" {
		t, err := time.Parse("15:04", in.Time)
		if err != nil {
			v.Add("time", "error.agenda.time_invalid")
		} else {
			out.Time = t.Format("15:04")
		}
	}
	if in.LedBy != "" {
		id, err := strconv.ParseInt(in.LedBy, 10, 64)
		if err != nil || !members[id] {
			v.Add("led_by", "error.agenda.leader_invalid")
		}
		out.LedBy = id
	}
	seen := map[int64]bool{}
	for _, s := range in.Ideas {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || !ideas[id] {
			v.Add("ideas", "error.agenda.idea_invalid")
			break
		}
		if !seen[id] {
			seen[id] = true
			out.Ideas = append(out.Ideas, id)
		}
	}
	return out, v.Err()
}

// MinutesStatus is where a meeting's minutes stand.
type MinutesStatus string

// The minutes' statuses: a draft only leads and facilitators see, and
// minutes published to the members.
const (
	MinutesDraft     MinutesStatus = "draft"
	MinutesPublished MinutesStatus = "published"
)

// Minutes are a meeting's minutes: its agenda with what was said under each
// item, the answers given to ideas there and the actions minuted, and the
// members' comments once published.
type Minutes struct {
	MeetingID   int64
	Status      MinutesStatus
	PublishedAt time.Time
	Items       []AgendaItem
	Decisions   []MeetingDecision
	Actions     []MinutedAction
	Comments    []MinuteComment
	// Moderations are the hidings and showings again of each comment, by
	// comment id, oldest first, for the leads and facilitators.
	Moderations map[int64][]Moderation
}

// Published reports whether members can read the minutes.
func (m Minutes) Published() bool { return m.Status == MinutesPublished }

// MeetingDecision is an answer given to an idea under an agenda item.
type MeetingDecision struct {
	ItemID     int64
	ProposalID int64
	Title      string
	Response   Response
	Rationale  string
}

// MinutedAction is an action minuted under an agenda item, for an idea.
type MinutedAction struct {
	Action
	ItemID    int64
	IdeaTitle string
}

// MinuteComment is a member's comment on published minutes. A lead or
// facilitator may hide it, with a reason, as a comment on an idea; a hidden
// comment's Body is empty wherever the minutes are read.
type MinuteComment struct {
	ID           int64
	MeetingID    int64
	Author       string
	Body         string
	At           time.Time
	Hidden       bool
	HiddenReason string
}

// ItemMinutesInput is what a facilitator writes for one agenda item.
type ItemMinutesInput struct {
	Discussion string
	Decisions  string
}

// Normalize tidies the line ends.
func (in *ItemMinutesInput) Normalize() {
	in.Discussion = CleanText(in.Discussion)
	in.Decisions = CleanText(in.Decisions)
}

// Validate checks the lengths.
func (in ItemMinutesInput) Validate() error {
	var v ValidationError
	checkText(&v, "discussion", in.Discussion, 20000, false, "")
	checkText(&v, "decisions", in.Decisions, 20000, false, "")
	return v.Err()
}

// ValidateMinuteComment checks a comment on minutes.
func ValidateMinuteComment(body string) error {
	var v ValidationError
	checkText(&v, "body", body, 5000, true, "error.minutes.comment_required")
	return v.Err()
}

// DecidedAt is the meeting at which an idea's current answer was given.
type DecidedAt struct {
	MeetingID int64
	StartsAt  time.Time
	// Published is whether the meeting's minutes are published.
	Published bool
}
