package report

// "Involvement and its impact" as the CSV files and the PDF write it (the
// HTML page is in views). Each format takes its words from the same
// functions, so that they agree.

import (
	"strconv"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func init() {
	for _, sec := range []struct {
		section
		heads []string
	}{
		{section{"involvement", []int{colItem, colStatus, colDetails}},
			[]string{"gripp2.csv.part", "gripp2.csv.what", "report.csv.details"}},
		{section{"impact", []int{colItem, colDate, colDetails, colAnswer, colPerson}},
			[]string{"gripp2.csv.change", "gripp2.csv.changed_on", "gripp2.csv.what_changed", "gripp2.csv.came_from", "gripp2.csv.contributors"}},
		{section{"outcomes", []int{colItem, colStatus, colDetails, colAnswer, colPerson}},
			[]string{"gripp2.csv.outcome", "gripp2.csv.measure", "gripp2.csv.baseline", "gripp2.csv.target", "gripp2.csv.latest"}},
		{section{"principles", []int{colItem, colStatus, colDetails, colAnswer}},
			[]string{"gripp2.csv.round", "gripp2.csv.principle", "gripp2.csv.lay_mean", "gripp2.csv.staff_mean"}},
		{section{"reflection", []int{colItem, colPerson, colDate, colDetails}},
			[]string{"gripp2.csv.version", "gripp2.csv.written_by", "gripp2.csv.last_changed", "gripp2.csv.reflection"}},
	} {
		sections = append(sections, sec.section)
		sectionHeads[sec.name] = sec.heads
	}
}

// involvementRecords writes the section as five CSV files: the aim,
// methods and results; the impact log; the outcomes; the principles
// check; and the reflection. A part with nothing recorded says so in one
// row, so that an empty file is never mistaken for a lost one.
func involvementRecords(r *Report, t Translate, emit func(string, record) error) error {
	inv := r.Involvement
	if inv == nil {
		return nil
	}
	for _, part := range inv.Parts(t) {
		for _, row := range part.Rows {
			if err := emit("involvement", record{colItem: part.Heading, colStatus: row[0], colDetails: row[1]}); err != nil {
				return err
			}
		}
	}
	var rows []record
	for _, e := range inv.Impact {
		rows = append(rows, record{colItem: e.Title, colDate: e.ChangedOn, colDetails: e.WhatChanged,
			colAnswer: CameFromText(t, e), colPerson: ListText(e.Contributors)})
	}
	if len(rows) == 0 {
		rows = append(rows, record{colItem: t("gripp2.no_impact")})
	}
	if err := emitAll("impact", rows, emit); err != nil {
		return err
	}
	rows = nil
	for _, o := range inv.Outcomes {
		rows = append(rows, record{colItem: o.Title, colStatus: o.Measure, colDetails: o.Baseline, colAnswer: o.Target,
			colPerson: OutcomeLatest(t, o)})
	}
	if len(rows) == 0 {
		rows = append(rows, record{colItem: t("gripp2.not_recorded")})
	}
	if err := emitAll("outcomes", rows, emit); err != nil {
		return err
	}
	rows = nil
	for _, round := range inv.PrinciplesRounds {
		for _, p := range round.Principles {
			rows = append(rows, record{colItem: round.Title, colStatus: t("gripp2.principle." + p.Principle),
				colDetails: MeanText(t, p.Lay), colAnswer: MeanText(t, p.Staff)})
		}
	}
	if len(rows) == 0 {
		rows = append(rows, record{colItem: t("gripp2.not_recorded")})
	}
	if err := emitAll("principles", rows, emit); err != nil {
		return err
	}
	rec := record{colDetails: t("gripp2.no_reflection")}
	if rf := inv.Reflection; rf != nil {
		rec = record{colItem: strconv.Itoa(rf.Version), colPerson: ListText(rf.WrittenBy), colDate: csvDate(rf.LastChangedAt), colDetails: rf.Text}
	}
	return emit("reflection", rec)
}

func emitAll(section string, rows []record, emit func(string, record) error) error {
	for _, rec := range rows {
		if err := emit(section, rec); err != nil {
			return err
		}
	}
	return nil
}

// involvement writes the section into the PDF.
func (d *pdfDoc) involvement(inv *Involvement) {
	if inv == nil {
		return
	}
	d.heading(d.t("gripp2.heading"), 1)
	d.text(d.t("gripp2.intro"), bodySize, "", 33, 43, 50)
	for _, part := range inv.Parts(d.t) {
		d.subheading(part.Heading)
		if len(part.Rows) == 0 {
			d.text(d.t("gripp2.not_recorded"), bodySize, "", 33, 43, 50)
			continue
		}
		tb := d.table("", []string{d.t("gripp2.csv.what"), d.t("report.csv.details")}, 0.4, 0.6)
		for _, row := range part.Rows {
			tb.row(row[0], row[1])
		}
	}
	d.principles(inv.PrinciplesRounds)
	d.subheading(d.t("gripp2.outcomes"))
	d.impact(inv.Impact)
	d.outcomes(inv.Outcomes)
	d.subheading(d.t("gripp2.reflection"))
	if inv.Reflection == nil {
		d.text(d.t("gripp2.no_reflection"), bodySize, "", 33, 43, 50)
		return
	}
	d.text(inv.Reflection.Text, bodySize, "", 33, 43, 50)
	d.text(ReflectionByline(d.t, inv.Reflection), bodySize-1, "", 75, 85, 90)
}

// ReflectionByline says who wrote the reflection and when it last changed.
func ReflectionByline(t Translate, rf *Reflection) string {
	return t("gripp2.reflection_by", map[string]any{"Names": ListText(rf.WrittenBy), "Version": rf.Version,
		"When": rf.LastChangedAt.In(coproduce.UK).Format("2 January 2006")})
}

func (d *pdfDoc) principles(rounds []coproduce.ReportPrinciplesRound) {
	d.text(d.t("gripp2.principles"), bodySize, "B", 33, 43, 50)
	if len(rounds) == 0 {
		d.text(d.t("gripp2.not_recorded"), bodySize, "", 33, 43, 50)
		return
	}
	for _, round := range rounds {
		tb := d.table(round.Title, []string{d.t("gripp2.csv.principle"), d.t("gripp2.csv.lay_mean"), d.t("gripp2.csv.staff_mean")}, 0.4, 0.3, 0.3)
		for _, p := range round.Principles {
			tb.row(d.t("gripp2.principle."+p.Principle), MeanText(d.t, p.Lay), MeanText(d.t, p.Staff))
		}
	}
}

func (d *pdfDoc) impact(list []ImpactEntry) {
	d.text(d.t("gripp2.impact"), bodySize, "B", 33, 43, 50)
	if len(list) == 0 {
		d.text(d.t("gripp2.no_impact"), bodySize, "", 33, 43, 50)
		return
	}
	tb := d.table("", []string{d.t("gripp2.csv.change"), d.t("gripp2.csv.what_changed"), d.t("gripp2.csv.came_from"),
		d.t("gripp2.csv.contributors")}, 0.22, 0.34, 0.26, 0.18)
	for _, e := range list {
		tb.row(e.Title+"\n"+e.ChangedOn, e.WhatChanged, CameFromText(d.t, e), ListText(e.Contributors))
	}
}

func (d *pdfDoc) outcomes(list []coproduce.ReportOutcome) {
	d.text(d.t("gripp2.outcomes_defined"), bodySize, "B", 33, 43, 50)
	if len(list) == 0 {
		d.text(d.t("gripp2.not_recorded"), bodySize, "", 33, 43, 50)
		return
	}
	tb := d.table("", []string{d.t("gripp2.csv.outcome"), d.t("gripp2.csv.measure"), d.t("gripp2.csv.baseline"),
		d.t("gripp2.csv.target"), d.t("gripp2.csv.latest")}, 0.24, 0.16, 0.16, 0.16, 0.28)
	for _, o := range list {
		tb.row(o.Title, o.Measure, o.Baseline, o.Target, OutcomeLatest(d.t, o))
	}
}
