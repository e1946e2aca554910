package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/report"
)

// reportProject is a project with something in each part of a report:
// a lay partner's support needs (a hearing loop and braille, with private
// detail), an answered idea
// with a vote, a comment that would run as a spreadsheet formula, a Welsh
// comment and a group.
func reportProject(t *testing.T) *stepProject {
	t.Helper()
	sp := newStepProject(t)
	wantStatus(t, sp.layC.open(t, sp.path("/support/me")).form("Save").check("A hearing loop").check("Braille").
		fill("Anything else (optional)", "Secret detail about me").submit(), http.StatusSeeOther)
	path := sp.propose(t, sp.layC, "Text reminders")
	sp.layC.post(path+"/vote", url.Values{"choice": {"support"}})
	sp.layC.post(path+"/comments", url.Values{"body": {`=HYPERLINK("http://evil.example","click")`}, "form_token": {"f1"}})
	sp.staffC.post(path+"/comments", url.Values{"body": {"Diolch yn fawr: ŵyn ac ŷd"}, "form_token": {"f2"}})
	sp.leadC.post(path+"/respond", url.Values{"response": {"adopted"}, "rationale": {"Asked for"}})
	sp.leadC.post(sp.path("/steps/identify/groups"), validGroup)
	ctx := context.Background()
	start := time.Now().Add(-48 * time.Hour)
	meeting, err := sp.e.store.CreateMeeting(ctx, sp.lead.ID, coproduce.Meeting{ProjectID: sp.p.ID, Title: "First workshop",
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Venue: "Library"})
	if err != nil {
		t.Fatal(err)
	}
	if err := sp.e.store.RecordAttendance(ctx, sp.lead.ID, sp.p.ID, meeting, []int64{sp.lay.ID, sp.staff.ID}, ""); err != nil {
		t.Fatal(err)
	}
	return sp
}

// secrets are what must never appear in a report without consent.
func (sp *stepProject) secrets() []string {
	return []string{sp.lay.Name, sp.lay.Email, sp.staff.Email, "Secret detail"}
}

func TestReportJSON(t *testing.T) {
	t.Parallel()
	sp := reportProject(t)
	res := sp.leadC.get(sp.path("/reports/project.json"))
	wantStatus(t, res, http.StatusOK)
	if cd := res.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	body := res.Body.Bytes()
	validateAgainstSchema(t, body)
	var r struct {
		report.Report
		Comments []report.Comment `json:"comments"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Proposals) != 1 || r.Proposals[0].By != "Lay partner 1" || r.Proposals[0].Tally.Lay["support"] != 1 {
		t.Errorf("proposals %+v", r.Proposals)
	}
	if len(r.Comments) != 2 || r.CommentCount != 2 || r.Comments[0].By != "Lay partner 1" || r.Comments[1].By != sp.staff.Name {
		t.Errorf("comments %+v (the lay partner keeps one label throughout; staff are named)", r.Comments)
	}
	if r.SupportNeeds["hearing_loop"] != 1 || r.SupportNeeds["braille"] != 1 {
		t.Errorf("support needs %v", r.SupportNeeds)
	}
	if len(r.Meetings) != 1 || r.Meetings[0].Title != "First workshop" || r.Meetings[0].Attended != 2 {
		t.Errorf("meetings %+v, want the workshop with 2 who came", r.Meetings)
	}
	if r.Participation == nil || r.Participation.Proposals != 1 || r.Participation.ProposalsFromLay != 1 || r.Participation.Answered != 1 {
		t.Errorf("participation %+v", r.Participation)
	}
	if len(r.Steps) != 7 || len(r.Steps[0].Groups) != 1 || len(r.Steps[1].Coverage) != 1 || r.Steps[1].Coverage[0].Invited != 0 {
		t.Errorf("steps %d, groups %d, coverage %+v", len(r.Steps), len(r.Steps[0].Groups), r.Steps[1].Coverage)
	}
	wantNone(t, "project.json", string(body), sp.secrets())
}

// validateAgainstSchema checks a JSON report against the documented shape.
func validateAgainstSchema(t *testing.T, body []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	schema, err := c.Compile(filepath.Join("..", "..", "docs", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("report does not match docs/report.schema.json: %v", err)
	}
}

// The documented shape names the same needs, in the same order, as the
// reports count (coproduce.NeedKinds).
func TestReportSchemaNamesEveryNeedKind(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties struct {
			SupportNeeds struct {
				PropertyNames struct {
					Enum []string `json:"enum"`
				} `json:"propertyNames"`
			} `json:"support_needs"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	if got := schema.Properties.SupportNeeds.PropertyNames.Enum; !slices.Equal(got, coproduce.NeedKinds) {
		t.Errorf("docs/report.schema.json names the needs %q, want coproduce.NeedKinds %q", got, coproduce.NeedKinds)
	}
}

func TestReportStageCSV(t *testing.T) {
	t.Parallel()
	sp := reportProject(t)
	res := sp.facC.get(sp.path("/reports/build.csv"))
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	rows, err := readCSV(t, res.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Section" || rows[0][6] != "Details" {
		t.Errorf("header %q", rows[0])
	}
	bySection := map[string][][]string{}
	for _, r := range rows[1:] {
		bySection[r[0]] = append(bySection[r[0]], r)
	}
	if ideas := bySection["Idea"]; len(ideas) != 1 || ideas[0][1] != "Text reminders" || ideas[0][2] != "Lay partner 1" || ideas[0][8] != "1" {
		t.Errorf("idea rows %q", ideas)
	}
	comments := bySection["Comment"]
	if len(comments) != 2 {
		t.Fatalf("comment rows %q", comments)
	}
	if got := comments[0][6]; got != `'=HYPERLINK("http://evil.example","click")` {
		t.Errorf("formula not neutralised: %q", got)
	}
	if got := comments[1][6]; got != "Diolch yn fawr: ŵyn ac ŷd" {
		t.Errorf("Welsh comment %q", got)
	}
	if len(bySection["Group"]) != 0 {
		t.Error("a step 1 group in the build report")
	}
	wantNone(t, "build.csv", res.Body.String(), sp.secrets())
}

func TestReportProjectZIP(t *testing.T) {
	t.Parallel()
	sp := reportProject(t)
	res := sp.leadC.get(sp.path("/reports/project.csv"))
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header().Get("Content-Type"); ct != "application/zip" {
		t.Errorf("Content-Type %q", ct)
	}
	z, err := zip.NewReader(bytes.NewReader(res.Body.Bytes()), int64(res.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][][]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(rc)
		rc.Close()
		rows, err := readCSV(t, raw)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = rows
		wantNone(t, f.Name, string(raw), sp.secrets())
	}
	for _, name := range []string{"steps.csv", "groups.csv", "proposals.csv", "comments.csv", "support_needs.csv", "participation.csv"} {
		if len(files[name]) < 2 {
			t.Errorf("%s: %d rows", name, len(files[name]))
		}
	}
	if got := files["steps.csv"]; len(got) != 8 || got[0][0] != "Item" {
		t.Errorf("steps.csv %q", got)
	}
	if got := files["comments.csv"]; got[1][4] != `'=HYPERLINK("http://evil.example","click")` {
		t.Errorf("comments.csv %q", got)
	}
	// Counted in the order the support form asks: braille before the
	// hearing loop.
	if got := files["support_needs.csv"]; len(got) != 3 || got[1][0] != "Braille" || got[1][1] != "1" ||
		got[2][0] != "A hearing loop" || got[2][1] != "1" {
		t.Errorf("support_needs.csv %q", got)
	}
}

func TestReportPDF(t *testing.T) {
	t.Parallel()
	sp := reportProject(t)
	res := sp.facC.get(sp.path("/reports/project.pdf"))
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header().Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	// A table cell's words may wrap onto lines of their own.
	text := strings.Join(strings.Fields(pdfText(t, res.Body.Bytes())), " ")
	for _, want := range []string{"Project report", sp.p.Title, "Step 6: Build", "You said, we did", "Text reminders",
		"Lay partner 1", "Diolch yn fawr: ŵyn ac ŷd", "no more than 200 in all, so that the printed report stays a readable length", "Braille: 1", "A hearing loop: 1", "page 1 of"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	wantNone(t, "project.pdf", text, sp.secrets())
}

// pdfText extracts a PDF's text with poppler's pdftotext, which make test
// installs, as it is laid out on the page: side-by-side cells' lines
// interleave.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return pdftotext(t, pdf)
}

// pdfTextInOrder extracts a PDF's text in the order the PDF holds it (the
// order Chromium wrote it in, which a screen reader follows): each table
// cell's words together, however narrow its column.
func pdfTextInOrder(t *testing.T, pdf []byte) string {
	t.Helper()
	return pdftotext(t, pdf, "-raw")
}

func pdftotext(t *testing.T, pdf []byte, options ...string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is needed (Debian package poppler-utils): run make test, which installs it")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", append(options, "-enc", "UTF-8", path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestReportHTML(t *testing.T) {
	t.Parallel()
	sp := reportProject(t)
	res := sp.facC.get(sp.path("/reports/build.html"))
	wantStatus(t, res, http.StatusOK)
	d := doc(t, res)
	if got := d.Find("[data-testid=report-downloads] a").Length(); got != 3 {
		t.Errorf("%d downloads offered to a facilitator", got)
	}
	if got := cells(d, "[data-testid=report-comments] tbody tr"); !strings.Contains(got, "Lay partner 1") || !strings.Contains(got, "ŵyn") {
		t.Errorf("comments %q", got)
	}
	if got := text(d, "[data-testid=report-proposals]"); !strings.Contains(got, "Text reminders") || !strings.Contains(got, "Adopted") {
		t.Errorf("you said, we did %q", got)
	}
	wantNone(t, "build.html", res.Body.String(), sp.secrets())
	// The project report counts each need, braille too.
	needs := text(doc(t, sp.facC.get(sp.path("/reports/project.html"))), "[data-testid=report-needs]")
	for _, want := range []string{"Braille: 1", "A hearing loop: 1"} {
		if !strings.Contains(needs, want) {
			t.Errorf("the report's support needs %q lack %q", needs, want)
		}
	}
	// A lay partner is offered the PDF, not the data downloads.
	if got := doc(t, sp.layC.get(sp.path("/reports/build.html"))).Find("[data-testid=report-downloads] a").Length(); got != 1 {
		t.Errorf("%d downloads offered to a lay partner", got)
	}
}

func TestReportNaming(t *testing.T) {
	t.Parallel()
	sp := reportProject(t)
	wantRedirect(t, sp.layC.post(sp.path("/naming"), url.Values{"named": {"yes"}}), sp.path(""))
	body := sp.leadC.get(sp.path("/reports/build.json")).Body.String()
	if strings.Contains(body, "Lay partner 1") || strings.Count(body, sp.lay.Name) != 2 {
		t.Errorf("after consenting, the lay partner is not named on their idea and comment:\n%s", body)
	}
	wantRedirect(t, sp.staffC.post(sp.path("/naming"), url.Values{}), sp.path(""))
	body = sp.leadC.get(sp.path("/reports/build.json")).Body.String()
	if strings.Contains(body, sp.staff.Name) || !strings.Contains(body, "Staff partner 1") {
		t.Error("a staff partner who opted out is still named")
	}
	wantRedirect(t, sp.layC.post(sp.path("/naming"), url.Values{}), sp.path(""))
	if body := sp.leadC.get(sp.path("/reports/build.json")).Body.String(); strings.Contains(body, sp.lay.Name) {
		t.Error("still named after withdrawing consent")
	}
}

func TestReportAccessByRole(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	admin := sp.e.signedIn(sp.admin)
	names := []string{"project", "identify", "select", "be-clear", "choose", "support", "build", "understand"}
	for _, name := range names {
		for _, format := range []string{"html", "pdf", "csv", "json"} {
			path := sp.path("/reports/" + name + "." + format)
			readable := format == "html" || format == "pdf"
			for who, c := range map[string]*client{"lead": sp.leadC, "facilitator": sp.facC, "admin": admin} {
				if res := c.get(path); res.Code != http.StatusOK {
					t.Errorf("%s %s: %d", who, path, res.Code)
				}
			}
			for who, c := range map[string]*client{"lay partner": sp.layC, "staff partner": sp.staffC} {
				want := http.StatusForbidden
				if readable {
					want = http.StatusOK
				}
				if res := c.get(path); res.Code != want {
					t.Errorf("%s %s: %d, want %d", who, path, res.Code, want)
				}
			}
			if res := sp.outsideC.get(path); res.Code != http.StatusNotFound {
				t.Errorf("outsider %s: %d", path, res.Code)
			}
			if res := sp.e.client().get(path); res.Code != http.StatusSeeOther {
				t.Errorf("signed out %s: %d", path, res.Code)
			}
		}
	}
	wantStatus(t, sp.layC.get(sp.path("/reports")), http.StatusOK)
	wantStatus(t, sp.outsideC.get(sp.path("/reports")), http.StatusNotFound)
	if d := doc(t, sp.layC.get(sp.path("/reports"))); d.Find("[data-testid=publish]").Length() != 0 || d.Find("[data-testid=report-build]").Length() != 1 {
		t.Error("a lay partner's reports page: the build report should be listed, the public page control not")
	}
	wantStatus(t, sp.leadC.get(sp.path("/reports/nine.html")), http.StatusNotFound)
	wantStatus(t, sp.leadC.get(sp.path("/reports/project.exe")), http.StatusNotFound)
	wantStatus(t, sp.leadC.get(sp.path("/reports/project")), http.StatusNotFound)
	// lead, facilitator and admin each fetched all 32; lay and staff partners 16 each.
	if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE action = 'audit.export' AND subject LIKE 'report:%'`); n != 3*32+2*16 {
		t.Errorf("%d report downloads audited, want %d", n, 3*32+2*16)
	}
}

// wantNone fails if any of the secrets is in the text.
func wantNone(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s contains %q", what, s)
		}
	}
}

func TestReadableReportsShowTheNewestCommentsOfEachIdea(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	path := sp.propose(t, sp.layC, "Busy idea")
	for i := range report.ReadableComments + 2 {
		sp.aMinutePasses() // one person may post 10 comments a minute
		sp.layC.post(path+"/comments", url.Values{"body": {"Comment number " + itoa(int64(i+1)) + "."}, "form_token": {"c" + itoa(int64(i))}})
	}
	d := doc(t, sp.leadC.get(sp.path("/reports/build.html")))
	rows := d.Find("[data-testid=report-comments] tbody tr")
	if rows.Length() != report.ReadableComments || !strings.Contains(rows.Last().Text(), "Comment number 12.") ||
		strings.Contains(rows.Text(), "Comment number 1.") {
		t.Errorf("%d rows, the newest 10 expected:\n%s", rows.Length(), rows.Text())
	}
	if got := text(d, "[data-testid=report-comments]"); !strings.Contains(got, "The newest 10 of 12 comments.") {
		t.Errorf("no note of how many comments there are: %s", got)
	}
	// The PDF prints the same newest ten: one idea leaves room for them.
	printed := strings.Join(strings.Fields(pdfText(t, sp.leadC.get(sp.path("/reports/build.pdf")).Body.Bytes())), " ")
	if !strings.Contains(printed, "Comment number 12.") || !strings.Contains(printed, "Comment number 3.") ||
		strings.Contains(printed, "Comment number 2.") {
		t.Errorf("the PDF does not show the newest 10 comments:\n%s", printed)
	}
	records, err := readCSV(t, sp.leadC.get(sp.path("/reports/build.csv")).Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range records {
		if r[0] == "Comment" {
			n++
		}
	}
	if n != report.ReadableComments+2 {
		t.Errorf("the CSV has %d comments, want all %d", n, report.ReadableComments+2)
	}
}
