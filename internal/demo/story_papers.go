package demo

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// workshopPapers are the next workshop's papers, a week and more before it
// as the purpose statement promises: Aisha's agenda (a PDF) and Priya's
// draft exercise sheets (plain text) with an easy read version, which
// Margaret asked for.
func (s *story) workshopPapers(meetingID int64) error {
	agenda := tinyPDF([]string{
		"Second workshop: exercise sheets you can follow",
		"",
		"11:00  Welcome, and how the first workshop went",
		"11:15  The draft exercise sheets: can you follow them?",
		"12:15  Tea break",
		"12:30  What to change, and who will try them at home",
	})
	if _, err := s.store.AddPaper(s.ctx, s.aisha, s.project, postgres.NewPaper{MeetingID: meetingID,
		Version: coproduce.PaperStandard, Title: "Agenda for the second workshop", FileName: "Agenda.pdf",
		ContentType: "application/pdf", Data: agenda}); err != nil {
		return err
	}
	sheets, err := s.store.AddPaper(s.ctx, s.priya, s.project, postgres.NewPaper{MeetingID: meetingID,
		Version: coproduce.PaperStandard, Title: "Exercise sheets: first draft", FileName: "Exercise sheets.txt",
		ContentType: "text/plain; charset=utf-8", Data: []byte(exerciseSheets)})
	if err != nil {
		return err
	}
	_, err = s.store.AddPaper(s.ctx, s.priya, s.project, postgres.NewPaper{MeetingID: meetingID, VersionOf: sheets,
		Version: coproduce.PaperEasyRead, FileName: "Exercise sheets (easy read).txt",
		ContentType: "text/plain; charset=utf-8", Data: []byte(exerciseSheetsEasyRead)})
	return err
}

const exerciseSheets = `Exercise sheets: first draft

1. Sit to stand
Sit near the front of a firm chair, feet flat. Lean forward and stand up
slowly, using your hands if you need to. Sit down slowly. Do this 5 times.

2. Heel raises
Hold the back of the chair. Rise up on your toes, then lower slowly.
Do this 10 times.

Stop if you feel pain or dizzy, and tell your physiotherapist.
`

const exerciseSheetsEasyRead = `Exercises you can do at home

Exercise 1: stand up from a chair.
Do it 5 times.

Exercise 2: go up on your toes.
Hold the chair.
Do it 10 times.

Stop if it hurts.
Tell your physio.
`

// tinyPDF writes a one-page PDF showing the lines in 14-point Helvetica:
// small, but a real PDF any reader opens (its cross-reference table gives
// each object's true offset).
func tinyPDF(lines []string) []byte {
	var text strings.Builder
	text.WriteString("BT /F1 14 Tf 72 770 Td 20 TL\n")
	for _, l := range lines {
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		fmt.Fprintf(&text, "(%s) Tj T*\n", l)
	}
	text.WriteString("ET")
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", text.Len(), text.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}
