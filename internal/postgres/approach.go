package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// Approach returns how a project has chosen to engage people, or
// ErrNotFound when nothing has been chosen yet.
func (s *Store) Approach(ctx context.Context, projectID int64) (coproduce.Approach, error) {
	var a coproduce.Approach
	err := s.db.QueryRow(ctx, `
		SELECT project_id, level, level_rationale, stage, stage_rationale, scope, scope_rationale, version, updated_at
		FROM approaches WHERE project_id = $1`, projectID).Scan(
		&a.ProjectID, &a.Level, &a.LevelRationale, &a.Stage, &a.StageRationale, &a.Scope, &a.ScopeRationale,
		&a.Version, &a.UpdatedAt)
	if err != nil {
		return a, translate(err)
	}
	a.Methods, err = s.approachMethods(ctx, projectID)
	return a, err
}

func (s *Store) approachMethods(ctx context.Context, projectID int64) (map[coproduce.Method]string, error) {
	rows, err := s.db.Query(ctx, `SELECT method, rationale FROM approach_methods WHERE project_id = $1`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	methods := map[coproduce.Method]string{}
	for rows.Next() {
		var m coproduce.Method
		var r string
		if err := rows.Scan(&m, &r); err != nil {
			return nil, err
		}
		methods[m] = r
	}
	return methods, rows.Err()
}

// SaveApproach records the project's choices, if nobody saved since
// in.BaseVersion (0 for the first save); otherwise ErrStale.
func (s *Store) SaveApproach(ctx context.Context, actorID, projectID int64, in coproduce.ApproachInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := touchStage(ctx, tx, actorID, projectID, coproduce.StepChoose); err != nil {
			return err
		}
		before, err := s.withDB(tx).Approach(ctx, projectID)
		switch {
		case err == nil && before.Version != in.BaseVersion:
			return coproduce.ErrStale
		case err != nil && !isNotFound(err):
			return err
		case err != nil && in.BaseVersion != 0:
			return coproduce.ErrStale
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO approaches (project_id, level, level_rationale, stage, stage_rationale, scope, scope_rationale)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (project_id) DO UPDATE SET level = $2, level_rationale = $3, stage = $4,
				stage_rationale = $5, scope = $6, scope_rationale = $7,
				version = approaches.version + 1, updated_at = now()`,
			projectID, in.Level, in.LevelRationale, in.Stage, in.StageRationale, in.Scope, in.ScopeRationale); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM approach_methods WHERE project_id = $1`, projectID); err != nil {
			return err
		}
		for m, r := range in.Methods {
			if _, err := tx.Exec(ctx, `INSERT INTO approach_methods (project_id, method, rationale) VALUES ($1, $2, $3)`,
				projectID, m, r); err != nil {
				return err
			}
		}
		var beforeAudit map[string]any
		if before.Version > 0 {
			beforeAudit = approachAudit(before.Level, before.Stage, before.Scope, before.Methods)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditApproachUpdate, Subject: stageSubject(coproduce.StepChoose),
			Before: beforeAudit, After: approachAudit(in.Level, in.Stage, in.Scope, in.Methods)})
	})
}

func approachAudit(l coproduce.Level, st coproduce.EngagementStage, sc coproduce.Scope, methods map[coproduce.Method]string) map[string]any {
	return map[string]any{"level": l, "stage": st, "scope": sc, "methods": methods}
}

// SetInvolvement records the level of involvement a member is willing to
// offer.
func (s *Store) SetInvolvement(ctx context.Context, projectID, userID int64, level coproduce.Level) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO member_involvement (project_id, user_id, level) VALUES ($1, $2, $3)
			ON CONFLICT (project_id, user_id) DO UPDATE SET level = $3, updated_at = now()`,
			projectID, userID, level); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: userID, ProjectID: projectID,
			Action: coproduce.AuditInvolvementSet, Subject: userSubject(userID), After: map[string]any{"level": level}})
	})
}

// Involvements lists every member with the level they chose ("" if none).
func (s *Store) Involvements(ctx context.Context, projectID int64) ([]coproduce.Involvement, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.user_id, u.name, m.role, coalesce(i.level, '')
		FROM memberships m JOIN users u ON u.id = m.user_id
		LEFT JOIN member_involvement i ON i.project_id = m.project_id AND i.user_id = m.user_id
		WHERE m.project_id = $1 ORDER BY `+memberOrder, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Involvement, error) {
		var i coproduce.Involvement
		err := r.Scan(&i.UserID, &i.Name, &i.Role, &i.Level)
		return i, err
	})
}
