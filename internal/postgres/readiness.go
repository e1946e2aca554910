package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func readinessSubject(id int64) string { return "readiness_check:" + strconv.FormatInt(id, 10) }

// SaveReadinessCheck keeps a lead's answers to the readiness check as a
// new check, dated and signed, beside the earlier ones. Only a lead of the
// project (by their role in it, not their account) may answer it: anyone
// else is ErrForbidden.
func (s *Store) SaveReadinessCheck(ctx context.Context, actorID, projectID int64, items []coproduce.ReadinessItem) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO readiness_checks (project_id, answered_by)
			SELECT project_id, user_id FROM memberships WHERE project_id = $1 AND user_id = $2 AND role = 'lead'
			RETURNING id`, projectID, actorID).Scan(&id)
		if err := translate(err); isNotFound(err) {
			return coproduce.ErrForbidden
		} else if err != nil {
			return err
		}
		keys, answers, notes := make([]string, len(items)), make([]string, len(items)), make([]string, len(items))
		warnings := 0
		for i, it := range items {
			keys[i], answers[i], notes[i] = it.Key, string(it.Answer), it.Note
			if it.Warns() {
				warnings++
			}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO readiness_answers (check_id, statement, answer, note)
			SELECT $1, k, a, n FROM unnest($2::text[], $3::text[], $4::text[]) AS x (k, a, n)`,
			id, keys, answers, notes); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditReadinessSave, Subject: readinessSubject(id),
			After: map[string]any{"warnings": warnings}})
	})
	return id, err
}

// readinessSQL reads checks with their answers, newest check first; the
// caller adds the WHERE clause.
const readinessSQL = `
	SELECT c.id, c.answered_at, coalesce(u.name, ''), a.statement, a.answer, a.note
	FROM readiness_checks c
	LEFT JOIN users u ON u.id = c.answered_by
	JOIN readiness_answers a ON a.check_id = c.id`

// latestReadinessSQL is the project's newest check.
const latestReadinessSQL = readinessSQL + `
	WHERE c.id = (SELECT max(id) FROM readiness_checks WHERE project_id = $1)`

// scanReadiness groups answer rows into checks, in the order the rows
// came, each check's answers in the order of the statements.
func scanReadiness(rows pgx.Rows) ([]coproduce.ReadinessCheck, error) {
	var out []coproduce.ReadinessCheck
	var byKey map[string]coproduce.ReadinessItem
	finish := func() {
		if len(out) > 0 {
			out[len(out)-1].Items = coproduce.OrderItems(byKey)
		}
	}
	var id int64
	var at time.Time
	var by, key, answer, note string
	_, err := pgx.ForEachRow(rows, []any{&id, &at, &by, &key, &answer, &note}, func() error {
		if len(out) == 0 || out[len(out)-1].ID != id {
			finish()
			out = append(out, coproduce.ReadinessCheck{ID: id, AnsweredAt: at, AnsweredBy: by})
			byKey = map[string]coproduce.ReadinessItem{}
		}
		byKey[key] = coproduce.ReadinessItem{Answer: coproduce.ReadinessAnswer(answer), Note: note}
		return nil
	})
	finish()
	return out, err
}

// ReadinessChecks returns every check of a project, newest first.
func (s *Store) ReadinessChecks(ctx context.Context, projectID int64) ([]coproduce.ReadinessCheck, error) {
	rows, err := s.db.Query(ctx, readinessSQL+` WHERE c.project_id = $1 ORDER BY c.id DESC`, projectID)
	if err != nil {
		return nil, err
	}
	return scanReadiness(rows)
}

// queueLatestReadiness adds to a page's batch the project's newest check,
// left nil when there is none.
func queueLatestReadiness(b *pgx.Batch, projectID int64, out **coproduce.ReadinessCheck) {
	b.Queue(latestReadinessSQL, projectID).Query(func(rows pgx.Rows) error {
		checks, err := scanReadiness(rows)
		if len(checks) > 0 {
			*out = &checks[0]
		}
		return err
	})
}

// EvaluateSummary reads what the Evaluate section's front page says of
// its parts, in one round trip: the newest readiness check and how many
// outcomes wait for an answer, were agreed and were not.
func (s *Store) EvaluateSummary(ctx context.Context, projectID int64) (coproduce.EvaluateSummary, error) {
	var v coproduce.EvaluateSummary
	b := &pgx.Batch{}
	queueLatestReadiness(b, projectID, &v.Readiness)
	b.Queue(`
		SELECT count(*) FILTER (WHERE decision IS NULL AND withdrawn_at IS NULL), count(*) FILTER (WHERE decision = 'agreed'),
		       count(*) FILTER (WHERE decision = 'not_agreed')
		FROM outcomes WHERE project_id = $1`, projectID).
		QueryRow(func(row pgx.Row) error { return row.Scan(&v.OutcomesOpen, &v.OutcomesAgreed, &v.OutcomesNotAgreed) })
	return v, s.db.SendBatch(ctx, b).Close()
}

// BackdateReadinessCheck moves the day a readiness check was answered back
// by days, for the demo's story (which happened over weeks, loaded in a
// moment).
func (s *Store) BackdateReadinessCheck(ctx context.Context, checkID int64, days int) error {
	_, err := s.db.Exec(ctx, `UPDATE readiness_checks SET answered_at = answered_at - make_interval(days => $2) WHERE id = $1`,
		checkID, days)
	return err
}

// BackdateOutcome moves the day an outcome was suggested back by
// suggested days, and the day it was answered (if it was) back by
// answered days, for the demo's story.
func (s *Store) BackdateOutcome(ctx context.Context, outcomeID int64, suggested, answered int) error {
	_, err := s.db.Exec(ctx, `
		UPDATE outcomes SET created_at = created_at - make_interval(days => $2),
		       decided_at = decided_at - make_interval(days => $3)
		WHERE id = $1`, outcomeID, suggested, answered)
	return err
}
