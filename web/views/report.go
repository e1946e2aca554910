package views

import (
	"context"
	"strconv"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/report"
)

// The rows of the report's simple tables, as text.

func groupRows(ctx context.Context, groups []report.Group) [][]string {
	var rows [][]string
	for _, g := range groups {
		included := T(ctx, "group.included.yes")
		if !g.Included {
			included = T(ctx, "group.included.no") + ": " + g.ExclusionReason
		}
		rows = append(rows, []string{g.Name, T(ctx, "group.affected."+g.Affected), included})
	}
	return rows
}

func coverageRows(list []report.Reach) [][]string {
	var rows [][]string
	for _, c := range list {
		rows = append(rows, []string{c.Group, strconv.Itoa(c.Invited), strconv.Itoa(c.Accepted)})
	}
	return rows
}

func approachRows(ctx context.Context, a *report.Approach) [][]string {
	var rows [][]string
	for _, r := range report.ApproachRows(translator(ctx), a) {
		rows = append(rows, r[:])
	}
	return rows
}

func fourRsRows(list []report.FourRs) [][]string {
	var rows [][]string
	for _, f := range list {
		rows = append(rows, []string{f.Member, f.Role, f.Remit, f.Relationships, f.Responsibility})
	}
	return rows
}

func meetingRows(ctx context.Context, list []report.Meeting) [][]string {
	var rows [][]string
	for _, m := range list {
		rows = append(rows, []string{m.Title, formatDateTime(ctx, m.StartsAt), strconv.Itoa(m.Attended)})
	}
	return rows
}

func expenseRows(ctx context.Context, totals map[coproduce.ClaimStatus]coproduce.Pence) [][]string {
	var rows [][]string
	for _, st := range coproduce.ClaimStatuses {
		if total, ok := totals[st]; ok {
			rows = append(rows, []string{T(ctx, "claim_status."+string(st)), total.String()})
		}
	}
	return rows
}

func pairRows(pairs [][2]string) [][]string {
	var rows [][]string
	for _, p := range pairs {
		rows = append(rows, []string{p[0], p[1]})
	}
	return rows
}

func impactRows(ctx context.Context, list []report.ImpactEntry) [][]string {
	t := translator(ctx)
	var rows [][]string
	for _, e := range list {
		on := e.ChangedOn
		if d, err := time.Parse(time.DateOnly, on); err == nil {
			on = formatDate(ctx, d)
		}
		rows = append(rows, []string{e.Title, on, e.WhatChanged, report.CameFromText(t, e), report.ListText(e.Contributors)})
	}
	return rows
}

func outcomeRows(ctx context.Context, list []coproduce.ReportOutcome) [][]string {
	t := translator(ctx)
	var rows [][]string
	for _, o := range list {
		rows = append(rows, []string{o.Title, o.Measure, o.Baseline, o.Target, report.OutcomeLatest(t, o)})
	}
	return rows
}

func reportPrincipleRows(ctx context.Context, round coproduce.ReportPrinciplesRound) [][]string {
	t := translator(ctx)
	var rows [][]string
	for _, p := range round.Principles {
		rows = append(rows, []string{T(ctx, "gripp2.principle."+p.Principle), report.MeanText(t, p.Lay), report.MeanText(t, p.Staff)})
	}
	return rows
}

func impactHeaders(ctx context.Context) []string {
	return []string{T(ctx, "gripp2.csv.change"), T(ctx, "gripp2.csv.changed_on"), T(ctx, "gripp2.csv.what_changed"),
		T(ctx, "gripp2.csv.came_from"), T(ctx, "gripp2.csv.contributors")}
}

func outcomeHeaders(ctx context.Context) []string {
	return []string{T(ctx, "gripp2.csv.outcome"), T(ctx, "gripp2.csv.measure"), T(ctx, "gripp2.csv.baseline"),
		T(ctx, "gripp2.csv.target"), T(ctx, "gripp2.csv.latest")}
}
