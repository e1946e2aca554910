package coproduce

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coproduce/coproduce/internal/i18n"
)

var catalog = func() *i18n.Catalog {
	c, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	return c
}()

// checkFieldErrors holds for every validator: each message is in the
// catalogue; a "too long" message names a limit the text is over; and a
// form that passes holds only text PostgreSQL can store. fields maps a
// field's name to the value the validator saw.
func checkFieldErrors(t *testing.T, err error, fields map[string]string) {
	t.Helper()
	var v *ValidationError
	if err != nil && !errors.As(err, &v) {
		t.Fatalf("validator returned %T %v, not a ValidationError", err, err)
	}
	for _, fe := range fieldErrors(v) {
		if !catalog.Has(fe.Message) {
			t.Fatalf("field %s: message %q is not in the catalogue", fe.Field, fe.Message)
		}
		if limit, ok := strings.CutPrefix(fe.Message, "error.text.too_long."); ok {
			max, _ := strconv.Atoi(limit)
			if n := utf8.RuneCountInString(fields[fe.Field]); n <= max {
				t.Fatalf("field %s: %d characters rejected with %q", fe.Field, n, fe.Message)
			}
		}
	}
	for field, value := range fields {
		if err == nil && !ValidText(value) {
			t.Fatalf("field %s: %q passed but PostgreSQL cannot store it", field, value)
		}
	}
}

func fieldErrors(v *ValidationError) []FieldError {
	if v == nil {
		return nil
	}
	return v.Fields
}

// textField is one free-text field of a form, with its limit in characters.
type textField struct {
	name, value string
	max         int
}

// checkLimits adds to checkFieldErrors that a form that passes has each
// field within its limit.
func checkLimits(t *testing.T, form string, err error, fields []textField) {
	t.Helper()
	m := map[string]string{}
	for _, f := range fields {
		m[f.name] = f.value
	}
	checkFieldErrors(t, err, m)
	for _, f := range fields {
		if err == nil && utf8.RuneCountInString(f.value) > f.max {
			t.Fatalf("%s: %s of %d characters passed; the limit is %d", form, f.name, utf8.RuneCountInString(f.value), f.max)
		}
	}
}

// FuzzTextForms puts the same arbitrary text in every free-text field of
// the forms that are only text, after the form's own trimming.
func FuzzTextForms(f *testing.F) {
	for _, s := range []string{"", " ", "ok", "line\r\nbreak", "a\x00b", "\xff\xfe", "\u00a0", "\u2028",
		strings.Repeat("é", 201), strings.Repeat("x", 2001), strings.Repeat("x", 5001)} {
		f.Add(s, "no")
	}
	f.Add(strings.Repeat("x", 10001), "yes")
	f.Fuzz(func(t *testing.T, s, included string) {
		if c := CleanText(s); strings.ContainsRune(c, '\r') || c != strings.TrimSpace(c) || CleanText(c) != c {
			t.Fatalf("CleanText(%q) = %q, not trimmed text with Unix line endings", s, c)
		}
		p := ProposalInput{Title: s, Body: s}
		p.Normalize()
		checkLimits(t, "proposal", p.Validate(), []textField{{"title", p.Title, 200}, {"body", p.Body, 10000}})

		r := ResponseInput{Response: NotAdopted, Rationale: CleanText(s)}
		checkLimits(t, "response", r.Validate(), []textField{{"rationale", r.Rationale, 5000}})
		checkLimits(t, "comment", ValidateComment(CleanText(s)), []textField{{"body", CleanText(s), MaxCommentLength}})
		checkLimits(t, "hide", ValidateHideReason(CleanText(s)), []textField{{"reason", CleanText(s), 2000}})
		checkLimits(t, "notes", NotesInput{Notes: CleanText(s)}.Validate(), []textField{{"notes", CleanText(s), MaxNotesLength}})

		pu := PurposeInput{Purpose: s, Expectations: s, Fixed: s, OpenToChange: s, ContributionsUse: s, ExpensesPolicy: s}
		pu.Normalize()
		checkLimits(t, "purpose", pu.Validate(), []textField{{"purpose", pu.Purpose, 5000}, {"expectations", pu.Expectations, 5000},
			{"fixed", pu.Fixed, 5000}, {"open_to_change", pu.OpenToChange, 5000}, {"contributions_use", pu.ContributionsUse, 5000},
			{"expenses_policy", pu.ExpensesPolicy, 5000}})

		fr := FourRsInput{Role: s, Remit: s, Relationships: s, Responsibility: s}
		fr.Normalize()
		checkLimits(t, "4Rs", fr.Validate(), []textField{{"role", fr.Role, 2000}, {"remit", fr.Remit, 2000},
			{"relationships", fr.Relationships, 2000}, {"responsibility", fr.Responsibility, 2000}})

		g := GroupInput{Name: s, Description: s, Affected: AffectedDirectly, Reach: s, Included: included, ExclusionReason: s}
		g.Normalize()
		checkLimits(t, "group", g.Validate(), []textField{{"name", g.Name, 200}, {"description", g.Description, 2000},
			{"reach", g.Reach, 2000}, {"exclusion_reason", g.ExclusionReason, 2000}})

		a := ApproachInput{Level: Levels[0], LevelRationale: s, Stage: EngagementStages[0], StageRationale: s,
			Scope: Scopes[0], ScopeRationale: s, Methods: map[Method]string{Methods[0]: s, Method(included): s}}
		a.Normalize()
		checkLimits(t, "approach", a.Validate(), []textField{{"level_rationale", a.LevelRationale, 2000},
			{"stage_rationale", a.StageRationale, 2000}, {"scope_rationale", a.ScopeRationale, 2000},
			{"rationale_" + string(Methods[0]), a.Methods[Methods[0]], 2000}})

		sp := SupportProfile{LanguageInterpreter: s, GoodTimes: s, BadTimes: s, Dietary: s, Other: s}
		checkLimits(t, "support", sp.Validate(), []textField{{"language_interpreter", s, 100}, {"good_times", s, 1000},
			{"bad_times", s, 1000}, {"dietary", s, 1000}, {"other", s, 2000}})

		pr := ProjectInput{Title: s, Summary: s, Status: ProjectStatus(included)}
		pr.Normalize()
		checkLimits(t, "project", pr.Validate(), []textField{{"title", pr.Title, MaxTitleLength}, {"summary", pr.Summary, MaxSummaryLength}})
	})
}

// FuzzAccountInput posts arbitrary accounts, invitations and memberships.
// An email address that passes is one plain address a mail header can
// carry; a name and password that pass are within their limits.
func FuzzAccountInput(f *testing.F) {
	f.Add("person@example.org", "Ann Example", "correct horse battery", "partner")
	f.Add(" person@example.org ", " Ann ", "short", "staff")
	f.Add("Ann <ann@example.org>", "Ann", "", "admin")
	f.Add("ann@example.org\r\nBcc: x@example.org", "Ann", "", "lead")
	f.Add(`"ann smith"@example.org`, "Ann", "", "lay_partner")
	f.Add("ann@[127.0.0.1]", strings.Repeat("n", 201), strings.Repeat("p", 129), "facilitator")
	f.Add("ann@example.org (comment)", "a\x00b", "pass\x00word12", "")
	f.Add(strings.Repeat("a", 250)+"@x.io", "\xff", "\xffpassword12", "staff_partner")
	f.Fuzz(func(t *testing.T, email, name, password, role string) {
		if ValidEmail(email) {
			checkEmailAddress(t, email)
		}
		u := NewUser{Email: email, Name: name, Password: password, Role: SystemRole(role)}
		u.Normalize()
		err := u.Validate()
		checkFieldErrors(t, err, map[string]string{"name": u.Name})
		var v *ValidationError
		errors.As(err, &v)
		if v.For("email") == "" && !ValidEmail(u.Email) {
			t.Fatalf("account email %q passed", u.Email)
		}
		if v.For("name") == "" && (u.Name == "" || utf8.RuneCountInString(u.Name) > MaxNameLength) {
			t.Fatalf("account name %q passed", u.Name)
		}
		if v.For("password") == "" && password != "" {
			checkPasswordRules(t, password)
		}
		if u.ValidatePassword() == nil {
			checkPasswordRules(t, password)
		}

		in := InvitationInput{Name: name, Email: email, Role: ProjectRole(role), Message: password}
		in.Normalize()
		err = in.Validate()
		checkLimits(t, "invitation", err, []textField{{"name", in.Name, MaxNameLength}, {"message", in.Message, 2000}})
		if err == nil && (!ValidEmail(in.Email) || !in.Role.Valid()) {
			t.Fatalf("invitation to %q as %q passed", in.Email, in.Role)
		}
		membership := NewMembership{Email: email, Role: ProjectRole(role)}
		if membership.Validate() == nil && !ValidEmail(email) {
			t.Fatalf("membership for %q passed", email)
		}
	})
}

func checkEmailAddress(t *testing.T, email string) {
	t.Helper()
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || len(email) > MaxEmailLength || !utf8.ValidString(email) {
		t.Fatalf("ValidEmail(%q) but it is not one address", email)
	}
	for _, r := range email {
		if r < 0x20 || r == 0x7f || r == ' ' || r == '<' || r == '>' || r == ',' {
			t.Fatalf("ValidEmail(%q) but it holds %q, which a mail header cannot carry as it is", email, r)
		}
	}
}

func checkPasswordRules(t *testing.T, pw string) {
	t.Helper()
	n := utf8.RuneCountInString(pw)
	if !utf8.ValidString(pw) || n < MinPasswordLength || n > MaxPasswordLength {
		t.Fatalf("password %q (%d characters) passed", pw, n)
	}
}

// FuzzMeetingInput posts arbitrary meetings. A meeting that passes ends
// after it starts, starts at the UK date and clock time typed, and any
// online link is a web address.
func FuzzMeetingInput(f *testing.F) {
	f.Add("Planning", "2025-06-01", "10:00", "12:30", "Room 4", "")
	f.Add("Online", "2025-06-01", "9:05", "09:45", "", "https://meet.example/abc")
	f.Add("Late", "2025-06-01", "23:00", "00:30", "Hall", "")
	f.Add("Bad link", "2025-06-01", "10:00", "11:00", "", "javascript:alert(1)")
	f.Add("Clocks forward", "2025-03-30", "01:30", "03:00", "Hall", "")
	f.Add("Clocks back", "2025-10-26", "01:15", "01:45", "Hall", "")
	f.Add("", "2025-02-29", "10:00", "11:00", " ", " ")
	f.Add(strings.Repeat("t", 201), "2025-06-01 10:00", "", "11:00", strings.Repeat("v", 501), "http://")
	f.Fuzz(func(t *testing.T, title, date, start, end, venue, link string) {
		in := MeetingInput{Title: title, Date: date, Start: start, End: end, Venue: venue, OnlineLink: link}
		from, to, err := in.Validate(UK)
		checkFieldErrors(t, err, map[string]string{"title": strings.TrimSpace(title), "venue": venue, "online_link": link})
		if err != nil {
			return
		}
		if !to.After(from) {
			t.Fatalf("meeting from %v to %v passed", from, to)
		}
		checkClock(t, from, date, start)
		checkClock(t, to, date, end)
		if strings.TrimSpace(venue) == "" && strings.TrimSpace(link) == "" {
			t.Fatal("meeting with nowhere to meet passed")
		}
	})
}

// checkClock holds when a time shows, in UK time, as the date and clock
// time typed: the meeting is saved when people said it would be.
func checkClock(t *testing.T, got time.Time, date, clock string) {
	t.Helper()
	typed, err := time.Parse("2006-01-02 15:04", date+" "+clock)
	if err != nil {
		t.Fatalf("%s %s passed but does not parse: %v", date, clock, err)
	}
	if shown := got.In(UK).Format("2006-01-02 15:04"); shown != typed.Format("2006-01-02 15:04") {
		t.Fatalf("%s %s typed, saved as %s UK time", date, clock, shown)
	}
}

// FuzzActionInput posts arbitrary actions: one that passes has its due
// date exactly as typed and a known status.
func FuzzActionInput(f *testing.F) {
	f.Add("Book a room", "Ann", "2025-07-01", "not_started")
	f.Add("", " ", "2025-7-1", "done")
	f.Add("x", "y", "0000-01-01", "in_progress")
	f.Add(strings.Repeat("d", 2001), strings.Repeat("o", 201), "2025-02-30", "other")
	f.Fuzz(func(t *testing.T, description, owner, due, status string) {
		in := ActionInput{Description: description, Owner: owner, DueOn: due, Status: ActionStatus(status)}
		day, err := in.Validate()
		checkLimits(t, "action", err, []textField{{"description", description, 2000}, {"owner", owner, 200}})
		if err != nil {
			return
		}
		if day.Format("2006-01-02") != due || !oneOf(in.Status, ActionStatuses) {
			t.Fatalf("action due %q with status %q passed as %v", due, status, day)
		}
	})
}
