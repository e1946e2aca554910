package coproduce

import (
	"errors"
	"net/url"
	"strings"
	"time"
)

// SupportProfile is what a person told one project they need to take part
// (special-category data: shown only to them and to that project's leads
// and facilitators). It belongs to the membership: another project sees it
// only if the person copies it there themself. ProjectID is 0 for needs
// given before they were kept per project, for a person in several
// projects: those are shown to nobody but the person.
type SupportProfile struct {
	ProjectID           int64 `json:"-"`
	UserID              int64
	LargePrint          bool
	EasyRead            bool
	BSLInterpreter      bool
	LanguageInterpreter string
	HearingLoop         bool
	StepFree            bool
	AccessibleToilet    bool
	Breaks              bool
	GoodTimes           string
	BadTimes            string
	CarerAttending      bool
	Dietary             string
	Other               string
	UpdatedAt           *time.Time
}

// Needs lists the profile's needs as message-id keys ("large_print", ...),
// for access plans and counts.
func (p SupportProfile) Needs() []string {
	var out []string
	for _, n := range []struct {
		on  bool
		key string
	}{{p.LargePrint, "large_print"}, {p.EasyRead, "easy_read"}, {p.BSLInterpreter, "bsl_interpreter"},
		{p.LanguageInterpreter != "", "language_interpreter"}, {p.HearingLoop, "hearing_loop"},
		{p.StepFree, "step_free"}, {p.AccessibleToilet, "accessible_toilet"}, {p.Breaks, "breaks"},
		{p.CarerAttending, "carer_attending"}, {p.Dietary != "", "dietary"}} {
		if n.on {
			out = append(out, n.key)
		}
	}
	return out
}

// Validate checks the free-text parts.
func (p SupportProfile) Validate() error {
	var v ValidationError
	// The limits are the database's: a longer value must be a field
	// error, not a failed insert.
	checkLine(&v, "language_interpreter", p.LanguageInterpreter, 100, false, "")
	checkText(&v, "good_times", p.GoodTimes, 1000, false, "")
	checkText(&v, "bad_times", p.BadTimes, 1000, false, "")
	checkText(&v, "dietary", p.Dietary, 1000, false, "")
	checkText(&v, "other", p.Other, 2000, false, "")
	return v.Err()
}

// Empty reports whether the profile says nothing at all.
func (p SupportProfile) Empty() bool {
	return len(p.Needs()) == 0 && p.GoodTimes == "" && p.BadTimes == "" && p.Other == ""
}

// SupportSource is needs a person gave elsewhere, which they may copy into
// another project: another project's (ProjectID set) or the needs given
// before they were kept per project (ProjectID 0).
type SupportSource struct {
	ProjectID    int64
	ProjectTitle string
	Profile      SupportProfile
}

// SupportRead is one reading of a person's needs by someone else.
type SupportRead struct {
	At         time.Time
	ReaderName string
	// ReaderRole is the reader's role in the project now, or "" if they
	// have left it.
	ReaderRole ProjectRole
	// MeetingID is set when the needs were read as part of a meeting's
	// access plan.
	MeetingID int64
}

// Buddy pairs a lay partner with a staff member.
type Buddy struct {
	PartnerID   int64
	PartnerName string
	BuddyID     int64
	BuddyName   string
	BuddyEmail  string
}

// Meeting is a meeting of a project's members.
type Meeting struct {
	// FormToken is the token of the form that creates it (only then): the
	// same form sent twice makes one meeting.
	FormToken        string
	ID               int64
	ProjectID        int64
	Title            string
	StartsAt         time.Time
	EndsAt           time.Time
	Venue            string
	OnlineLink       string
	StepFree         bool
	HearingLoop      bool
	AccessibleToilet bool
	Parking          bool
	Notes            string
	AttendanceTaken  bool
}

// Hours is the meeting's length.
func (m Meeting) Hours() float64 { return m.EndsAt.Sub(m.StartsAt).Hours() }

// Started reports whether the meeting has started at now. Attendance opens
// then (before it, who came is not known), and replies close.
func (m Meeting) Started(now time.Time) bool { return !now.Before(m.StartsAt) }

// MeetingInput is what an organiser types. Times are as posted (the
// "date" and "time" inputs), in UK time.
type MeetingInput struct {
	Title            string
	Date             string
	Start            string
	End              string
	Venue            string
	OnlineLink       string
	StepFree         bool
	HearingLoop      bool
	AccessibleToilet bool
	Parking          bool
}

// Normalize folds the one-line fields and tidies the venue's lines.
func (in *MeetingInput) Normalize() {
	in.Title = OneLine(in.Title)
	in.Venue = CleanText(in.Venue)
	in.OnlineLink = OneLine(in.OnlineLink)
}

// Validate checks the meeting and returns its start and end.
func (in MeetingInput) Validate(loc *time.Location) (time.Time, time.Time, error) {
	var v ValidationError
	checkLine(&v, "title", in.Title, 200, true, "error.meeting.title_required")
	_, err := time.ParseInLocation("2006-01-02", in.Date, loc)
	if err != nil {
		v.Add("date", "error.meeting.date_invalid")
	}
	start, err1 := localTime(in.Date, in.Start, loc)
	end, err2 := localTime(in.Date, in.End, loc)
	switch {
	case err == nil && err1 != nil:
		v.Add("start", timeMessage(err1))
	case err == nil && err2 != nil:
		v.Add("end", timeMessage(err2))
	case err == nil && !end.After(start):
		v.Add("end", "error.meeting.end_before_start")
	}
	checkText(&v, "venue", in.Venue, 500, false, "")
	checkLine(&v, "online_link", in.OnlineLink, 500, false, "")
	if strings.TrimSpace(in.Venue) == "" && strings.TrimSpace(in.OnlineLink) == "" {
		v.Add("venue", "error.meeting.where_required")
	}
	if l := strings.TrimSpace(in.OnlineLink); l != "" {
		u, err := url.Parse(l)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.Add("online_link", "error.meeting.link_invalid")
		}
	}
	return start, end, v.Err()
}

// errSkippedTime is a clock time that never happens on the day: the hour
// the clocks go forward.
var errSkippedTime = errors.New("time skipped when the clocks go forward")

// localTime reads a date and clock time in loc. Go moves a time the clocks
// skip (01:30 on the day UK clocks go forward) an hour on without a word;
// the meeting would be saved for a time nobody typed, so it is refused.
func localTime(date, clock string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, loc)
	if err != nil {
		return t, err
	}
	if typed, _ := time.Parse("2006-01-02 15:04", date+" "+clock); t.Hour() != typed.Hour() || t.Minute() != typed.Minute() {
		return t, errSkippedTime
	}
	return t, nil
}

func timeMessage(err error) string {
	if errors.Is(err, errSkippedTime) {
		return "error.meeting.time_skipped"
	}
	return "error.meeting.time_invalid"
}

// Attendee is a member replying to a meeting, with their needs when the
// viewer may see them.
type Attendee struct {
	UserID    int64
	Name      string
	Role      ProjectRole
	Attending *bool // nil: no reply yet
	Attended  bool
	Profile   SupportProfile
	// Replied says who recorded the reply, when a facilitator did.
	Replied Recorded
}

// PlanLine is one need in a meeting's access plan: how many of those
// attending need it, who (for leads and facilitators), and whether the
// venue lacks it.
type PlanLine struct {
	Need      string
	Count     int
	Names     []string
	VenueLack bool
}

// AccessPlan works out a meeting's access plan from the profiles of those
// who said they are attending.
func AccessPlan(m Meeting, attendees []Attendee) []PlanLine {
	index := map[string]int{}
	var plan []PlanLine
	for _, a := range attendees {
		if a.Attending == nil || !*a.Attending {
			continue
		}
		for _, need := range a.Profile.Needs() {
			i, ok := index[need]
			if !ok {
				i = len(plan)
				index[need] = i
				plan = append(plan, PlanLine{Need: need, VenueLack: venueLacks(m, need)})
			}
			plan[i].Count++
			plan[i].Names = append(plan[i].Names, a.Name)
		}
		if a.Profile.GoodTimes != "" || a.Profile.BadTimes != "" {
			i, ok := index["times"]
			if !ok {
				i = len(plan)
				index["times"] = i
				plan = append(plan, PlanLine{Need: "times"})
			}
			plan[i].Count++
			plan[i].Names = append(plan[i].Names, a.Name)
		}
	}
	return plan
}

// venueLacks reports whether an in-person venue lacks what a need requires.
func venueLacks(m Meeting, need string) bool {
	if m.Venue == "" {
		return false
	}
	switch need {
	case "step_free":
		return !m.StepFree
	case "hearing_loop":
		return !m.HearingLoop
	case "accessible_toilet":
		return !m.AccessibleToilet
	}
	return false
}

// NeedKinds lists every kind of need a support profile records, in the
// order they are asked; reports count members by these.
var NeedKinds = []string{"large_print", "easy_read", "bsl_interpreter", "language_interpreter", "hearing_loop",
	"step_free", "accessible_toilet", "breaks", "carer_attending", "dietary"}
