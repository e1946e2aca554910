package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// openLink follows the link marked testid on the page at path, as the
// person would, and returns the page it leads to.
func openLink(t *testing.T, c *client, path, testid string) *page {
	t.Helper()
	href, ok := c.open(t, path).doc.Find("[data-testid=" + testid + "]").Attr("href")
	if !ok {
		t.Fatalf("%s has no %s link", path, testid)
	}
	return c.open(t, href)
}

// packSize is the print size a pack's page says it is in, and whether its
// class makes it large print.
func packSize(p *page) (string, bool) {
	pack := p.doc.Find("[data-testid=pack]")
	return pack.AttrOr("data-size", ""), pack.HasClass("app-pack--large")
}

// The purpose statement prints for every member, in standard print and,
// chosen on the page, in large print; outsiders are not told it exists.
func TestThePurposeStatementPrints(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	res := sp.leadC.open(t, sp.path("/steps/be-clear/purpose")).form("Save new version").
		fill("What the project is for", "Rehabilitation at home that fits daily life.").
		fill("Expenses and payment", "Travel is paid back.").submit()
	wantRedirect(t, res, sp.path("/steps/be-clear"))

	pack := openLink(t, sp.layC, sp.path("/steps/be-clear"), "print-purpose")
	if size, large := packSize(pack); size != "standard" || large {
		t.Errorf("the pack opens in %q print (large class %v)", size, large)
	}
	if got := text(pack.doc, "[data-testid=pack-project]"); got != sp.p.Title {
		t.Errorf("the pack names the project %q, want %q", got, sp.p.Title)
	}
	got := text(pack.doc, "[data-testid=pack]")
	for _, want := range []string{"Purpose statement", "What the project is for", "Rehabilitation at home that fits daily life.",
		"Expenses and payment", "Travel is paid back.", "What cannot change", "Not written yet"} {
		if !strings.Contains(got, want) {
			t.Errorf("the printed statement lacks %q: %s", want, got)
		}
	}
	res = pack.form("Show in this size").check("Large print").submit()
	wantStatus(t, res, http.StatusOK)
	large := sp.layC.pageOf(t, pack.path, res)
	if size, isLarge := packSize(large); size != "large" || !isLarge {
		t.Errorf("after choosing large print: %q (large class %v)", size, isLarge)
	}
	if got := large.doc.Find("input[name=size][value=large]").AttrOr("checked", "-"); got == "-" {
		t.Error("the size form does not show large print as chosen")
	}

	for who, c := range map[string]*client{"staff partner": sp.staffC, "facilitator": sp.facC, "administrator": sp.e.signedIn(sp.admin)} {
		if res := c.get(sp.path("/steps/be-clear/print")); res.Code != http.StatusOK {
			t.Errorf("%s: %d", who, res.Code)
		}
	}
	wantStatus(t, sp.outsideC.get(sp.path("/steps/be-clear/print")), http.StatusNotFound)
}

// With no statement written there is nothing to print, and no link to it.
func TestNoPurposeStatementNoPrint(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	if n := sp.layC.open(t, sp.path("/steps/be-clear")).doc.Find("[data-testid=print-purpose]").Length(); n != 0 {
		t.Error("a print link with no statement")
	}
	wantStatus(t, sp.layC.get(sp.path("/steps/be-clear/print")), http.StatusNotFound)
}

// A member prints their own 4Rs; leads and facilitators print anyone's;
// another member may not read them.
func TestAPersonsFourRsPrint(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	lay := sp.path("/steps/understand/members/" + itoa(sp.lay.ID))
	res := sp.leadC.open(t, lay).form("Save 4Rs").fill("Role", "Lay partner who brings lived experience").
		fill("Remit", "Reviews the exercise sheets").fill("Relationships", "Works with Tom").
		fill("Responsibility", "Comes to the workshops").submit()
	wantRedirect(t, res, sp.path("/steps/understand"))

	pack := openLink(t, sp.layC, sp.path("/steps/understand"), "print-my-four-rs")
	got := text(pack.doc, "[data-testid=pack]")
	for _, want := range []string{sp.lay.Name, "Lay partner who brings lived experience", "Reviews the exercise sheets",
		"Works with Tom", "Comes to the workshops", "Please read these"} {
		if !strings.Contains(got, want) {
			t.Errorf("the printed 4Rs lack %q: %s", want, got)
		}
	}
	// A facilitator prints them from the list of everyone's 4Rs.
	fac := sp.facC.open(t, sp.path("/steps/understand"))
	href := fac.doc.Find("[data-user-id='"+itoa(sp.lay.ID)+"'] [data-testid=print-four-rs]").AttrOr("href", "")
	if href != lay+"/print" {
		t.Fatalf("the facilitator's print link is %q", href)
	}
	if got := text(sp.facC.open(t, href+"?size=large").doc, "[data-testid=pack-four-rs-state]"); got != "Not confirmed yet." {
		t.Errorf("the facilitator's copy says %q", got)
	}
	if n := sp.staffC.open(t, sp.path("/steps/understand")).doc.Find("[data-testid=print-four-rs]").Length(); n != 0 {
		t.Errorf("a staff partner sees %d print links for others' 4Rs", n)
	}
	wantStatus(t, sp.staffC.get(lay+"/print"), http.StatusForbidden)
	wantStatus(t, sp.e.signedIn(sp.admin).get(lay+"/print"), http.StatusForbidden)
	wantStatus(t, sp.outsideC.get(lay+"/print"), http.StatusNotFound)
}

// A meeting's pack has its details, what the place has, and its agenda with
// times, leads and the ideas each item discusses; papers have their place.
func TestAMeetingPackPrints(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	res := sp.facC.open(t, sp.path("/steps/support")).form("Arrange meeting").
		fill("What is the meeting?", "Second workshop").fill("Date", time.Now().In(coproduce.UK).AddDate(0, 0, 9).Format("2006-01-02")).
		fill("Starts at", "14:00").fill("Ends at", "16:00").fill("Where (the place and address)", "Community centre").
		check("A hearing loop").submit()
	wantRedirect(t, res, sp.path("/meetings/"))
	meeting := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]

	res = sp.layC.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", "Large print agendas").fill("Tell us more", "Easier to read").submit()
	wantRedirect(t, res, sp.path("/proposals/"))
	// The agenda is written here directly until its pages exist.
	mid, idea := lastSegment(meeting), lastSegment(strings.SplitN(res.Header().Get("Location"), "?", 2)[0])
	item := sp.e.count(`INSERT INTO agenda_items (meeting_id, position, title, starts_at, led_by)
		VALUES ($1, 2, 'Exercise sheets', '14:20', $2) RETURNING id`, mid, sp.lay.ID)
	sp.e.count(`INSERT INTO agenda_items (meeting_id, position, title) VALUES ($1, 1, 'Welcome') RETURNING id`, mid)
	sp.e.count(`INSERT INTO agenda_item_ideas (agenda_item_id, proposal_id) VALUES ($1, $2) RETURNING 1`, item, idea)

	pack := openLink(t, sp.layC, meeting, "print-meeting")
	if got := text(pack.doc, "h1"); got != "Meeting pack: Second workshop" {
		t.Errorf("the pack's heading: %q", got)
	}
	if got := text(pack.doc, "[data-testid=pack-venue-features]"); got != "A hearing loop" {
		t.Errorf("what the place has: %q", got)
	}
	if got := cells(pack.doc, "[data-testid=pack-agenda] tbody tr"); !strings.Contains(got, "Welcome") ||
		strings.Index(got, "Welcome") > strings.Index(got, "Exercise sheets") {
		t.Errorf("the agenda is not in order: %q", got)
	}
	row := text(pack.doc, "[data-testid=pack-agenda] tbody tr:nth-child(2)")
	for _, want := range []string{"14:20", "2. Exercise sheets", sp.lay.Name, "Large print agendas"} {
		if !strings.Contains(row, want) {
			t.Errorf("the agenda item lacks %q: %s", want, row)
		}
	}
	if got := text(pack.doc, "[data-testid=pack-agenda] tbody tr:nth-child(1)"); !strings.Contains(got, "Not decided yet") {
		t.Errorf("an item with no lead: %q", got)
	}
	if got := text(pack.doc, "[data-testid=pack-papers]"); !strings.Contains(got, "No papers") {
		t.Errorf("papers before any were added: %q", got)
	}
	wantRedirect(t, sp.facC.open(t, meeting).form("Add paper").
		attach(paperFileLabel, "Agenda.pdf", paperPDF).fill(paperTitleLabel, "Agenda for the day").submit(), meeting)
	pack = openLink(t, sp.layC, meeting, "print-meeting")
	if got := text(pack.doc, "[data-testid=pack-paper-list]"); got != "Agenda for the day (PDF)" {
		t.Errorf("the papers on paper: %q", got)
	}
	wantStatus(t, sp.e.signedIn(sp.admin).get(meeting+"/print"), http.StatusOK)
	wantStatus(t, sp.outsideC.get(meeting+"/print"), http.StatusNotFound)
}

// The voting sheet lists each open idea with its votes so far and a row
// of three boxes per member; it is for leads and facilitators.
func TestTheVotingSheetPrints(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	res := sp.layC.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", "Large print agendas").fill("Tell us more", "Easier to read").submit()
	idea := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
	wantRedirect(t, sp.staffC.open(t, idea).form("Save my vote").check("Support").submit(), idea)
	res = sp.layC.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", "Answered already").fill("Tell us more", "Closed").submit()
	closed := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
	wantRedirect(t, sp.leadC.open(t, closed).form("Save the answer").check("Adopted").
		fill("Why?", "We will do it").submit(), closed)

	if n := sp.layC.open(t, sp.path("/steps/build")).doc.Find("[data-testid=print-ideas]").Length(); n != 0 {
		t.Error("a lay partner is offered the voting sheet")
	}
	sheet := openLink(t, sp.facC, sp.path("/steps/build"), "print-ideas")
	ideas := sheet.doc.Find("[data-testid=pack-idea]")
	if ideas.Length() != 1 || !strings.Contains(ideas.Find("h2").Text(), "Large print agendas") {
		t.Fatalf("the sheet's ideas: %q", cells(sheet.doc, "[data-testid=pack-idea] h2"))
	}
	if got := text(sheet.doc, "[data-testid=pack-tally]"); !strings.Contains(got, "Staff: 1 support, 0 neutral, 0 object") {
		t.Errorf("the votes so far: %q", got)
	}
	if got := cells(sheet.doc, "[data-testid=pack-votes] thead th"); got != "Person|Support|Neutral|Object" {
		t.Errorf("the sheet's columns: %q", got)
	}
	rows := sheet.doc.Find("[data-testid=pack-votes] tbody tr")
	if rows.Length() != 4 {
		t.Errorf("%d rows, want one per member (4)", rows.Length())
	}
	if got := rows.Find(".app-pack__box").Length(); got != 12 {
		t.Errorf("%d boxes, want three per member", got)
	}
	for _, u := range []*coproduce.User{sp.lead, sp.facilitator, sp.lay, sp.staff} {
		if !strings.Contains(rows.Text(), u.Name) {
			t.Errorf("no row for %s", u.Name)
		}
	}
	wantStatus(t, sp.layC.get(sp.path("/steps/build/print")), http.StatusForbidden)
	wantStatus(t, sp.staffC.get(sp.path("/steps/build/print")), http.StatusForbidden)
	wantStatus(t, sp.outsideC.get(sp.path("/steps/build/print")), http.StatusNotFound)
}
