package i18n

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n/template"
)

// fieldsParser parses the catalogue's messages for go-i18n. Every
// fieldAction in the catalogue is a plain field ("{{.Count}} ideas"), which
// this fills from the message's data directly: text/template, go-i18n's
// own parser, fills them by reflection, and on a busy page (a lead's work
// list has dozens of counted lines) that was most of the cost of writing
// its words. Anything else falls back to text/template, so a message with
// an action of another kind still works as before.
type fieldsParser struct{ text template.TextParser }

// fieldAction is one "{{.Name}}".
var fieldAction = regexp.MustCompile(`\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

func (p *fieldsParser) Cacheable() bool { return true }

func (p *fieldsParser) Parse(src, leftDelim, rightDelim string) (template.ParsedTemplate, error) {
	if (leftDelim != "" && leftDelim != "{{") || (rightDelim != "" && rightDelim != "}}") ||
		strings.Contains(fieldAction.ReplaceAllString(src, ""), "{{") {
		return p.text.Parse(src, leftDelim, rightDelim)
	}
	t := &fieldsTemplate{src: src}
	last := 0
	for _, m := range fieldAction.FindAllStringSubmatchIndex(src, -1) {
		t.literals = append(t.literals, src[last:m[0]])
		t.fields = append(t.fields, src[m[2]:m[3]])
		last = m[1]
	}
	t.literals = append(t.literals, src[last:])
	return t, nil
}

// fieldsTemplate is a message as literal text with a field between each
// two pieces: literals has one more entry than fields.
type fieldsTemplate struct {
	src      string
	literals []string
	fields   []string
}

// Execute writes the message as text/template would: a missing field is
// "<no value>", and each value is printed as fmt.Fprint prints it.
func (t *fieldsTemplate) Execute(data any) (string, error) {
	if len(t.fields) == 0 {
		return t.literals[0], nil
	}
	values, isMap := data.(map[string]any)
	if !isMap && data != nil { // fields of a struct: text/template's work
		parsed, err := (&template.TextParser{}).Parse(t.src, "", "")
		if err != nil {
			return "", err
		}
		return parsed.Execute(data)
	}
	var b strings.Builder
	for i, field := range t.fields {
		b.WriteString(t.literals[i])
		v, ok := values[field]
		switch v := v.(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		default:
			if !ok {
				b.WriteString("<no value>")
				continue
			}
			fmt.Fprint(&b, v)
		}
	}
	b.WriteString(t.literals[len(t.fields)])
	return b.String(), nil
}
