package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

const fourRsSelect = `
	SELECT m.project_id, m.user_id, u.name, m.role,
	       coalesce(f.role_text, ''), coalesce(f.remit, ''), coalesce(f.relationships, ''),
	       coalesce(f.responsibility, ''), coalesce(f.version, 0), coalesce(f.updated_at, m.created_at),
	       coalesce(f.acknowledged_version, 0), f.acknowledged_at,
	       coalesce(rb.name, ''), coalesce(f.recorded_how, ''), coalesce(f.acknowledged_at, now())
	FROM memberships m JOIN users u ON u.id = m.user_id
	LEFT JOIN four_rs f ON f.project_id = m.project_id AND f.user_id = m.user_id
	LEFT JOIN users rb ON rb.id = f.recorded_by`

func scanFourRs(row pgx.Row) (coproduce.FourRs, error) {
	var f coproduce.FourRs
	err := row.Scan(&f.ProjectID, &f.UserID, &f.Name, &f.ProjectRole, &f.Role, &f.Remit, &f.Relationships,
		&f.Responsibility, &f.Version, &f.UpdatedAt, &f.AcknowledgedVersion, &f.AcknowledgedAt,
		&f.Recorded.ByName, &f.Recorded.How, &f.Recorded.At)
	return f, translate(err)
}

// FourRsList returns every member's 4Rs (empty for those not written yet).
func (s *Store) FourRsList(ctx context.Context, projectID int64) ([]coproduce.FourRs, error) {
	rows, err := s.db.Query(ctx, fourRsSelect+` WHERE m.project_id = $1 ORDER BY `+memberOrder, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.FourRs, error) { return scanFourRs(r) })
}

// FourRsFor returns one member's 4Rs; someone not in the project is
// ErrNotFound.
func (s *Store) FourRsFor(ctx context.Context, projectID, userID int64) (coproduce.FourRs, error) {
	return scanFourRs(s.db.QueryRow(ctx, fourRsSelect+` WHERE m.project_id = $1 AND m.user_id = $2`, projectID, userID))
}

// SaveFourRs writes a member's 4Rs, if unchanged since in.BaseVersion (0
// when none were written); else ErrStale. The member must acknowledge the
// new version.
func (s *Store) SaveFourRs(ctx context.Context, actorID, projectID, userID int64, in coproduce.FourRsInput, news ...coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := touchStage(ctx, tx, actorID, projectID, coproduce.StepUnderstand); err != nil {
			return err
		}
		before, err := scanFourRs(tx.QueryRow(ctx, fourRsSelect+` WHERE m.project_id = $1 AND m.user_id = $2 FOR UPDATE OF m`,
			projectID, userID))
		if err != nil {
			return err
		}
		if before.Version != in.BaseVersion {
			return coproduce.ErrStale
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO four_rs (project_id, user_id, role_text, remit, relationships, responsibility, written_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (project_id, user_id) DO UPDATE SET role_text = $3, remit = $4, relationships = $5,
				responsibility = $6, written_by = $7, version = four_rs.version + 1, updated_at = now()`,
			projectID, userID, in.Role, in.Remit, in.Relationships, in.Responsibility, actorID); err != nil {
			return translate(err)
		}
		if err := s.announce(ctx, tx, 0, news); err != nil {
			return err
		}
		var beforeAudit map[string]any
		if before.Written() {
			beforeAudit = fourRsAudit(before.Role, before.Remit, before.Relationships, before.Responsibility)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditFourRsUpdate, Subject: userSubject(userID),
			Before: beforeAudit, After: fourRsAudit(in.Role, in.Remit, in.Relationships, in.Responsibility)})
	})
}

func fourRsAudit(role, remit, relationships, responsibility string) map[string]any {
	return map[string]any{"role": role, "remit": remit, "relationships": relationships, "responsibility": responsibility}
}

// AcknowledgeFourRs records that a member agrees with version of their 4Rs.
// A version other than the current one is ErrStale.
func (s *Store) AcknowledgeFourRs(ctx context.Context, projectID, userID int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		by, how := recorder(ctx)
		tag, err := tx.Exec(ctx, `
			UPDATE four_rs SET acknowledged_version = version, acknowledged_at = now(), recorded_by = $4, recorded_how = $5
			WHERE project_id = $1 AND user_id = $2 AND version = $3
			  AND acknowledged_version IS DISTINCT FROM version`, projectID, userID, version, by, how)
		if err != nil {
			return err
		}
		if tag.RowsAffected() > 0 {
			if err := recordOnBehalf(ctx, tx, projectID, userID, "four_rs", userSubject(userID)); err != nil {
				return err
			}
		}
		if tag.RowsAffected() == 0 {
			f, err := scanFourRs(tx.QueryRow(ctx, fourRsSelect+` WHERE m.project_id = $1 AND m.user_id = $2`, projectID, userID))
			switch {
			case err != nil:
				return err
			case !f.Written():
				return coproduce.ErrNotFound
			case f.Version != version:
				return coproduce.ErrStale
			}
			return nil // already acknowledged
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: userID, ProjectID: projectID,
			Action: coproduce.AuditFourRsAcknowledge, Subject: userSubject(userID), After: map[string]any{"version": version}})
	})
}
