package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
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
		u := userFrom(r.Context())
		p, role, err := s.store.ProjectForUser(r.Context(), id, u.ID)
		if err != nil {
			return err
		}
		access := coproduce.Access{User: u, Role: role}
		if !access.CanView() {
			return coproduce.ErrNotFound
		}
		ctx := context.WithValue(r.Context(), projectCtxKey{}, &projectContext{project: p, access: access})
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			defer s.ideas.forget(p.ID)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
		return nil
	})
}

func projectFrom(ctx context.Context) (*coproduce.Project, coproduce.Access) {
	pc := ctx.Value(projectCtxKey{}).(*projectContext)
	return pc.project, pc.access
}

// projectMenu is the project menu for a page inside a project, nil for any
// other page. Every project page gets it through s.page.
func projectMenu(r *http.Request) *views.ProjectMenu {
	pc, ok := r.Context().Value(projectCtxKey{}).(*projectContext)
	if !ok {
		return nil
	}
	rest := strings.TrimPrefix(r.URL.Path, projectPath(pc.project.ID, ""))
	section := views.MenuSection(rest)
	exact := false
	for _, own := range []string{"", "/", "/steps/build", "/meetings", "/claims", "/support/me", "/steps", "/evaluate", "/reports"} {
		exact = exact || rest == own
	}
	return &views.ProjectMenu{ProjectID: pc.project.ID, Current: section, Exact: exact, Member: pc.access.IsMember()}
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
	if u.Role != coproduce.RolePartner {
		if p.ApprovalsWaiting, err = s.store.CountClaimsAwaiting(r.Context(), u.ID); err != nil {
			return err
		}
	}
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
	in.FormToken = r.PostForm.Get("form_token")
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
	values := url.Values{"title": {p.Title}, "summary": {p.Summary}, "title_cy": {p.TitleCy},
		"summary_cy": {p.SummaryCy}, "bilingual": {yesIf(p.Bilingual)}, "status": {string(p.Status)}}
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
	if p == nil {
		if err := setFormToken(&f); err != nil {
			return err
		}
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
		Title:     r.PostForm.Get("title"),
		Summary:   r.PostForm.Get("summary"),
		TitleCy:   r.PostForm.Get("title_cy"),
		SummaryCy: r.PostForm.Get("summary_cy"),
		Bilingual: r.PostForm.Get("bilingual") == "yes",
		Status:    coproduce.ProjectStatus(r.PostForm.Get("status")),
	}
	in.Normalize()
	return in, nil
}

func (s *Server) showProject(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	now := time.Now()
	ideas, shared, cached := s.ideas.get(p.ID, i18n.FromContext(r.Context()).Lang(), now)
	if cached && access.CanFacilitate() && shared.work == nil {
		cached = false // kept from a view without the work list
	}
	overview, err := s.store.ProjectOverview(r.Context(), p.ID, access, !cached, views.ProjectPageIdeas, views.ProjectPageOverdue)
	if err != nil {
		return err
	}
	if cached {
		shared.into(&overview)
	} else {
		if ideas, err = s.ideas.put(r.Context(), p.ID, views.LatestIdeas(p.ID, overview.Ideas), sharedOf(overview), now); err != nil {
			return err
		}
	}
	overview.You.Leads = coproduce.OtherLeads(overview.Leads, access.User.ID)
	page := s.page(r, "")
	page.TitleText = p.TitleIn(i18n.FromContext(r.Context()).Lang())
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	return s.render(w, r, http.StatusOK, views.ProjectPage(page, views.ProjectView{Project: *p, Access: access,
		ProjectOverview: overview, LatestIdeas: ideas, RecordedForYou: overview.You.Recorded}))
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

// yesIf is a ticked box's value, for a form filled from what is stored.
func yesIf(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// titleFor is a project's title in the language of the request's pages.
func titleFor(ctx context.Context, p *coproduce.Project) string {
	return p.TitleIn(i18n.FromContext(ctx).Lang())
}
