package views

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// proposedLine says who suggested an outcome, in what role, and when.
func proposedLine(ctx context.Context, o coproduce.Outcome) string {
	data := map[string]any{"Name": o.ProposedBy, "When": formatDate(ctx, o.CreatedAt)}
	if o.ProposerRole == "" {
		return T(ctx, "outcome.suggested_by", data)
	}
	data["Role"] = T(ctx, roleKey(o.ProposerRole))
	return T(ctx, "outcome.suggested_by_role", data)
}

// measureLine says how an outcome is measured, with where it starts and
// should get to: "Number of missed visits a month, from 12 towards 4".
func measureLine(ctx context.Context, o coproduce.Outcome) string {
	switch o.Measure {
	case "":
		return T(ctx, "outcome.measure_none")
	case coproduce.MeasureStories:
		return T(ctx, "outcome.measure_line.stories")
	case coproduce.MeasureNumber:
		return T(ctx, "outcome.measure_line.number", map[string]any{"Unit": o.Unit,
			"Baseline": number(o.Baseline), "Target": number(o.Target)})
	}
	return T(ctx, "outcome.measure_line."+string(o.Measure), map[string]any{
		"Baseline": figureText(ctx, o, o.Baseline), "Target": figureText(ctx, o, o.Target)})
}

// number writes a figure without needless decimals: 12, 3.5.
func number(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// figureText writes one figure of an outcome as people read it.
func figureText(ctx context.Context, o coproduce.Outcome, f float64) string {
	return o.FigureText(func(id string, data ...map[string]any) string { return T(ctx, id, data...) }, f)
}

// FigureInput writes a figure back into a form field, so that it reads
// again as the same figure.
func FigureInput(ctx context.Context, m coproduce.Measure, f float64) string {
	if m == coproduce.MeasureYesNo {
		if f >= 0.5 {
			return strings.ToLower(T(ctx, "figure.yes_label"))
		}
		return strings.ToLower(T(ctx, "figure.no_label"))
	}
	return number(f)
}

// readingText writes a reading as a list shows it: its figure, or for
// stories the start of the story.
func readingText(ctx context.Context, o coproduce.Outcome, r coproduce.Reading) string {
	if o.Measure.Figures() {
		return figureText(ctx, o, r.Value)
	}
	if s := []rune(r.Story); len(s) > 80 {
		return string(s[:79]) + "…"
	}
	return r.Story
}

// The plot's place inside the chart's 640 by 300 box (the templ draws the
// box, its axes and its key at these places).
const (
	plotLeft   = 80
	plotRight  = 610
	plotTop    = 20
	plotBottom = 230
)

// chartTick is a labelled place on an axis.
type chartTick struct {
	At    float64
	Label string
}

// chartPoint is one reading on the chart.
type chartPoint struct{ X, Y float64 }

// outcomeChart is an outcome's readings laid out on the chart.
type outcomeChart struct {
	Points             []chartPoint
	Line               string // the polyline's points
	BaselineY, TargetY float64
	YTicks             []chartTick
	XTicks             []chartTick
}

// yRange is the figures' range on the chart: the whole scale for a scale
// or yes/no, and for a number from zero (or the lowest figure, if below)
// to a round number above the highest, in round steps.
func yRange(o coproduce.Outcome) (lo, hi, step float64) {
	switch o.Measure {
	case coproduce.MeasureScale:
		return 1, 5, 1
	case coproduce.MeasureYesNo:
		return 0, 1, 1
	}
	lo, hi = math.Min(0, math.Min(o.Baseline, o.Target)), math.Max(o.Baseline, o.Target)
	for _, r := range o.Readings {
		lo, hi = math.Min(lo, r.Value), math.Max(hi, r.Value)
	}
	if hi <= lo {
		hi = lo + 1
	}
	step = niceStep((hi - lo) / 4)
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step, step
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(rough float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(rough)))
	for _, m := range []float64{1, 2, 5, 10} {
		if rough <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

// layOutChart places an outcome's readings (in date order), its baseline
// and its target on the chart.
func layOutChart(ctx context.Context, o coproduce.Outcome) outcomeChart {
	lo, hi, step := yRange(o)
	y := func(f float64) float64 { return plotBottom - (f-lo)/(hi-lo)*(plotBottom-plotTop) }
	c := outcomeChart{BaselineY: y(o.Baseline), TargetY: y(o.Target)}
	for t := lo; t <= hi+step/2; t += step {
		c.YTicks = append(c.YTicks, chartTick{At: y(t), Label: tickLabel(ctx, o, t)})
	}
	n := len(o.Readings)
	if n == 0 {
		return c
	}
	first, last := o.Readings[0].TakenOn, o.Readings[n-1].TakenOn
	span := last.Sub(first).Hours()
	var pts []string
	for i, r := range o.Readings {
		x := float64(plotLeft+plotRight) / 2
		switch {
		case span > 0:
			x = plotLeft + r.TakenOn.Sub(first).Hours()/span*(plotRight-plotLeft)
		case n > 1: // all on one day: side by side
			x = plotLeft + float64(i)/float64(n-1)*(plotRight-plotLeft)
		}
		p := chartPoint{X: math.Round(x*10) / 10, Y: math.Round(y(r.Value)*10) / 10}
		c.Points = append(c.Points, p)
		pts = append(pts, fmtCoord(p.X)+","+fmtCoord(p.Y))
	}
	c.Line = strings.Join(pts, " ")
	c.XTicks = []chartTick{{At: c.Points[0].X, Label: formatDate(ctx, first)}}
	if n > 1 && !last.Equal(first) {
		c.XTicks = append(c.XTicks, chartTick{At: c.Points[n-1].X, Label: formatDate(ctx, last)})
	}
	return c
}

// tickLabel writes an axis figure: the number, or yes and no.
func tickLabel(ctx context.Context, o coproduce.Outcome, f float64) string {
	if o.Measure == coproduce.MeasureYesNo {
		return figureText(ctx, o, f)
	}
	return number(math.Round(f*1e6) / 1e6)
}

func fmtCoord(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// xAnchor keeps a date label inside the chart: the first reading's starts
// at its point, the last's ends there.
func xAnchor(i int) string {
	if i == 0 {
		return "start"
	}
	return "end"
}

// chartSummary says in words what the chart shows, for the chart's
// description: the span, the first and last readings, baseline and target.
func chartSummary(ctx context.Context, o coproduce.Outcome) string {
	n := len(o.Readings)
	if n == 0 {
		return ""
	}
	first, last := o.Readings[0], o.Readings[n-1]
	return N(ctx, "outcome.chart_desc", n, map[string]any{
		"First": formatDate(ctx, first.TakenOn), "Last": formatDate(ctx, last.TakenOn),
		"From": figureText(ctx, o, first.Value), "To": figureText(ctx, o, last.Value),
		"Baseline": figureText(ctx, o, o.Baseline), "Target": figureText(ctx, o, o.Target)})
}
