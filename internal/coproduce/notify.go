package coproduce

import "time"

// Notify is how a person wants to hear of one kind of update.
type Notify string

// The notification preferences.
const (
	NotifyImmediate Notify = "immediate" // an email at once
	NotifyDaily     Notify = "daily"     // a line in the daily digest
	NotifyNone      Notify = "none"      // on the Updates page only
)

// NotifyChoices lists the preferences in the order they are offered.
var NotifyChoices = []Notify{NotifyImmediate, NotifyDaily, NotifyNone}

// ValidNotify reports whether n is a preference.
func ValidNotify(n Notify) bool { return oneOf(n, NotifyChoices) }

// NewsKind is a kind of update, each with its own preference.
type NewsKind string

// The kinds of update.
const (
	NewsNewIdea      NewsKind = "new_idea"      // someone suggested an idea
	NewsComment      NewsKind = "comment"       // a comment on your idea, or a reply to your comment
	NewsAnswered     NewsKind = "answered"      // your idea was answered
	NewsAction       NewsKind = "action"        // an action on an idea you suggested or voted on moved
	NewsPurpose      NewsKind = "purpose"       // the purpose statement changed
	NewsFourRs       NewsKind = "fourrs"        // your 4Rs were written or changed
	NewsClaimDecided NewsKind = "claim_decided" // your claim was approved or rejected
	NewsMeeting      NewsKind = "meeting"       // a meeting arranged, changed, cancelled, or tomorrow
	NewsSignOff      NewsKind = "signoff"       // a step waits for your sign-off
	NewsClaimWaiting NewsKind = "claim_waiting" // a claim waits for your approval
	NewsIdeaWaiting  NewsKind = "idea_waiting"  // an idea has waited 21 days for an answer
)

// NewsKinds lists the kinds in the order the settings page offers them.
var NewsKinds = []NewsKind{NewsNewIdea, NewsComment, NewsAnswered, NewsAction, NewsPurpose, NewsFourRs,
	NewsClaimDecided, NewsMeeting, NewsSignOff, NewsClaimWaiting, NewsIdeaWaiting}

// ValidNewsKind reports whether k is a kind of update.
func ValidNewsKind(k NewsKind) bool { return oneOf(k, NewsKinds) }

// personalNews is what concerns a person themselves: a lay partner hears
// of it at once unless they choose otherwise.
var personalNews = []NewsKind{NewsAnswered, NewsClaimDecided, NewsComment, NewsFourRs, NewsMeeting}

// DefaultNotify is how a person hears of a kind of update until they
// choose: lay partners (partner accounts) get an email at once for what
// concerns them personally and a daily digest for the rest; staff get
// digests.
func DefaultNotify(kind NewsKind, role SystemRole) Notify {
	if role == RolePartner && oneOf(kind, personalNews) {
		return NotifyImmediate
	}
	return NotifyDaily
}

// IdeaWaitingDays is how long an idea may wait for an answer before its
// project's leads are told.
const IdeaWaitingDays = 21

// Notice is news for one person: a line on their Updates page and, as
// they prefer, an email now or a line in tomorrow's digest.
type Notice struct {
	UserID    int64
	ProjectID int64 // 0 for news about no one project
	Kind      NewsKind
	Notify    Notify
	Email     Email  // sent at once when Notify is immediate
	Line      string // the Updates page's line, and the digest's
	Lang      string // the language Line is written in: the person's
	Path      string // the thing's address in the app, for the Updates page
	Link      string // the same, absolute, for the digest
	// Once, when set, names news the person gets once only: a second
	// notice with the same name is dropped.
	Once string
}

// Audience is who a piece of news concerns: everyone any of its fields
// names, except the person who made the change.
type Audience struct {
	Users      []int64
	Members    bool        // every member of the project
	Leads      bool        // the project's leads and facilitators
	Role       ProjectRole // the project's members in this role
	IdeaAuthor int64       // the author of this proposal
	IdeaVoters int64       // everyone who voted on this proposal
	Commenter  int64       // the author of this comment
	// NewClaimDeciders is whoever may decide the claim the change made.
	NewClaimDeciders bool
}

// News is one change, for the people it concerns. The storage method that
// makes the change writes it in the same transaction: it finds the
// audience with their preferences for Kind, then asks Write for each
// person's notice.
type News struct {
	Kind      NewsKind
	ProjectID int64
	ActorID   int64 // never told of their own change
	Audience  Audience
	// Path is the thing's address; PathFor, when set, makes it from the id
	// of the row the change made (a new idea, comment or meeting).
	Path    string
	PathFor func(id int64) string
	Once    string
	Write   func(rc Recipient, path string) Notice
	// AppOnly puts it on the Updates page alone, whatever each person
	// chose.
	AppOnly bool
}

// Recipient is a person who may be told about something, with how they
// want to hear of the kind of news at hand.
type Recipient struct {
	UserID int64
	Name   string
	Email  string
	Notify Notify
	// Language is the language the person chose for what we write to
	// them, or "" for none chosen (English).
	Language string
}

// DigestItem is one line of news in a daily digest.
type DigestItem struct {
	ID   int64
	Kind NewsKind
	Line string
	Link string
}

// Update is one line on a person's Updates page.
type Update struct {
	ID        int64
	Kind      NewsKind
	Line      string
	Lang      string // the language Line was written in
	Path      string
	Project   string
	ProjectCy string
	CreatedAt time.Time
	Seen      bool
}

// Unsubscribe is the one-click unsubscribe link an email carries (RFC
// 8058): opening its URL and confirming, or a mail program's POST to it,
// turns the kinds of news the email carried to "Updates page only".
type Unsubscribe struct {
	UserID int64
	Kinds  []NewsKind
	Token  string // kept hashed
	URL    string
}
