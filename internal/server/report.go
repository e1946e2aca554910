package server

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/report"
	"github.com/coproduce/coproduce/web/views"
)

// downloadReport serves /projects/{id}/reports/{name}.{format}: the
// project report ("project") or a step's ("identify", ...), as an HTML page
// or JSON. Leads and facilitators get every format; other members the HTML
// page. Every download is audited.
func (s *Server) downloadReport(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	name, format, ok := strings.Cut(chi.URLParam(r, "report"), ".")
	if !ok {
		return coproduce.ErrNotFound
	}
	var step coproduce.Step
	if name != "project" {
		if step, ok = coproduce.StepBySlug(name); !ok {
			return coproduce.ErrNotFound
		}
	}
	switch format {
	case "html":
		if !access.IsMember() && !access.User.IsAdmin() {
			return coproduce.ErrForbidden
		}
	case "json":
		if !access.CanFacilitate() && !access.User.IsAdmin() {
			return coproduce.ErrForbidden
		}
	default:
		return coproduce.ErrNotFound
	}
	l := i18n.FromContext(r.Context())
	rep, err := report.Build(r.Context(), s.store, p, step, access.User.Name, report.Labels{
		Role:   func(role coproduce.ProjectRole) string { return l.T("project_role." + string(role)) },
		Former: l.T("report.former"),
	})
	if err != nil {
		return err
	}
	if err := s.store.RecordExport(r.Context(), access.User.ID, p.ID, "report:"+name+"."+format, nil); err != nil {
		return err
	}
	if format == "json" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`-report.json"`)
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	page := s.page(r, "")
	page.TitleText = l.T("report.title", map[string]any{"Title": p.Title})
	page.Nav = "projects"
	return s.render(w, r, http.StatusOK, views.ReportPage(page, *p, rep))
}

// setNamed records whether the member is named in reports.
func (s *Server) setNamed(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.store.SetNamedInReports(r.Context(), p.ID, access.User.ID, r.PostForm.Get("named") == "yes"); err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "?notice=naming-saved"))
}
