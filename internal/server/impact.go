package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// impactRoutes are the impact log and the shared reflection, inside a
// project. Every member and administrator reads them; leads and
// facilitators record changes in the log; every member writes the
// reflection (docs/decisions.md, "Who writes the impact log").
func (s *Server) impactRoutes(r chi.Router) {
	r.Get("/evaluate/impact", s.h(s.showImpactLog))
	r.Get("/evaluate/impact/new", s.h(s.newImpactEntry))
	r.Post("/evaluate/impact/new", s.h(s.addImpactEntry))
	r.Get("/evaluate/impact/{entryID}", s.h(s.editImpactEntry))
	r.Post("/evaluate/impact/{entryID}", s.h(s.updateImpactEntry))
	r.Post("/evaluate/impact/{entryID}/remove", s.h(s.removeImpactEntry))
	r.Get("/evaluate/reflection", s.h(s.showReflection))
	r.Post("/evaluate/reflection", s.h(s.saveReflection))
}

func init() {
	notices["impact-added"] = "notice.impact_added"
	notices["impact-saved"] = "notice.impact_saved"
	notices["impact-removed"] = "notice.impact_removed"
	notices["reflection-saved"] = "notice.reflection_saved"
}

func impactPath(projectID int64, suffix string) string {
	return projectPath(projectID, "/evaluate/impact"+suffix)
}

func (s *Server) showImpactLog(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	entries, err := s.store.ImpactEntries(r.Context(), p.ID)
	if err != nil {
		return err
	}
	reflection, err := s.store.Reflection(r.Context(), p.ID)
	if err != nil {
		return err
	}
	page := s.page(r, "impact.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	return s.render(w, r, http.StatusOK, views.ImpactLogPage(page, views.ImpactView{Project: *p, Access: access,
		Entries: entries, Reflection: reflection}))
}

// impactChoices are what an entry may link to and name: the project's
// ideas, their actions, its outcomes that are agreed or still proposed
// (and any the entry already links to, so that saving it again keeps
// them) and its members.
func (s *Server) impactChoices(r *http.Request, projectID int64, entry coproduce.ImpactEntry) (views.ImpactEntryView, coproduce.ImpactChoices, error) {
	var v views.ImpactEntryView
	c := coproduce.ImpactChoices{Ideas: map[int64]bool{}, Actions: map[int64]bool{}, Outcomes: map[int64]bool{}, Members: map[int64]bool{}}
	var err error
	if v.Ideas, err = s.store.Proposals(r.Context(), projectID); err != nil {
		return v, c, err
	}
	actions, err := s.store.Actions(r.Context(), projectID)
	if err != nil {
		return v, c, err
	}
	for _, pr := range v.Ideas {
		c.Ideas[pr.ID] = true
		for _, a := range actions[pr.ID] {
			c.Actions[a.ID] = true
			v.Actions = append(v.Actions, coproduce.ImpactAction{ID: a.ID, ProposalID: pr.ID, Description: a.Description, IdeaTitle: pr.Title})
		}
	}
	outcomes, err := s.store.Outcomes(r.Context(), projectID)
	if err != nil {
		return v, c, err
	}
	linked := map[int64]bool{}
	for _, o := range entry.Outcomes {
		linked[o.ID] = true
	}
	for _, o := range outcomes {
		if o.Linkable() || linked[o.ID] {
			c.Outcomes[o.ID] = true
			v.Outcomes = append(v.Outcomes, o)
		}
	}
	if v.Members, err = s.store.Members(r.Context(), projectID); err != nil {
		return v, c, err
	}
	for _, m := range v.Members {
		c.Members[m.UserID] = true
	}
	return v, c, nil
}

// The fields of an entry's form, which the page and the handlers share.
const (
	impactTitle        = "title"
	impactWhatChanged  = "what_changed"
	impactChangedOn    = "changed_on"
	impactIdeas        = "ideas"
	impactActions      = "actions"
	impactOutcomes     = "outcomes"
	impactContributors = "contributors"
)

func impactInput(f url.Values) coproduce.ImpactInput {
	in := coproduce.ImpactInput{Title: f.Get(impactTitle), WhatChanged: f.Get(impactWhatChanged), ChangedOn: f.Get(impactChangedOn),
		Ideas: f[impactIdeas], Actions: f[impactActions], Outcomes: f[impactOutcomes], Contributors: f[impactContributors]}
	in.Normalize()
	return in
}

// entryValues are a stored entry as its form shows it.
func entryValues(e coproduce.ImpactEntry) url.Values {
	vals := url.Values{impactTitle: {e.Title}, impactWhatChanged: {e.WhatChanged}, impactChangedOn: {e.ChangedOn.Format(time.DateOnly)}}
	for _, i := range e.Ideas {
		vals.Add(impactIdeas, strconv.FormatInt(i.ID, 10))
	}
	for _, a := range e.Actions {
		vals.Add(impactActions, strconv.FormatInt(a.ID, 10))
	}
	for _, o := range e.Outcomes {
		vals.Add(impactOutcomes, strconv.FormatInt(o.ID, 10))
	}
	for _, c := range e.Contributors {
		vals.Add(impactContributors, strconv.FormatInt(c.UserID, 10))
	}
	return vals
}

// renderImpactEntry draws the form that records a change (entry.ID 0) or
// changes one.
func (s *Server) renderImpactEntry(w http.ResponseWriter, r *http.Request, entry coproduce.ImpactEntry, status int, f views.Form) error {
	p, access := projectFrom(r.Context())
	v, _, err := s.impactChoices(r, p.ID, entry)
	if err != nil {
		return err
	}
	v.Project, v.Access, v.Entry, v.Form = *p, access, entry, f
	page := s.page(r, "impact.new_title")
	if entry.ID != 0 {
		page.TitleText = views.ImpactEditTitle(r.Context(), entry)
	}
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.ImpactEntryPage(page, v))
}

// facilitatedEntry is the route's entry, for leads and facilitators only.
func (s *Server) facilitatedEntry(r *http.Request) (*coproduce.Project, coproduce.Access, coproduce.ImpactEntry, error) {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return p, access, coproduce.ImpactEntry{}, coproduce.ErrForbidden
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "entryID"), 10, 64)
	if err != nil {
		return p, access, coproduce.ImpactEntry{}, coproduce.ErrNotFound
	}
	e, err := s.store.ImpactEntry(r.Context(), p.ID, id)
	return p, access, e, err
}

func (s *Server) newImpactEntry(w http.ResponseWriter, r *http.Request) error {
	if _, access := projectFrom(r.Context()); !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	return s.renderImpactEntry(w, r, coproduce.ImpactEntry{}, http.StatusOK, views.NewForm(nil, nil))
}

// validImpact checks a posted entry (a new one, or entry) against the
// project's choices.
func (s *Server) validImpact(r *http.Request, projectID int64, entry coproduce.ImpactEntry) (coproduce.ImpactValues, error) {
	_, choices, err := s.impactChoices(r, projectID, entry)
	if err != nil {
		return coproduce.ImpactValues{}, err
	}
	return impactInput(r.PostForm).Validate(choices, time.Now())
}

func (s *Server) addImpactEntry(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	vals, err := s.validImpact(r, p.ID, coproduce.ImpactEntry{})
	var verr *coproduce.ValidationError
	if errors.As(err, &verr) {
		return s.renderImpactEntry(w, r, coproduce.ImpactEntry{}, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr))
	}
	if err != nil {
		return err
	}
	id, err := s.store.AddImpactEntry(r.Context(), access.User.ID, p.ID, vals)
	if err != nil {
		return err
	}
	return redirect(w, r, impactPath(p.ID, "?notice=impact-added#"+views.EntryAnchor(id)))
}

func (s *Server) editImpactEntry(w http.ResponseWriter, r *http.Request) error {
	_, _, e, err := s.facilitatedEntry(r)
	if err != nil {
		return err
	}
	return s.renderImpactEntry(w, r, e, http.StatusOK, views.NewForm(entryValues(e), nil))
}

func (s *Server) updateImpactEntry(w http.ResponseWriter, r *http.Request) error {
	p, access, e, err := s.facilitatedEntry(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	vals, err := s.validImpact(r, p.ID, e)
	var verr *coproduce.ValidationError
	if errors.As(err, &verr) {
		return s.renderImpactEntry(w, r, e, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr))
	}
	if err != nil {
		return err
	}
	if err := s.store.UpdateImpactEntry(r.Context(), access.User.ID, p.ID, e.ID, vals); err != nil {
		return err
	}
	return redirect(w, r, impactPath(p.ID, "?notice=impact-saved#"+views.EntryAnchor(e.ID)))
}

func (s *Server) removeImpactEntry(w http.ResponseWriter, r *http.Request) error {
	p, access, e, err := s.facilitatedEntry(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.store.RemoveImpactEntry(r.Context(), access.User.ID, p.ID, e.ID); err != nil {
		return err
	}
	return redirect(w, r, impactPath(p.ID, "?notice=impact-removed"))
}

// showReflection shows the project's reflection with its earlier
// versions, and to members the form that changes it.
func (s *Server) showReflection(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	current, err := s.store.Reflection(r.Context(), p.ID)
	if err != nil {
		return err
	}
	f := views.NewForm(url.Values{"reflection": {current.Body}, "version": {strconv.Itoa(current.Version)}}, nil)
	return s.renderReflection(w, r, http.StatusOK, f)
}

func (s *Server) renderReflection(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	p, access := projectFrom(r.Context())
	history, err := s.store.ReflectionHistory(r.Context(), p.ID)
	if err != nil {
		return err
	}
	page := s.page(r, "reflection.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.ReflectionPage(page, views.ReflectionView{Project: *p, Access: access,
		Form: f, History: history}))
}

func (s *Server) saveReflection(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	base, err := postedVersion(r)
	if err != nil {
		return err
	}
	in := coproduce.ReflectionInput{Body: coproduce.CleanText(r.PostForm.Get("reflection")), BaseVersion: base}
	if verr := asValidation(in.Validate()); verr != nil {
		return s.renderReflection(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr))
	}
	err = s.store.SaveReflection(r.Context(), access.User.ID, p.ID, in)
	if errors.Is(err, coproduce.ErrStale) {
		return s.staleReflection(w, r)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "/evaluate/reflection?notice=reflection-saved"))
}

// staleReflection shows the form again after someone else saved first:
// the person's words are kept, the newer version is shown above them, and
// the next save is based on it.
func (s *Server) staleReflection(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	current, err := s.store.Reflection(r.Context(), p.ID)
	if err != nil {
		return err
	}
	values := url.Values{"reflection": {r.PostForm.Get("reflection")}, "version": {strconv.Itoa(current.Version)}}
	v := &coproduce.ValidationError{}
	v.Add("reflection", "error.stale.reflection")
	return s.renderReflection(w, r, http.StatusConflict, views.NewForm(values, v))
}
