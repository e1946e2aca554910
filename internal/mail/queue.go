// Package mail delivers the application's email through a durable queue in
// PostgreSQL (River): a message is queued in the same transaction as the
// change that causes it, retried with backoff while the mail server is
// down, and worked by one instance only. With no SMTP server configured,
// delivery puts the message in the outbox that administrators read.
package mail

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// Sender delivers one email.
type Sender interface {
	Send(ctx context.Context, e coproduce.Email) error
}

// Config is how the queue works.
type Config struct {
	// Sender delivers messages; nil puts them in the outbox.
	Sender Sender
	Logger *slog.Logger
	// RetryBase is the wait before the first retry, doubling each time up
	// to an hour. Zero means 30 seconds.
	RetryBase time.Duration
	// MaxAttempts before a message is marked failed. Zero means 12 (about
	// a day with the default backoff).
	MaxAttempts int
	// Workers is how many messages one instance sends at once; zero means
	// the queue only accepts messages (for commands that do not deliver).
	Workers int
	// PollInterval is how often idle workers look for work, besides being
	// woken by new jobs. Zero means River's default.
	PollInterval time.Duration
	// Digests, when set, sends the daily digests, the emails gathering
	// news that came too soon after a person's last notification, and the
	// reminders (meetings tomorrow, ideas waiting for an answer).
	Digests *Digests
}

// Queue accepts and delivers email.
type Queue struct {
	client *river.Client[pgx.Tx]
	cfg    Config
}

type sendArgs struct {
	EmailID int64 `json:"email_id"`
}

func (sendArgs) Kind() string { return "send_email" }

// New builds the queue over the pool. Call Start to begin delivering.
func New(pool *pgxpool.Pool, store *postgres.Store, cfg Config) (*Queue, error) {
	if cfg.RetryBase == 0 {
		cfg.RetryBase = 30 * time.Second
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 12
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	rc := &river.Config{Logger: cfg.Logger, MaxAttempts: cfg.MaxAttempts}
	if cfg.PollInterval > 0 {
		rc.FetchPollInterval = cfg.PollInterval
		rc.FetchCooldown = cfg.PollInterval / 2
	}
	q := &Queue{cfg: cfg}
	// What the workers write (digests, gathered news) is queued for
	// delivery by this same queue: a store without it would leave those
	// emails unsent for ever.
	store = store.WithMailQueue(q)
	if cfg.Workers > 0 {
		workers := river.NewWorkers()
		river.AddWorker(workers, &worker{store: store, cfg: cfg})
		if d := cfg.Digests; d != nil {
			river.AddWorker(workers, &digestWorker{store: store, cfg: *d})
			river.AddWorker(workers, &remindWorker{store: store, cfg: *d})
			every := d.Every
			if every == 0 {
				every = time.Minute
			}
			rc.PeriodicJobs = []*river.PeriodicJob{
				river.NewPeriodicJob(river.PeriodicInterval(every),
					func() (river.JobArgs, *river.InsertOpts) { return remindArgs{}, nil },
					&river.PeriodicJobOpts{RunOnStart: true}),
				river.NewPeriodicJob(river.PeriodicInterval(every),
					func() (river.JobArgs, *river.InsertOpts) { return digestArgs{}, nil },
					&river.PeriodicJobOpts{RunOnStart: true})}
		}
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
	}
	client, err := river.NewClient(riverpgxv5.New(pool), rc)
	if err != nil {
		return nil, err
	}
	q.client = client
	return q, nil
}

// Start begins delivering queued messages in the background.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop finishes the messages being sent and stops.
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// EnqueueEmailTx schedules delivery of a stored email within tx.
func (q *Queue) EnqueueEmailTx(ctx context.Context, tx pgx.Tx, emailID int64) error {
	_, err := q.client.InsertTx(ctx, tx, sendArgs{EmailID: emailID}, nil)
	return err
}

type worker struct {
	river.WorkerDefaults[sendArgs]
	store *postgres.Store
	cfg   Config
}

// Work delivers one message. A message already delivered (a retry after a
// crash between sending and recording) is not sent again.
func (w *worker) Work(ctx context.Context, job *river.Job[sendArgs]) error {
	e, err := w.store.Email(ctx, job.Args.EmailID)
	if errors.Is(err, coproduce.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if e.Status == coproduce.EmailSent || e.Status == coproduce.EmailOutbox {
		return nil
	}
	if w.cfg.Sender == nil {
		return w.store.MarkEmailDelivered(ctx, e.ID, coproduce.EmailOutbox)
	}
	if err := w.cfg.Sender.Send(ctx, e); err != nil {
		final := job.Attempt >= job.MaxAttempts
		// The error stays in the database only: SMTP replies often quote the
		// recipient's address, which must not reach the logs.
		w.cfg.Logger.Warn("email not sent", "email_id", e.ID, "attempt", job.Attempt, "final", final)
		if merr := w.store.MarkEmailAttemptFailed(ctx, e.ID, err.Error(), final); merr != nil {
			return merr
		}
		return err
	}
	return w.store.MarkEmailDelivered(ctx, e.ID, coproduce.EmailSent)
}

// NextRetry backs off exponentially from RetryBase, up to an hour.
func (w *worker) NextRetry(job *river.Job[sendArgs]) time.Time {
	wait := w.cfg.RetryBase << min(job.Attempt-1, 16)
	return time.Now().Add(min(wait, time.Hour))
}
