package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// A meeting of up to 3 hours, exactly 3 hours included, is paid at the
// short-session rate (£75 to start with); one minute more is a longer
// session (£150). Everything is done through the pages: the lead pays the
// lay partner for their time, they accept, the facilitator arranges the
// meetings and records who came, and the lay partner reads what they will
// be paid on their claims page. The meetings are in the past, as attendance
// is recorded after a meeting.
func TestInvolvementPaymentsByMeetingLength(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	claims := sp.path("/claims")
	wantRedirect(t, sp.leadC.open(t, claims).formWith("Save", sp.lay.Name).fill(sp.lay.Name, "Level 4").submit(), claims)
	wantRedirect(t, sp.layC.open(t, claims).form("Save my choice").check("Yes, pay me for my time").submit(), claims)

	cases := []struct {
		end      string
		category string
		amount   string
	}{
		{"12:00", "Involvement payment: a session of up to 3 hours", "£75.00"},
		{"13:00", "Involvement payment: a session of up to 3 hours", "£75.00"},
		{"13:01", "Involvement payment: a longer session", "£150.00"},
	}
	want := map[string]string{}
	for i, tc := range cases {
		day := time.Now().In(coproduce.UK).AddDate(0, 0, -3-i)
		res := sp.facC.open(t, sp.path("/steps/support")).form("Arrange meeting").
			fill("What is the meeting?", "Workshop ending at "+tc.end).fill("Date", day.Format("2006-01-02")).
			fill("Starts at", "10:00").fill("Ends at", tc.end).fill("Where (the place and address)", "Library").submit()
		wantRedirect(t, res, sp.path("/meetings/"))
		meeting := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
		wantRedirect(t, sp.facC.open(t, meeting).form("Save who came").check(sp.lay.Name).submit(), meeting)
		want[tc.category+", "+day.Format("2 January 2006")] = tc.amount
	}

	got := map[string]string{}
	sp.layC.open(t, claims).doc.Find("[data-testid=claims] tbody tr").Each(func(_ int, row *goquery.Selection) {
		cells := row.Find("td")
		got[fold(cells.Eq(0).Text())] = fold(cells.Eq(1).Text())
	})
	for item, amount := range want {
		if got[item] != amount {
			t.Errorf("%s: paid %q, want %s (the page lists %q)", item, got[item], amount, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the claims page lists %d items, want %d: %v", len(got), len(want), got)
	}
}

// A rate is up to £1,000: £1,000.00 is saved to the penny, a penny more is
// refused with the form kept, and nothing of the refused form is saved.
func TestRatesAtTheirCap(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	admin := sp.e.signedIn(sp.admin)
	rates := func() *filledForm {
		return admin.open(t, "/admin/rates").form("Save rates").fill("Driving, per mile", "0.45").
			fill("Each passenger, per mile", "0").fill("Cycling, per mile", "0.01")
	}
	wantRedirect(t, rates().fill("Involvement payment, meeting of up to 3 hours", "999.99").
		fill("Involvement payment, longer meeting", "1000.00").submit(), "/admin/rates")
	res := rates().fill("Involvement payment, meeting of up to 3 hours", "1000.01").
		fill("Involvement payment, longer meeting", "1").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if d := doc(t, res); d.Find("#payment_short-error").Length() != 1 || d.Find("#payment_long-error").Length() != 0 {
		t.Error("the error is not on the rate over £1,000 alone")
	}
	for key, want := range map[string]int{"mileage_car": 45, "mileage_passenger": 0, "mileage_bicycle": 1, "payment_short": 99999, "payment_long": 100000} {
		if got := sp.e.count(`SELECT pence FROM rates WHERE key = $1`, key); got != want {
			t.Errorf("%s = %d pence, want %d", key, got, want)
		}
	}
}

// formWith finds the one form whose submit button says button and which
// has a field labelled label, for a page with a form like it per person.
func (p *page) formWith(button, label string) *filledForm {
	p.t.Helper()
	var found []string
	p.doc.Find("form").Each(func(_ int, f *goquery.Selection) {
		if f.Find("label").FilterFunction(func(_ int, l *goquery.Selection) bool {
			return strings.HasPrefix(fold(l.Text()), fold(label))
		}).Length() == 1 {
			html, err := goquery.OuterHtml(f)
			if err != nil {
				p.t.Fatal(err)
			}
			found = append(found, html)
		}
	})
	if len(found) != 1 {
		p.t.Fatalf("%s: %d forms with a field labelled %q, want 1", p.path, len(found), label)
	}
	d, err := goquery.NewDocumentFromReader(strings.NewReader(found[0]))
	if err != nil {
		p.t.Fatal(err)
	}
	f := (&page{t: p.t, c: p.c, path: p.path, doc: d}).form(button)
	return f
}
