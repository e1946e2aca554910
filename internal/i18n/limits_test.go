package i18n_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// A too-long message states the limit its validator applied, from the same
// constant: a vote reason over coproduce.MaxVoteReason reads "1,000", never
// a number typed into the catalogue by hand (a vote reason once got the
// 2,000 message while the form and the database allowed 1,000).
func TestTooLongMessagesStateTheLimitApplied(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c.Strict = true
	l := c.Localizer("en")
	for max, want := range map[int]string{
		coproduce.MaxVoteReason:    "This must be 1,000 characters or fewer",
		coproduce.MaxCommentLength: "This must be 5,000 characters or fewer",
		coproduce.MaxNotesLength:   "This must be 20,000 characters or fewer",
		100:                        "This must be 100 characters or fewer",
	} {
		id := coproduce.TooLong(max)
		if !c.Has(id) {
			t.Errorf("the catalogue has no %q", id)
		}
		if got := l.T(id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	for _, id := range []string{i18n.TooLong + ".", i18n.TooLong + ".x", i18n.TooLong + ".0100", i18n.TooLong + ".-5"} {
		if c.Has(id) {
			t.Errorf("the catalogue claims to have %q", id)
		}
	}
}

// The few length messages that name their field ("Name must be 200
// characters or fewer") are written out in the catalogue: each states its
// validator's constant.
func TestNamedLengthMessagesStateTheirConstant(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c.Strict = true
	l := c.Localizer("en")
	for id, limit := range map[string]string{
		"error.name.too_long":      itoaComma(coproduce.MaxNameLength),
		"error.title.too_long":     itoaComma(coproduce.MaxTitleLength),
		"error.summary.too_long":   itoaComma(coproduce.MaxSummaryLength),
		"error.password.too_long":  itoaComma(coproduce.MaxPasswordLength),
		"error.password.too_short": itoaComma(coproduce.MinPasswordLength),
	} {
		if got := l.T(id); !strings.Contains(" "+got+" ", " "+limit+" ") {
			t.Errorf("%s = %q, which does not state the limit %s", id, got, limit)
		}
	}
}

// itoaComma writes n with commas between thousands, as the messages do.
func itoaComma(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
