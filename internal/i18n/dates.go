package i18n

import (
	"strings"
	"time"
)

// Month and day names are the language's own, not messages: Welsh writes
// 5 Mawrth 2026 and Dydd Llun where English writes 5 March 2026 and Monday.
var (
	welshMonths = strings.NewReplacer(
		"January", "Ionawr", "February", "Chwefror", "March", "Mawrth", "April", "Ebrill",
		"May", "Mai", "June", "Mehefin", "July", "Gorffennaf", "August", "Awst",
		"September", "Medi", "October", "Hydref", "November", "Tachwedd", "December", "Rhagfyr",
		"Monday", "Dydd Llun", "Tuesday", "Dydd Mawrth", "Wednesday", "Dydd Mercher",
		"Thursday", "Dydd Iau", "Friday", "Dydd Gwener", "Saturday", "Dydd Sadwrn", "Sunday", "Dydd Sul")
	// The time of day: Welsh writes 2yp (y prynhawn) and 10yb (y bore).
	welshClock = strings.NewReplacer("pm", "yp", "am", "yb")
)

// Format writes t with a Go time layout, in this language: layouts that
// spell out months or days (January, Monday) get the language's names, and
// 3pm becomes 3yp in Welsh. Short names (Jan, Mon) are not translated: use
// the full ones.
func (l *Localizer) Format(t time.Time, layout string) string {
	s := t.Format(layout)
	if l.lang != "cy" {
		return s
	}
	if strings.Contains(layout, "PM") || strings.Contains(layout, "pm") {
		s = welshClock.Replace(s)
	}
	return welshMonths.Replace(s)
}
