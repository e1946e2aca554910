package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

type projectCtxKey struct{}

type projectContext struct {
	project *coproduce.Project
	access  coproduce.Access
}

// loadProject finds the project in the URL and the person's access to it.
// For anyone who may not see it the project does not exist: 404, so that
// its existence is not given away.
func (s *Server) loadProject(next http.Handler) http.Handler {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		id, err := strconv.ParseInt(chi.URLParam(r, "projectID"), 10, 64)
		if err != nil || id <= 0 {
			return coproduce.ErrNotFound
		}
		p, err := s.store.ProjectByID(r.Context(), id)
		if err != nil {
			return err
		}
		u := userFrom(r.Context())
		role, err := s.store.ProjectRoleOf(r.Context(), id, u.ID)
		if err != nil {
			return err
		}
		access := coproduce.Access{User: u, Role: role}
		if !access.CanView() {
			return coproduce.ErrNotFound
		}
		ctx := context.WithValue(r.Context(), projectCtxKey{}, &projectContext{project: p, access: access})
		next.ServeHTTP(w, r.WithContext(ctx))
		return nil
	})
}

func projectFrom(ctx context.Context) (*coproduce.Project, coproduce.Access) {
	pc := ctx.Value(projectCtxKey{}).(*projectContext)
	return pc.project, pc.access
}

func projectPath(id int64, suffix string) string {
	return "/projects/" + strconv.FormatInt(id, 10) + suffix
}

func (s *Server) listProjects(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	projects, err := s.store.ProjectsForUser(r.Context(), u)
	if err != nil {
		return err
	}
	p := s.page(r, "projects.title")
	p.Nav = "projects"
	p.Notice = noticeFrom(r)
	return s.render(w, r, http.StatusOK, views.ProjectList(p, projects, u.CanCreateProjects()))
}

func (s *Server) newProject(w http.ResponseWriter, r *http.Request) error {
	if !userFrom(r.Context()).CanCreateProjects() {
		return coproduce.ErrForbidden
	}
	values := url.Values{"status": {string(coproduce.ProjectDraft)}}
	return s.renderProjectForm(w, r, http.StatusOK, views.NewForm(values, nil), nil)
}

func (s *Server) createProject(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	if !u.CanCreateProjects() {
		return coproduce.ErrForbidden
	}
	in, err := projectInput(r)
	if err != nil {
		return err
	}
	if verr := asValidation(in.Validate()); verr != nil {
		return s.renderProjectForm(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr), nil)
	}
	p, err := s.store.CreateProject(r.Context(), u.ID, in)
	if err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "?notice=project-created"))
}

func (s *Server) editProject(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	values := url.Values{"title": {p.Title}, "summary": {p.Summary}, "status": {string(p.Status)}}
	return s.renderProjectForm(w, r, http.StatusOK, views.NewForm(values, nil), p)
}

func (s *Server) updateProject(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	in, err := projectInput(r)
	if err != nil {
		return err
	}
	if verr := asValidation(in.Validate()); verr != nil {
		return s.renderProjectForm(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr), p)
	}
	if err := s.store.UpdateProject(r.Context(), access.User.ID, p.ID, in); err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "?notice=project-updated"))
}

// renderProjectForm shows the create form, or the edit form when p is set.
func (s *Server) renderProjectForm(w http.ResponseWriter, r *http.Request, status int, f views.Form, p *coproduce.Project) error {
	title, action, submit := "project_new.title", templ.SafeURL("/projects/new"), "project_new.submit"
	if p != nil {
		title, action, submit = "project_edit.title", templ.SafeURL(projectPath(p.ID, "/edit")), "project_edit.submit"
	}
	page := s.page(r, title)
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.ProjectForm(page, f, action, title, submit))
}

func projectInput(r *http.Request) (coproduce.ProjectInput, error) {
	if err := parseForm(r); err != nil {
		return coproduce.ProjectInput{}, err
	}
	in := coproduce.ProjectInput{
		Title:   r.PostForm.Get("title"),
		Summary: r.PostForm.Get("summary"),
		Status:  coproduce.ProjectStatus(r.PostForm.Get("status")),
	}
	in.Normalize()
	return in, nil
}

func (s *Server) showProject(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	stages, err := s.store.Stages(r.Context(), p.ID)
	if err != nil {
		return err
	}
	page := s.page(r, "")
	page.TitleText = p.Title
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	v := views.ProjectView{Project: *p, Access: access, Stages: stages}
	if v.MemberCount, err = s.store.MemberCount(r.Context(), p.ID); err != nil {
		return err
	}
	if err := s.countAcknowledgements(r, &v); err != nil {
		return err
	}
	if v.Overdue, err = s.store.OverdueProposals(r.Context(), p.ID); err != nil {
		return err
	}
	if v.Ideas, v.IdeaCount, err = s.store.LatestProposals(r.Context(), p.ID, views.ProjectPageIdeas); err != nil {
		return err
	}
	if v.Published, v.Slug, err = s.store.PublicState(r.Context(), p.ID); err != nil {
		return err
	}
	if v.Named, err = s.store.NamedInReports(r.Context(), p.ID, access.User.ID); err != nil {
		return err
	}
	buddies, err := s.store.Buddies(r.Context(), p.ID)
	if err != nil {
		return err
	}
	for _, b := range buddies {
		if b.PartnerID == access.User.ID || b.BuddyID == access.User.ID {
			v.Buddies = append(v.Buddies, b)
		}
	}
	return s.render(w, r, http.StatusOK, views.ProjectPage(page, v))
}

// countAcknowledgements works out who still has to read the purpose
// statement and confirm their 4Rs, for the tracker and the prompts.
func (s *Server) countAcknowledgements(r *http.Request, v *views.ProjectView) error {
	acks, err := s.store.PurposeAcknowledgements(r.Context(), v.Project.ID)
	if err != nil {
		return err
	}
	if _, err := s.store.CurrentPurpose(r.Context(), v.Project.ID); err == nil {
		for _, a := range acks {
			if a.AcknowledgedAt == nil {
				v.NotReadPurpose++
				v.YouNeedToReadPurpose = v.YouNeedToReadPurpose || a.UserID == v.Access.User.ID
			}
		}
	} else if !errors.Is(err, coproduce.ErrNotFound) {
		return err
	}
	fourRs, err := s.store.FourRsList(r.Context(), v.Project.ID)
	if err != nil {
		return err
	}
	for _, f := range fourRs {
		if f.Written() && !f.Acknowledged() {
			v.NotConfirmedFourRs++
			v.YouNeedToConfirmFourRs = v.YouNeedToConfirmFourRs || f.UserID == v.Access.User.ID
		}
	}
	return nil
}

// asValidation returns err as a validation error, or nil when err is nil.
// Any other error is a programming mistake in a validator.
func asValidation(err error) *coproduce.ValidationError {
	var v *coproduce.ValidationError
	if errors.As(err, &v) {
		return v
	}
	if err != nil {
		panic(err)
	}
	return nil
}
