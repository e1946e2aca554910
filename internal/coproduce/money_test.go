package coproduce

import (
	"errors"
	"testing"
	"time"
)

// Every money calculation, at each side of each boundary: reading pounds,
// showing pence, the cap on a claim, mileage from the rate, how old a claim
// may be, and which payment levels are paid for time. (The length of a
// paid session is worked out by the database; its boundaries are tested
// through the pages in internal/server, TestInvolvementPaymentsByMeetingLength.)

func TestParsePoundsAtItsBoundaries(t *testing.T) {
	for in, want := range map[string]Pence{
		"0": 0, "0.01": 1, "0.1": 10, "0.99": 99, "1": 100, "1.5": 150, "£1000": 100000, "1000.01": 100001,
		"9999999.99": 999999999, " £12.05 ": 1205,
	} {
		if got, ok := ParsePounds(in); !ok || got != want {
			t.Errorf("ParsePounds(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"10000000", "0.001", "1.", ".5", "-0.01", "+1", "1,000", "£", "", "1e2", "0x10", "1 000"} {
		if got, ok := ParsePounds(bad); ok {
			t.Errorf("ParsePounds(%q) = %d, accepted", bad, got)
		}
	}
}

func TestPenceShownAsPounds(t *testing.T) {
	for p, want := range map[Pence]string{0: "£0.00", 1: "£0.01", 9: "£0.09", 10: "£0.10", 99: "£0.99", 100: "£1.00",
		101: "£1.01", 7500: "£75.00", 100000: "£1000.00", 999999999: "£9999999.99"} {
		if got := p.String(); got != want {
			t.Errorf("Pence(%d) = %q, want %q", p, got, want)
		}
	}
}

// claimAt validates a claim made at noon on 30 June 2025 with HMRC's rates.
func claimAt(in ClaimInput) (time.Time, int, Pence, error) {
	today := time.Date(2025, 6, 30, 12, 0, 0, 0, UK)
	return in.Validate(today, map[Category]Pence{MileageCar: 45, MileagePassenger: 5, MileageBicycle: 20})
}

// fieldsWrong lists the fields a validation error names.
func fieldsWrong(err error) []string {
	var v *ValidationError
	if !errors.As(err, &v) {
		return nil
	}
	var names []string
	for _, f := range v.Fields {
		names = append(names, f.Field)
	}
	return names
}

func TestClaimAmountsAtTheCap(t *testing.T) {
	for amount, want := range map[string]Pence{"0.01": 1, "999.99": 99999, "1000": MaxClaim, "1000.00": MaxClaim} {
		if _, _, got, err := claimAt(ClaimInput{Category: Parking, IncurredOn: "2025-06-29", Amount: amount}); err != nil || got != want {
			t.Errorf("£%s: %d, %v; want %d", amount, got, err, want)
		}
	}
	for _, amount := range []string{"0", "0.00", "1000.01", "1001", "9999999.99"} {
		if _, _, _, err := claimAt(ClaimInput{Category: Parking, IncurredOn: "2025-06-29", Amount: amount}); len(fieldsWrong(err)) != 1 || fieldsWrong(err)[0] != "amount" {
			t.Errorf("£%s: %v, want the amount refused", amount, err)
		}
	}
}

func TestMileageAtItsBoundaries(t *testing.T) {
	for _, tc := range []struct {
		category Category
		miles    string
		want     Pence
	}{
		{MileageCar, "1", 45}, {MileageCar, "1000", 45000}, {MileageCar, " 37 ", 1665},
		{MileagePassenger, "1", 5}, {MileagePassenger, "1000", 5000}, {MileageBicycle, "999", 19980},
	} {
		_, miles, got, err := claimAt(ClaimInput{Category: tc.category, IncurredOn: "2025-06-29", Miles: tc.miles, Amount: "999"})
		if err != nil || got != tc.want || Pence(miles)*map[Category]Pence{MileageCar: 45, MileagePassenger: 5, MileageBicycle: 20}[tc.category] != got {
			t.Errorf("%s, %s miles: %d miles, %d, %v; want %d", tc.category, tc.miles, miles, got, err, tc.want)
		}
	}
	for _, miles := range []string{"0", "1001", "-1", "1.5", ""} {
		if _, _, _, err := claimAt(ClaimInput{Category: MileageCar, IncurredOn: "2025-06-29", Miles: miles}); len(fieldsWrong(err)) != 1 || fieldsWrong(err)[0] != "miles" {
			t.Errorf("%q miles: %v, want the miles refused", miles, err)
		}
	}
}

func TestClaimDatesAtTheirBoundaries(t *testing.T) {
	// Today and a year ago today are accepted; tomorrow and a year and a
	// day ago are not.
	for _, day := range []string{"2025-06-30", "2025-06-29", "2024-07-01", "2024-06-30"} {
		if _, _, _, err := claimAt(ClaimInput{Category: Parking, IncurredOn: day, Amount: "3"}); err != nil {
			t.Errorf("%s refused: %v", day, err)
		}
	}
	for _, day := range []string{"2025-07-01", "2024-06-29", "2025-6-29", "29/06/2025"} {
		if _, _, _, err := claimAt(ClaimInput{Category: Parking, IncurredOn: day, Amount: "3"}); len(fieldsWrong(err)) != 1 || fieldsWrong(err)[0] != "incurred_on" {
			t.Errorf("%s: %v, want the date refused", day, err)
		}
	}
}

func TestOnlyLevelsThreeAndFourArePaidForTime(t *testing.T) {
	for level, want := range map[int]bool{1: false, 2: false, 3: true, 4: true} {
		if got := PaidLevel(level); got != want {
			t.Errorf("PaidLevel(%d) = %v, want %v", level, got, want)
		}
	}
	for _, c := range []Category{PaymentShort, PaymentLong} {
		if !c.Taxable() || c.ByMile() {
			t.Errorf("%s: taxable %v, by the mile %v", c, c.Taxable(), c.ByMile())
		}
	}
	for _, c := range ExpenseCategories {
		if c.Taxable() {
			t.Errorf("the expense %s is counted as income", c)
		}
	}
}
