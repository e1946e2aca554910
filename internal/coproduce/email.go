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
}
