package postgres

import (
	"context"
	"strconv"

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

// AuditEventsForProject lists a project's history, newest first.
func (s *Store) AuditEventsForProject(ctx context.Context, projectID int64, limit int) ([]coproduce.AuditEvent, error) {
	rows, err := s.db.Query(ctx, `
		SELECT a.id, a.at, coalesce(a.actor_id, 0), coalesce(u.name, ''), coalesce(a.project_id, 0),
		       a.action, a.subject, a.before, a.after
		FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
		WHERE a.project_id = $1
		ORDER BY a.at DESC, a.id DESC
		LIMIT $2`, projectID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var events []coproduce.AuditEvent
	for rows.Next() {
		var e coproduce.AuditEvent
		var before, after map[string]any
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.ProjectID,
			&e.Action, &e.Subject, &before, &after); err != nil {
			return nil, err
		}
		e.Before, e.After = before, after
		events = append(events, e)
	}
	return events, rows.Err()
}

func userSubject(id int64) string    { return "user:" + strconv.FormatInt(id, 10) }
func projectSubject(id int64) string { return "project:" + strconv.FormatInt(id, 10) }
