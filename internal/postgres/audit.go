package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// recordAudit appends an event inside the caller's transaction, so that a
// change and its record are written together or not at all.
func recordAudit(ctx context.Context, db DBTX, e coproduce.AuditEvent) error {
	_, err := db.Exec(ctx, `
		INSERT INTO audit_events (actor_id, project_id, action, subject, before, after)
		VALUES (nullif($1, 0), nullif($2, 0), $3, $4, $5, $6)`,
		e.ActorID, e.ProjectID, e.Action, e.Subject, e.Before, e.After)
	return err
}

// One page of the audit trail holds defaultAuditRows events unless asked
// for more, and never more than maxAuditRows; the CSV export has no cap.
const (
	defaultAuditRows = 200
	maxAuditRows     = 1000
)

const auditSelect = `
	SELECT a.id, a.at, coalesce(a.actor_id, 0), coalesce(u.name, ''), coalesce(a.project_id, 0),
	       coalesce(p.title, ''), a.action, a.subject, coalesce(su.name, ''), a.before, a.after,
	       coalesce(iu.name, ''), im.created_at
	FROM audit_events a
	LEFT JOIN memberships im ON a.action = 'stage.sign_off' AND im.project_id = a.project_id AND im.user_id = a.actor_id
	LEFT JOIN users iu ON iu.id = im.invited_by
	LEFT JOIN users su ON su.id = CASE WHEN a.subject LIKE 'user:%' THEN substring(a.subject FROM 6)::bigint END
	LEFT JOIN users u ON u.id = a.actor_id
	LEFT JOIN projects p ON p.id = a.project_id
	WHERE ($1::bigint = 0 OR a.project_id = $1) AND ($2::bigint = 0 OR a.actor_id = $2)
	  AND ($3::timestamptz IS NULL OR a.at >= $3) AND ($4::timestamptz IS NULL OR a.at < $4)
	ORDER BY a.at DESC, a.id DESC`

func auditArgs(f coproduce.AuditFilter) []any {
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	return []any{f.ProjectID, f.ActorID, from, to}
}

func scanAudit(row pgx.Row) (coproduce.AuditEvent, error) {
	var e coproduce.AuditEvent
	var before, after map[string]any
	err := row.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.ProjectID, &e.ProjectTitle,
		&e.Action, &e.Subject, &e.SubjectName, &before, &after, &e.InvitedBy, &e.InvitedAt)
	if before != nil {
		e.Before = before
	}
	if after != nil {
		e.After = after
	}
	return e, err
}

// AuditEvents lists the audit trail, newest first, filtered; at most
// f.Limit rows (defaultAuditRows when zero, never more than maxAuditRows).
func (s *Store) AuditEvents(ctx context.Context, f coproduce.AuditFilter) ([]coproduce.AuditEvent, error) {
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = defaultAuditRows
	case limit > maxAuditRows:
		limit = maxAuditRows
	}
	rows, err := s.db.Query(ctx, auditSelect+` LIMIT `+strconv.Itoa(limit), customPlan(auditArgs(f))...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.AuditEvent, error) { return scanAudit(r) })
}

// EachAuditEvent calls fn for every event matching the filter, newest
// first, reading rows as it goes rather than holding them all.
func (s *Store) EachAuditEvent(ctx context.Context, f coproduce.AuditFilter, fn func(coproduce.AuditEvent) error) error {
	rows, err := s.db.Query(ctx, auditSelect, customPlan(auditArgs(f))...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditEventsForProject lists a project's history, newest first.
func (s *Store) AuditEventsForProject(ctx context.Context, projectID int64, limit int) ([]coproduce.AuditEvent, error) {
	return s.AuditEvents(ctx, coproduce.AuditFilter{ProjectID: projectID, Limit: limit})
}

// RecordExport notes in the audit trail that someone downloaded data.
func (s *Store) RecordExport(ctx context.Context, actorID, projectID int64, what string, filter any) error {
	return recordAudit(ctx, s.db, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
		Action: coproduce.AuditExport, Subject: what, After: filter})
}

// Named is an id and a name, for the choices in a filter.
type Named struct {
	ID   int64
	Name string
}

// AuditActors lists the people who appear in the audit trail, by name.
func (s *Store) AuditActors(ctx context.Context) ([]Named, error) {
	return s.named(ctx, `SELECT u.id, u.name FROM users u WHERE EXISTS (SELECT 1 FROM audit_events a WHERE a.actor_id = u.id) ORDER BY lower(u.name), u.id`)
}

// ProjectNames lists every project by title.
func (s *Store) ProjectNames(ctx context.Context) ([]Named, error) {
	return s.named(ctx, `SELECT id, title FROM projects ORDER BY lower(title), id`)
}

func (s *Store) named(ctx context.Context, query string) ([]Named, error) {
	rows, err := s.db.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Named, error) {
		var n Named
		err := r.Scan(&n.ID, &n.Name)
		return n, err
	})
}

func userSubject(id int64) string    { return "user:" + strconv.FormatInt(id, 10) }
func projectSubject(id int64) string { return "project:" + strconv.FormatInt(id, 10) }
