package demo_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/report"
	"github.com/coproduce/coproduce/web/views"
)

// The stroke project's report has "Involvement and its impact" filled
// from the demo's own story, in every format: the declared approach, the
// workshop and who came, the answered ideas, three changes in the impact
// log each from a real idea (Margaret named, as she agreed; David and Siân
// by their labels), and the reflection Margaret and Aisha wrote.
func TestDemoReportShowsInvolvementAndImpact(t *testing.T) {
	t.Parallel()
	l := loadDemo(t)
	catalog, err := i18n.Load()
	l.must(err)
	catalog.Strict = true
	loc := catalog.Localizer("en")
	p, err := l.store.ProjectByID(l.ctx, l.stroke())
	l.must(err)
	rep, err := report.Build(l.ctx, l.store, p, 0, "Aisha Khan", report.Labels{
		Role:   func(r coproduce.ProjectRole) string { return loc.T("project_role." + string(r)) },
		Former: loc.T("report.former"), Ambiguous: loc.T("report.ambiguous_name"), Words: loc.T})
	l.must(err)
	secrets := []string{"David Okafor", "Siân Williams", "Siân"}

	var js bytes.Buffer
	l.must(report.WriteJSON(l.ctx, &js, rep))
	schema, err := jsonschema.NewCompiler().Compile(filepath.Join("..", "..", "docs", "report.schema.json"))
	l.must(err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(js.Bytes()))
	l.must(err)
	if err := schema.Validate(doc); err != nil {
		t.Errorf("the demo's report does not match docs/report.schema.json: %v", err)
	}
	var got struct {
		Involvement report.Involvement `json:"involvement"`
	}
	l.must(json.Unmarshal(js.Bytes(), &got))
	inv := got.Involvement
	if inv.Aim.Approach == nil || inv.Methods.MeetingsHeld < 1 || inv.Methods.AttendanceByRole[coproduce.RoleLayPartner] == 0 ||
		inv.Results.Adopted+inv.Results.Adapted+inv.Results.NotAdopted < 3 {
		t.Errorf("aim, methods and results not filled from the story: %+v", inv)
	}
	if len(inv.Impact) != 3 {
		t.Fatalf("%d changes in the impact log, want 3", len(inv.Impact))
	}
	for _, e := range inv.Impact {
		if len(e.CameFrom) == 0 || len(e.Contributors) == 0 {
			t.Errorf("%q does not say what it came from and who contributed", e.Title)
		}
	}
	// The texts the day before helped an outcome partners defined.
	if !hasSource(inv.Impact[2].CameFrom, "outcome", "Fewer visits missed or moved at short notice") {
		t.Errorf("the oldest change came from %+v: want the outcome it helped", inv.Impact[2].CameFrom)
	}
	if c := strings.Join(inv.Impact[2].Contributors, ", "); !strings.Contains(c, "Margaret Jones") || !strings.Contains(c, "Lay partner") {
		t.Errorf("the oldest change's contributors are %q: want Margaret by name and the others by label", c)
	}
	if inv.Reflection == nil || inv.Reflection.Version != 2 || len(inv.Reflection.WrittenBy) != 2 {
		t.Errorf("reflection %+v", inv.Reflection)
	}
	wantNone(t, "project.json", js.String(), secrets)

	var z bytes.Buffer
	l.must(report.WriteZIP(l.ctx, &z, rep, loc.T))
	zr, err := zip.NewReader(bytes.NewReader(z.Bytes()), int64(z.Len()))
	l.must(err)
	for _, f := range zr.File {
		if f.Name != "impact.csv" {
			continue
		}
		rc, err := f.Open()
		l.must(err)
		raw, _ := io.ReadAll(rc)
		rc.Close()
		if !strings.Contains(string(raw), "Evening visits on two days a week") || !strings.Contains(string(raw), "Idea: Visits at weekends") ||
			!strings.Contains(string(raw), "Outcome: Exercise sheets are ready in Welsh") {
			t.Errorf("impact.csv:\n%s", raw)
		}
		wantNone(t, "impact.csv", string(raw), secrets)
	}

	var html strings.Builder
	ctx := i18n.WithLocalizer(l.ctx, loc)
	l.must(views.ReportPage(views.Page{TitleText: "Report", OrgName: "Test trust"}, *p, rep, nil).Render(ctx, &html))
	// The demo's agreed outcomes, with their newest reading in words, and
	// its closed round of the principles check are in the section too.
	for _, want := range []string{"Involvement and its impact", "2. Methods", "3. Results", "Families are told the day before",
		"Saying no to weekend visits was hard", "Fewer visits missed or moved at short notice", "A number",
		"9 visits missed or moved at short notice in four weeks", "First review, after the first workshop"} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
	wantNone(t, "project.html", html.String(), secrets)
}

func wantNone(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s names %q, who did not agree to be named", what, s)
		}
	}
}

func hasSource(list []report.ImpactSource, kind, title string) bool {
	for _, s := range list {
		if s.Kind == kind && s.Title == title {
			return true
		}
	}
	return false
}
