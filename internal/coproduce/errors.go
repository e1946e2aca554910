package coproduce

import (
	"errors"
	"strings"
)

// Errors that the storage and domain layers return and the HTTP layer maps
// to responses in one place.
var (
	// ErrNotFound means the thing asked for does not exist, or that its
	// existence is private to the person asking.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a uniqueness rule was broken, such as a second
	// account with the same email.
	ErrConflict = errors.New("conflict")
	// ErrForbidden means the person may see the thing but not do this to it.
	ErrForbidden = errors.New("forbidden")
	// ErrThrottled means too many attempts were made in a short time.
	ErrThrottled = errors.New("throttled")
	// ErrStale means someone else changed the record since the editor
	// loaded it; saving would overwrite their change.
	ErrStale = errors.New("changed by someone else")
	// ErrPurposeNotRead means a lay partner tried to sign off step 3
	// before confirming they have read the current purpose statement.
	ErrPurposeNotRead = errors.New("purpose statement not read")
	// ErrLastLead means the change would leave a project with no lead.
	ErrLastLead = errors.New("the project's last lead")
	// ErrMeetingNotStarted means attendance was recorded for a meeting
	// that has not started: who came is not known yet, and a payment for
	// it would be dated in the future.
	ErrMeetingNotStarted = errors.New("the meeting has not started")
)

// FieldError is one problem with one form field. Message is a key in the
// message catalogue, not text, so that it can be translated.
type FieldError struct {
	Field   string
	Message string
}

// ValidationError lists every problem found with a submitted form, in the
// order the fields appear, so the error summary can follow the page.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid input: " + strings.Join(parts, ", ")
}

// Add records a problem with a field.
func (e *ValidationError) Add(field, message string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: message})
}

// For returns the message for a field, or "" when the field is fine.
func (e *ValidationError) For(field string) string {
	if e == nil {
		return ""
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// Err returns the error when there were problems and nil otherwise, so that
// validators can end with `return v.Err()`.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}
