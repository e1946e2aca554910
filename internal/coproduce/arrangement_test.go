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
	a := coproduce.Arrangement{Needs: []string{"bsl_interpreter"}}
	var v *coproduce.ValidationError
	if err := a.Validate(coproduce.SupportProfile{LargePrint: true}); !errors.As(err, &v) || v.Fields[0].Field != "needs" {
		t.Errorf("a need not asked was accepted: %v", err)
	}
	a = coproduce.Arrangement{Needs: []string{"large_print", "large_print"}, Note: "  Taxi \r\n"}
	a.Normalize()
	if len(a.Needs) != 1 || a.Note != "Taxi" {
		t.Errorf("normalised to %+v", a)
	}
	if err := a.Validate(coproduce.SupportProfile{LargePrint: true}); err != nil {
		t.Error(err)
	}
}

// A reminder says a booked need is arranged, and asks the person to check
// only the needs nobody has said are booked.
func TestReminderCountsWhatWasBooked(t *testing.T) {
	m := coproduce.Meeting{Venue: "Hall", StepFree: true}
	p := coproduce.SupportProfile{LargePrint: true, Breaks: true, StepFree: true, HearingLoop: true}
	arranged, missing, check := coproduce.ReminderArrangements(m, p, coproduce.Arrangement{Needs: []string{"large_print"}})
	if !slices.Equal(arranged, []string{"step_free", "large_print"}) || !slices.Equal(missing, []string{"hearing_loop"}) ||
		!slices.Equal(check, []string{"breaks"}) {
		t.Errorf("arranged %v, missing %v, to check %v", arranged, missing, check)
	}
}
