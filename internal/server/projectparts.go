package server

import (
	"net/http"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/web/views"
)

// listMeetings is the project's meetings as a person looks for them: those
// coming up, with their own reply, then those that have happened.
func (s *Server) listMeetings(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	meetings, err := s.store.MeetingsFor(r.Context(), p.ID, access.User.ID)
	if err != nil {
		return err
	}
	v := views.MeetingsView{Project: *p, Access: access}
	now := time.Now()
	for _, m := range meetings {
		if m.EndsAt.After(now) {
			v.Coming = append(v.Coming, m)
		} else {
			v.Past = append([]coproduce.NextMeeting{m}, v.Past...)
		}
	}
	page := s.page(r, "")
	page.TitleText = i18n.FromContext(r.Context()).T("meetings_page.title") + " – " + titleFor(r.Context(), p)
	page.Nav = "projects"
	return s.render(w, r, http.StatusOK, views.MeetingsPage(page, v))
}

// showSteps is the seven steps and the tracker on a page of their own,
// for the project menu. The project page shows them too, below the
// person's own part.
func (s *Server) showSteps(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	// Read as a viewer with no role: the steps need none of the person's
	// own parts, which the overview reads only for members.
	overview, err := s.store.ProjectOverview(r.Context(), p.ID, coproduce.Access{User: access.User}, true, 0, 0)
	if err != nil {
		return err
	}
	page := s.page(r, "")
	page.TitleText = i18n.FromContext(r.Context()).T("steps_page.title") + " – " + titleFor(r.Context(), p)
	page.Nav = "projects"
	return s.render(w, r, http.StatusOK, views.StepsPage(page, views.ProjectView{Project: *p, Access: access, ProjectOverview: overview}))
}
