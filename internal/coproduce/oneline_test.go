package coproduce_test

import (
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func TestOneLineFoldsBreaksTabsAndControls(t *testing.T) {
	for in, want := range map[string]string{
		"Ann Jones":                     "Ann Jones",
		"  Ann Jones \r\n":              "Ann Jones",
		"Evil\rATTENDEE:mailto:x":       "Evil ATTENDEE:mailto:x",
		"Ann \r\n\t Jones":              "Ann Jones",
		"Ann\tJones":                    "Ann Jones",
		"Ann\u2028Jones\u0085Smith\x1b": "Ann Jones Smith",
		"Ann  Jones":                    "Ann  Jones", // spaces people typed are theirs
		"Siân\vZoë\fŁukasz":             "Siân Zoë Łukasz",
		"王芳\nمحمد":                      "王芳 محمد",
	} {
		if got := coproduce.OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
		if !coproduce.IsOneLine(coproduce.OneLine(in)) {
			t.Errorf("OneLine(%q) is not one line", in)
		}
	}
	// A value that skipped normalising is refused, not stored.
	for _, in := range []coproduce.NewUser{{Name: "Ann\nJones", Email: "ann@example.org", Role: coproduce.RolePartner}} {
		err := in.Validate()
		v, ok := err.(*coproduce.ValidationError)
		if !ok || len(v.Fields) != 1 || v.Fields[0].Message != "error.text.one_line" {
			t.Errorf("Validate(%q) = %v, want error.text.one_line", in.Name, err)
		}
	}
	in := coproduce.NewUser{Name: "\tAnn\r\nJones\r\n", Email: " ann@example.org\r\n", Role: coproduce.RolePartner}
	in.Normalize()
	if in.Name != "Ann Jones" || in.Email != "ann@example.org" || in.Validate() != nil {
		t.Errorf("normalised to %q <%q>: %v", in.Name, in.Email, in.Validate())
	}
}
