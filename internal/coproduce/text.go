package coproduce

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkText validates one free-text field: valid UTF-8 with no NUL, at most
// max characters, and present when required. required is the message id
// for a missing value.
func checkText(v *ValidationError, field, s string, max int, needed bool, required string) {
	switch {
	case !ValidText(s):
		v.Add(field, "error.text.invalid")
	case needed && strings.TrimSpace(s) == "":
		v.Add(field, required)
	case utf8.RuneCountInString(s) > max:
		v.Add(field, TooLong(max))
	}
}

// checkLine validates a one-line field (a name, a title, an email address):
// checkText's rules, and nothing that would break the line. OneLine has
// already folded such characters when the input was normalised; this
// refuses a value that reached validation without it.
func checkLine(v *ValidationError, field, s string, max int, needed bool, required string) {
	if ValidText(s) && !IsOneLine(s) {
		v.Add(field, "error.text.one_line")
		return
	}
	checkText(v, field, s, max, needed, required)
}

// OneLine is the rule for every one-line field (names, titles, email
// addresses, group names, meeting titles, action owners, ...): each run of
// line breaks, tabs and other control characters becomes one space, and
// the ends are trimmed. A value must never carry a line break into a place
// that reads lines, such as an email header or a calendar file, where it
// would start a line of its own. Folding, rather than refusing, is kinder
// to people who paste a name or title copied with a line break or a tab in
// it: what they meant is kept. The stored value, and the audit's copy of
// it, is the folded one. NUL is left for ValidText to refuse.
func OneLine(s string) string {
	if IsOneLine(s) || !utf8.ValidString(s) {
		return strings.TrimSpace(s) // invalid text is left for ValidText to refuse
	}
	b := make([]byte, 0, len(s))
	gap := false
	for _, r := range s {
		switch {
		case breaksLine(r):
			// The spaces around a folded run fold into it too.
			b = []byte(strings.TrimRight(string(b), " "))
			gap = true
		case gap && r == ' ':
		default:
			if gap {
				b = append(b, ' ')
				gap = false
			}
			b = utf8.AppendRune(b, r)
		}
	}
	return strings.TrimSpace(string(b))
}

// IsOneLine reports whether s has nothing OneLine would fold.
func IsOneLine(s string) bool {
	for _, r := range s {
		if breaksLine(r) {
			return false
		}
	}
	return true
}

// breaksLine reports whether r has no place in a one-line field: CR, LF,
// tab and every other control character (C0, DEL, C1, including NEL), and
// the Unicode line and paragraph separators. NUL is not one of them here:
// ValidText refuses it everywhere.
func breaksLine(r rune) bool {
	return r != 0 && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029')
}

// TooLong is the message for a text over max characters:
// error.text.too_long.N, which the catalogue shows with N as the limit (see
// i18n.TooLong). Every length check names its message with it, from the
// same constant it checks against, so the limit a person reads is always
// the one applied.
func TooLong(max int) string { return "error.text.too_long." + strconv.Itoa(max) }

// CleanText trims a multi-line field and gives it Unix line endings.
func CleanText(s string) string { return strings.TrimSpace(unixLines.Replace(s)) }

// unixLines turns CR LF, and a CR on its own (which no browser sends, but
// anything else may), into LF.
var unixLines = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// CloseBidi ends, at the end of each line, any right-to-left override,
// embedding or isolate that the line leaves open. The characters people
// typed are kept, but their text can no longer reorder what a page, report
// or email shows after it (a date read backwards, a name swapped).
func CloseBidi(s string) string {
	if !strings.ContainsAny(s, "\u202A\u202B\u202D\u202E\u2066\u2067\u2068") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		body, cr := strings.CutSuffix(line, "\r")
		lines[i] = body + bidiClosers(body)
		if cr {
			lines[i] += "\r"
		}
	}
	return strings.Join(lines, "\n")
}

// bidiClosers follows the Unicode bidirectional algorithm's stack: PDF
// closes the latest embedding or override unless an isolate is open above
// it, and PDI closes the latest isolate with everything opened inside it.
func bidiClosers(line string) string {
	var open []rune // 'e' for an embedding or override, 'i' for an isolate
	for _, r := range line {
		switch r {
		case '\u202A', '\u202B', '\u202D', '\u202E':
			open = append(open, 'e')
		case '\u2066', '\u2067', '\u2068':
			open = append(open, 'i')
		case '\u202C':
			if len(open) > 0 && open[len(open)-1] == 'e' {
				open = open[:len(open)-1]
			}
		case '\u2069':
			if i := strings.LastIndexByte(string(open), 'i'); i >= 0 {
				open = open[:i]
			}
		}
	}
	var closers strings.Builder
	for i := len(open) - 1; i >= 0; i-- {
		if open[i] == 'e' {
			closers.WriteRune('\u202C')
		} else {
			closers.WriteRune('\u2069')
		}
	}
	return closers.String()
}
