package coproduce

// PrintSize is the type size of a printable pack: standard print, or large
// print (at least 16 point on paper) for people who asked for it.
type PrintSize string

// The print sizes a pack comes in.
const (
	PrintStandard PrintSize = "standard"
	PrintLarge    PrintSize = "large"
)

// ParsePrintSize reads the size a person chose; anything else is standard.
func ParsePrintSize(s string) PrintSize {
	if s == string(PrintLarge) {
		return PrintLarge
	}
	return PrintStandard
}

// AgendaLine is one agenda item as a printed agenda shows it: its place,
// title, time of day ("14:30", or empty), who leads it and the ideas it
// will discuss.
type AgendaLine struct {
	Position int
	Title    string
	StartsAt string
	LeadName string
	Ideas    []string
}
