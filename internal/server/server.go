// Package server is the HTTP side of Coproduce: one route table, the
// middleware every request passes through, and a handler per page action.
package server

import (
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/sessions"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/pdfprint"
	"github.com/coproduce/coproduce/internal/postgres"
)

// Config is everything the server needs, built by main.
type Config struct {
	Store     *postgres.Store
	Catalog   *i18n.Catalog
	Passwords *coproduce.Passwords
	Logger    *slog.Logger
	// Static serves /static/ (our own files and the design system's).
	Static fs.FS
	// BaseURL is where people reach the app; https turns on secure cookies
	// and HSTS.
	BaseURL *url.URL
	OrgName string
	// SessionKey signs session cookies.
	SessionKey []byte
	// SchemaVersion is the migration /readyz waits for.
	SchemaVersion int64
	// Metrics collects the Prometheus metrics served at /metrics.
	Metrics *prometheus.Registry
	// SMTPConfigured says whether email leaves by SMTP (else: the outbox).
	SMTPConfigured bool
	// MaxBodyBytes caps request bodies; larger ones get 413.
	MaxBodyBytes int64
	// SessionIdle and SessionAbsolute end sessions after that long unused
	// and that long in all.
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// BenchBaselines adds make bench's baseline pages and the profiler.
	BenchBaselines bool
	// TrustedProxies are the proxies whose X-Forwarded-For is believed when
	// finding a client's address for the per-address limits.
	TrustedProxies []netip.Prefix
	// IdeasPerMinute and CommentsPerMinute are the most one person may
	// post in a minute: zero means the defaults (5 and 10), a negative
	// number no limit.
	IdeasPerMinute    int
	CommentsPerMinute int
	// Printer prints reports and packs to PDF; nil shares the process's
	// one Chromium (internal/pdfprint).
	Printer *pdfprint.Printer
}

// Server handles every request.
type Server struct {
	cfg      Config
	store    *postgres.Store
	log      *slog.Logger
	sessions *SessionStore
	cookie   string
	metrics  *httpMetrics
	router   chi.Router
	// pdfSlots bounds how many PDFs are printed at once, and pdfWaiting
	// how many may wait for a slot (pdf.go): each takes a browser tab's
	// memory and a core (see docs/performance.md).
	pdfSlots   chan struct{}
	pdfWaiting chan struct{}
	printer    *pdfprint.Printer
	ideas      *ideasCache
}

// Defaults for settings left at zero.
const (
	defaultMaxBody         = 1 << 20
	defaultSessionIdle     = 30 * time.Minute
	defaultSessionAbsolute = 12 * time.Hour
)

// New builds the server and its route table.
func New(cfg Config) *Server {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = defaultMaxBody
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = defaultSessionIdle
	}
	if cfg.SessionAbsolute == 0 {
		cfg.SessionAbsolute = defaultSessionAbsolute
	}
	if cfg.Metrics == nil {
		cfg.Metrics = prometheus.NewRegistry()
	}
	secure := cfg.BaseURL != nil && cfg.BaseURL.Scheme == "https"
	s := &Server{
		cfg:        cfg,
		store:      cfg.Store,
		log:        cfg.Logger,
		sessions:   NewSessionStore(cfg.Store, cfg.SessionKey, secure, cfg.SessionIdle, cfg.SessionAbsolute),
		cookie:     "coproduce_session",
		pdfSlots:   make(chan struct{}, maxPDFs),
		pdfWaiting: make(chan struct{}, maxPDFsWaiting),
		printer:    cfg.Printer,
		ideas:      newIdeasCache(),
		metrics:    newHTTPMetrics(cfg.Metrics),
	}
	if s.printer == nil {
		s.printer = printerFor(cfg.Static)
	}
	if secure {
		// The __Host- prefix pins the cookie to this host, path / and https.
		s.cookie = "__Host-coproduce_session"
	}
	s.router = s.routes()
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

// Router exposes the route tree, so tests can walk every route.
func (s *Server) Router() chi.Routes { return s.router }

// Sessions exposes the session store (used by tests and by sign-in).
func (s *Server) Sessions() sessions.Store { return s.sessions }

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	// Panics are recovered inside the logging and metrics, so that a
	// panicking request is logged and counted as the 500 it becomes.
	r.Use(newRequestID, middleware.RequestID, s.localize, s.logRequests, s.countRequests, s.recoverPanics,
		s.securityHeaders, s.noStore, answerHeadAsGet)
	r.NotFound(s.h(func(w http.ResponseWriter, r *http.Request) error { return coproduce.ErrNotFound }))
	r.MethodNotAllowed(s.h(func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Allow", allowedMethods(r))
		return errMethodNotAllowed
	}))

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/metrics", s.metricsHandler())
	r.Handle("/static/*", s.staticFiles("/static/", "."))
	r.Handle("/assets/*", s.staticFiles("/assets/", "vendor/assets"))

	r.Group(func(r chi.Router) {
		r.Use(s.limitBody, s.refuseCrossOrigin, s.loadSession)
		r.Get("/", s.h(s.home))
		r.Get("/sign-in", s.h(s.showSignIn))
		r.Post("/sign-in", s.h(s.signIn))
		r.Post("/sign-out", s.h(s.signOut))
		r.Post("/text-size", s.h(s.setTextSize))
		r.Post("/easy-read", s.h(s.setEasyRead))
		r.Post("/sign-in/link", s.h(s.requestSignInLink))
		r.Get("/sign-in/link-sent", s.h(s.showLinkSent))
		r.Get("/sign-in/link/{token}", s.h(s.showSignInLink))
		r.Post("/sign-in/link/{token}", s.h(s.useSignInLink))
		r.Get("/p/{slug}", s.h(s.showPublic))
		r.Get("/invitations/{token}", s.h(s.showInvitation))
		r.Post("/invitations/{token}/accept", s.h(s.acceptInvitation))
		r.Post("/invitations/{token}/decline", s.h(s.declineInvitation))
		r.Get("/join", s.h(s.showJoin))
		r.Post("/join", s.h(s.checkJoinCode))
		r.Post("/join/account", s.h(s.joinWithCode))
		r.Get("/unsubscribe/{token}", s.h(s.showUnsubscribe))
		r.Post(unsubscribeRoute, s.h(s.unsubscribe))
		r.Get("/language", s.h(s.switchLanguage))

		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Get("/account", s.h(s.showAccount))
			r.Get("/account/session", s.h(s.showSessionWarning))
			r.Get("/account/link-read", s.h(s.showLinkReads))
			r.Post("/account/session", s.h(s.extendSession))
			r.Post("/account/sign-out-everywhere", s.h(s.signOutEverywhere))
			r.Get("/account/notifications", s.h(s.showNotifySettings))
			r.Post("/account/notifications", s.h(s.saveNotifySettings))
			r.Get("/updates", s.h(s.showUpdates))
			r.Get("/updates/{updateID}", s.h(s.openUpdate))
			r.Post("/updates", s.h(s.markUpdatesSeen))
			r.Post("/account/password", s.h(s.setPassword))
			r.Post("/account/language", s.h(s.saveLanguage))
			r.Get("/me/data", s.h(s.downloadMyData))
			if s.cfg.BenchBaselines {
				s.profilerRoutes(r)
			}

			r.Get("/approvals", s.h(s.showApprovals))
			r.Post("/approvals/{claimID}/decision", s.h(s.decideApproval))
			r.Get("/approvals/{claimID}/receipt", s.h(s.downloadApprovalReceipt))
			r.Get("/projects", s.h(s.listProjects))
			r.Get("/projects/new", s.h(s.newProject))
			r.Post("/projects/new", s.h(s.createProject))
			r.Route("/projects/{projectID}", func(r chi.Router) {
				r.Use(s.loadProject)
				r.Get("/", s.h(s.showProject))
				if s.cfg.BenchBaselines {
					s.benchProjectRoutes(r)
				}
				r.Get("/edit", s.h(s.editProject))
				r.Post("/edit", s.h(s.updateProject))
				r.Get("/members", s.h(s.listMembers))
				r.Post("/members", s.h(s.addMember))
				r.Get("/members/{userID}/role", s.h(s.editMemberRole))
				r.Post("/members/{userID}/role", s.h(s.changeMemberRole))
				r.Get("/members/{userID}/remove", s.h(s.confirmRemoveMember))
				r.Post("/members/{userID}/remove", s.h(s.removeMember))
				r.Get("/members/{userID}/record", s.h(s.showRecordFor))
				r.Post("/members/{userID}/record", s.h(s.chooseRecordFor))
				r.Get("/members/offline", s.h(s.newOfflineMember))
				r.Post("/members/offline", s.h(s.addOfflineMember))
				r.Get("/members/{userID}/contact", s.h(s.showMemberContact))
				r.Post("/members/{userID}/contact/letter", s.h(s.printLetter))
				r.Get("/leave", s.h(s.confirmLeave))
				r.Post("/leave", s.h(s.leave))

				r.Get("/steps", s.h(s.showSteps))
				r.Get("/meetings", s.h(s.listMeetings))
				r.Get("/history", s.h(s.showHistory))
				r.Post("/publish", s.h(s.setPublished))
				r.Get("/reports", s.h(s.showReports))
				r.Get("/reports/{report}", s.h(s.downloadReport))
				r.Post("/naming", s.h(s.setNamed))
				r.Get("/steps/{step}", s.h(s.onBehalf(s.showStep)))
				r.Post("/steps/{step}/status", s.h(s.setStageStatus))
				r.Post("/steps/{step}/sign-off", s.h(s.onBehalf(s.signOffStage)))
				r.Post("/steps/{step}/notes", s.h(s.saveStageNotes))
				r.Post("/steps/select/invitations", s.h(s.invite))
				r.Post("/steps/select/invitations/{invitationID}/resend", s.h(s.resendInvitation))
				r.Post("/steps/select/invitations/{invitationID}/withdraw", s.h(s.withdrawInvitation))
				r.Get("/communication-needs", s.h(s.askCommunicationNeeds))
				r.Post("/communication-needs", s.h(s.answerCommunicationNeeds))
				r.Get("/support/me", s.h(s.onBehalf(s.editSupport)))
				r.Post("/support/me", s.h(s.onBehalf(s.saveSupport)))
				r.Post("/steps/select/invitations/{invitationID}/accept-by-phone", s.h(s.acceptInvitationByPhone))
				r.Get("/support/me/copy", s.h(s.showSupportCopy))
				r.Post("/support/me/copy", s.h(s.copySupport))
				r.Get("/support/members/{userID}", s.h(s.showMemberSupport))
				r.Post("/support/buddies", s.h(s.setBuddy))
				r.Get("/claims", s.h(s.onBehalf(s.showClaims)))
				r.Post("/claims", s.h(s.onBehalf(s.createClaim)))
				r.Get("/claims/{claimID}/receipt", s.h(s.downloadReceipt))
				r.Post("/claims/{claimID}/decision", s.h(s.decideClaim))
				r.Post("/claims/export", s.h(s.exportClaims))
				r.Get("/public-preview", s.h(s.previewPublic))
				r.Get("/claims/exports", s.h(s.showFinanceExports))
				r.Get("/claims/exports/{exportID}", s.h(s.downloadFinanceExport))
				r.Post("/payments/choice", s.h(s.setPaymentChoice))
				r.Post("/payments/level", s.h(s.setPaymentLevel))
				r.Post("/meetings", s.h(s.createMeeting))
				r.Get("/meetings/{meetingID}", s.h(s.onBehalf(s.showMeeting)))
				r.Get("/meetings/{meetingID}/calendar.ics", s.h(s.downloadMeeting))
				r.Post("/meetings/{meetingID}/reply", s.h(s.onBehalf(s.replyToMeeting)))
				r.Post("/meetings/{meetingID}/attendance", s.h(s.recordAttendance))
				r.Post("/meetings/{meetingID}/papers", s.h(s.addPaper))
				r.Post("/meetings/{meetingID}/papers-due", s.h(s.setPapersDue))
				r.Get("/meetings/{meetingID}/papers/{paperID}", s.h(s.downloadPaper))
				r.Get("/meetings/{meetingID}/papers/{paperID}/remove", s.h(s.confirmRemovePaper))
				r.Post("/meetings/{meetingID}/papers/{paperID}/remove", s.h(s.removePaper))
				r.Get("/meetings/{meetingID}/edit", s.h(s.editMeeting))
				r.Post("/meetings/{meetingID}/edit", s.h(s.updateMeeting))
				r.Post("/meetings/{meetingID}/cancel", s.h(s.cancelMeeting))
				r.Get("/meetings/{meetingID}/arrangements", s.h(s.showArrangements))
				r.Get("/meetings/{meetingID}/arrangements/{userID}", s.h(s.editArrangement))
				r.Post("/meetings/{meetingID}/arrangements/{userID}", s.h(s.saveArrangement))
				r.Get("/claims/{claimID}/send", s.h(s.showDraftClaim))
				r.Post("/claims/{claimID}/send", s.h(s.sendDraftClaim))
				r.Post("/claims/{claimID}/discard", s.h(s.discardDraftClaim))
				s.agendaRoutes(r)
				s.impactRoutes(r)
				s.principlesRoutes(r)
				s.evaluateRoutes(r)
				r.Post("/steps/build/acknowledge", s.h(s.acknowledgeAgreement))
				r.Post("/proposals", s.h(s.onBehalf(s.createProposal)))
				r.Get("/proposals/{proposalID}", s.h(s.onBehalf(s.showProposal)))
				r.Post("/proposals/{proposalID}/vote", s.h(s.onBehalf(s.castVote)))
				r.Post("/proposals/{proposalID}/comments", s.h(s.onBehalf(s.addComment)))
				r.Post("/proposals/{proposalID}/respond", s.h(s.respondToProposal))
				r.Post("/proposals/{proposalID}/actions", s.h(s.addAction))
				r.Post("/proposals/{proposalID}/answer", s.h(s.changeAnswer))
				r.Post("/proposals/{proposalID}/withdraw", s.h(s.withdrawProposal))
				r.Post("/actions/{actionID}/status", s.h(s.setActionStatus))
				r.Get("/comments/{commentID}/edit", s.h(s.editComment))
				r.Post("/comments/{commentID}/edit", s.h(s.updateComment))
				r.Get("/comments/{commentID}/hide", s.h(s.showHideComment))
				r.Post("/comments/{commentID}/hide", s.h(s.hideComment))
				r.Get("/comments/{commentID}/show", s.h(s.showShowComment))
				r.Post("/comments/{commentID}/show", s.h(s.showComment))
				r.Post("/steps/identify/groups", s.h(s.addGroup))
				r.Get("/steps/identify/groups/{groupID}", s.h(s.editGroup))
				r.Post("/steps/identify/groups/{groupID}", s.h(s.updateGroup))
				r.Post("/steps/identify/groups/{groupID}/remove", s.h(s.removeGroup))
				r.Get("/steps/be-clear/purpose", s.h(s.editPurpose))
				r.Post("/steps/be-clear/purpose", s.h(s.savePurpose))
				r.Get("/steps/be-clear/versions/{version}", s.h(s.showPurposeVersion))
				r.Post("/steps/be-clear/acknowledge", s.h(s.onBehalf(s.acknowledgePurpose)))
				r.Post("/steps/choose/approach", s.h(s.saveApproach))
				r.Post("/steps/choose/involvement", s.h(s.setInvolvement))
				r.Get("/steps/understand/members/{userID}", s.h(s.editFourRs))
				r.Post("/steps/understand/members/{userID}", s.h(s.saveFourRs))
				r.Post("/steps/understand/acknowledge", s.h(s.onBehalf(s.acknowledgeFourRs)))
				// Each pack also comes as a tagged PDF, at its address + ".pdf".
				for _, pdf := range []string{"", ".pdf"} {
					r.Get("/steps/be-clear/print"+pdf, s.h(s.printPurpose))
					r.Get("/steps/understand/members/{userID}/print"+pdf, s.h(s.printFourRs))
					r.Get("/meetings/{meetingID}/print"+pdf, s.h(s.printMeeting))
					r.Get("/steps/build/print"+pdf, s.h(s.printIdeas))
				}
			})

			r.Route("/admin", func(r chi.Router) {
				r.Use(s.requireAdmin)
				r.Get("/users", s.h(s.listUsers))
				r.Get("/audit", s.h(s.listAudit))
				r.Get("/audit.csv", s.h(s.downloadAudit))
				r.Get("/rates", s.h(s.showRates))
				r.Post("/rates", s.h(s.saveRates))
				r.Get("/outbox", s.h(s.showOutbox))
				r.Get("/outbox/{emailID}", s.h(s.showEmail))
				r.Get("/approvers", s.h(s.showApprovers))
				r.Post("/approvers", s.h(s.addApprover))
				r.Post("/approvers/{userID}/remove", s.h(s.removeApprover))
				r.Post("/users/{userID}/disable", s.h(s.disableUser))
				r.Post("/users/{userID}/enable", s.h(s.enableUser))
				r.Post("/users/{userID}/role", s.h(s.setUserRole))
				r.Get("/users/{userID}/erase", s.h(s.confirmErase))
				r.Post("/users/{userID}/erase", s.h(s.eraseUser))
			})
		})
	})
	return r
}
