package views

import (
	"net/url"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// warnBefore is how long before a session ends people are warned, in
// seconds: long enough to read the warning and answer it (WCAG 2.2.1 asks
// for at least 20 seconds).
const warnBefore = 120

// Session is when a signed-in person's session ends, worked out as the page
// was made: what the timeout warning needs.
type Session struct {
	// Now is when the page was made.
	Now time.Time
	// IdleAt is when the idle timeout ends the session unless it is used
	// again; LimitAt is when the absolute limit ends it, whatever happens.
	IdleAt, LimitAt time.Time
	// Idle and Absolute are the two limits.
	Idle, Absolute time.Duration
	// Next is the page to come back to after staying signed in ("" for
	// the account page).
	Next string
	// OnWarningPage is set on the warning page itself.
	OnWarningPage bool
}

// IdleEndsIn and LimitEndsIn are the whole seconds left before each limit,
// rounded down so that warnings err early, never late.
func (s *Session) IdleEndsIn() int  { return secondsUntil(s.Now, s.IdleAt) }
func (s *Session) LimitEndsIn() int { return secondsUntil(s.Now, s.LimitAt) }

func secondsUntil(now, t time.Time) int { return max(int(t.Sub(now)/time.Second), 0) }

// EndsAt is when the session ends if nothing happens.
func (s *Session) EndsAt() time.Time {
	if s.Limited() {
		return s.LimitAt
	}
	return s.IdleAt
}

// Limited says the absolute limit comes first, so staying signed in would
// change nothing.
func (s *Session) Limited() bool { return !s.LimitAt.After(s.IdleAt) }

// NearLimit says staying signed in cannot give a whole idle period, because
// the absolute limit comes sooner.
func (s *Session) NearLimit() bool {
	return !s.Limited() && s.LimitAt.Sub(s.Now) < s.Idle
}

func (s *Session) idleMinutes() int { return int(s.Idle.Minutes()) }
func (s *Session) limitHours() int  { return max(int(s.Absolute.Hours()), 1) }

// warningURL is the warning page, coming back to Next.
func (s *Session) warningURL() string {
	if s.Next == "" {
		return "/account/session"
	}
	return "/account/session?next=" + url.QueryEscape(s.Next)
}

// timedOutURL is the sign-in page saying why the session ended: kind is
// "idle" or "limit".
func (s *Session) timedOutURL(kind string) string {
	to := "/sign-in?timeout=" + kind
	if s.Next != "" {
		to += "&next=" + url.QueryEscape(s.Next)
	}
	return to
}

// backURL is where "go back" leads from the warning page.
func (s *Session) backURL() string {
	if s.Next == "" {
		return "/account"
	}
	return s.Next
}

// clock shows a time as the UK's 24-hour clock, like 14:05.
func clock(t time.Time) string { return t.In(coproduce.UK).Format("15:04") }
