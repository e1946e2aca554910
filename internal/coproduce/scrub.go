package coproduce

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// NameTitles may stand before a name ("Dr Patel", "Mrs. Jones"): a name
// after one of them is found with the title, and the title goes too.
var NameTitles = []string{"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor",
	"sister", "nurse", "rev", "revd", "reverend", "sir", "dame", "lady", "lord", "cllr", "councillor"}

// commonWords are given names that are also everyday words: alone, they
// are taken as a name only when written with a capital ("Will", not
// "will"); with the family name or a title they are found in any case.
var commonWords = map[string]bool{"will": true, "may": true, "hope": true, "grace": true, "faith": true,
	"joy": true, "rose": true, "mark": true, "bill": true, "pat": true, "sue": true, "dawn": true,
	"june": true, "april": true, "summer": true, "iris": true, "ruby": true, "jack": true, "frank": true,
	"guy": true, "rich": true, "sky": true, "art": true, "ray": true, "les": true, "carol": true,
	"holly": true, "ivy": true, "amber": true, "crystal": true, "robin": true, "rob": true, "don": true,
	"drew": true, "gene": true, "max": true, "dean": true, "chance": true, "page": true, "son": true}

// NameForms are the ways a member's name is found in free text: their full
// name, their given name (the first word), their given and family names
// (first and last words), and their family name after a title. Each form is
// matched as whole words, in any case, with any spacing between words, a
// straight or curly apostrophe alike, and a title before it if there is one.
// A title in the stored name ("Dr Priya Patel") is not a form by itself.
func NameForms(name string) []string {
	words := strings.Fields(name)
	for len(words) > 1 && isTitle(words[0]) {
		words = words[1:]
	}
	if len(words) == 0 {
		return nil
	}
	forms := []string{strings.Join(words, " "), words[0]}
	if len(words) > 2 {
		forms = append(forms, words[0]+" "+words[len(words)-1])
	}
	return forms
}

func isTitle(w string) bool { return titles[strings.ToLower(strings.TrimSuffix(w, "."))] }

// titles are NameTitles as a set: a title is looked for before every word
// of every comment a report scrubs.
var titles = func() map[string]bool {
	set := map[string]bool{}
	for _, t := range NameTitles {
		set[t] = true
	}
	return set
}()

// keepName marks a form that is a named person's: found, and left as it is.
const keepName = "\x00keep"

// nameForm is one way of writing a name, as folded words.
type nameForm struct {
	words []string
	label string
	// afterTitle: found only after a title (a family name alone).
	afterTitle bool
	// capital: found only when written with a capital (a given name that
	// is also an everyday word).
	capital bool
}

// nameScrubber finds every form of every member's name by looking each word
// of a text up in an index of the forms' first words: one pass, however
// many members and comments.
type nameScrubber struct {
	forms map[string][]nameForm // by first word, longest first
}

// foldWord is how a word is compared: in lower case, the curly apostrophe
// straight, and without accents, so that "Sian" and "SIÂN" find Siân.
func foldWord(w string) string {
	if ascii, lower := asciiCase(w); ascii {
		if lower {
			return w // most words of most texts: nothing to fold
		}
		return strings.ToLower(w)
	}
	w = strings.ToLower(strings.ReplaceAll(w, "’", "'"))
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			if bare, _, err := transform.String(stripAccents(), w); err == nil {
				return bare
			}
			break
		}
	}
	return w
}

// asciiCase says whether w is all ASCII and, if so, whether it is all in
// lower case already.
func asciiCase(w string) (ascii, lower bool) {
	lower = true
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= utf8.RuneSelf:
			return false, false
		case 'A' <= c && c <= 'Z':
			lower = false
		}
	}
	return true, lower
}

// stripAccents takes a word apart into letters and marks and drops the
// marks. A chain keeps state, so each word gets its own.
func stripAccents() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

func (n *Namer) newScrubber() *nameScrubber {
	sc := &nameScrubber{forms: map[string][]nameForm{}}
	// Who each form could be: a form shared by two people becomes
	// Ambiguous; one shared with a named person too, since it may be the
	// unnamed one.
	type who struct {
		label   string
		many    bool
		unnamed bool
	}
	owners := map[string]*who{}
	add := func(form, label string, unnamed bool) {
		k := foldWord(strings.Join(strings.Fields(form), " "))
		if strings.TrimPrefix(k, "\x00") == "" {
			return
		}
		o, ok := owners[k]
		if !ok {
			owners[k] = &who{label: label, unnamed: unnamed}
			return
		}
		if o.label != label {
			o.many = true
		}
		o.unnamed = o.unnamed || unnamed
	}
	for id, m := range n.members {
		label := n.Label(id)
		unnamed := label != m.Name
		words := strings.Fields(m.Name)
		for len(words) > 1 && isTitle(words[0]) {
			words = words[1:]
		}
		for _, f := range NameForms(m.Name) {
			add(f, label, unnamed)
		}
		if len(words) > 1 { // the family name, after a title only
			add("\x00"+words[len(words)-1], label, unnamed)
		}
	}
	for k, o := range owners {
		label := o.label
		switch {
		case !o.unnamed:
			// A named person's name is found too, and kept, so that
			// "David Brown" (named) is not taken for "David" (not).
			label = keepName
		case o.many:
			label = n.Ambiguous
			if label == "" {
				label = n.Former
			}
		}
		f := nameForm{label: label, afterTitle: strings.HasPrefix(k, "\x00")}
		f.words = strings.Fields(strings.TrimPrefix(k, "\x00"))
		f.capital = len(f.words) == 1 && commonWords[f.words[0]]
		sc.forms[f.words[0]] = append(sc.forms[f.words[0]], f)
	}
	for _, list := range sc.forms {
		sort.Slice(list, func(i, j int) bool {
			if len(list[i].words) != len(list[j].words) {
				return len(list[i].words) > len(list[j].words)
			}
			return !list[i].afterTitle && list[j].afterTitle
		})
	}
	return sc
}

// word is one word of a text: letters, digits and the apostrophes and
// hyphens inside them.
type word struct {
	start, end int
	folded     string
}

// isWordRune is small enough to be inlined: a report scrubs every word of
// every comment, and most are ASCII.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return isWideWordRune(r)
}

func isWideWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
	}
	return t
}()

func words(text string) []word {
	out := make([]word, 0, len(text)/5+1) // about one word in five bytes of English
	i := 0
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf { // decoded only when not ASCII, the rare case
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		end := i + size
		for j := end; j < len(text); {
			r, size := rune(text[j]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(text[j:])
			}
			if isWordRune(r) {
				j += size
				end = j
				continue
			}
			if r == '\'' || r == '’' || r == '-' { // inside a word only
				if r2, _ := utf8.DecodeRuneInString(text[j+size:]); j+size < len(text) && isWordRune(r2) {
					j += size
					continue
				}
			}
			break
		}
		out = append(out, word{start: start, end: end, folded: foldWord(text[start:end])})
		i = end
	}
	return out
}

func (sc *nameScrubber) replace(text string) string {
	if len(sc.forms) == 0 || text == "" {
		return text
	}
	ws := words(text)
	var b strings.Builder
	last := 0
	for i := 0; i < len(ws); i++ {
		from, titled := i, false
		if titles[ws[i].folded] && i+1 < len(ws) && onlySpace(strings.TrimPrefix(text[ws[i].end:ws[i+1].start], ".")) {
			from, titled = i+1, true
		}
		f, end, ok := sc.match(text, ws, from, titled)
		if !ok && titled { // "Dr" then a name that is not found with a title
			from, titled = i, false
			f, end, ok = sc.match(text, ws, i, false)
		}
		if !ok {
			continue
		}
		next := from + len(f.words) - 1
		if f.label != keepName {
			b.WriteString(text[last:ws[i].start])
			b.WriteString(f.label)
			last = end
		}
		i = next
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// match finds the longest form starting at word i, and where it ends in
// the text (before any possessive "'s").
func (sc *nameScrubber) match(text string, ws []word, i int, titled bool) (nameForm, int, bool) {
	first := ws[i].folded
	candidates := sc.forms[first]
	if stem, ok := strings.CutSuffix(first, "'s"); ok {
		candidates = append(candidates, sc.forms[stem]...)
	}
	for _, f := range candidates {
		if f.afterTitle && !titled || i+len(f.words) > len(ws) {
			continue
		}
		if f.capital && !titled {
			if r, _ := utf8.DecodeRuneInString(text[ws[i].start:]); !unicode.IsUpper(r) {
				continue
			}
		}
		end, ok := 0, true
		for k, fw := range f.words {
			w := ws[i+k]
			if k > 0 && !onlySpace(text[ws[i+k-1].end:w.start]) {
				ok = false
				break
			}
			switch {
			case w.folded == fw:
				end = w.end
			case k == len(f.words)-1 && w.folded == fw+"'s":
				end = w.end - len("'s")
				if strings.HasSuffix(text[w.start:w.end], "’s") {
					end = w.end - len("’s")
				}
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok {
			return f, end, true
		}
	}
	return nameForm{}, 0, false
}

func onlySpace(s string) bool { return strings.TrimSpace(s) == "" }
