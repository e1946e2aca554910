package coproduce_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// A need the person never told the project of cannot be ticked as
// arranged, even by a post made by hand; a need posted twice is kept once.
func TestArrangementTakesOnlyThePersonsNeeds(t *testing.T) {
	hall := coproduce.Meeting{Venue: "Hall", HearingLoop: true}
	var v *coproduce.ValidationError
	for _, need := range []string{"bsl_interpreter", "hearing_loop"} { // not asked; the hall has one
		a := coproduce.Arrangement{Needs: []string{need}}
		if err := a.Validate(hall, coproduce.SupportProfile{LargePrint: true, HearingLoop: true}); !errors.As(err, &v) || v.Fields[0].Field != "needs" {
			t.Errorf("%s was accepted as booked: %v", need, err)
		}
	}
	a := coproduce.Arrangement{Needs: []string{"large_print", "large_print"}, Note: "  Taxi \r\n"}
	a.Normalize()
	if len(a.Needs) != 1 || a.Note != "Taxi" {
		t.Errorf("normalised to %+v", a)
	}
	if err := a.Validate(hall, coproduce.SupportProfile{LargePrint: true}); err != nil {
		t.Error(err)
	}
}

// A reminder says a booked need is arranged (a portable hearing loop for
// a hall without one too), and asks the person to check only the needs
// nobody has said are booked.
func TestReminderCountsWhatWasBooked(t *testing.T) {
	m := coproduce.Meeting{Venue: "Hall", StepFree: true}
	p := coproduce.SupportProfile{LargePrint: true, Breaks: true, StepFree: true, HearingLoop: true, AccessibleToilet: true}
	arranged, missing, check := coproduce.ReminderArrangements(m, p,
		coproduce.Arrangement{Needs: []string{"large_print", "hearing_loop"}})
	if !slices.Equal(arranged, []string{"step_free", "large_print", "hearing_loop"}) ||
		!slices.Equal(missing, []string{"accessible_toilet"}) || !slices.Equal(check, []string{"breaks"}) {
		t.Errorf("arranged %v, missing %v, to check %v", arranged, missing, check)
	}
}
