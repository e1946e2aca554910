package postgres

import (
	"context"

	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

const purposeColumns = `p.project_id, p.version, p.purpose, p.expectations, p.fixed, p.open_to_change,
	p.contributions_use, p.expenses_policy, p.purpose_cy, p.expectations_cy, p.fixed_cy, p.open_to_change_cy,
	p.contributions_use_cy, p.expenses_policy_cy, coalesce(u.name, ''), p.created_at`

func scanPurpose(row pgx.Row) (coproduce.Purpose, error) {
	var p coproduce.Purpose
	err := row.Scan(&p.ProjectID, &p.Version, &p.Purpose, &p.Expectations, &p.Fixed, &p.OpenToChange,
		&p.ContributionsUse, &p.ExpensesPolicy, &p.PurposeCy, &p.ExpectationsCy, &p.FixedCy, &p.OpenToChangeCy,
		&p.ContributionsUseCy, &p.ExpensesPolicyCy, &p.CreatedByName, &p.CreatedAt)
	return p, translate(err)
}

// CurrentPurpose returns the latest version of a project's purpose
// statement, or ErrNotFound when none has been written.
func (s *Store) CurrentPurpose(ctx context.Context, projectID int64) (coproduce.Purpose, error) {
	return scanPurpose(s.db.QueryRow(ctx, `
		SELECT `+purposeColumns+` FROM purpose_versions p LEFT JOIN users u ON u.id = p.created_by
		WHERE p.project_id = $1 ORDER BY p.version DESC LIMIT 1`, projectID))
}

// PurposeVersion returns one version of the purpose statement.
func (s *Store) PurposeVersion(ctx context.Context, projectID int64, version int) (coproduce.Purpose, error) {
	return scanPurpose(s.db.QueryRow(ctx, `
		SELECT `+purposeColumns+` FROM purpose_versions p LEFT JOIN users u ON u.id = p.created_by
		WHERE p.project_id = $1 AND p.version = $2`, projectID, version))
}

// PurposeVersions lists every version, newest first.
func (s *Store) PurposeVersions(ctx context.Context, projectID int64) ([]coproduce.Purpose, error) {
	rows, err := s.db.Query(ctx, `
		SELECT `+purposeColumns+` FROM purpose_versions p LEFT JOIN users u ON u.id = p.created_by
		WHERE p.project_id = $1 ORDER BY p.version DESC`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Purpose, error) { return scanPurpose(r) })
}

// CreatePurposeVersion saves a new version of the purpose statement. If a
// version newer than in.BaseVersion exists, someone else saved first:
// ErrStale.
func (s *Store) CreatePurposeVersion(ctx context.Context, actorID, projectID int64, in coproduce.PurposeInput, news ...coproduce.News) (int, error) {
	var version int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		v, _, err := onceForToken(ctx, tx, actorID, "purpose", in.FormToken, func() (int64, error) {
			v, err := s.insertPurposeVersion(ctx, tx, actorID, projectID, in)
			if err != nil {
				return 0, err
			}
			return int64(v), s.announce(ctx, tx, int64(v), news)
		})
		version = int(v)
		return err
	})
	return version, err
}

func (s *Store) insertPurposeVersion(ctx context.Context, tx pgx.Tx, actorID, projectID int64, in coproduce.PurposeInput) (int, error) {
	// Locking the stage serialises concurrent saves of the statement.
	if err := touchStage(ctx, tx, actorID, projectID, coproduce.StepBeClear); err != nil {
		return 0, err
	}
	var latest int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM purpose_versions WHERE project_id = $1`,
		projectID).Scan(&latest); err != nil {
		return 0, err
	}
	if latest != in.BaseVersion {
		return 0, coproduce.ErrStale
	}
	version := latest + 1
	if _, err := tx.Exec(ctx, `
		INSERT INTO purpose_versions (project_id, version, purpose, expectations, fixed, open_to_change,
			contributions_use, expenses_policy, purpose_cy, expectations_cy, fixed_cy, open_to_change_cy,
			contributions_use_cy, expenses_policy_cy, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		projectID, version, in.Purpose, in.Expectations, in.Fixed, in.OpenToChange,
		in.ContributionsUse, in.ExpensesPolicy, in.PurposeCy, in.ExpectationsCy, in.FixedCy, in.OpenToChangeCy,
		in.ContributionsUseCy, in.ExpensesPolicyCy, actorID); err != nil {
		return 0, translate(err)
	}
	after := purposeAudit(version, coproduce.Purpose{Purpose: in.Purpose, Expectations: in.Expectations,
		Fixed: in.Fixed, OpenToChange: in.OpenToChange, ContributionsUse: in.ContributionsUse,
		ExpensesPolicy: in.ExpensesPolicy, PurposeCy: in.PurposeCy, ExpectationsCy: in.ExpectationsCy,
		FixedCy: in.FixedCy, OpenToChangeCy: in.OpenToChangeCy, ContributionsUseCy: in.ContributionsUseCy,
		ExpensesPolicyCy: in.ExpensesPolicyCy})
	var before map[string]any
	if latest > 0 {
		prev, err := s.withDB(tx).PurposeVersion(ctx, projectID, latest)
		if err != nil {
			return 0, err
		}
		before = purposeAudit(prev.Version, prev)
	}
	return version, recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
		Action: coproduce.AuditPurposeVersion, Subject: "purpose:" + strconv.Itoa(version), Before: before, After: after})
}

// purposeAudit is a version of the statement as the history records it:
// each part by its field name, the Welsh ones only once written, so that
// an English-only history reads as it did.
func purposeAudit(version int, p coproduce.Purpose) map[string]any {
	out := map[string]any{"version": version}
	for _, f := range coproduce.PurposeFields {
		en, cy := p.Part(f)
		out[f] = en
		if cy != "" {
			out[f+"_cy"] = cy
		}
	}
	return out
}

// AcknowledgePurpose records that a member has read a version of the
// purpose statement. Only the current version can be acknowledged: an
// older one is ErrStale. Acknowledging twice changes nothing.
func (s *Store) AcknowledgePurpose(ctx context.Context, projectID, userID int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var latest int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM purpose_versions WHERE project_id = $1`,
			projectID).Scan(&latest); err != nil {
			return err
		}
		if latest == 0 {
			return coproduce.ErrNotFound
		}
		if version != latest {
			return coproduce.ErrStale
		}
		by, how := recorder(ctx)
		tag, err := tx.Exec(ctx, `
			INSERT INTO purpose_acknowledgements (project_id, version, user_id, recorded_by, recorded_how) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, projectID, version, userID, by, how)
		if err != nil || tag.RowsAffected() == 0 {
			return translate(err)
		}
		if err := recordOnBehalf(ctx, tx, projectID, userID, "purpose_read", "purpose:"+strconv.Itoa(version)); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: userID, ProjectID: projectID,
			Action: coproduce.AuditPurposeAcknowledge, Subject: "purpose:" + strconv.Itoa(version)})
	})
}

// PurposeAcknowledgements lists every member with when they acknowledged
// the current version (nil if they have not).
func (s *Store) PurposeAcknowledgements(ctx context.Context, projectID int64) ([]coproduce.Acknowledgement, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.user_id, u.name, m.role, a.acknowledged_at, coalesce(rb.name, ''), coalesce(a.recorded_how, '')
		FROM memberships m JOIN users u ON u.id = m.user_id
		LEFT JOIN purpose_acknowledgements a ON a.project_id = m.project_id AND a.user_id = m.user_id
			AND a.version = (SELECT max(version) FROM purpose_versions WHERE project_id = m.project_id)
		LEFT JOIN users rb ON rb.id = a.recorded_by
		WHERE m.project_id = $1
		ORDER BY `+memberOrder, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Acknowledgement, error) {
		var a coproduce.Acknowledgement
		err := r.Scan(&a.UserID, &a.Name, &a.Role, &a.AcknowledgedAt, &a.Recorded.ByName, &a.Recorded.How)
		if a.AcknowledgedAt != nil {
			a.Recorded.At = *a.AcknowledgedAt
		}
		return a, err
	})
}
