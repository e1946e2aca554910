package views

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// Change is one field an audited edit changed, with its values as stored.
type Change struct {
	Field         string
	Before, After any
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
		// A record named by number when something was made ("the idea
		// 451") tells a reader nothing; its change later is said.
		if idFields[k] && before[k] == nil {
			continue
		}
		if show(before[k]) != show(after[k]) {
			out = append(out, Change{Field: k, Before: before[k], After: after[k]})
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

// idFields name another record by its number, which means nothing to a
// reader: the sentence says only that it changed.
var idFields = map[string]bool{"buddy": true, "group_id": true, "proposal_id": true, "meeting": true,
	"from_project": true, "actions": true, "contributors": true}

// changeSentence says a change in plain words from the catalogue: "Answer
// changed from “Adopted” to “Not adopted”." Field names and stored codes
// (not_adopted, lay_partner, true) are never shown as they are stored.
func changeSentence(ctx context.Context, e coproduce.AuditEvent, c Change) string {
	field := fieldName(ctx, c.Field)
	if idFields[c.Field] {
		return T(ctx, "audit.change.other", map[string]any{"Field": field})
	}
	before, after := readable(ctx, e, c.Field, c.Before), readable(ctx, e, c.Field, c.After)
	data := map[string]any{"Field": field, "Before": before, "After": after}
	switch {
	case before == "":
		return T(ctx, "audit.change.set", data)
	case after == "":
		return T(ctx, "audit.change.cleared", data)
	}
	return T(ctx, "audit.change.changed", data)
}

// fieldName is a changed field's name from the catalogue. A field the
// catalogue does not name yet (a test catches it) is shown in words, never
// as a code with underscores.
func fieldName(ctx context.Context, field string) string {
	id := "audit.field." + strings.ToLower(field)
	if i18n.FromContext(ctx).Has(id) {
		return T(ctx, id)
	}
	words := strings.ReplaceAll(field, "_", " ")
	return strings.ToUpper(words[:1]) + words[1:]
}

// readable is a stored value as a reader knows it: a role, status or
// answer by its name, yes or no, money in pounds, a date as a date, and
// what someone wrote as they wrote it.
func readable(ctx context.Context, e coproduce.AuditEvent, field string, v any) string {
	l := i18n.FromContext(ctx)
	switch v := v.(type) {
	case nil:
		return ""
	case bool:
		if v {
			return T(ctx, "audit.yes")
		}
		return T(ctx, "audit.no")
	case float64:
		if field == "amount_pence" || strings.HasPrefix(field, "mileage_") || strings.HasPrefix(field, "payment_") {
			return coproduce.Pence(v).String()
		}
	case string:
		for _, prefix := range codePrefixes(e, field) {
			if l.Has(prefix + v) {
				return T(ctx, prefix+v)
			}
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return formatDateTime(ctx, t)
		}
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return formatDate(ctx, t)
		}
	case map[string]any:
		return readableMap(ctx, e, field, v)
	}
	return show(v)
}

// readableMap writes a set of named values, such as the methods chosen
// with the reason for each, as "Workshops: because…; Interviews: …".
func readableMap(ctx context.Context, e coproduce.AuditEvent, field string, m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := readable(ctx, e, field, k)
		if why := show(m[k]); why != "" && why != "true" {
			name += ": " + why
		}
		parts[i] = name
	}
	return show(strings.Join(parts, "; "))
}

// codePrefixes are where the catalogue names a field's stored codes. A
// status belongs to what the event is about: a step, a claim or an action.
func codePrefixes(e coproduce.AuditEvent, field string) []string {
	switch strings.ToLower(field) {
	case "role":
		return []string{"project_role.", "system_role."}
	case "status":
		switch {
		case strings.HasPrefix(e.Action, "claim."):
			return []string{"claim_status."}
		case strings.HasPrefix(e.Action, "action."):
			return []string{"action_status."}
		case strings.HasPrefix(e.Action, "project."):
			return []string{"project_status."}
		case strings.HasPrefix(e.Action, "proposal."):
			return []string{"idea_status."}
		}
		return []string{"stage_status."}
	case "response":
		return []string{"response."}
	case "level":
		return []string{"level."}
	case "paper_version":
		return []string{"paper.version."}
	case "stage":
		return []string{"engagement_stage."}
	case "scope":
		return []string{"scope."}
	case "methods":
		return []string{"method."}
	case "affected":
		return []string{"group.affected."}
	case "category":
		return []string{"category."}
	case "decision":
		return []string{"outcome.decision."}
	case "measure":
		return []string{"outcome.measure."}
	}
	return nil
}
