package coproduce

import "time"

// EmailStatus is where an email is on its way out.
type EmailStatus string

// The email statuses.
const (
	EmailQueued EmailStatus = "queued"
	EmailSent   EmailStatus = "sent"
	// EmailOutbox means no mail server is configured: the message waits in
	// the outbox for an administrator to read.
	EmailOutbox EmailStatus = "outbox"
	EmailFailed EmailStatus = "failed"
)

// Email is one outgoing message.
type Email struct {
	ID          int64
	To          string
	ToName      string
	Subject     string
	Text        string
	HTML        string
	Kind        string
	Status      EmailStatus
	Attempts    int
	LastError   string
	CreatedAt   time.Time
	DeliveredAt *time.Time
	// TokenKind ("sign_in" or "invitation") and TokenHash name the
	// one-time link the message carries, as the link's own table stores
	// it; Link is that link as written in the message. Empty for messages
	// without one.
	TokenKind string
	TokenHash []byte
	Link      string
	// Unsubscribe, when set on a notification being written, is the
	// one-click unsubscribe link it carries; ListUnsubscribe is that link
	// as stored and read back for the List-Unsubscribe header.
	Unsubscribe     *Unsubscribe
	ListUnsubscribe string
	// LinkLive says, when read back, whether the message may carry a link
	// that still works: one not yet used, expired or replaced.
	LinkLive bool
}

// HasLink reports whether the message carries a one-time link: recorded
// with it, or (for messages from before that was recorded) of a kind that
// carries one.
func (e Email) HasLink() bool {
	return e.TokenKind != "" || e.Kind == "sign_in_link" || e.Kind == "invitation"
}

// LinkRead is one time an administrator opened, in the outbox, a message
// to this person whose link still worked.
type LinkRead struct {
	Kind       string // the message's kind: "sign_in_link", "invitation"
	ReaderName string
	ReadAt     time.Time
}
