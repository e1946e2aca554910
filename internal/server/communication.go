package server

import (
	"net/http"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// askPath is the question a person meets on joining a project: "Do you
// have any communication needs?" (the Accessible Information Standard asks
// that everyone is asked).
func askPath(projectID int64) string { return projectPath(projectID, "/communication-needs") }

// askCommunicationNeeds asks a member, one question on its own page,
// whether they have communication needs; they may skip it.
func (s *Server) askCommunicationNeeds(w http.ResponseWriter, r *http.Request) error {
	return s.renderAsk(w, r, http.StatusOK, views.NewForm(nil, nil))
}

func (s *Server) renderAsk(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	page := s.page(r, "comms.ask_title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.AskCommunicationPage(page, *p, f))
}

// answerCommunicationNeeds takes the answer: yes leads to the support
// needs form, no (or skipping) to the project.
func (s *Server) answerCommunicationNeeds(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	switch r.PostForm.Get("has_needs") {
	case "yes":
		return redirect(w, r, projectPath(p.ID, "/support/me#communication"))
	case "no":
		return redirect(w, r, projectPath(p.ID, ""))
	}
	v := &coproduce.ValidationError{}
	v.Add("has_needs", "comms.error.ask_choose")
	return s.renderAsk(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, v))
}

// flagsFor returns, for a lead or facilitator, the tags of communication
// needs the project's members chose to share (an audited read); nil for
// anyone else, who may not see them.
func (s *Server) flagsFor(r *http.Request) ([]coproduce.MemberFlag, error) {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return nil, nil
	}
	return s.store.CommunicationFlags(r.Context(), access.User.ID, p.ID)
}

// myPaperVersion is the version of papers the signed-in member told this
// project they need (their own needs: reading them is not audited).
func (s *Server) myPaperVersion(r *http.Request) (coproduce.PaperVersion, error) {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.PaperStandard, nil
	}
	prof, err := s.store.SupportProfile(r.Context(), access.User.ID, p.ID, access.User.ID)
	return coproduce.PaperVersionFor(prof), err
}
