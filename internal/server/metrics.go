package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

type httpMetrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// pdfWaits counts PDFs that waited for one of the PDF slots, and
	// pdfBusy those refused because too many were waiting.
	pdfWaits prometheus.Counter
	pdfBusy  prometheus.Counter
}

func newHTTPMetrics(reg *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "coproduce_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "coproduce_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		pdfWaits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "coproduce_pdf_report_waits_total",
			Help: "PDFs (reports and packs) that waited because two were already being made.",
		}),
		pdfBusy: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "coproduce_pdf_busy_total",
			Help: "PDFs refused with 503 because two were being made and four more were waiting, or the wait ran out.",
		}),
	}
	reg.MustRegister(m.requests, m.duration, m.pdfWaits, m.pdfBusy,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// countRequests records each request by its route pattern (not its path,
// which would make a series per project).
func (s *Server) countRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := routePattern(r)
		s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(ww.Status())).Inc()
		s.metrics.duration.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
	})
}

func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
}
