package coproduce

import (
	"crypto/rand"
	"strings"
	"time"
	"unicode"
)

// ContactWay is how a member wants to be reached: by email, or, for people
// who take part offline, by phone, by post or in person only.
type ContactWay string

// The ways to reach a member.
const (
	ContactEmail ContactWay = "email"
	ContactPhone ContactWay = "phone"
	// ContactText is a text message, which a member may choose on their
	// support page (communication.go). It is not one of the ways a
	// facilitator adds someone offline by, nor a way to give agreement.
	ContactText     ContactWay = "text"
	ContactPost     ContactWay = "post"
	ContactInPerson ContactWay = "in_person"
)

// OfflineContactWays are the ways offered for a member who does not use
// email, in the order they are offered.
var OfflineContactWays = []ContactWay{ContactPhone, ContactPost, ContactInPerson}

// Offline reports whether w is one of the ways to reach a member without
// email.
func (w ContactWay) Offline() bool {
	return w == ContactPhone || w == ContactPost || w == ContactInPerson
}

// NotByEmail reports whether a member who asked to be contacted this way
// asked not to be emailed: by phone, text, letter or in person. The
// Accessible Information Standard asks us to act on that, so the project's
// news goes to their Updates page only and the organisers reach them the
// way they chose.
func (w ContactWay) NotByEmail() bool { return w != ContactEmail && w != "" }

// NeedsPhone reports whether reaching a member this way needs their phone
// number: a call or a text message.
func (w ContactWay) NeedsPhone() bool { return w == ContactPhone || w == ContactText }

// Limits on a member's contact details, shared with the database.
const (
	MaxPhoneLength   = 40
	MaxAddressLength = 500
)

// MemberContact is how to reach one member of a project: personal data,
// shown only to the project's leads and facilitators and to the person.
type MemberContact struct {
	Way     ContactWay
	Phone   string
	Address string
}

// OfflineMember is what a facilitator fills in to add a member who does
// not use email, having taken their agreement to take part by phone, by
// post or in person.
type OfflineMember struct {
	Name    string
	Contact MemberContact
	// Agreed is how the person agreed to take part; the form asks the
	// facilitator to confirm that they did.
	Agreed  ContactWay
	Confirm bool
	Role    ProjectRole
}

// Normalize trims what was typed.
func (m *OfflineMember) Normalize() {
	m.Name = CloseBidi(OneLine(m.Name))
	m.Contact.Phone = OneLine(m.Contact.Phone)
	m.Contact.Address = CleanText(m.Contact.Address)
	if m.Role == "" {
		m.Role = RoleLayPartner
	}
}

// Validate checks the request: a name, a way to reach them that is not
// email, the phone number or address that way needs, and the facilitator's
// word that the person agreed.
func (m OfflineMember) Validate() error {
	var v ValidationError
	checkName(&v, "name", m.Name)
	if !m.Contact.Way.Offline() {
		v.Add("contact_way", "offline.error.way")
	}
	checkLine(&v, "phone", m.Contact.Phone, MaxPhoneLength, m.Contact.Way.NeedsPhone(), "offline.error.phone_required")
	if m.Contact.Phone != "" && !validPhone(m.Contact.Phone) {
		v.Add("phone", "offline.error.phone_invalid")
	}
	checkText(&v, "address", m.Contact.Address, MaxAddressLength, m.Contact.Way == ContactPost, "offline.error.address_required")
	if m.Role != RoleLayPartner && m.Role != RoleStaffPartner {
		v.Add("role", "error.project_role.invalid")
	}
	if !m.Agreed.Offline() {
		v.Add("agreed", "offline.error.agreed")
	}
	if !m.Confirm {
		v.Add("confirm", "offline.error.confirm")
	}
	return v.Err()
}

// validPhone accepts what people write for a UK or international number:
// digits, spaces, brackets, dashes and a leading plus, with at least six
// digits.
func validPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case unicode.IsDigit(r) && r < 128:
			digits++
		case r == ' ' || r == '(' || r == ')' || r == '-':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 6
}

// JoinCodeLength is how many characters a letter's join code has.
const JoinCodeLength = 8

// JoinCodeLifetime is how long a letter's code works.
const JoinCodeLifetime = 90 * 24 * time.Hour

// joinCodeAlphabet has no letters or digits that look alike on paper or
// when read out (no 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V).
const joinCodeAlphabet = "ACDEFGHJKMNPQRTWXY34679"

// NewJoinCode makes a random code for a letter, such as "K7DM-4QXT".
func NewJoinCode() (string, error) {
	b := make([]byte, JoinCodeLength)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	out := make([]byte, 0, JoinCodeLength+1)
	for i, c := range b {
		if i == JoinCodeLength/2 {
			out = append(out, '-')
		}
		// 256 is not a multiple of the alphabet's length; the small bias
		// this leaves does not matter for a code that is throttled and
		// expires.
		out = append(out, joinCodeAlphabet[int(c)%len(joinCodeAlphabet)])
	}
	return string(out), nil
}

// NormalizeJoinCode turns what a person typed into the code as stored
// before hashing: capitals, without spaces or dashes. It returns "" for
// anything that cannot be a code.
func NormalizeJoinCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
		case strings.ContainsRune(joinCodeAlphabet, r):
			b.WriteRune(r)
		default:
			return ""
		}
	}
	if b.Len() != JoinCodeLength {
		return ""
	}
	return b.String()
}

// The audit actions of taking part offline.
const (
	AuditMembershipAddOffline = "membership.add_offline"
	AuditJoinCodeCreate       = "join_code.create"
	AuditJoinCodeUse          = "join_code.use"
	AuditInvitationByPhone    = "invitation.accept_by_phone"
)

func init() {
	AuditActions = append(AuditActions, AuditMembershipAddOffline, AuditJoinCodeCreate, AuditJoinCodeUse,
		AuditInvitationByPhone)
}
