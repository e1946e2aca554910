package views

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// Change is one field an audited edit changed.
type Change struct {
	Field, Before, After string
}

// changes lists the fields whose values differ between before and after,
// shortened for reading.
func changes(e coproduce.AuditEvent) []Change {
	before, _ := e.Before.(map[string]any)
	after, _ := e.After.(map[string]any)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []Change
	for k := range keys {
		b, a := show(before[k]), show(after[k])
		if b != a {
			out = append(out, Change{Field: k, Before: b, After: a})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// maxChangeRunes is how much of a changed value the table shows.
const maxChangeRunes = 200

// show writes a value decoded from JSON for reading: text as it is, and
// anything else (numbers, yes/no, lists) as JSON, cut short past
// maxChangeRunes.
func show(v any) string {
	var s string
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		s = v
	default:
		b, err := json.Marshal(v)
		if err != nil {
			s = fmt.Sprint(v)
		} else {
			s = string(b)
		}
	}
	if r := []rune(s); len(r) > maxChangeRunes {
		s = string(r[:maxChangeRunes-1]) + "…"
	}
	return s
}

// auditStep names the step an event is about, if any.
func auditStep(e coproduce.AuditEvent) (coproduce.Step, bool) {
	slug, ok := strings.CutPrefix(e.Subject, "step:")
	if !ok {
		return 0, false
	}
	return coproduce.StepBySlug(slug)
}
