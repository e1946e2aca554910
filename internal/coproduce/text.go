package coproduce

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// checkText validates one free-text field: valid UTF-8 with no NUL, at most
// max characters, and present when required. required is the message id
// for a missing value.
func checkText(v *ValidationError, field, s string, max int, needed bool, required string) {
	switch {
	case !validText(s):
		v.Add(field, "error.text.invalid")
	case needed && strings.TrimSpace(s) == "":
		v.Add(field, required)
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "error.text.too_long."+lengthKey(max))
	}
}

// lengthKey names the too-long message for a limit, such as "2000". Each
// limit in use has its own message (error.text.too_long.N), so the message
// always states the real limit.
func lengthKey(max int) string { return strconv.Itoa(max) }

// cleanText trims a multi-line field and gives it Unix line endings.
func cleanText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}
