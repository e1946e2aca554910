package views

import (
	"context"
	"strconv"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// tallyLine says a tally in words: lay partners, then staff.
func tallyLine(ctx context.Context, t coproduce.Tally) string {
	return T(ctx, "tally.line", map[string]any{
		"LaySupport": t.Lay[coproduce.Support], "LayNeutral": t.Lay[coproduce.Neutral], "LayObject": t.Lay[coproduce.Object],
		"StaffSupport": t.Staff[coproduce.Support], "StaffNeutral": t.Staff[coproduce.Neutral], "StaffObject": t.Staff[coproduce.Object],
	})
}

// segments lays out one stacked bar: x offsets and widths out of width,
// for support, neutral and object.
func segments(counts map[coproduce.Choice]int, width int) [3][2]int {
	total := counts[coproduce.Support] + counts[coproduce.Neutral] + counts[coproduce.Object]
	var out [3][2]int
	if total == 0 {
		return out
	}
	x := 0
	for i, c := range coproduce.Choices {
		w := counts[c] * width / total
		out[i] = [2]int{x, w}
		x += w
	}
	return out
}

// voteCounts writes one side's votes as "support / neutral / object"
// numbers, for lists whose column header names the three.
func voteCounts(counts [3]int) string {
	b := make([]byte, 0, 16)
	for i, n := range counts {
		if i > 0 {
			b = append(b, " / "...)
		}
		b = strconv.AppendInt(b, int64(n), 10)
	}
	return string(b)
}
