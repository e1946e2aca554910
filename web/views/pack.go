package views

import (
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// PrintSizeField is the query parameter that picks a pack's print size:
// the size form sends it and the handler reads it.
const PrintSizeField = "size"

// PackView is what every printable pack shows around its content: the
// project, the pack's title, the size chosen and when it was printed.
type PackView struct {
	Project coproduce.Project
	Title   string
	// Path is the pack's own address, where the size form goes.
	Path    string
	Size    coproduce.PrintSize
	Printed time.Time
}

// PDFPath is the pack as a tagged PDF, in the size chosen.
func (v PackView) PDFPath() string {
	return v.Path + ".pdf?" + PrintSizeField + "=" + string(v.Size)
}

// Large reports whether the pack is in large print.
func (v PackView) Large() bool { return v.Size == coproduce.PrintLarge }

// MeetingPack is a meeting's printed pack: its details and agenda (and,
// when papers can be attached, its papers).
type MeetingPack struct {
	Meeting coproduce.Meeting
	Agenda  []coproduce.AgendaLine
	Papers  []coproduce.Paper
}

var printSizes = []Option{
	{Value: string(coproduce.PrintStandard), Label: "pack.size.standard"},
	{Value: string(coproduce.PrintLarge), Label: "pack.size.large", Hint: "pack.size.large_hint"},
}

func sizeForm(v PackView) Form {
	return NewForm(map[string][]string{PrintSizeField: {string(v.Size)}}, nil)
}
