package coproduce

// Languages are the languages Coproduce speaks, by their codes in the
// message catalogue and the html lang attribute: English first, then Welsh.
var Languages = []string{"en", "cy"}

// IsLanguage reports whether Coproduce speaks the language with this code.
func IsLanguage(code string) bool {
	for _, l := range Languages {
		if l == code {
			return true
		}
	}
	return false
}

// ValidateLanguage checks a person's choice of language.
func ValidateLanguage(code string) error {
	if !IsLanguage(code) {
		return &ValidationError{Fields: []FieldError{{Field: "language", Message: "error.language.required"}}}
	}
	return nil
}
