package server

import (
	"bytes"
	"net/http"
	"net/http/pprof"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// The benchmark baselines (BENCH_BASELINES=1, never in production): pages
// behind the same middleware as a project page (session, sign-in, project
// access), doing the least work a page can, so that make bench can say how
// close the real pages come to them. Also the Go profiler, to see where a
// page's time goes under load.
func (s *Server) benchProjectRoutes(r chi.Router) {
	r.Get("/bench/fixed", s.h(s.benchFixed))
	r.Get("/bench/select", s.h(s.benchSelect))
	r.Get("/bench/comments.csv", s.h(s.benchCopyComments))
	r.Post("/bench/write", s.h(s.benchWrite))
}

func (s *Server) profilerRoutes(r chi.Router) {
	r.HandleFunc("/debug/pprof/profile", pprof.Profile)
	r.HandleFunc("/debug/pprof/*", pprof.Index)
}

var fixedPages sync.Map // size → []byte

// benchFixed is baseline A: a fixed page of ?size bytes.
func (s *Server) benchFixed(w http.ResponseWriter, r *http.Request) error {
	size, err := strconv.Atoi(r.URL.Query().Get("size"))
	if err != nil || size < 1 || size > 1<<20 {
		size = 30 << 10
	}
	page, ok := fixedPages.Load(size)
	if !ok {
		page, _ = fixedPages.LoadOrStore(size, bytes.Repeat([]byte("<p>Coproduce</p>\n"), size/17+1)[:size])
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err = w.Write(page.([]byte))
	return err
}

// benchSelect is baseline B: one indexed SELECT of 100 rows, rendered in
// the site's layout with templ.
func (s *Server) benchSelect(w http.ResponseWriter, r *http.Request) error {
	p, _ := projectFrom(r.Context())
	rows, err := s.store.BenchRows(r.Context(), p.ID)
	if err != nil {
		return err
	}
	page := s.page(r, "")
	page.TitleText = p.Title
	return s.render(w, r, http.StatusOK, views.BenchRowsPage(page, rows))
}

// benchWrite is baseline W: the least work a write can do behind the same
// middleware as a vote or a comment (session, cross-origin check, project
// access): one UPDATE, committed, then the same redirect. A write's speed
// depends on what the machine's disk and CPU are doing at that moment, so
// make bench loads each write alongside this one.
func (s *Server) benchWrite(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if err := s.store.BenchWrite(r.Context(), p.ID, access.User.ID); err != nil {
		return err
	}
	http.Redirect(w, r, projectPath(p.ID, ""), http.StatusSeeOther)
	return nil
}

// BenchRowsTrailer is the trailer in which the COPY baseline says how many
// rows it streamed.
const BenchRowsTrailer = "Coproduce-Rows"

// benchCopyComments is the CSV export's baseline: the project's comments,
// the rows the CSV of its discussion holds, streamed by PostgreSQL's COPY
// straight into the response, behind the same middleware, access check and
// headers as the real export (downloadReport), so that make bench can say
// how close the export comes to moving the same rows with no work of ours.
func (s *Server) benchCopyComments(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !canRunReports(access) {
		return coproduce.ErrForbidden
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(10 * time.Minute))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="project-`+strconv.FormatInt(p.ID, 10)+`-comments.csv"`)
	w.Header().Set("Trailer", BenchRowsTrailer)
	n, err := s.store.BenchCopyComments(r.Context(), p.ID, w)
	if err != nil {
		return err
	}
	w.Header().Set(BenchRowsTrailer, strconv.FormatInt(n, 10))
	return nil
}
