package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/coproduce/coproduce/internal/config"
	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/server"
	"github.com/coproduce/coproduce/web"
)

// shutdownGrace is how long requests in flight get to finish after SIGTERM.
const shutdownGrace = 20 * time.Second

func serve(ctx context.Context, args []string, getenv func(string) string, out printer, stderr io.Writer) error {
	if err := parseOptions(flag.NewFlagSet("serve", flag.ContinueOnError), args); err != nil {
		return err
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	if getenv("GOGC") == "" {
		// The live heap is small (tens of megabytes) and memory is not short:
		// collecting half as often cut the garbage collector's share of the
		// CPU under load, and with it the slowest responses (docs/performance.md).
		debug.SetGCPercent(200)
	}
	pool, err := postgres.OpenPool(ctx, postgres.PoolConfig{URL: cfg.DatabaseURL, MaxConns: cfg.DBMaxConns})
	if err != nil {
		return err
	}
	defer pool.Close()
	version, err := migrateUp(ctx, pool)
	if err != nil {
		return err
	}
	catalog, err := i18n.Load()
	if err != nil {
		return err
	}
	// The queue reports every few seconds at info level; only its warnings
	// are worth a line in the logs.
	queueLog := newLogger(config.Config{LogLevel: "warn", LogFormat: cfg.LogFormat}, stderr)
	if cfg.SMTPURL == "" {
		log.Info("no SMTP_URL: email goes to the outbox at /admin/outbox")
	}
	queue, err := newMailQueue(cfg, pool, queueLog, catalog)
	if err != nil {
		return err
	}
	store := postgres.NewStore(postgres.WithTimeouts(pool, cfg.DBAcquireTimeout, cfg.DBQueryTimeout)).WithMailQueue(queue).WithNotifyGather(cfg.NotifyGather)
	secret := cfg.SessionSecret
	if secret == nil {
		// Development: one secret kept in the database, shared by every
		// instance and surviving restarts.
		if secret, err = store.Secret(ctx, "session", 32); err != nil {
			return fmt.Errorf("session secret: %w", err)
		}
	}
	passwords, err := coproduce.NewPasswords(coproduce.DefaultPasswordParams)
	if err != nil {
		return err
	}
	registry := prometheus.NewRegistry()
	handler := server.New(server.Config{
		Store:          store,
		Catalog:        catalog,
		Passwords:      passwords,
		Logger:         log,
		Static:         web.Static(),
		BaseURL:        cfg.BaseURL,
		OrgName:        cfg.OrgName,
		SessionKey:     secret,
		SchemaVersion:  version,
		Metrics:        registry,
		SMTPConfigured: cfg.SMTPURL != "",
		BenchBaselines: cfg.BenchBaselines,
		// Zero means the defaults: 30 minutes idle, 12 hours in all.
		SessionIdle:     cfg.SessionIdle,
		SessionAbsolute: cfg.SessionAbsolute,
		TrustedProxies:  cfg.TrustedProxies,
		// The server reads 0 as its default and a negative number as no
		// limit; the setting's 0 means no limit.
		IdeasPerMinute:    noLimitIfZero(cfg.IdeasPerMinute),
		CommentsPerMinute: noLimitIfZero(cfg.CommentsPerMinute),
	})
	// The address is taken before the queue starts, so that a port in use
	// stops the command before any job is picked up.
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return &cliError{ID: "cli.error.listen", Data: map[string]any{"Address": cfg.ListenAddr}, Cause: err}
	}
	go sweepSessions(ctx, store, log)
	if err := queue.Start(ctx); err != nil {
		ln.Close()
		return fmt.Errorf("start mail queue: %w", err)
	}

	srv := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      config.WriteTimeout,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	log.Info("listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL.String())
	out.say("cli.serve.running", map[string]any{"URL": cfg.BaseURL.String(), "Address": ln.Addr().String()})

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := queue.Stop(shutdownCtx); err != nil {
		log.Warn("stop mail queue", "error", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// newMailQueue delivers over SMTP when SMTP_URL is set, and to the outbox
// otherwise.
func newMailQueue(cfg config.Config, pool *pgxpool.Pool, log *slog.Logger, catalog *i18n.Catalog) (*mail.Queue, error) {
	var sender mail.Sender
	if cfg.SMTPURL != "" {
		s, err := mail.NewSMTPSender(cfg.SMTPURL, cfg.OrgName, cfg.MailFrom)
		if err != nil {
			return nil, err
		}
		s.SetMessageIDHost(cfg.BaseURL.Hostname())
		sender = s
	}
	// Gathered news is looked for several times in each gather interval,
	// so it goes out soon after the interval ends.
	every := min(max(cfg.NotifyGather/5, time.Second), time.Minute)
	return mail.New(pool, postgres.NewStore(pool).WithNotifyGather(cfg.NotifyGather), mail.Config{Sender: sender, Logger: log, Workers: 4,
		Digests: &mail.Digests{Catalog: catalog, OrgName: cfg.OrgName, Every: every}})
}

// migrateUp applies pending migrations under the advisory lock and returns
// the schema version reached.
func migrateUp(ctx context.Context, pool *pgxpool.Pool) (int64, error) {
	m, err := postgres.NewMigrator(pool)
	if err != nil {
		return 0, err
	}
	defer m.Close()
	if err := m.Up(ctx); err != nil {
		return 0, err
	}
	return m.LatestVersion(), nil
}

// sweepSessions deletes long-idle sessions every ten minutes.
func sweepSessions(ctx context.Context, store *postgres.Store, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := store.DeleteExpiredSessions(ctx, 24*time.Hour); err != nil {
				log.Warn("sweep sessions", "error", err)
			} else if n > 0 {
				log.Info("swept idle sessions", "count", n)
			}
		}
	}
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(cfg.LogFormat, "text") {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func noLimitIfZero(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
