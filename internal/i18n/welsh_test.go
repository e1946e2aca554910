package i18n_test

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/coproduce/coproduce/internal/i18n"
)

// readCatalogue reads one message file as the translator wrote it: each id
// with its text, or with its plural forms by CLDR category.
func readCatalogue(t *testing.T, name string) (map[string]map[string]string, []string) {
	t.Helper()
	var raw map[string]any
	md, err := toml.DecodeFile("locales/"+name, &raw)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	var order []string
	for _, key := range md.Keys() {
		if len(key) != 1 {
			continue // a plural's forms, read with its id
		}
		id := key[0]
		order = append(order, id)
		switch v := raw[id].(type) {
		case string:
			out[id] = map[string]string{"": v}
		case map[string]any:
			forms := map[string]string{}
			for k, f := range v {
				s, ok := f.(string)
				if !ok {
					t.Fatalf("%s: %s: form %s is not text", name, id, k)
				}
				forms[k] = s
			}
			out[id] = forms
		default:
			t.Fatalf("%s: %s: neither text nor plural forms", name, id)
		}
	}
	return out, order
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
var htmlTag = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)

// find lists what a message's forms use, sorted and without repeats.
func find(re *regexp.Regexp, forms map[string]string, group int) []string {
	seen := map[string]bool{}
	for _, f := range forms {
		for _, m := range re.FindAllStringSubmatch(f, -1) {
			seen[m[group]] = true
		}
	}
	out := []string{}
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Words that are the same in Welsh and English, so a Welsh message may
// equal the English one: the service's name, and words Welsh has borrowed.
var sameInWelsh = map[string]bool{"Coproduce": true, "Staff": true, "Partner": true, "Person": true, "Braille": true}

// Messages that are the same in both languages on purpose: each language's
// name, written in that language.
var sameOnPurpose = map[string]bool{"language.name.en": true, "language.name.cy": true}

// Every English message has a Welsh one with the same placeholders and the
// same HTML; no Welsh message lacks an English one; Welsh text is not left
// in English; every Welsh plural has Welsh's six CLDR forms; and the file
// keeps en.toml's order so the two can be read side by side.
func TestWelshCatalogueIsComplete(t *testing.T) {
	en, enOrder := readCatalogue(t, "en.toml")
	cy, cyOrder := readCatalogue(t, "cy.toml")
	if len(en) < 1000 {
		t.Fatalf("read only %d English messages", len(en))
	}
	welshForms := []string{"few", "many", "one", "other", "two", "zero"}
	for _, id := range enOrder {
		e := en[id]
		w, ok := cy[id]
		if !ok {
			t.Errorf("%s: no Welsh message", id)
			continue
		}
		if a, b := find(placeholder, e, 1), find(placeholder, w, 1); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: English uses %v, Welsh uses %v", id, a, b)
		}
		if a, b := find(htmlTag, e, 0), find(htmlTag, w, 0); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: English has HTML %v, Welsh %v", id, a, b)
		}
		_, enPlain := e[""]
		_, cyPlain := w[""]
		if enPlain != cyPlain {
			t.Errorf("%s: plural in one language only", id)
		}
		if !cyPlain {
			var forms []string
			for k := range w {
				forms = append(forms, k)
			}
			sort.Strings(forms)
			if !reflect.DeepEqual(forms, welshForms) {
				t.Errorf("%s: Welsh plural forms %v, want %v", id, forms, welshForms)
			}
		}
		if enPlain && cyPlain && e[""] == w[""] {
			letters := strings.TrimSpace(placeholder.ReplaceAllString(e[""], ""))
			if strings.ContainsFunc(letters, func(r rune) bool { return r >= 'A' && r <= 'z' }) && !sameInWelsh[letters] && !sameOnPurpose[id] {
				t.Errorf("%s: the Welsh message is the English one: %q", id, e[""])
			}
		}
	}
	for _, id := range cyOrder {
		if _, ok := en[id]; !ok {
			t.Errorf("%s: a Welsh message with no English one", id)
		}
	}
	if !reflect.DeepEqual(enOrder, cyOrder) && len(enOrder) == len(cyOrder) {
		t.Error("cy.toml is not in en.toml's order")
	}
}

// Welsh counts choose among zero, one, two, few, many and other: 0, 1, 2,
// 3, 6 and 11 each reach their own form, with the number shown.
func TestWelshPlurals(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c.Strict = true
	l := c.Localizer("cy")
	if l.Lang() != "cy" {
		t.Fatalf("Lang() = %q, want cy", l.Lang())
	}
	need := map[string]any{"Need": "Print bras"}
	for n, want := range map[int]string{
		0:  "Print bras (0 person)",
		1:  "Print bras (1 person)",
		2:  "Print bras (2 berson)",
		3:  "Print bras (3 pherson)",
		6:  "Print bras (6 pherson)",
		11: "Print bras (11 person)",
	} {
		if got := l.N("plan.line", n, need); got != want {
			t.Errorf("plan.line %d: %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{
		0:  "Does dim cam gweithredu wedi pasio'i ddyddiad (0):",
		1:  "Mae 1 cam gweithredu wedi pasio'i ddyddiad:",
		2:  "Mae 2 gam gweithredu wedi pasio'u dyddiad:",
		3:  "Mae 3 cham gweithredu wedi pasio'u dyddiad:",
		6:  "Mae 6 cham gweithredu wedi pasio'u dyddiad:",
		11: "Mae 11 cam gweithredu wedi pasio'u dyddiad:",
	} {
		if got := l.N("sign_off_waiting.actions", n, nil); got != want {
			t.Errorf("sign_off_waiting.actions %d: %q, want %q", n, got, want)
		}
	}
	if got := l.T("members.back", map[string]any{"Title": "Strôc"}); got != "Yn ôl i Strôc" {
		t.Errorf("members.back: %q", got)
	}
	if got := l.T(i18n.TooLong + ".1000"); got != "Rhaid i hwn fod yn 1,000 nod neu lai" {
		t.Errorf("too long: %q", got)
	}
}

// Dates and times in Welsh: Welsh month and day names, and 2yp for 2pm.
func TestWelshDates(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, time.March, 5, 14, 5, 0, 0, time.UTC)
	for lang, want := range map[string]string{
		"cy": "Dydd Iau 5 Mawrth 2026, 2:05yp",
		"en": "Thursday 5 March 2026, 2:05pm",
	} {
		if got := c.Localizer(lang).Format(at, "Monday 2 January 2006, 3:04pm"); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	may := time.Date(2026, time.May, 1, 9, 0, 0, 0, time.UTC)
	if got := c.Localizer("cy").Format(may, "Monday 2 January 2006, 3pm"); got != "Dydd Gwener 1 Mai 2026, 9yb" {
		t.Errorf("May: %q", got)
	}
}
