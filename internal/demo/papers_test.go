package demo_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// The next workshop has its papers, on time, and the agenda is a PDF a
// real reader opens and reads.
func TestDemoNextWorkshopHasItsPapers(t *testing.T) {
	t.Parallel()
	l := loadDemo(t)
	project := l.stroke()
	meetings, err := l.store.Meetings(l.ctx, project)
	l.must(err)
	var next *coproduce.Meeting
	for i, m := range meetings {
		if !m.Started(time.Now()) {
			next = &meetings[i]
			break
		}
	}
	if next == nil {
		t.Fatal("no meeting to come")
	}
	mp, err := l.store.MeetingPapers(l.ctx, project, next.ID)
	l.must(err)
	if len(mp.Papers) != 2 || mp.DueDays != 7 {
		t.Fatalf("%d papers due %d days before, want 2 due a week before", len(mp.Papers), mp.DueDays)
	}
	if late, _, _ := mp.Late(*next, time.Now()); late {
		t.Error("the demo's papers are late")
	}
	if v := mp.Papers[1].Versions; len(v) != 1 || v[0].Version != coproduce.PaperEasyRead {
		t.Errorf("the exercise sheets' versions: %+v, want an easy read one", v)
	}
	name, ct, data, err := l.store.PaperFile(l.ctx, project, next.ID, mp.Papers[0].ID)
	l.must(err)
	if got, ok := coproduce.PaperType(data); !ok || got != ct || ct != "application/pdf" || name != "Agenda.pdf" {
		t.Errorf("the agenda: %q, %q, checked as %q", name, ct, got)
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: make test installs it")
	}
	cmd := exec.Command(pdftotext, "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "The draft exercise sheets: can you follow them?") {
		t.Errorf("pdftotext: %v\n%s", err, out)
	}
}
