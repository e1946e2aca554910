package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/server"
)

// overdueSetup adopts a lay partner's idea and gives it two actions through
// the pages: one due yesterday (UK time) and not started, one due yesterday
// but done. Only the first is past its due date.
func overdueSetup(t *testing.T) (*stepProject, string) {
	t.Helper()
	sp := newStepProject(t)
	idea := sp.suggest(t, sp.layC, "Leaflets in big print", "Small print is hard to read.")
	wantRedirect(t, sp.leadC.open(t, idea).form("Save the answer").check("Adopted").fill("Why?", "Easy to do").submit(), idea)
	yesterday := time.Now().In(coproduce.UK).AddDate(0, 0, -1).Format("2006-01-02")
	wantRedirect(t, sp.leadC.open(t, idea).form("Add action").fill("What will be done", "Print the big-print leaflet").
		fill("Who will do it", "Comms team").fill("By when", yesterday).check("Not started").submit(), idea)
	wantRedirect(t, sp.leadC.open(t, idea).form("Add action").fill("What will be done", "Order the paper").
		fill("Who will do it", "Comms team").fill("By when", yesterday).check("Done").submit(), idea)
	return sp, idea
}

func TestOverdueActionsAreFlaggedOnTheProjectPageAndBuildStep(t *testing.T) {
	t.Parallel()
	sp, _ := overdueSetup(t)
	// Partners see them in a warning, leads and facilitators in their work
	// list.
	for c, where := range map[*client]string{sp.layC: "[data-testid=overdue-actions] li",
		sp.leadC: "li:has([data-testid=work-action])", sp.facC: "li:has([data-testid=work-action])"} {
		got := cells(c.open(t, sp.path("")).doc, where)
		if !strings.Contains(got, "Print the big-print leaflet") || !strings.Contains(got, "Leaflets in big print") ||
			strings.Contains(got, "Order the paper") {
			t.Errorf("project page's overdue actions (%s): %q, want only the unfinished one", where, got)
		}
	}
	d := sp.layC.open(t, sp.path("/steps/build")).doc
	flagged := d.Find("[data-testid=action-overdue]")
	if flagged.Length() != 1 || !strings.Contains(flagged.Parent().Text(), "Print the big-print leaflet") {
		t.Errorf("build step flags %d actions (%q), want the unfinished one", flagged.Length(), flagged.Parent().Text())
	}
	if got := text(d, "[data-testid=action-overdue]"); got != "Past its due date" {
		t.Errorf("flag reads %q", got)
	}

	// Due today is not overdue; nor is a done action.
	sp.e.exec(`UPDATE action_items SET due_on = (now() AT TIME ZONE 'Europe/London')::date`)
	// The project page keeps the parts every viewer sees alike for a second.
	time.Sleep(server.IdeasFreshForTests)
	if n := sp.leadC.open(t, sp.path("")).doc.Find("[data-testid=work-action]").Length(); n != 0 {
		t.Error("an action due today is flagged on the project page")
	}
	if n := sp.leadC.open(t, sp.path("/steps/build")).doc.Find("[data-testid=action-overdue]").Length(); n != 0 {
		t.Error("an action due today is flagged on the build step")
	}
}

func TestSigningOffBuildWhileThingsWaitAsksTheLeadToConfirm(t *testing.T) {
	t.Parallel()
	sp, _ := overdueSetup(t)
	sp.suggest(t, sp.layC, "A quiet room", "It is noisy.")
	sp.e.exec(`UPDATE proposals SET created_at = now() - interval '29 days' WHERE title = 'A quiet room'`)
	step := sp.path("/steps/build")
	if st := sp.stage(t, coproduce.StepBuild); st.Status != coproduce.StageInProgress {
		t.Fatalf("build step is %s, want in progress once ideas come", st.Status)
	}

	pg := sp.leadC.open(t, step)
	waiting := text(pg.doc, "[data-testid=sign-off-waiting]")
	for _, want := range []string{"1 idea from a lay partner has waited more than 28 days", "A quiet room",
		"1 action is past its due date", "Print the big-print leaflet"} {
		if !strings.Contains(waiting, want) {
			t.Errorf("sign-off says %q, want %q", waiting, want)
		}
	}

	// Without the tick nothing is signed and the page says what waits.
	res := pg.form("Sign off this step").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	after := sp.leadC.pageOf(t, step, res)
	if got := text(after.doc, "[data-testid=error-summary]"); !strings.Contains(got, "Tick the box") {
		t.Errorf("error summary %q", got)
	}
	if !strings.Contains(text(after.doc, "[data-testid=sign-off-waiting]"), "A quiet room") {
		t.Error("the refused page does not say what waits")
	}
	if st := sp.stage(t, coproduce.StepBuild); len(st.SignOffs) != 0 {
		t.Fatalf("signed without confirming: %+v", st.SignOffs)
	}

	// With the tick it is signed.
	wantRedirect(t, after.form("Sign off this step").check("I know these are waiting and still want to sign off").submit(), step)
	if st := sp.stage(t, coproduce.StepBuild); len(st.SignOffs) != 1 {
		t.Errorf("%d sign-offs after confirming, want 1", len(st.SignOffs))
	}
}

func TestSigningOffBuildWithNothingWaitingNeedsNoConfirmation(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	step := sp.path("/steps/build")
	wantRedirect(t, sp.leadC.open(t, step).form("Start this step").submit(), step)
	pg := sp.leadC.open(t, step)
	if pg.doc.Find("[data-testid=sign-off-waiting], #confirm_waiting").Length() != 0 {
		t.Error("asks to confirm with nothing waiting")
	}
	wantRedirect(t, pg.form("Sign off this step").submit(), step)
}

// Reports mark the action past its due date, and only that one, in every
// format: HTML, PDF, CSV (the stage report and the project report's
// actions.csv) and JSON.
func TestReportsMarkOverdueActions(t *testing.T) {
	t.Parallel()
	sp, _ := overdueSetup(t)
	for _, path := range []string{"/reports/build.html", "/reports/project.html"} {
		d := doc(t, sp.leadC.get(sp.path(path)))
		flagged := d.Find("[data-testid=action-overdue]")
		if flagged.Length() != 1 || !strings.Contains(flagged.Parent().Text(), "Print the big-print leaflet") {
			t.Errorf("%s flags %d actions, want the unfinished one", path, flagged.Length())
		}
	}
	for _, path := range []string{"/reports/build.pdf", "/reports/project.pdf"} {
		// The PDF is the HTML page printed: its red tag says "Past its due date".
		pdf := strings.Join(strings.Fields(pdfText(t, sp.leadC.get(sp.path(path)).Body.Bytes())), " ")
		if n := strings.Count(strings.ToLower(pdf), "past its due date"); n != 1 {
			t.Errorf("%s says \"past its due date\" %d times, want 1:\n%s", path, n, pdf)
		}
	}
	csvRows := func(raw []byte) [][]string {
		rows, err := readCSV(t, raw)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	checkRows := func(where string, rows [][]string) {
		t.Helper()
		var overdue, done string
		for _, row := range rows {
			line := strings.Join(row, "|")
			if strings.Contains(line, "Print the big-print leaflet") {
				overdue = line
			}
			if strings.Contains(line, "Order the paper") {
				done = line
			}
		}
		if !strings.Contains(overdue, "Not started, past its due date") {
			t.Errorf("%s: overdue action row %q", where, overdue)
		}
		if done == "" || strings.Contains(done, "past its due date") {
			t.Errorf("%s: done action row %q", where, done)
		}
	}
	checkRows("build.csv", csvRows(sp.leadC.get(sp.path("/reports/build.csv")).Body.Bytes()))
	res := sp.leadC.get(sp.path("/reports/project.csv"))
	z, err := zip.NewReader(bytes.NewReader(res.Body.Bytes()), int64(res.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "actions.csv" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(rc)
			rc.Close()
			checkRows("project.csv actions.csv", csvRows(raw))
		}
	}
	for _, path := range []string{"/reports/build.json", "/reports/project.json"} {
		var r struct {
			Proposals []struct {
				Actions []struct {
					Description string `json:"description"`
					Overdue     *bool  `json:"overdue"`
				} `json:"actions"`
			} `json:"proposals"`
		}
		if err := json.Unmarshal(sp.leadC.get(sp.path(path)).Body.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, p := range r.Proposals {
			for _, a := range p.Actions {
				if a.Overdue == nil {
					t.Errorf("%s: action %q has no overdue field", path, a.Description)
					continue
				}
				got[a.Description] = *a.Overdue
			}
		}
		if !got["Print the big-print leaflet"] || got["Order the paper"] || len(got) != 2 {
			t.Errorf("%s overdue: %v", path, got)
		}
	}
}
