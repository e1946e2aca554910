package views

import (
	"context"
	"strings"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// splitParagraphs breaks plain text at blank lines.
func splitParagraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// trackerSummary says in words what the tracker shows.
func trackerSummary(ctx context.Context, stages []coproduce.Stage) string {
	done, started := 0, 0
	for _, st := range stages {
		switch st.Status {
		case coproduce.StageComplete:
			done++
		case coproduce.StageInProgress:
			started++
		}
	}
	return T(ctx, "tracker.summary", map[string]any{"Done": done, "Started": started, "Total": len(stages)})
}

// formatDate writes a date as people in the UK expect, in the page's
// language: 5 March 2026, 5 Mawrth 2026.
func formatDate(ctx context.Context, t time.Time) string {
	return i18n.FromContext(ctx).Format(t.In(coproduce.UK), "2 January 2006")
}

// formatDateTime adds the time: 5 March 2026, 14:05.
func formatDateTime(ctx context.Context, t time.Time) string {
	return i18n.FromContext(ctx).Format(t.In(coproduce.UK), "2 January 2006, 15:04")
}

// clockTime writes a time of day as the NHS style guide asks: 2pm, 2:30pm,
// midday, midnight.
func clockTime(ctx context.Context, t time.Time) string {
	switch h, m := t.Hour(), t.Minute(); {
	case h == 12 && m == 0:
		return T(ctx, "time.midday")
	case h == 0 && m == 0:
		return T(ctx, "time.midnight")
	case m == 0:
		return i18n.FromContext(ctx).Format(t, "3pm")
	default:
		return i18n.FromContext(ctx).Format(t, "3:04pm")
	}
}
