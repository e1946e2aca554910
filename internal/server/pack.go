package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/web/views"
)

// Printable packs: the purpose statement, a person's 4Rs, a meeting's
// agenda and papers, and a voting sheet for the open ideas, as pages laid
// out for A4 paper, in standard or large print. Each may be read by whoever
// may read the page it comes from.

// printPage starts a pack's page: its title, and the size the person chose
// (views.PrintSizeField, "large" for large print).
func (s *Server) printPage(r *http.Request, titleID string, data map[string]any) (views.Page, views.PackView) {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "")
	if packPDF(r) {
		page = s.pdfPage()
	}
	title := i18n.FromContext(r.Context()).T(titleID, data)
	page.TitleText = title + " – " + titleFor(r.Context(), p)
	page.Nav = "projects"
	v := views.PackView{Project: *p, Title: title, Path: strings.TrimSuffix(r.URL.Path, ".pdf"),
		Size: coproduce.ParsePrintSize(r.URL.Query().Get(views.PrintSizeField)), Printed: time.Now()}
	return page, v
}

// packPDF says whether the pack was asked for as a PDF: its address with
// .pdf on the end.
func packPDF(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, ".pdf") }

// sendPack sends a pack as its page or, at its .pdf address, as a tagged
// PDF of the same page in the same print size.
func (s *Server) sendPack(w http.ResponseWriter, r *http.Request, page views.Page, v views.PackView, c templ.Component) error {
	if !packPDF(r) {
		return s.render(w, r, http.StatusOK, c)
	}
	release, err := s.takePDFSlot(r.Context())
	if err != nil {
		return err
	}
	defer release()
	return s.sendPDF(r.Context(), w, r, pdfDoc{page: c, htmlPath: v.Path + "?" + views.PrintSizeField + "=" + string(v.Size),
		title: page.TitleText, filename: packFile(v), large: v.Large()})
}

// packFile names a pack's PDF after the project, the page it prints and
// its size: project-12-be-clear-large.pdf, project-12-meeting-4-standard.pdf.
func packFile(v views.PackView) string {
	name := strings.TrimPrefix(v.Path, "/projects/"+strconv.FormatInt(v.Project.ID, 10)+"/")
	name = strings.NewReplacer("/print", "", "steps/", "", "members/", "", "meetings/", "meeting-", "/", "-").Replace(name)
	return "project-" + strconv.FormatInt(v.Project.ID, 10) + "-" + name + "-" + string(v.Size) + ".pdf"
}

// printPurpose is the current purpose statement, for every member (and
// administrators, who may read the step).
func (s *Server) printPurpose(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	cur, err := s.store.CurrentPurpose(r.Context(), p.ID)
	if err != nil {
		return err // none written yet: nothing to print (404)
	}
	page, v := s.printPage(r, "pack.purpose.title", nil)
	return s.sendPack(w, r, page, v, views.PurposePackPage(page, v, cur))
}

// printFourRs is one member's 4Rs, for that member and for the leads and
// facilitators who write them.
func (s *Server) printFourRs(w http.ResponseWriter, r *http.Request) error {
	_, access := projectFrom(r.Context())
	f, err := s.memberFourRs(r)
	if err != nil {
		return err
	}
	if f.UserID != access.User.ID && !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	page, v := s.printPage(r, "pack.four_rs.title", map[string]any{"Name": f.Name})
	return s.sendPack(w, r, page, v, views.FourRsPackPage(page, v, f, f.UserID == access.User.ID))
}

// printMeeting is a meeting's details, what the place has, its agenda and
// its papers, for everyone who may see the meeting.
func (s *Server) printMeeting(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	m, err := s.meetingParam(r)
	if err != nil {
		return err
	}
	agenda, err := s.store.AgendaLines(r.Context(), p.ID, m.ID)
	if err != nil {
		return err
	}
	papers, err := s.store.MeetingPapers(r.Context(), p.ID, m.ID)
	if err != nil {
		return err
	}
	page, v := s.printPage(r, "pack.meeting.title", map[string]any{"Meeting": m.Title})
	return s.sendPack(w, r, page, v, views.MeetingPackPage(page, v,
		views.MeetingPack{Meeting: m, Agenda: agenda, Papers: papers.Papers}))
}

// printIdeas is the voting sheet: every open idea with its votes so far
// and a row per member to mark support, neutral or object on paper, for
// the leads and facilitators who take votes at a meeting.
func (s *Server) printIdeas(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	all, err := s.store.Proposals(r.Context(), p.ID)
	if err != nil {
		return err
	}
	var open []coproduce.Proposal
	for i := len(all) - 1; i >= 0; i-- { // oldest first, as they were raised
		if all[i].Open {
			open = append(open, all[i])
		}
	}
	members, err := s.store.Members(r.Context(), p.ID)
	if err != nil {
		return err
	}
	page, v := s.printPage(r, "pack.ideas.title", nil)
	return s.sendPack(w, r, page, v, views.IdeasPackPage(page, v, open, members))
}
