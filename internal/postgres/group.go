package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

const groupColumns = `id, project_id, name, description, affected, reach, included, exclusion_reason, version, updated_at`

func scanGroup(row pgx.Row) (coproduce.StakeholderGroup, error) {
	var g coproduce.StakeholderGroup
	err := row.Scan(&g.ID, &g.ProjectID, &g.Name, &g.Description, &g.Affected, &g.Reach,
		&g.Included, &g.ExclusionReason, &g.Version, &g.UpdatedAt)
	return g, translate(err)
}

func groupSubject(id int64) string { return "group:" + strconv.FormatInt(id, 10) }

func groupAudit(g coproduce.StakeholderGroup) map[string]any {
	return map[string]any{"name": g.Name, "description": g.Description, "affected": g.Affected,
		"reach": g.Reach, "included": g.Included, "exclusion_reason": g.ExclusionReason}
}

// Groups lists a project's stakeholder groups in the order they were added.
func (s *Store) Groups(ctx context.Context, projectID int64) ([]coproduce.StakeholderGroup, error) {
	rows, err := s.db.Query(ctx, `SELECT `+groupColumns+` FROM stakeholder_groups WHERE project_id = $1 ORDER BY id`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.StakeholderGroup, error) { return scanGroup(r) })
}

// Group returns one of a project's groups; a group of another project is
// ErrNotFound.
func (s *Store) Group(ctx context.Context, projectID, id int64) (coproduce.StakeholderGroup, error) {
	return scanGroup(s.db.QueryRow(ctx,
		`SELECT `+groupColumns+` FROM stakeholder_groups WHERE project_id = $1 AND id = $2`, projectID, id))
}

// CreateGroup adds a stakeholder group.
func (s *Store) CreateGroup(ctx context.Context, actorID, projectID int64, in coproduce.GroupInput) (coproduce.StakeholderGroup, error) {
	var g coproduce.StakeholderGroup
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		id, again, err := onceForToken(ctx, tx, actorID, "group", in.FormToken, func() (int64, error) {
			var err error
			g, err = scanGroup(tx.QueryRow(ctx, `
				INSERT INTO stakeholder_groups (project_id, name, description, affected, reach, included, exclusion_reason)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+groupColumns,
				projectID, in.Name, in.Description, in.Affected, in.Reach, in.IsIncluded(), in.ExclusionReason))
			if err != nil {
				return 0, err
			}
			if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
				Action: coproduce.AuditGroupAdd, Subject: groupSubject(g.ID), After: groupAudit(g)}); err != nil {
				return 0, err
			}
			return g.ID, touchStage(ctx, tx, actorID, projectID, coproduce.StepIdentify)
		})
		if err != nil || !again {
			return err
		}
		// Sent again: the group the first send added (it may since have
		// been removed, which is no error).
		g, err = scanGroup(tx.QueryRow(ctx, `SELECT `+groupColumns+` FROM stakeholder_groups WHERE project_id = $1 AND id = $2`, projectID, id))
		if isNotFound(err) {
			err = nil
		}
		return err
	})
	return g, err
}

// UpdateGroup changes a group, if nobody changed it since version
// in.BaseVersion (else ErrStale).
func (s *Store) UpdateGroup(ctx context.Context, actorID, projectID, id int64, in coproduce.GroupInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockGroup(ctx, tx, projectID, id, in.BaseVersion)
		if err != nil {
			return err
		}
		after, err := scanGroup(tx.QueryRow(ctx, `
			UPDATE stakeholder_groups SET name = $3, description = $4, affected = $5, reach = $6,
				included = $7, exclusion_reason = $8, version = version + 1, updated_at = now()
			WHERE project_id = $1 AND id = $2 RETURNING `+groupColumns,
			projectID, id, in.Name, in.Description, in.Affected, in.Reach, in.IsIncluded(), in.ExclusionReason))
		if err != nil {
			return err
		}
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditGroupUpdate, Subject: groupSubject(id), Before: groupAudit(before), After: groupAudit(after)}); err != nil {
			return err
		}
		return touchStage(ctx, tx, actorID, projectID, coproduce.StepIdentify)
	})
}

// DeleteGroup removes a group, if unchanged since baseVersion.
func (s *Store) DeleteGroup(ctx context.Context, actorID, projectID, id int64, baseVersion int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockGroup(ctx, tx, projectID, id, baseVersion)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM stakeholder_groups WHERE id = $1`, id); err != nil {
			return err
		}
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditGroupRemove, Subject: groupSubject(id), Before: groupAudit(before)}); err != nil {
			return err
		}
		return touchStage(ctx, tx, actorID, projectID, coproduce.StepIdentify)
	})
}

func lockGroup(ctx context.Context, tx pgx.Tx, projectID, id int64, baseVersion int) (coproduce.StakeholderGroup, error) {
	g, err := scanGroup(tx.QueryRow(ctx,
		`SELECT `+groupColumns+` FROM stakeholder_groups WHERE project_id = $1 AND id = $2 FOR UPDATE`, projectID, id))
	if err != nil {
		return g, err
	}
	if g.Version != baseVersion {
		return g, coproduce.ErrStale
	}
	return g, nil
}
