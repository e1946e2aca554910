package views

import "testing"

// A text's language is named only when its script names it and most of
// its letters are in that script.
func TestTextLang(t *testing.T) {
	for text, want := range map[string]string{
		"میں اس خیال کی حمایت کرتا ہوں":  "ur",
		"شكرا جزيلا على هذه الفكرة":      "",
		"আমি এই ধারণাকে সমর্থন করি":      "bn",
		"ਮੈਂ ਇਸ ਵਿਚਾਰ ਦਾ ਸਮਰਥਨ ਕਰਦਾ ਹਾਂ": "pa",
		"我支持这个想法":                   "zh",
		"この考えに賛成です":                 "ja",
		"이 생각을 지지합니다":               "ko",
		"Diolch yn fawr: ŵyn ac ŷd": "",
		"Text reminders, see 我":     "",
		"Bus times, or অথবা":        "",
		"":                          "",
	} {
		if got := textLang(text); got != want {
			t.Errorf("textLang(%q) = %q, want %q", text, got, want)
		}
	}
	if a := textAttrs("میں اس خیال کی حمایت کرتا ہوں"); a["dir"] != "auto" || a["lang"] != "ur" {
		t.Errorf("textAttrs of Urdu: %v", a)
	}
	if a := textAttrs("Hello"); a["dir"] != "auto" || a["lang"] != nil {
		t.Errorf("textAttrs of English: %v", a)
	}
}
