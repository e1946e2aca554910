package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// onBehalf lets a lead or facilitator use an ordinary page and its form for
// a member, with their agreement: when the address carries for (the
// member's account id), how (how the member told them) and agreed=yes, the
// request runs as the member would make it (their access, their rows), and
// the context carries the recording, which the storage layer writes into
// each row it makes and audits naming both people. Only the routes wrapped
// in it take a recording; a form on its page carries the same fields in its
// action (views.WithOnBehalf).
func (s *Server) onBehalf(next handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		if !q.Has(views.ForParam) {
			return next(w, r)
		}
		p, access := projectFrom(r.Context())
		forID, err := strconv.ParseInt(q.Get(views.ForParam), 10, 64)
		if err != nil || forID <= 0 {
			return coproduce.ErrNotFound
		}
		if !access.CanFacilitate() || forID == access.User.ID {
			return coproduce.ErrForbidden
		}
		_, role, err := s.store.ProjectForUser(r.Context(), p.ID, forID)
		if err != nil {
			return err
		}
		if !access.CanRecordFor(forID, role) {
			return coproduce.ErrNotFound // not a member of this project
		}
		how := coproduce.RecordHow(q.Get(views.HowParam))
		if !how.Valid() || q.Get(views.AgreedParam) != "yes" {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				// Ask first how they told you and whether they agreed.
				return redirect(w, r, views.RecordForPath(p.ID, forID))
			}
			return errBadRequest
		}
		person, err := s.store.UserByID(r.Context(), forID)
		if err != nil {
			return err
		}
		ctx := context.WithValue(r.Context(), projectCtxKey{}, &projectContext{project: p,
			access: coproduce.Access{User: person, Role: role}})
		ctx = coproduce.WithOnBehalf(ctx, coproduce.OnBehalf{By: access.User, For: person, How: how})
		return next(w, r.WithContext(ctx))
	}
}

// recordForParam loads the member the "Record something for" page is
// about, for a lead or facilitator of the project.
func (s *Server) recordForParam(r *http.Request) (coproduce.Member, error) {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.Member{}, coproduce.ErrForbidden
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil || id <= 0 {
		return coproduce.Member{}, coproduce.ErrNotFound
	}
	if id == access.User.ID {
		return coproduce.Member{}, coproduce.ErrForbidden
	}
	members, err := s.store.Members(r.Context(), p.ID)
	if err != nil {
		return coproduce.Member{}, err
	}
	for _, m := range members {
		if m.UserID == id {
			return m, nil
		}
	}
	return coproduce.Member{}, coproduce.ErrNotFound
}

// showRecordFor is the "Record something for" page: it asks how the member
// told the facilitator and whether they agreed, then (with both in the
// address) lists what can be recorded, each a link to the ordinary page.
func (s *Server) showRecordFor(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	how := coproduce.RecordHow(q.Get(views.HowParam))
	if !how.Valid() || q.Get(views.AgreedParam) != "yes" {
		how = ""
	}
	return s.renderRecordFor(w, r, http.StatusOK, views.NewForm(nil, nil), how)
}

// chooseRecordFor checks how the member told the facilitator and that they
// agreed, then shows the list of things to record.
func (s *Server) chooseRecordFor(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	m, err := s.recordForParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	how := coproduce.RecordHow(r.PostForm.Get(views.HowParam))
	v := &coproduce.ValidationError{}
	if !how.Valid() {
		v.Add(views.HowParam, "on_behalf.error.how")
	}
	if r.PostForm.Get(views.AgreedParam) != "yes" {
		v.Add(views.AgreedParam, "on_behalf.error.agreed")
	}
	if v.Err() != nil {
		return s.renderRecordFor(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, v), "")
	}
	return redirect(w, r, views.RecordForPath(p.ID, m.UserID)+"?"+views.HowParam+"="+string(how)+"&"+views.AgreedParam+"=yes")
}

func (s *Server) renderRecordFor(w http.ResponseWriter, r *http.Request, status int, f views.Form, how coproduce.RecordHow) error {
	ctx := r.Context()
	p, _ := projectFrom(ctx)
	m, err := s.recordForParam(r)
	if err != nil {
		return err
	}
	v := views.RecordForView{Project: *p, Person: m, Form: f, How: how}
	if how != "" {
		ideas, err := s.store.Proposals(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, i := range ideas {
			if i.Open {
				v.Ideas = append(v.Ideas, i)
			}
		}
		meetings, err := s.store.Meetings(ctx, p.ID)
		if err != nil {
			return err
		}
		now := time.Now()
		for _, mt := range meetings {
			if mt.EndsAt.After(now) {
				v.Meetings = append(v.Meetings, mt)
			}
		}
		stages, err := s.store.Stages(ctx, p.ID)
		if err != nil {
			return err
		}
		as := coproduce.Access{User: &coproduce.User{ID: m.UserID}, Role: m.Role}
		for _, st := range stages {
			if m.Role == coproduce.RoleLayPartner && st.CanSignOff(as) {
				v.Steps = append(v.Steps, st.Step)
			}
		}
		f4, err := s.store.FourRsFor(ctx, p.ID, m.UserID)
		if err != nil {
			return err
		}
		v.HasFourRs = f4.Written()
	}
	page := s.page(r, "")
	page.TitleText = views.T(ctx, "on_behalf.heading", map[string]any{"Name": m.Name})
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.RecordForPage(page, v))
}
