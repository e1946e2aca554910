package coproduce

import "time"

// AuditEvent is one entry in the append-only record of who changed what.
// Before and After are marshalled to JSON; they hold the changed fields,
// never passwords or tokens.
type AuditEvent struct {
	ID        int64
	At        time.Time
	ActorID   int64
	ActorName string
	ProjectID int64
	Action    string
	Subject   string
	Before    any
	After     any
}
