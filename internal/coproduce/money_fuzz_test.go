package coproduce

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// poundsPattern is what ParsePounds promises to read, after trimming
// spaces and one leading £: up to 7 whole pounds and at most 2 pence digits.
var poundsPattern = regexp.MustCompile(`^[0-9]{1,7}(\.[0-9]{1,2})?$`)

// FuzzParsePounds checks the amount parser against that promise: it reads
// exactly what the pattern allows, and what it reads writes back the same.
func FuzzParsePounds(f *testing.F) {
	for _, s := range []string{"12", "12.5", "£12.05", " £0.01 ", "1000.00", "9999999.99", "10000000",
		"-1", "+1", "1.", ".5", "1.234", "£-0", "1e3", "0x10", "1_000", "١٢", "£ 12", "12.5.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := ParsePounds(s)
		body := strings.TrimPrefix(strings.TrimSpace(s), "£")
		if ok != poundsPattern.MatchString(body) {
			t.Fatalf("ParsePounds(%q) ok = %v, but the pattern says %v", s, ok, !ok)
		}
		if !ok {
			return
		}
		if p < 0 || p > 999999999 {
			t.Fatalf("ParsePounds(%q) = %d, out of range", s, p)
		}
		if back, ok := ParsePounds(p.String()); !ok || back != p {
			t.Fatalf("ParsePounds(%q) = %d, shown as %q, read back as %d, %v", s, p, p.String(), back, ok)
		}
	})
}

// FuzzPenceString checks that every amount the service can hold is shown
// as £pounds.pence and reads back to the same number of pence.
func FuzzPenceString(f *testing.F) {
	for _, n := range []int{0, 1, 99, 100, 1205, 100000, 999999999} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int) {
		if n < 0 || n > 999999999 {
			return // ParsePounds reads at most £9,999,999.99
		}
		s := Pence(n).String()
		if !strings.HasPrefix(s, "£") || !poundsPattern.MatchString(s[len("£"):]) {
			t.Fatalf("Pence(%d) shown as %q", n, s)
		}
		if back, ok := ParsePounds(s); !ok || back != Pence(n) {
			t.Fatalf("Pence(%d) shown as %q reads back as %d, %v", n, s, back, ok)
		}
	})
}

// FuzzClaimInput posts arbitrary claims. A claim that passes is dated in
// the last year and not in the future, is for a known category, and is
// for a positive amount no bigger than the cap.
func FuzzClaimInput(f *testing.F) {
	f.Add("public_transport", "2025-06-01", "", "12.50", "Bus to the meeting")
	f.Add("mileage_car", "2025-06-01", "12", "", "")
	f.Add("mileage_bicycle", "2025-06-01", " 1000 ", "", "")
	f.Add("other", "2025-06-01", "", "1000", "")
	f.Add("other", "2025-06-01", "", "£0.00", strings.Repeat("x", 1001))
	f.Add("parking", "2024-06-01", "", "1", "")
	f.Add("parking", "2025-6-1", "", "1", "")
	f.Add("payment_short", "2025-06-01", "", "20", "")
	f.Add("carer", "2025-06-30", "", "5", "a\x00b")
	today := time.Date(2025, 6, 30, 12, 0, 0, 0, UK)
	rates := map[Category]Pence{MileageCar: 45, MileagePassenger: 5, MileageBicycle: 20}
	f.Fuzz(func(t *testing.T, category, date, miles, amount, description string) {
		in := ClaimInput{Category: Category(category), IncurredOn: date, Miles: miles, Amount: amount, Description: description}
		day, n, pence, err := in.Validate(today, rates)
		checkFieldErrors(t, err, map[string]string{"description": description})
		if err != nil {
			return
		}
		if !oneOf(in.Category, ExpenseCategories) {
			t.Fatalf("claim for category %q passed", category)
		}
		if day.After(today) || today.Sub(day) > 366*24*time.Hour || day.Format("2006-01-02") != date {
			t.Fatalf("claim dated %q passed as %v", date, day)
		}
		if pence <= 0 || pence > MaxClaim && !in.Category.ByMile() {
			t.Fatalf("claim for %q passed with amount %d", amount, pence)
		}
		if in.Category.ByMile() && (n < 1 || n > 1000 || pence != Pence(n)*rates[in.Category]) {
			t.Fatalf("claim of %q miles passed as %d miles, %d", miles, n, pence)
		}
	})
}
