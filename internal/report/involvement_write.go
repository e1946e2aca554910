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

// ReflectionByline says who wrote the reflection and when it last changed.
func ReflectionByline(t Translate, rf *Reflection) string {
	return t("gripp2.reflection_by", map[string]any{"Names": ListText(rf.WrittenBy), "Version": rf.Version,
		"When": rf.LastChangedAt.In(coproduce.UK).Format("2 January 2006")})
}
