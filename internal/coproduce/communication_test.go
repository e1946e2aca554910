package coproduce

import (
	"strings"
	"testing"
)

func TestEmailFormats(t *testing.T) {
	e := Email{Text: "Hello\n", HTML: "<p>Hello</p>\n"}
	if got := e.Formatted(EmailFormatOf(true, true)); got.HTML != "" || got.Text != e.Text {
		t.Errorf("plain text asked (with large print): %+v, want no HTML part", got)
	}
	large := e.Formatted(EmailFormatOf(false, true))
	if !strings.Contains(large.HTML, "font-size: 24px") || !strings.Contains(large.HTML, e.HTML) {
		t.Errorf("large print: %q, want the HTML in larger text", large.HTML)
	}
	if got := e.Formatted(EmailFormatOf(false, false)); got.HTML != e.HTML {
		t.Errorf("nothing asked: %q, want the HTML as written", got.HTML)
	}
}

func TestPapersInTheVersionNeeded(t *testing.T) {
	lp := Paper{ID: 2, Version: PaperLargePrint}
	agenda := Paper{ID: 1, Title: "Agenda", Version: PaperStandard, Versions: []Paper{lp}}
	sheets := Paper{ID: 3, Title: "Sheets", Version: PaperStandard}
	if got, ok := PaperFor(agenda, PaperVersionFor(SupportProfile{LargePrint: true})); !ok || got.ID != 2 {
		t.Errorf("large print asked: paper %d (%v), want the large-print version", got.ID, ok)
	}
	if got, ok := PaperFor(sheets, PaperLargePrint); ok || got.ID != 3 {
		t.Errorf("large print missing: paper %d (%v), want the paper itself, marked missing", got.ID, ok)
	}
	if got, ok := PaperFor(agenda, PaperVersionFor(SupportProfile{EasyRead: true, LargePrint: true})); ok || got.ID != 2 {
		t.Errorf("easy read asked, only large print made: paper %d (%v), want large print, marked missing", got.ID, ok)
	}
	if got, ok := PaperFor(agenda, PaperVersionFor(SupportProfile{})); !ok || got.ID != 1 {
		t.Errorf("nothing asked: paper %d (%v), want the paper", got.ID, ok)
	}

	needs := PaperNeeds([]Paper{agenda, sheets}, []MemberFlag{{Name: "Ann", Version: PaperLargePrint},
		{Name: "Bob", Version: PaperLargePrint}, {Name: "Cat"}})
	if len(needs) != 1 || needs[0].Version != PaperLargePrint || strings.Join(needs[0].Names, ",") != "Ann,Bob" ||
		len(needs[0].Missing) != 1 || needs[0].Missing[0].Title != "Sheets" {
		t.Errorf("paper needs: %+v, want large print for Ann and Bob, missing for Sheets", needs)
	}
}

func TestCommunicationPlanListsEachAttendee(t *testing.T) {
	yes, no := true, false
	plan := CommunicationPlan([]Attendee{
		{UserID: 1, Name: "Ann", Attending: &yes, Profile: SupportProfile{LargePrint: true, BSLInterpreter: true}},
		{UserID: 2, Name: "Bob", Attending: &no, Profile: SupportProfile{Braille: true}},
		{UserID: 3, Name: "Cat", Attending: &yes, Profile: SupportProfile{StepFree: true}},
		{UserID: 4, Name: "Dan", Attending: &yes, Profile: SupportProfile{LanguageInterpreter: "Urdu", Advocate: true}},
	})
	var got []string
	for _, f := range plan {
		got = append(got, f.Name+":"+strings.Join(f.Needs, "+"))
	}
	if want := "Ann:large_print+bsl_interpreter Dan:language_interpreter+advocate"; strings.Join(got, " ") != want {
		t.Errorf("plan: %q, want %q (those coming, with communication needs)", strings.Join(got, " "), want)
	}
}

func TestContactWayIsChecked(t *testing.T) {
	for _, c := range []struct {
		contact MemberContact
		field   string
	}{
		{MemberContact{Way: ContactText}, "phone"},
		{MemberContact{Way: ContactPhone, Phone: "call me"}, "phone"},
		{MemberContact{Way: ContactPost}, "address"},
		{MemberContact{Way: "pigeon"}, "contact_way"},
		{MemberContact{Way: ContactText, Phone: "07700 900 982"}, ""},
		{MemberContact{}, ""},
	} {
		err := SupportProfile{Contact: c.contact}.Validate()
		var v *ValidationError
		got := ""
		if err != nil {
			v = err.(*ValidationError)
			got = v.Fields[0].Field
		}
		if got != c.field {
			t.Errorf("%+v: error on %q, want %q", c.contact, got, c.field)
		}
	}
}
