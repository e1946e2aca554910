package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/report"
	"github.com/coproduce/coproduce/web/views"
)

// reportFormats are the formats a report comes in, with whether a member
// who does not run the project may have it: the readable formats, yes; the
// data formats, for those who run it.
var reportFormats = map[string]bool{"html": true, "pdf": true, "csv": false, "json": false}

// downloadReport serves /projects/{id}/reports/{name}.{format}: the
// project report ("project") or a step's ("identify", ...). Every download
// is audited.
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
	forMembers, ok := reportFormats[format]
	if !ok {
		return coproduce.ErrNotFound
	}
	if !canRunReports(access) && !(forMembers && access.IsMember()) {
		return coproduce.ErrForbidden
	}
	if format == "pdf" {
		// Before the report is read: a busy server says so at once.
		release, err := s.takePDFSlot(r.Context())
		if err != nil {
			return err
		}
		defer release()
	}
	l := i18n.FromContext(r.Context())
	chosen := "" // the report's language, when it is not the pages'
	if lang := r.URL.Query().Get("lang"); coproduce.IsLanguage(lang) && lang != l.Lang() {
		// The requester chose the report's language: its headings, dates
		// and words are in it, whatever the pages are in.
		l, chosen = s.cfg.Catalog.Localizer(lang), lang
		r = r.WithContext(i18n.WithLocalizer(r.Context(), l))
	}
	// A large project's report takes longer to read and write than a page:
	// its statements may outlast a page's query timeout.
	ctx := postgres.WithLongStatements(r.Context(), reportTime)
	rep, err := report.Build(ctx, s.store, p, step, access.User.Name, report.Labels{
		Role:      func(role coproduce.ProjectRole) string { return l.T("project_role." + string(role)) },
		Former:    l.T("report.former"),
		Ambiguous: l.T("report.ambiguous_name"),
		Lang:      l.Lang(),
		Words:     l.T,
	})
	if err != nil {
		return err
	}
	if err := s.store.RecordExport(r.Context(), access.User.ID, p.ID, "report:"+name+"."+format, nil); err != nil {
		return err
	}
	switch format {
	case "html":
		page := s.page(r, "")
		page.TitleText = l.T("report.title", map[string]any{"Title": p.TitleIn(l.Lang())})
		page.Nav = "projects"
		return s.render(w, r, http.StatusOK, views.ReportPage(page, *p, rep, reportDownloads(p.ID, name, chosen, access)))
	case "pdf":
		// The PDF is the HTML page as Chromium prints it: the same
		// headings, tables and words, tagged for screen readers.
		page := s.pdfPage()
		page.TitleText = l.T("report.title", map[string]any{"Title": p.TitleIn(l.Lang())})
		rep.Printed = true
		return s.sendPDF(ctx, w, r, pdfDoc{page: views.ReportPage(page, *p, rep, nil),
			htmlPath: projectPath(p.ID, "/reports/"+name+".html"), title: page.TitleText, filename: reportFile(p.ID, name, "pdf")})
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(reportTime))
	sw := &startedWriter{ResponseWriter: w}
	var contentType, ext string
	var write func() error
	switch {
	case format == "json":
		contentType, ext = "application/json; charset=utf-8", "json"
		write = func() error { return report.WriteJSON(ctx, sw, rep) }
	case name == "project": // the project's CSV is a ZIP of one CSV per section
		contentType, ext = "application/zip", "zip"
		write = func() error { return report.WriteZIP(ctx, sw, rep, l.T) }
	default:
		contentType, ext = "text/csv; charset=utf-8", "csv"
		write = func() error { return report.WriteCSV(ctx, sw, rep, l.T) }
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+reportFile(p.ID, name, ext)+`"`)
	return s.cutShort(r, sw, write())
}

// reportFile names a report's download.
func reportFile(projectID int64, name, ext string) string {
	return "project-" + strconv.FormatInt(projectID, 10) + "-" + name + "-report." + ext
}

// reportTime bounds writing one report download.
const reportTime = 10 * time.Minute

// startedWriter notes whether any of a download has been sent.
type startedWriter struct {
	http.ResponseWriter
	started bool
}

func (w *startedWriter) Write(b []byte) (int, error) {
	w.started = w.started || len(b) > 0
	return w.ResponseWriter.Write(b)
}

// cutShort ends a download that failed after part of it was sent by
// breaking the connection, so that the browser reports a failed download:
// an error page appended to half a file, with its 200, would look whole.
func (s *Server) cutShort(r *http.Request, w *startedWriter, err error) error {
	if err == nil || !w.started {
		return err
	}
	if r.Context().Err() == nil {
		s.log.ErrorContext(r.Context(), "download cut short", "request_id", middleware.GetReqID(r.Context()), "error", err)
	}
	panic(http.ErrAbortHandler)
}

func canRunReports(a coproduce.Access) bool { return a.CanFacilitate() || a.User.IsAdmin() }

// reportDownloads lists the other formats this person may download, in
// the language of the report they are reading (lang, when it is not the
// pages' language).
func reportDownloads(projectID int64, name, lang string, a coproduce.Access) map[string]string {
	out := map[string]string{}
	for f, forMembers := range reportFormats {
		if f != "html" && (forMembers || canRunReports(a)) {
			out[f] = projectPath(projectID, "/reports/"+name+"."+f+langQuery(lang))
		}
	}
	return out
}

// langQuery asks for a report in lang, or in the pages' language when
// lang is empty.
func langQuery(lang string) string {
	if lang == "" {
		return ""
	}
	return "?lang=" + lang
}

// showReports lists the project's reports, with the viewer's choice about
// being named in them and, for leads, the public page.
func (s *Server) showReports(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	// The reports come in the language the requester chooses on this page;
	// until they choose, in the language they read the pages in.
	v := views.ReportsView{Project: *p, Access: access, Lang: i18n.FromContext(r.Context()).Lang()}
	if lang := r.URL.Query().Get("lang"); coproduce.IsLanguage(lang) {
		v.Lang = lang
	}
	var err error
	if v.Named, err = s.store.NamedInReports(r.Context(), p.ID, access.User.ID); err != nil {
		return err
	}
	if v.Published, v.Slug, err = s.store.PublicState(r.Context(), p.ID); err != nil {
		return err
	}
	page := s.page(r, "reports.heading")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	return s.render(w, r, http.StatusOK, views.ReportsPage(page, v))
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
	return redirect(w, r, projectPath(p.ID, "/reports?notice=naming-saved"))
}
