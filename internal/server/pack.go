package server

import (
	"net/http"
	"time"

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
	title := i18n.FromContext(r.Context()).T(titleID, data)
	page.TitleText = title + " – " + titleFor(r.Context(), p)
	page.Nav = "projects"
	v := views.PackView{Project: *p, Title: title, Path: r.URL.Path,
		Size: coproduce.ParsePrintSize(r.URL.Query().Get(views.PrintSizeField)), Printed: time.Now()}
	return page, v
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
	return s.render(w, r, http.StatusOK, views.PurposePackPage(page, v, cur))
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
	return s.render(w, r, http.StatusOK, views.FourRsPackPage(page, v, f, f.UserID == access.User.ID))
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
	return s.render(w, r, http.StatusOK, views.MeetingPackPage(page, v,
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
	return s.render(w, r, http.StatusOK, views.IdeasPackPage(page, v, open, members))
}
