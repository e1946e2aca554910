package coproduce

import (
	"net/mail"
	"time"
	"unicode/utf8"
)

// SystemRole is what an account may do across the whole installation.
// What a person may do inside a project comes from their membership.
type SystemRole string

// The system roles.
const (
	RoleAdmin   SystemRole = "admin"
	RoleStaff   SystemRole = "staff"
	RolePartner SystemRole = "partner"
)

// Valid reports whether r is one of the system roles.
func (r SystemRole) Valid() bool {
	return r == RoleAdmin || r == RoleStaff || r == RolePartner
}

// User is an account.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         SystemRole
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
	// Language is the language the person chose for pages and emails
	// (Languages), or "" until they choose.
	Language string
	// TextSize is the text size the person chose (TextLarger or
	// TextStandard), "" when they have not chosen.
	TextSize string
	// AsksLargePrint is set when one of their support profiles asks for
	// large print: then text is larger until they choose otherwise.
	AsksLargePrint bool
	// Reading is the reading mode the person chose (ReadingEasy or
	// ReadingStandard), "" when they have not chosen.
	Reading string
	// AsksEasyRead is set when one of their support profiles asks for easy
	// read: then pages are in easy read until they choose otherwise.
	AsksEasyRead bool
}

// The reading modes a person may choose.
const (
	ReadingStandard = "standard"
	ReadingEasy     = "easy_read"
)

// EasyRead reports whether pages are in easy read for this person: their
// choice; or, until they choose, by itself when they asked for easy read
// or when this browser was switched to easy read before they signed in
// (browserChose).
func (u *User) EasyRead(browserChose bool) bool {
	if u.Reading != "" {
		return u.Reading == ReadingEasy
	}
	return u.AsksEasyRead || browserChose
}

// The text sizes a person may choose.
const (
	TextStandard = "standard"
	TextLarger   = "larger"
)

// LargerText reports whether pages show this person larger text: their
// choice, or by itself when they asked for large print.
func (u *User) LargerText() bool {
	if u.TextSize != "" {
		return u.TextSize == TextLarger
	}
	return u.AsksLargePrint
}

// IsAdmin reports whether the user administers the installation.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// CanCreateProjects reports whether the user may start a project: staff and
// administrators may; lay partners lead projects only by being made leads.
func (u *User) CanCreateProjects() bool {
	return u != nil && (u.Role == RoleAdmin || u.Role == RoleStaff)
}

// NewUser is what it takes to create an account.
type NewUser struct {
	Email    string
	Name     string
	Role     SystemRole
	Password string
}

// Limits on account fields, shared with the database constraints.
const (
	MaxNameLength     = 200
	MaxEmailLength    = 254
	MinPasswordLength = 10
	MaxPasswordLength = 128
)

// Normalize trims the fields a person typed.
func (n *NewUser) Normalize() {
	n.Email = OneLine(n.Email)
	n.Name = CloseBidi(OneLine(n.Name))
}

// Validate checks a new account. The password is optional: partners may
// sign in with one-time links instead.
func (n NewUser) Validate() error {
	var v ValidationError
	checkName(&v, "name", n.Name)
	checkEmail(&v, "email", n.Email)
	if !n.Role.Valid() {
		v.Add("role", "error.role.invalid")
	}
	if n.Password != "" {
		checkPassword(&v, "password", n.Password)
	}
	return v.Err()
}

func checkName(v *ValidationError, field, name string) {
	switch {
	case name == "":
		v.Add(field, "error.name.required")
	case !ValidText(name):
		v.Add(field, "error.text.invalid")
	case !IsOneLine(name):
		v.Add(field, "error.text.one_line")
	case utf8.RuneCountInString(name) > MaxNameLength:
		v.Add(field, "error.name.too_long")
	}
}

func checkEmail(v *ValidationError, field, email string) {
	switch {
	case email == "":
		v.Add(field, "error.email.required")
	case !ValidEmail(email):
		v.Add(field, "error.email.invalid")
	}
}

func checkPassword(v *ValidationError, field, pw string) {
	switch n := utf8.RuneCountInString(pw); {
	case !utf8.ValidString(pw):
		v.Add(field, "error.text.invalid")
	case n < MinPasswordLength:
		v.Add(field, "error.password.too_short")
	case n > MaxPasswordLength:
		v.Add(field, "error.password.too_long")
	}
}

// ValidEmail reports whether s is a plain email address (no display name).
func ValidEmail(s string) bool {
	if len(s) > MaxEmailLength || !utf8.ValidString(s) {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// ValidatePassword checks a new password on its own.
func (n NewUser) ValidatePassword() error {
	var v ValidationError
	checkPassword(&v, "new_password", n.Password)
	return v.Err()
}
