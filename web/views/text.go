package views

import (
	"context"
	"strings"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
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

// formatDate writes a date as people in the UK expect: 5 March 2026.
func formatDate(t time.Time) string { return t.In(coproduce.UK).Format("2 January 2006") }

// formatDateTime adds the time: 5 March 2026, 14:05.
func formatDateTime(t time.Time) string { return t.In(coproduce.UK).Format("2 January 2006, 15:04") }
