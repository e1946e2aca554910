package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

const stageColumns = `project_id, step, status, provisional, notes, version, updated_at`

func scanStage(row pgx.Row) (coproduce.Stage, error) {
	var st coproduce.Stage
	err := row.Scan(&st.ProjectID, &st.Step, &st.Status, &st.Provisional, &st.Notes, &st.Version, &st.UpdatedAt)
	return st, translate(err)
}

// Stages returns a project's seven stage records in step order, each with
// its sign-offs.
func (s *Store) Stages(ctx context.Context, projectID int64) ([]coproduce.Stage, error) {
	rows, err := s.db.Query(ctx, `SELECT `+stageColumns+` FROM stages WHERE project_id = $1 ORDER BY step`, projectID)
	if err != nil {
		return nil, err
	}
	stages, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Stage, error) { return scanStage(r) })
	if err != nil {
		return nil, err
	}
	signOffs, err := s.signOffs(ctx, projectID, 0)
	if err != nil {
		return nil, err
	}
	for i := range stages {
		stages[i].SignOffs = signOffs[stages[i].Step]
	}
	return stages, nil
}

// Stage returns one stage record with its sign-offs.
func (s *Store) Stage(ctx context.Context, projectID int64, step coproduce.Step) (coproduce.Stage, error) {
	st, err := scanStage(s.db.QueryRow(ctx,
		`SELECT `+stageColumns+` FROM stages WHERE project_id = $1 AND step = $2`, projectID, step))
	if err != nil {
		return st, err
	}
	signOffs, err := s.signOffs(ctx, projectID, step)
	st.SignOffs = signOffs[step]
	return st, err
}

// signOffs returns sign-offs by step, for one step or (step 0) all.
func (s *Store) signOffs(ctx context.Context, projectID int64, step coproduce.Step) (map[coproduce.Step][]coproduce.SignOff, error) {
	rows, err := s.db.Query(ctx, signOffsSQL, projectID, step)
	if err != nil {
		return nil, err
	}
	return scanSignOffs(rows)
}

const signOffsSQL = `
	SELECT so.step, so.user_id, u.name, so.role, so.signed_at,
	       coalesce(m.invited_by, 0), coalesce(iu.name, ''), m.created_at,
	       coalesce(rb.name, ''), coalesce(so.recorded_how, '')
	FROM stage_sign_offs so JOIN users u ON u.id = so.user_id
	LEFT JOIN users rb ON rb.id = so.recorded_by
	LEFT JOIN memberships m ON m.project_id = so.project_id AND m.user_id = so.user_id
	LEFT JOIN users iu ON iu.id = m.invited_by
	WHERE so.project_id = $1 AND ($2 = 0 OR so.step = $2)
	ORDER BY so.signed_at`

func scanSignOffs(rows pgx.Rows) (map[coproduce.Step][]coproduce.SignOff, error) {
	defer rows.Close()
	out := map[coproduce.Step][]coproduce.SignOff{}
	for rows.Next() {
		var st coproduce.Step
		var so coproduce.SignOff
		if err := rows.Scan(&st, &so.UserID, &so.Name, &so.Role, &so.SignedAt, &so.InvitedByID, &so.InvitedBy, &so.JoinedAt,
			&so.Recorded.ByName, &so.Recorded.How); err != nil {
			return nil, err
		}
		so.Recorded.At = so.SignedAt
		out[st] = append(out[st], so)
	}
	return out, rows.Err()
}

func stageSubject(step coproduce.Step) string { return "step:" + step.Slug() }

// lockStage reads a stage record for update, so that changes to one step
// are made one at a time.
func lockStage(ctx context.Context, tx pgx.Tx, projectID int64, step coproduce.Step) (coproduce.Stage, error) {
	return scanStage(tx.QueryRow(ctx,
		`SELECT `+stageColumns+` FROM stages WHERE project_id = $1 AND step = $2 FOR UPDATE`, projectID, step))
}

// touchStage is called whenever a step's data changes. A step not yet
// started moves to in progress; a complete step goes back to in progress
// and loses its sign-offs, because what was signed off has changed.
func touchStage(ctx context.Context, tx pgx.Tx, actorID, projectID int64, step coproduce.Step) error {
	st, err := lockStage(ctx, tx, projectID, step)
	if err != nil {
		return err
	}
	switch st.Status {
	case coproduce.StageInProgress:
		return nil
	case coproduce.StageComplete:
		return reopenStage(ctx, tx, actorID, st, coproduce.AuditStageReset)
	}
	return setStatus(ctx, tx, actorID, st, coproduce.StageInProgress)
}

func setStatus(ctx context.Context, tx pgx.Tx, actorID int64, st coproduce.Stage, to coproduce.StageStatus) error {
	if _, err := tx.Exec(ctx, `
		UPDATE stages SET status = $3, provisional = false, version = version + 1, updated_at = now()
		WHERE project_id = $1 AND step = $2`, st.ProjectID, st.Step, to); err != nil {
		return err
	}
	return recordAudit(ctx, tx, coproduce.AuditEvent{
		ActorID: actorID, ProjectID: st.ProjectID, Action: coproduce.AuditStageStatus, Subject: stageSubject(st.Step),
		Before: map[string]any{"status": st.Status}, After: map[string]any{"status": to},
	})
}

// reopenStage returns a complete step to in progress and clears its
// sign-offs.
func reopenStage(ctx context.Context, tx pgx.Tx, actorID int64, st coproduce.Stage, action string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM stage_sign_offs WHERE project_id = $1 AND step = $2`, st.ProjectID, st.Step); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		UPDATE stages SET status = 'in_progress', provisional = false, version = version + 1, updated_at = now()
		WHERE project_id = $1 AND step = $2`, st.ProjectID, st.Step); err != nil {
		return err
	}
	return recordAudit(ctx, tx, coproduce.AuditEvent{
		ActorID: actorID, ProjectID: st.ProjectID, Action: action, Subject: stageSubject(st.Step),
		Before: map[string]any{"status": st.Status, "sign_offs": len(st.SignOffs)},
		After:  map[string]any{"status": coproduce.StageInProgress, "sign_offs": 0},
	})
}

// SetStageStatus moves a step between not started and in progress, or
// reopens a complete step (clearing its sign-offs). baseVersion is the
// stage version the person saw; if it changed since, ErrStale.
func (s *Store) SetStageStatus(ctx context.Context, actorID, projectID int64, step coproduce.Step, to coproduce.StageStatus, baseVersion int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		st, err := lockStage(ctx, tx, projectID, step)
		if err != nil {
			return err
		}
		signOffs, err := s.withDB(tx).signOffs(ctx, projectID, step)
		if err != nil {
			return err
		}
		st.SignOffs = signOffs[step]
		if st.Version != baseVersion {
			return coproduce.ErrStale
		}
		switch {
		case st.Status == to:
			return nil
		case st.Status == coproduce.StageComplete && to == coproduce.StageInProgress:
			return reopenStage(ctx, tx, actorID, st, coproduce.AuditStageStatus)
		case st.Status != coproduce.StageComplete && to != coproduce.StageComplete:
			if to == coproduce.StageNotStarted {
				// Going back to not started forgets any sign-off given.
				if _, err := tx.Exec(ctx, `DELETE FROM stage_sign_offs WHERE project_id = $1 AND step = $2`, projectID, step); err != nil {
					return err
				}
			}
			return setStatus(ctx, tx, actorID, st, to)
		}
		return coproduce.ErrForbidden // complete only by signing off
	})
}

// UpdateStageNotes saves a step's notes if nobody changed them since the
// editor loaded version in.BaseVersion.
func (s *Store) UpdateStageNotes(ctx context.Context, actorID, projectID int64, step coproduce.Step, in coproduce.NotesInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		st, err := lockStage(ctx, tx, projectID, step)
		if err != nil {
			return err
		}
		if st.Version != in.BaseVersion {
			return coproduce.ErrStale
		}
		if st.Notes == in.Notes {
			return nil
		}
		if _, err := tx.Exec(ctx, `
			UPDATE stages SET notes = $3, version = version + 1, updated_at = now()
			WHERE project_id = $1 AND step = $2`, projectID, step, in.Notes); err != nil {
			return err
		}
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{
			ActorID: actorID, ProjectID: projectID, Action: coproduce.AuditStageNotes, Subject: stageSubject(step),
			Before: map[string]any{"notes": st.Notes}, After: map[string]any{"notes": in.Notes},
		}); err != nil {
			return err
		}
		return touchStage(ctx, tx, actorID, projectID, step)
	})
}

// SignOffStage records a lead's or lay partner's sign-off and completes the
// step when it has both. A lead signing while the project has no lay
// partner completes it provisionally, to be co-signed later.
//
// news tells whoever must still sign: it is written only while the step
// waits for them.
func (s *Store) SignOffStage(ctx context.Context, a coproduce.Access, projectID int64, step coproduce.Step, news ...coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		st, err := lockStage(ctx, tx, projectID, step)
		if err != nil {
			return err
		}
		signOffs, err := s.withDB(tx).signOffs(ctx, projectID, step)
		if err != nil {
			return err
		}
		st.SignOffs = signOffs[step]
		if !st.CanSignOff(a) {
			return coproduce.ErrForbidden
		}
		if step == coproduce.StepBeClear && a.Role == coproduce.RoleLayPartner {
			// A lay partner agrees to the purpose statement by signing:
			// they must have read the version that stands now.
			var read bool
			if err := tx.QueryRow(ctx, `
				SELECT EXISTS (
					SELECT 1 FROM purpose_acknowledgements a
					WHERE a.project_id = $1 AND a.user_id = $2 AND a.acknowledged_at IS NOT NULL
					  AND a.version = (SELECT max(version) FROM purpose_versions WHERE project_id = $1))`,
				projectID, a.User.ID).Scan(&read); err != nil {
				return err
			}
			if !read {
				return coproduce.ErrPurposeNotRead
			}
		}
		by, how := recorder(ctx)
		if _, err := tx.Exec(ctx, `
			INSERT INTO stage_sign_offs (project_id, step, user_id, role, recorded_by, recorded_how) VALUES ($1, $2, $3, $4, $5, $6)`,
			projectID, step, a.User.ID, a.Role, by, how); err != nil {
			return translate(err)
		}
		if err := recordOnBehalf(ctx, tx, projectID, a.User.ID, "sign_off", "step:"+step.Slug()); err != nil {
			return err
		}
		st.SignOffs = append(st.SignOffs, coproduce.SignOff{UserID: a.User.ID, Role: a.Role})
		status, provisional := st.Status, st.Provisional
		switch {
		case st.HasSignOff(coproduce.RoleLead) && st.HasSignOff(coproduce.RoleLayPartner):
			status, provisional = coproduce.StageComplete, false
		case st.HasSignOff(coproduce.RoleLead):
			var anyLay bool
			if err := tx.QueryRow(ctx, `
				SELECT EXISTS (SELECT 1 FROM memberships WHERE project_id = $1 AND role = 'lay_partner')`,
				projectID).Scan(&anyLay); err != nil {
				return err
			}
			if !anyLay {
				status, provisional = coproduce.StageComplete, true
			}
		}
		if _, err := tx.Exec(ctx, `
			UPDATE stages SET status = $3, provisional = $4, version = version + 1, updated_at = now()
			WHERE project_id = $1 AND step = $2`, projectID, step, status, provisional); err != nil {
			return err
		}
		if status != coproduce.StageComplete || provisional {
			if err := s.announce(ctx, tx, 0, news); err != nil {
				return err
			}
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{
			ActorID: a.User.ID, ProjectID: projectID, Action: coproduce.AuditStageSignOff, Subject: stageSubject(step),
			Before: map[string]any{"status": st.Status, "provisional": st.Provisional},
			After:  map[string]any{"status": status, "provisional": provisional, "role": a.Role},
		})
	})
}

// withDB returns a store over another connection, such as the transaction
// in hand, so its read helpers can be used inside it.
func (s *Store) withDB(db DBTX) *Store { return &Store{db: db, mail: s.mail} }
