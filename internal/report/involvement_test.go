package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/report"
)

func mean(f float64) *float64 { return &f }

// handFilled is a project report whose "Involvement and its impact" has
// every part filled by hand, outcomes and a principles round included
// (which the outcomes and principles check features fill in the app).
func handFilled() *report.Report {
	return &report.Report{GeneratedAt: time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC), GeneratedBy: "Aisha Khan", Scope: "project",
		Project: report.ProjectInfo{Title: "Stroke rehabilitation", Status: "active"}, Steps: []report.Step{},
		Involvement: &report.Involvement{
			Aim: report.InvolvementAim{Purpose: "Better care at home"},
			Methods: report.InvolvementMethods{MembersByRole: map[coproduce.ProjectRole]int{coproduce.RoleLayPartner: 3},
				Methods: []string{"workshop"}, MeetingsHeld: 2, AttendanceByRole: map[coproduce.ProjectRole]int{coproduce.RoleLayPartner: 5}},
			Results: report.InvolvementResults{Ideas: 4, Adopted: 2, Actions: 3, ActionsDone: 1},
			Impact: []report.ImpactEntry{{Title: "Texts sent", WhatChanged: "Families know when we come.",
				ChangedOn: "2026-02-20", CameFrom: []report.ImpactSource{{Kind: "idea", Title: "Tell us the time"}},
				Contributors: []string{"Lay partner 1"}}},
			Outcomes: []coproduce.ReportOutcome{{Title: "Fewer missed visits", Measure: "A number", Baseline: "12 a month",
				Target: "3 a month", Latest: &coproduce.ReportReading{Value: "5 a month", On: "2026-03-01", Source: "Rota system"}}},
			PrinciplesRounds: []coproduce.ReportPrinciplesRound{{Title: "Spring round", Principles: []coproduce.ReportPrincipleMeans{
				{Principle: "mutuality", Lay: mean(2.5), Staff: mean(4.25)},
				{Principle: "assets", Lay: nil, Staff: mean(3)},
			}}},
			Reflection: &report.Reflection{Text: "We met too early in the day.", Version: 2, LastChangedBy: "Lay partner 1",
				LastChangedAt: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC), WrittenBy: []string{"Aisha Khan", "Lay partner 1"}},
		}}
}

func english(t *testing.T) report.Translate {
	t.Helper()
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	catalog.Strict = true
	return catalog.Localizer("en").T
}

// The hand-filled outcomes and principles round are in the JSON, which
// keeps its documented shape (a group's mean is null when fewer than three
// answered).
func TestInvolvementJSON(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteJSON(context.Background(), &b, handFilled()); err != nil {
		t.Fatal(err)
	}
	schema, err := jsonschema.NewCompiler().Compile(filepath.Join("..", "..", "docs", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("does not match docs/report.schema.json: %v", err)
	}
	var got struct {
		Involvement struct {
			Outcomes         []coproduce.ReportOutcome         `json:"outcomes"`
			PrinciplesRounds []coproduce.ReportPrinciplesRound `json:"principles_rounds"`
		} `json:"involvement"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	inv := got.Involvement
	if len(inv.Outcomes) != 1 || inv.Outcomes[0].Latest == nil || inv.Outcomes[0].Latest.Value != "5 a month" {
		t.Errorf("outcomes %+v", inv.Outcomes)
	}
	if len(inv.PrinciplesRounds) != 1 || inv.PrinciplesRounds[0].Principles[1].Lay != nil || *inv.PrinciplesRounds[0].Principles[0].Staff != 4.25 {
		t.Errorf("principles %+v", inv.PrinciplesRounds)
	}
	if !strings.Contains(b.String(), `"lay_partners_mean":null`) {
		t.Error("a group with fewer than three answers is not null")
	}
}

// The CSV files carry every part, each under its own headers.
func TestInvolvementCSV(t *testing.T) {
	tr := english(t)
	var b bytes.Buffer
	if err := report.WriteZIP(context.Background(), &b, handFilled(), tr); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
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
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = rows
	}
	for name, want := range map[string][]string{
		"outcomes.csv":   {"Outcome", "How it is measured", "Where it started", "Target", "Latest reading"},
		"principles.csv": {"Round", "Principle", "Lay partners' average (out of 5)", "Staff average (out of 5)"},
		"impact.csv":     {"Change", "Date", "What changed", "Came from", "Who contributed"},
	} {
		if got := files[name]; len(got) < 2 || strings.Join(got[0], "|") != strings.Join(want, "|") {
			t.Errorf("%s: %q, want the header %q and rows", name, got, want)
		}
	}
	if got := files["outcomes.csv"]; len(got) == 2 && got[1][4] != "5 a month on 2026-03-01 (Rota system)" {
		t.Errorf("outcome row %q", got[1])
	}
	if got := files["principles.csv"]; len(got) != 3 || got[1][1] != "Mutuality: give and take" || got[1][2] != "2.5" ||
		got[1][3] != "4.2" && got[1][3] != "4.3" || got[2][2] != "Fewer than three answered" {
		t.Errorf("principles rows %q", got)
	}
	if got := files["impact.csv"]; len(got) == 2 && (got[1][3] != "Idea: Tell us the time" || got[1][4] != "Lay partner 1") {
		t.Errorf("impact row %q", got[1])
	}
	if got := files["reflection.csv"]; len(got) != 2 || got[1][3] != "We met too early in the day." {
		t.Errorf("reflection.csv %q", got)
	}
	if got := files["involvement.csv"]; len(got) < 10 || got[1][0] != "1. Aim of the involvement" {
		t.Errorf("involvement.csv %q", got)
	}
}
