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
	// NotBefore and NotAfter are the clock times ("15:00", UK time) the
	// person can take part between, "" for no limit: the access plan flags
	// a meeting outside them.
	NotBefore string
	NotAfter  string
	// The communication needs (see communication.go): formats besides
	// large print and easy read, emails in plain text only, an advocate;
	// ShareFlags is the person's choice to show a short tag of them to
	// leads and facilitators where they act on them.
	ScreenReader   bool
	Braille        bool
	Audio          bool
	PlainTextEmail bool
	Advocate       bool
	ShareFlags     bool
	// Contact is how the person wants to be contacted, kept on their
	// membership (as taking part offline keeps it); read and saved with
	// the profile only by the person's own support page.
	Contact   MemberContact `json:"-"`
	UpdatedAt *time.Time
	// Recorded says who saved them for the member, when a facilitator did.
	Recorded Recorded `json:"-"`
}

// Needs lists the profile's needs as message-id keys ("large_print", ...),
// for access plans and counts.
func (p SupportProfile) Needs() []string {
	var out []string
	for _, n := range []struct {
		on  bool
		key string
	}{{p.LargePrint, "large_print"}, {p.EasyRead, "easy_read"}, {p.ScreenReader, "screen_reader"},
		{p.Braille, "braille"}, {p.Audio, "audio"}, {p.BSLInterpreter, "bsl_interpreter"},
		{p.LanguageInterpreter != "", "language_interpreter"}, {p.Advocate, "advocate"}, {p.HearingLoop, "hearing_loop"},
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
	checkTimeOfDay(&v, "not_before", p.NotBefore)
	checkTimeOfDay(&v, "not_after", p.NotAfter)
	if p.NotBefore != "" && p.NotAfter != "" && v.For("not_before") == "" && v.For("not_after") == "" &&
		p.NotAfter <= p.NotBefore {
		v.Add("not_after", "error.support.not_after_order")
	}
	p.validateContact(&v)
	return v.Err()
}

// Empty reports whether the profile says nothing at all.
func (p SupportProfile) Empty() bool {
	return len(p.Needs()) == 0 && !p.PlainTextEmail && p.GoodTimes == "" && p.BadTimes == "" && p.Other == "" &&
		p.NotBefore == "" && p.NotAfter == ""
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
	// Sequence counts the meeting's changes since it was arranged: its
	// calendar file's SEQUENCE, and the version an edit form carries.
	Sequence int
	// CancelledAt is when it was cancelled (nil while it is on), with the
	// reason given, if any.
	CancelledAt  *time.Time
	CancelReason string
}

// Cancelled reports whether the meeting has been cancelled.
func (m Meeting) Cancelled() bool { return m.CancelledAt != nil }

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
// venue lacks it. Notes are what each person wrote in their own words
// (their times of day, their other needs), "Name: words", and TimeClash
// says the meeting is outside the times someone can take part.
type PlanLine struct {
	Need      string
	Count     int
	Names     []string
	VenueLack bool
	Notes     []PlanNote
	TimeClash bool
}

// PlanNote is one person's own words in an access plan, or the times they
// said they can take part between (NotBefore, NotAfter: "15:00" or "").
type PlanNote struct {
	Name                string
	Words               string
	NotBefore, NotAfter string
}

// AccessPlan works out a meeting's access plan from the profiles of those
// who said they are attending.
func AccessPlan(m Meeting, attendees []Attendee) []PlanLine {
	index := map[string]int{}
	var plan []PlanLine
	line := func(need string, a Attendee) *PlanLine {
		i, ok := index[need]
		if !ok {
			i = len(plan)
			index[need] = i
			plan = append(plan, PlanLine{Need: need, VenueLack: venueLacks(m, need), TimeClash: need == "time_clash"})
		}
		plan[i].Count++
		plan[i].Names = append(plan[i].Names, a.Name)
		return &plan[i]
	}
	for _, a := range attendees {
		if a.Attending == nil || !*a.Attending {
			continue
		}
		for _, need := range a.Profile.Needs() {
			line(need, a)
		}
		if a.Profile.GoodTimes != "" || a.Profile.BadTimes != "" {
			l := line("times", a)
			for _, w := range []string{a.Profile.GoodTimes, a.Profile.BadTimes} {
				if w != "" {
					l.Notes = append(l.Notes, PlanNote{Name: a.Name, Words: w})
				}
			}
		}
		if outsideTimes(m, a.Profile) {
			l := line("time_clash", a)
			l.Notes = append(l.Notes, PlanNote{Name: a.Name, NotBefore: a.Profile.NotBefore, NotAfter: a.Profile.NotAfter})
		}
		if a.Profile.Other != "" {
			l := line("other", a)
			l.Notes = append(l.Notes, PlanNote{Name: a.Name, Words: a.Profile.Other})
		}
	}
	return plan
}

// outsideTimes reports whether the meeting, in UK clock time, starts
// before the person's earliest time or ends after their latest. A meeting
// that runs past midnight ends "after" any time.
func outsideTimes(m Meeting, p SupportProfile) bool {
	start, end := m.StartsAt.In(UK), m.EndsAt.In(UK)
	if p.NotBefore != "" && start.Format("15:04") < p.NotBefore {
		return true
	}
	if p.NotAfter != "" {
		sy, sm, sd := start.Date()
		ey, em, ed := end.Date()
		if sy != ey || sm != em || sd != ed || end.Format("15:04") > p.NotAfter {
			return true
		}
	}
	return false
}

// checkTimeOfDay checks an optional clock time, "HH:MM".
func checkTimeOfDay(v *ValidationError, field, s string) {
	if s == "" {
		return
	}
	if _, err := time.Parse("15:04", s); err != nil || len(s) != 5 {
		v.Add(field, "error.support.time_invalid")
	}
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

// NeedKinds lists every kind of need a support profile records (each
// that Needs can return), in the order the support form asks them;
// reports count members by these.
var NeedKinds = []string{"large_print", "easy_read", "screen_reader", "braille", "audio",
	"bsl_interpreter", "advocate", "carer_attending", "language_interpreter",
	"hearing_loop", "step_free", "accessible_toilet", "breaks", "dietary"}
