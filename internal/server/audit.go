package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/csvsafe"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/web/views"
)

// How many events a project's history and one page of the administrators'
// audit trail show; the CSV download has them all.
const (
	historySize   = 500
	auditPageSize = 500
)

// showHistory shows a project's history to its leads and facilitators (and
// administrators).
func (s *Server) showHistory(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() && !access.User.IsAdmin() {
		return coproduce.ErrForbidden
	}
	events, err := s.store.AuditEvents(r.Context(), coproduce.AuditFilter{ProjectID: p.ID, Limit: historySize})
	if err != nil {
		return err
	}
	page := s.page(r, "history.title")
	page.Nav = "projects"
	return s.render(w, r, http.StatusOK, views.HistoryPage(page, *p, events))
}

// auditZone is the time zone the filter's dates are days in: the one the
// table shows times in, so that "from 5 March" starts at midnight in the UK.
var auditZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// auditFilter reads the filter from the query string. Bad values are field
// errors; the filter is then empty. The "to" date counts the whole day.
func auditFilter(q url.Values) (coproduce.AuditFilter, *coproduce.ValidationError) {
	var f coproduce.AuditFilter
	v := &coproduce.ValidationError{}
	parseID := func(field string, dst *int64) {
		if s := strings.TrimSpace(q.Get(field)); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				v.Add(field, "audit.error.choice")
			}
			*dst = id
		}
	}
	parseDate := func(field string, dst *time.Time, days int) {
		if s := strings.TrimSpace(q.Get(field)); s != "" {
			d, err := time.ParseInLocation(time.DateOnly, s, auditZone)
			if err != nil {
				v.Add(field, "audit.error.date")
			}
			*dst = d.AddDate(0, 0, days)
		}
	}
	parseID("project", &f.ProjectID)
	parseID("person", &f.ActorID)
	parseDate("from", &f.From, 0)
	parseDate("to", &f.To, 1)
	if v.For("from") == "" && v.For("to") == "" && !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		v.Add("to", "audit.error.order")
	}
	if v.Err() != nil {
		return coproduce.AuditFilter{}, v
	}
	return f, nil
}

// auditQuery keeps the filter's four fields from a query string, leaving
// out empty ones and anything else: for the download link, and for the
// record an export makes of what it included.
func auditQuery(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"project", "person", "from", "to"} {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// auditFilterRecord is the filter as an export records it.
func auditFilterRecord(q url.Values) map[string]string {
	out := map[string]string{}
	for k, v := range auditQuery(q) {
		out[k] = v[0]
	}
	return out
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	filter, verr := auditFilter(q)
	status := http.StatusOK
	var events []coproduce.AuditEvent
	if verr != nil {
		status = http.StatusUnprocessableEntity
	} else {
		filter.Limit = auditPageSize
		var err error
		if events, err = s.store.AuditEvents(ctx, filter); err != nil {
			return err
		}
	}
	projects, err := s.store.ProjectNames(ctx)
	if err != nil {
		return err
	}
	actors, err := s.store.AuditActors(ctx)
	if err != nil {
		return err
	}
	page := s.page(r, "audit.title")
	page.Nav = "audit"
	page.HasErrors = verr != nil
	form := views.NewForm(q, verr)
	view := views.AuditView{Events: events, Form: form, Projects: options(projects), Actors: options(actors),
		More: len(events) == auditPageSize}
	if verr == nil {
		// Only a valid filter is offered for download.
		view.CSV = templ.SafeURL("/admin/audit.csv?" + auditQuery(q).Encode())
	}
	return s.render(w, r, status, views.AdminAuditPage(page, view))
}

func options(list []postgres.Named) []views.NamedOption {
	out := make([]views.NamedOption, len(list))
	for i, n := range list {
		out[i] = views.NamedOption{ID: n.ID, Name: n.Name}
	}
	return out
}

// downloadAudit streams the filtered audit trail as CSV, row by row, with
// every cell made safe for spreadsheets. The download itself is audited.
func (s *Server) downloadAudit(w http.ResponseWriter, r *http.Request) error {
	filter, verr := auditFilter(r.URL.Query())
	if verr != nil {
		return errBadRequest
	}
	admin := userFrom(r.Context())
	if err := s.store.RecordExport(r.Context(), admin.ID, filter.ProjectID, "audit.csv", auditFilterRecord(r.URL.Query())); err != nil {
		return err
	}
	l := i18n.FromContext(r.Context())
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit.csv"`)
	out := csvsafe.NewWriter(w)
	if err := out.Write("time", "person", "project", "action", "subject", "before", "after"); err != nil {
		return nil // the client went away
	}
	err := s.store.EachAuditEvent(r.Context(), filter, func(e coproduce.AuditEvent) error {
		return out.Write(e.At.UTC().Format(time.RFC3339), e.ActorName, e.ProjectTitle,
			l.T("audit.action."+e.Action), e.Subject, jsonCell(e.Before), jsonCell(e.After))
	})
	if err != nil {
		// Headers are sent: the best we can do is stop, and log why.
		s.log.ErrorContext(r.Context(), "audit export stopped", "error", err)
		return nil
	}
	return out.Flush()
}

func jsonCell(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
