package views

import (
	"unicode"

	"github.com/a-h/templ"
)

// People write comments and ideas in their own languages. The page does
// not know which, but some scripts name their language: Gurmukhi is
// Punjabi here, Bengali script is Bengali (or Sylheti, written in it), and
// Arabic script with the letters only Urdu uses (ٹ ڈ ڑ ں ے) is Urdu.
// Marking such text with its language lets a screen reader read it in the
// right voice, lets Chromium pick the right font when it prints the PDF
// (app.css), and puts the language in the PDF's tags.
// Every such text is also dir="auto", so right-to-left text runs right to
// left whatever the page's language.

// urduOnly are letters of Urdu that Arabic and Persian do not use.
var urduOnly = map[rune]bool{'ٹ': true, 'ڈ': true, 'ڑ': true, 'ں': true, 'ے': true, 'ۓ': true, 'ہ': true, 'ھ': true}

// textLang is the language a text's script names, when more than half of
// its letters are in that script; "" when it names none.
func textLang(s string) string {
	var letters, arabic, urdu, bengali, gurmukhi, han, kana, hangul int
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		switch {
		case unicode.Is(unicode.Arabic, r):
			arabic++
			if urduOnly[r] {
				urdu++
			}
		case unicode.Is(unicode.Bengali, r):
			bengali++
		case unicode.Is(unicode.Gurmukhi, r):
			gurmukhi++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		}
	}
	most := func(n int) bool { return n*2 > letters }
	switch {
	case most(arabic) && urdu > 0:
		return "ur"
	case most(bengali):
		return "bn"
	case most(gurmukhi):
		return "pa"
	case most(han + kana):
		if kana > 0 {
			return "ja"
		}
		return "zh"
	case most(hangul):
		return "ko"
	}
	return ""
}

// textAttrs are the attributes of an element holding someone's own words:
// dir="auto", and their language when the script names it.
func textAttrs(s string) templ.Attributes {
	a := templ.Attributes{"dir": "auto"}
	if lang := textLang(s); lang != "" {
		a["lang"] = lang
	}
	return a
}
