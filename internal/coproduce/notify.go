package coproduce

// Notify is how a person wants to hear about new proposals and answers.
type Notify string

// The notification preferences.
const (
	NotifyImmediate Notify = "immediate"
	NotifyDaily     Notify = "daily"
	NotifyNone      Notify = "none"
)

// NotifyChoices lists the preferences in the order they are offered.
var NotifyChoices = []Notify{NotifyImmediate, NotifyDaily, NotifyNone}

// ValidNotify reports whether n is a preference.
func ValidNotify(n Notify) bool { return oneOf(n, NotifyChoices) }

// Notice is news for one person: an email now, or a line in tomorrow's
// digest, as they prefer.
type Notice struct {
	UserID int64
	Notify Notify
	Email  Email  // sent at once when Notify is immediate
	Line   string // kept for the digest when Notify is daily
	Link   string
}

// Recipient is a member who may be told about something.
type Recipient struct {
	UserID int64
	Name   string
	Email  string
	Notify Notify
}

// DigestItem is one line of news in a daily digest.
type DigestItem struct {
	ID   int64
	Line string
	Link string
}
