package i18n

import (
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
)

// rawMessages reads a message file as written: each id's text, or its
// plural forms, by form ("" for a message without forms).
func rawMessages(t *testing.T, name string) map[string]map[string]string {
	t.Helper()
	var raw map[string]any
	if _, err := toml.DecodeFile("locales/"+name, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for id, v := range raw {
		out[id] = map[string]string{}
		switch v := v.(type) {
		case string:
			out[id][""] = v
		case map[string]any:
			for form, text := range v {
				out[id][form], _ = text.(string)
			}
		}
	}
	return out
}

// Every message of both catalogues, filled by the fields parser, reads
// exactly as text/template (go-i18n's own parser) writes it: with every
// field given, with none, and with numbers of other kinds.
func TestFieldsParserWritesWhatTextTemplateWrites(t *testing.T) {
	datas := []map[string]any{
		nil,
		{},
		{"Count": 3, "Name": "Siân", "Title": "Transport <to> clinics & back", "Days": int64(28), "Max": "1,000",
			"When": 2.5, "Project": struct{ En, Cy string }{"a", "b"}},
	}
	checked := 0
	for _, name := range []string{"en.toml", "cy.toml"} {
		messages := rawMessages(t, name)
		for id, forms := range messages {
			for form, src := range forms {
				fast, err := parser.Parse(src, "", "")
				if err != nil {
					t.Fatalf("%s %s %s: %v", name, id, form, err)
				}
				if _, ok := fast.(*fieldsTemplate); !ok {
					t.Errorf("%s %s %s: not filled by the fields parser: %q", name, id, form, src)
				}
				slow, err := (&template.TextParser{}).Parse(src, "", "")
				if err != nil {
					t.Fatalf("%s %s %s: %v", name, id, form, err)
				}
				for _, data := range datas {
					for _, m := range fieldAction.FindAllStringSubmatch(src, -1) {
						if len(data) > 0 && data[m[1]] == nil {
							data[m[1]] = m[1] + " value"
						}
					}
					want, err := slow.Execute(data)
					if err != nil {
						t.Fatal(err)
					}
					got, err := fast.Execute(data)
					if err != nil {
						t.Fatal(err)
					}
					if got != want {
						t.Errorf("%s %s %s: got %q, want %q", name, id, form, got, want)
					}
					checked++
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d messages checked", checked)
	}
}

// A message with an action other than a field is left to text/template.
func TestFieldsParserLeavesOtherActionsToTextTemplate(t *testing.T) {
	p, err := parser.Parse(`{{if .Count}}some{{else}}none{{end}}`, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.(*fieldsTemplate); ok {
		t.Fatal("an if action was taken for fields")
	}
	if got, _ := p.Execute(map[string]any{"Count": 0}); got != "none" {
		t.Fatalf("got %q", got)
	}
	s, err := parser.Parse(`{{.Name}} said`, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Execute(struct{ Name string }{"Tom"}); got != "Tom said" {
		t.Fatalf("a struct's field: got %q", got)
	}
}
