package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

var paperPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

// paperDOCX is the least a Word document holds.
func paperDOCX(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// paperMeeting arranges a meeting in days days, and returns its page.
func paperMeeting(t *testing.T, sp *stepProject, title string, days int) string {
	t.Helper()
	start := time.Now().AddDate(0, 0, days)
	id, err := sp.e.store.CreateMeeting(context.Background(), sp.facilitator.ID, coproduce.Meeting{ProjectID: sp.p.ID,
		Title: title, StartsAt: start, EndsAt: start.Add(2 * time.Hour), Venue: "Community centre"})
	if err != nil {
		t.Fatal(err)
	}
	return sp.path("/meetings/" + itoa(id))
}

const (
	paperFileLabel  = "Choose the file"
	paperTitleLabel = "What is the paper called? (optional)"
)

// A facilitator attaches papers through the meeting page's form; members
// see them listed with their type and size and download them; a file that
// is not what a paper may be, or too big, is refused with the reason;
// nobody outside the project gets one.
func TestPapersOnTheMeetingPage(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	meeting := paperMeeting(t, sp, "Second workshop", 20)

	res := sp.facC.open(t, meeting).form("Add paper").
		attach(paperFileLabel, "Agenda.pdf", paperPDF).fill(paperTitleLabel, "Agenda for the day").submit()
	wantRedirect(t, res, meeting)
	page := sp.facC.follow(t, res)
	if !strings.Contains(page.doc.Text(), "The paper has been added.") {
		t.Error("no word that the paper was added")
	}

	lay := sp.layC.open(t, meeting)
	listed := text(lay.doc, "[data-testid=paper]")
	if !strings.Contains(listed, "Agenda for the day") || !strings.Contains(listed, "(PDF, "+itoa(int64(len(paperPDF)))+" bytes)") {
		t.Errorf("the paper as a lay partner sees it: %q", listed)
	}
	if lay.doc.Find("[data-testid=remove-paper]").Length() != 0 || lay.has("Add paper") {
		t.Error("a lay partner is offered to add or remove papers")
	}
	link, _ := lay.doc.Find("[data-testid=paper-link]").Attr("href")
	if link == "" {
		t.Fatal("no link to download the paper")
	}

	t.Run("MembersDownloadItAsAnAttachment", func(t *testing.T) {
		res := sp.layC.get(link)
		wantStatus(t, res, http.StatusOK)
		if !bytes.Equal(res.Body.Bytes(), paperPDF) {
			t.Errorf("downloaded %q", res.Body.Bytes())
		}
		h := res.Header()
		if h.Get("Content-Type") != "application/pdf" || h.Get("Content-Disposition") != `attachment; filename=Agenda.pdf` ||
			h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("headers: %v", h)
		}
	})

	t.Run("NobodyOutsideTheProjectDownloadsIt", func(t *testing.T) {
		wantStatus(t, sp.outsideC.get(link), http.StatusNotFound)
		// An administrator sees the meeting, but the papers are the members'.
		admin := sp.e.signedIn(sp.admin)
		wantStatus(t, admin.get(link), http.StatusForbidden)
		if admin.open(t, meeting).doc.Find("[data-testid=paper-link]").Length() != 0 {
			t.Error("an administrator who is not a member is offered the download")
		}
		wantRedirect(t, sp.e.client().get(link), "/sign-in")
	})

	t.Run("AProgramRenamedPDFIsRefused", func(t *testing.T) {
		for name, data := range map[string][]byte{
			"program":  []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
			"web page": []byte("<!DOCTYPE html><script>alert(1)</script>\x00"),
		} {
			res := sp.facC.open(t, meeting).form("Add paper").attach(paperFileLabel, "minutes.pdf", data).submit()
			wantStatus(t, res, http.StatusUnprocessableEntity)
			again := sp.facC.pageOf(t, meeting, res)
			want := "The file must be a PDF, Word (.docx), OpenDocument (.odt), plain text, PNG or JPEG file. This file is none of these, whatever its name says"
			if got := text(again.doc, "[data-testid=error-summary]"); !strings.Contains(got, want) {
				t.Errorf("%s: error summary %q", name, got)
			}
			if got := text(again.doc, "#paper_file-error"); !strings.Contains(got, want) {
				t.Errorf("%s: field error %q", name, got)
			}
		}
		if n := sp.e.count(`SELECT count(*) FROM papers`); n != 1 {
			t.Errorf("%d papers kept, want only the agenda", n)
		}
	})

	t.Run("TooBigIsRefused", func(t *testing.T) {
		big := append(append([]byte{}, paperPDF...), make([]byte, coproduce.MaxPaperBytes)...)
		res := sp.facC.open(t, meeting).form("Add paper").attach(paperFileLabel, "big.pdf", big).
			fill(paperTitleLabel, "Kept title").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		again := sp.facC.pageOf(t, meeting, res)
		if got := text(again.doc, "[data-testid=error-summary]"); !strings.Contains(got, "The file must be 10 MB or smaller") {
			t.Errorf("error summary %q", got)
		}
		if got := again.doc.Find("#paper_title").AttrOr("value", ""); got != "Kept title" {
			t.Errorf("the title typed is not kept: %q", got)
		}
		if !strings.Contains(text(again.doc, "#paper_file-hint"), "up to 10 MB") {
			t.Error("the hint does not give the limit")
		}
		if n := sp.e.count(`SELECT count(*) FROM papers`); n != 1 {
			t.Errorf("%d papers kept, want only the agenda", n)
		}
	})

	t.Run("NoFileIsRefused", func(t *testing.T) {
		res := sp.facC.open(t, meeting).form("Add paper").fill(paperTitleLabel, "Nothing").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if got := text(sp.facC.pageOf(t, meeting, res).doc, "[data-testid=error-summary]"); !strings.Contains(got, "Choose the file to add") {
			t.Errorf("error summary %q", got)
		}
	})

	t.Run("VersionsAreLinkedToTheirPaper", func(t *testing.T) {
		res := sp.facC.open(t, meeting).form("Add paper").attach(paperFileLabel, "agenda-large.docx", paperDOCX(t)).
			fill("Is it another version of a paper already added?", "Large print version of “Agenda for the day”").submit()
		wantRedirect(t, res, meeting)
		lay := sp.layC.open(t, meeting)
		got := text(lay.doc, "[data-testid=paper-large_print]")
		if !strings.Contains(got, "Large print version of “Agenda for the day”") || !strings.Contains(got, "(Word document, ") {
			t.Errorf("the large-print version: %q", got)
		}
		href, _ := lay.doc.Find("[data-testid=paper-large_print] a").Attr("href")
		res = sp.layC.get(href)
		wantStatus(t, res, http.StatusOK)
		if res.Header().Get("Content-Disposition") != "attachment; filename=agenda-large.docx" {
			t.Errorf("version's disposition %q", res.Header().Get("Content-Disposition"))
		}
		// Only the easy-read version is left to offer.
		form := sp.facC.open(t, meeting).form("Add paper")
		opts := fold(form.control("Is it another version of a paper already added?").Text())
		if strings.Contains(opts, "Large print version of") || !strings.Contains(opts, "Easy read version of “Agenda for the day”") {
			t.Errorf("version choices: %q", opts)
		}
	})

	t.Run("APaperForAnAgendaItem", func(t *testing.T) {
		sp.e.exec(`INSERT INTO agenda_items (meeting_id, position, title) SELECT id, 1, 'Exercise sheets' FROM meetings WHERE title = 'Second workshop'`)
		res := sp.facC.open(t, meeting).form("Add paper").attach(paperFileLabel, "sheets.txt", []byte("1. Stand up slowly.\n")).
			fill("Which part of the meeting is it for?", "1. Exercise sheets").submit()
		wantRedirect(t, res, meeting)
		d := sp.layC.open(t, meeting).doc
		if got := text(d, "#papers ~ h3"); !strings.Contains(got, "For the whole meeting") || !strings.Contains(got, "1. Exercise sheets") {
			t.Errorf("headings: %q", got)
		}
		if got := text(d, "[data-testid=papers]"); !strings.Contains(got, "sheets (Plain text, 20 bytes)") {
			t.Errorf("papers: %q", got)
		}
	})

	t.Run("AFacilitatorRemovesAPaperAndItsVersions", func(t *testing.T) {
		remove, _ := sp.facC.open(t, meeting).doc.Find("[data-testid=remove-paper]").First().Attr("href")
		wantStatus(t, sp.layC.get(remove), http.StatusForbidden)
		confirm := sp.facC.open(t, remove)
		if got := text(confirm.doc, "[data-testid=paper-to-remove]"); !strings.Contains(got, "Agenda for the day (Agenda.pdf, PDF, ") {
			t.Errorf("confirming %q", got)
		}
		wantRedirect(t, confirm.form("Remove paper").submit(), meeting)
		if n := sp.e.count(`SELECT count(*) FROM papers WHERE title = 'Agenda for the day'`); n != 0 {
			t.Errorf("%d of the paper and its version left", n)
		}
		wantStatus(t, sp.layC.get(link), http.StatusNotFound)
		history := text(sp.leadC.open(t, sp.path("/history")).doc, "main")
		for _, want := range []string{"Added a paper to a meeting", "Removed a paper from a meeting", "Agenda.pdf", "Large print version"} {
			if !strings.Contains(history, want) {
				t.Errorf("the history does not say %q", want)
			}
		}
	})
}

// Papers are due a week before unless the meeting says otherwise; when
// they are due and none has come, or some came after, the meeting page
// and the leads' work list say so (and nobody else is told).
func TestLatePapersWarnTheLeads(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	meeting := paperMeeting(t, sp, "Workshop three", 10)
	d := sp.facC.open(t, meeting).doc
	if got := text(d, "[data-testid=papers-due]"); !strings.Contains(got, "Papers are due 7 days before the meeting: by ") {
		t.Errorf("due: %q", got)
	}
	if d.Find("[data-testid=papers-late]").Length() != 0 {
		t.Error("papers not yet due are late")
	}
	wantWork(t, sp, sp.leadC, "work-papers")

	res := sp.facC.open(t, meeting).form("Save when papers are due").fill("How many days before the meeting are papers due?", "sixty").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := text(sp.facC.pageOf(t, meeting, res).doc, "[data-testid=error-summary]"); !strings.Contains(got, "Enter a whole number of days from 0 to 60") {
		t.Errorf("error summary %q", got)
	}

	res = sp.facC.open(t, meeting).form("Save when papers are due").fill("How many days before the meeting are papers due?", "14").submit()
	wantRedirect(t, res, meeting)
	d = sp.facC.open(t, meeting).doc
	if got := text(d, "[data-testid=papers-late]"); !strings.Contains(got, "No papers have been added yet.") {
		t.Errorf("late warning: %q", got)
	}
	if got := text(d, "[data-testid=papers-due]"); !strings.Contains(got, "Papers were due 14 days before the meeting: on ") {
		t.Errorf("due: %q", got)
	}
	if sp.layC.open(t, meeting).doc.Find("[data-testid=papers-late]").Length() != 0 {
		t.Error("a lay partner is shown the late warning")
	}
	wantWork(t, sp, sp.leadC, "work-papers", "Papers for “Workshop three” are late", "None has been added yet.", "Late")

	wantRedirect(t, sp.facC.open(t, meeting).form("Add paper").attach(paperFileLabel, "late.pdf", paperPDF).submit(), meeting)
	if got := text(sp.leadC.open(t, meeting).doc, "[data-testid=papers-late]"); !strings.Contains(got, "1 was added after that") {
		t.Errorf("late warning: %q", got)
	}
	wantWork(t, sp, sp.facC, "work-papers", "1 paper was added after that.")

	wantRedirect(t, sp.facC.open(t, meeting).form("Save when papers are due").fill("How many days before the meeting are papers due?", "7").submit(), meeting)
	wantWork(t, sp, sp.leadC, "work-papers")
	if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE action = 'meeting.papers_due'`); n != 2 {
		t.Errorf("%d changes of the due date audited, want 2", n)
	}
}
