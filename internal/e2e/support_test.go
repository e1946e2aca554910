package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"
)

func TestSupportNeedsAndAnAccessibleMeeting(t *testing.T) {
	modes(t, func(t *testing.T, js bool, suffix string) {
		lead := newTab(t, js)
		lead.signIn("tom.evans@example.org")
		project := newProject(lead, "Support"+suffix, "margaret.jones@example.org")

		partner := newTab(t, js)
		partner.signIn("margaret.jones@example.org")
		partner.visit(project + "/steps/support")
		partner.click("[data-testid=edit-support]")
		partner.choose("#hearing_loop")
		partner.fill("#good_times", "Mornings")
		partner.click("[data-testid=save-support]")

		lead.visit(project + "/steps/support")
		lead.fill("#title", "First workshop")
		lead.fill("#date", "04032027")
		lead.fill("#start", "1000AM")
		lead.fill("#end", "1200PM")
		lead.fill("#venue", "Community centre, High Street")
		lead.choose("#step_free")
		lead.click("[data-testid=create-meeting]")
		meeting := strings.SplitN(lead.path(), "?", 2)[0]

		partner.visit(meeting)
		partner.choose("input[name=attending][value=yes]")
		partner.click("[data-testid=reply]")

		lead.visit(meeting)
		if got := lead.text("[data-testid=access-plan]"); !strings.Contains(got, "Margaret Jones") {
			lead.fail("access plan: %s", got)
		}
		if lead.count("[data-testid=venue-warning]") != 1 {
			lead.fail("no warning that the venue has no hearing loop")
		}
		if lead.count("[data-testid=save-attendance]") != 0 {
			lead.fail("the register is offered before the meeting starts")
		}
		// The day comes: the meeting starts, and the register opens.
		meetingStarts(t, meeting)
		lead.visit(meeting)
		lead.choose("input[name=present]")
		lead.click("[data-testid=save-attendance]")

		// Margaret claims her mileage, with a photo of a parking receipt.
		receipt := filepath.Join(t.TempDir(), "receipt.png")
		if err := os.WriteFile(receipt, pngFile, 0o644); err != nil {
			t.Fatal(err)
		}
		partner.visit(project + "/steps/support")
		partner.click("[data-testid=claims-link]")
		partner.choose("input[name=category][value=mileage_car]")
		partner.fill("#incurred_on", time.Now().AddDate(0, 0, -1).Format("01022006"))
		partner.fill("#miles", "12")
		partner.do(chromedp.SetUploadFiles(chromedp.CSS("#receipt"), []string{receipt}))
		partner.click("[data-testid=submit-claim]")
		if got := partner.text("[data-testid=claims]"); !strings.Contains(got, "£5.40") {
			partner.fail("claim not listed at 12 × 45p: %s", got)
		}

		lead.visit(project + "/claims")
		lead.click("[data-testid=claims] form input[value=approve] + button")
		if got := lead.text("[data-testid=claims]"); !strings.Contains(got, "Approved") {
			lead.fail("claim not approved: %s", got)
		}
		// Sending to finance keeps the spreadsheet and shows the list of
		// exports, where it can be downloaded (again); the claim then shows
		// as sent to finance.
		lead.click("[data-testid=export]")
		if got := lead.text("[data-testid=exports]"); !strings.Contains(got, "Download spreadsheet") {
			lead.fail("the export is not listed: %s", got)
		}
		lead.visit(project + "/claims")
		if got := lead.text("[data-testid=claims]"); !strings.Contains(got, "Sent to finance") {
			lead.fail("the approved claim was not sent to finance: %s", got)
		}
		lead.check()
	})
}

// meetingStarts plays the time passing until the meeting at path has
// started: it began an hour ago.
func meetingStarts(t *testing.T, path string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(context.Background(), `UPDATE meetings SET starts_at = now() - interval '1 hour',
		ends_at = now() + interval '1 hour' WHERE id = $1`, path[strings.LastIndex(path, "/")+1:]); err != nil {
		t.Fatal(err)
	}
}

// pngFile is a tiny valid PNG (one transparent pixel).
var pngFile = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
