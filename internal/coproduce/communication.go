package coproduce

// Communication needs follow the Accessible Information Standard (DCB1605):
// ask people if they have information or communication needs, record them,
// flag them, share them with their consent, and act on them. They are part
// of the support needs a person tells one project (SupportProfile).

// ContactWays are the ways a member may ask to be contacted, in the order
// the support form offers them.
var ContactWays = []ContactWay{ContactEmail, ContactPhone, ContactText, ContactPost, ContactInPerson}

// ValidContactWay reports whether w is one of ContactWays.
func ValidContactWay(w ContactWay) bool {
	for _, c := range ContactWays {
		if w == c {
			return true
		}
	}
	return false
}

// ContactChoice is how a person asked one of their projects to contact
// them, for their own notification settings.
type ContactChoice struct {
	ProjectID      int64
	Title, TitleCy string
	Way            ContactWay
}

// CommunicationNeeds lists the profile's communication needs as message-id
// keys ("need.large_print", ...): the formats they need, how emails reach
// them, and the support they need to communicate.
func (p SupportProfile) CommunicationNeeds() []string {
	var out []string
	for _, n := range []struct {
		on  bool
		key string
	}{{p.LargePrint, "large_print"}, {p.EasyRead, "easy_read"}, {p.ScreenReader, "screen_reader"},
		{p.Braille, "braille"}, {p.Audio, "audio"}, {p.PlainTextEmail, "plain_text_email"},
		{p.BSLInterpreter, "bsl_interpreter"}, {p.LanguageInterpreter != "", "language_interpreter"},
		{p.Advocate, "advocate"}, {p.CarerAttending, "carer_attending"}} {
		if n.on {
			out = append(out, n.key)
		}
	}
	return out
}

// validateContact checks how the person asked to be contacted: a way we
// know, the phone number a call or a text needs, and the address a letter
// needs. Whether a person without an email address may choose email is
// for the caller, which knows their account.
func (p SupportProfile) validateContact(v *ValidationError) {
	c := p.Contact
	if c.Way == "" {
		return
	}
	if !ValidContactWay(c.Way) {
		v.Add("contact_way", "comms.error.contact_way")
		return
	}
	checkLine(v, "phone", c.Phone, MaxPhoneLength, c.Way.NeedsPhone(), "comms.error.phone_required")
	if c.Phone != "" && v.For("phone") == "" && !validPhone(c.Phone) {
		v.Add("phone", "offline.error.phone_invalid")
	}
	checkText(v, "address", c.Address, MaxAddressLength, c.Way == ContactPost, "comms.error.address_required")
}

// MemberFlag is the short tag of a member's communication needs that leads
// and facilitators see where they act on them, when the member chose to
// share it: Needs are "need.*" keys, and Contact is how they asked to be
// contacted ("" for email, the usual way).
type MemberFlag struct {
	UserID  int64
	Name    string
	Needs   []string
	Contact ContactWay
	// Language is the language they need an interpreter for, if any.
	Language string
	// Version is the paper version they need, if any: easy read before
	// large print for someone who asked for both (an easy-read paper is
	// written in large print).
	Version PaperVersion
}

// FlagOf is the tag of a member's communication needs, or ok false when
// they have none to show or did not choose to share them.
func FlagOf(name string, p SupportProfile, way ContactWay) (MemberFlag, bool) {
	if !p.ShareFlags {
		return MemberFlag{}, false
	}
	f := MemberFlag{UserID: p.UserID, Name: name, Needs: p.CommunicationNeeds(), Version: PaperVersionFor(p),
		Language: p.LanguageInterpreter}
	if way != ContactEmail {
		f.Contact = way
	}
	return f, len(f.Needs) > 0 || f.Contact != ""
}

// CommunicationPlan lists, for a meeting's access plan, the communication
// needs of each person who said they are coming, in the order they are
// listed; those with none are left out. The plan is read by leads and
// facilitators only, and each reading is audited (Store.Attendees).
func CommunicationPlan(attendees []Attendee) []MemberFlag {
	var out []MemberFlag
	for _, a := range attendees {
		if a.Attending == nil || !*a.Attending {
			continue
		}
		if needs := a.Profile.CommunicationNeeds(); len(needs) > 0 {
			out = append(out, MemberFlag{UserID: a.UserID, Name: a.Name, Needs: needs,
				Language: a.Profile.LanguageInterpreter, Version: PaperVersionFor(a.Profile)})
		}
	}
	return out
}

// PaperVersionFor is the version of papers a person needs, or
// PaperStandard.
func PaperVersionFor(p SupportProfile) PaperVersion {
	switch {
	case p.EasyRead:
		return PaperEasyRead
	case p.LargePrint:
		return PaperLargePrint
	}
	return PaperStandard
}

// PaperFor is the file of paper p to give a person who needs version want:
// that version when the paper has it, else the paper itself (ok false
// says the version they need is missing).
func PaperFor(p Paper, want PaperVersion) (Paper, bool) {
	if want == PaperStandard {
		return p, true
	}
	for _, v := range p.Versions {
		if v.Version == want {
			return v, true
		}
	}
	// Someone who asked for easy read gets the large-print version when
	// there is no easy read: it is nearer what they need than the paper.
	if want == PaperEasyRead {
		for _, v := range p.Versions {
			if v.Version == PaperLargePrint {
				return v, false
			}
		}
	}
	return p, false
}

// VersionNeed is, for one version of papers, the members (who shared their
// needs) who need it, and the papers that lack it.
type VersionNeed struct {
	Version PaperVersion
	Names   []string
	Missing []Paper
}

// PaperNeeds works out, for the people sending a meeting's papers, who
// needs which version and which papers lack a version someone needs.
func PaperNeeds(papers []Paper, flags []MemberFlag) []VersionNeed {
	var out []VersionNeed
	for _, version := range PaperVersions {
		need := VersionNeed{Version: version}
		for _, f := range flags {
			if f.Version == version {
				need.Names = append(need.Names, f.Name)
			}
		}
		if len(need.Names) == 0 {
			continue
		}
		for _, p := range papers {
			if _, ok := PaperFor(p, version); !ok {
				need.Missing = append(need.Missing, p)
			}
		}
		out = append(out, need)
	}
	return out
}

// EmailFormat is how a person's emails are written: "" for text with an
// HTML part (the usual), or as they asked.
type EmailFormat string

// The email formats a person may need.
const (
	// EmailPlainText is text only, with no HTML part: for someone whose
	// screen reader or mail program reads text best.
	EmailPlainText EmailFormat = "plain_text"
	// EmailLargePrint is HTML with larger text, for someone who asked for
	// large print.
	EmailLargePrint EmailFormat = "large_print"
)

// EmailFormatOf is the format a person's emails take from the needs they
// told any of their projects: plain text only if they asked for it, else
// large print if they asked for that. Plain text wins: it takes the size
// the person's own mail program shows text at.
func EmailFormatOf(plainText, largePrint bool) EmailFormat {
	switch {
	case plainText:
		return EmailPlainText
	case largePrint:
		return EmailLargePrint
	}
	return ""
}

// largePrintStyle is the style of a large-print email: 24 pixels is
// about 18 point, above the 16 point large-print guidance asks for, in a
// plain sans-serif face with room between lines. Mail programs ignore
// style sheets, so the style is on the element.
const largePrintStyle = `font-family: Arial, Helvetica, sans-serif; font-size: 24px; line-height: 1.5;`

// Formatted returns the email as a person with format f needs it.
func (e Email) Formatted(f EmailFormat) Email {
	switch f {
	case EmailPlainText:
		e.HTML = ""
	case EmailLargePrint:
		if e.HTML != "" {
			e.HTML = `<div style="` + largePrintStyle + `">` + "\n" + e.HTML + "</div>\n"
		}
	}
	return e
}
