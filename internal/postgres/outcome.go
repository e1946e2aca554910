package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func outcomeSubject(id int64) string { return "outcome:" + strconv.FormatInt(id, 10) }

const outcomeSelect = `
	SELECT o.id, o.project_id, o.title, o.why, coalesce(o.proposed_by, 0), coalesce(pu.name, ''), coalesce(m.role, ''),
	       o.created_at, coalesce(o.decision, ''), o.reason, coalesce(du.name, ''), o.decided_at,
	       coalesce(o.measure, ''), o.unit, coalesce(o.baseline, 0)::float8, coalesce(o.target, 0)::float8,
	       o.withdrawn_at, coalesce(wu.name, ''), o.withdrawn_reason
	FROM outcomes o
	LEFT JOIN users pu ON pu.id = o.proposed_by
	LEFT JOIN users wu ON wu.id = o.withdrawn_by
	LEFT JOIN memberships m ON m.project_id = o.project_id AND m.user_id = o.proposed_by
	LEFT JOIN users du ON du.id = o.decided_by`

func scanOutcome(row pgx.Row) (coproduce.Outcome, error) {
	var o coproduce.Outcome
	var decidedAt, withdrawnAt *time.Time
	err := row.Scan(&o.ID, &o.ProjectID, &o.Title, &o.Why, &o.ProposedByID, &o.ProposedBy, &o.ProposerRole,
		&o.CreatedAt, &o.Decision, &o.Reason, &o.DecidedBy, &decidedAt, &o.Measure, &o.Unit, &o.Baseline, &o.Target,
		&withdrawnAt, &o.WithdrawnBy, &o.WithdrawnReason)
	if decidedAt != nil {
		o.DecidedAt = *decidedAt
	}
	if withdrawnAt != nil {
		o.Withdrawn, o.WithdrawnAt = true, *withdrawnAt
	}
	o.Tally = coproduce.NewTally()
	return o, translate(err)
}

// ProposeOutcome puts an outcome that matters to a member to the project.
// Only a member may (ErrForbidden otherwise); the same form sent twice
// makes one outcome.
func (s *Store) ProposeOutcome(ctx context.Context, authorID, projectID int64, in coproduce.OutcomeInput) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, _, err = onceForToken(ctx, tx, authorID, "outcome", in.FormToken, func() (int64, error) {
			var id int64
			err := tx.QueryRow(ctx, `
				INSERT INTO outcomes (project_id, proposed_by, title, why)
				SELECT project_id, user_id, $3, $4 FROM memberships WHERE project_id = $1 AND user_id = $2
				RETURNING id`, projectID, authorID, in.Title, in.Why).Scan(&id)
			if err := translate(err); isNotFound(err) {
				return 0, coproduce.ErrForbidden
			} else if err != nil {
				return 0, err
			}
			return id, recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: authorID, ProjectID: projectID,
				Action: coproduce.AuditOutcomePropose, Subject: outcomeSubject(id),
				After: map[string]any{"title": in.Title, "why": in.Why}})
		})
		return err
	})
	return id, err
}

// outcomeTalliesSQL counts the views of a project's outcomes by side.
const outcomeTalliesSQL = `
	SELECT v.outcome_id, v.lay, v.choice, count(*)
	FROM outcome_views v JOIN outcomes o ON o.id = v.outcome_id
	WHERE o.project_id = $1 GROUP BY 1, 2, 3`

// readingColumns are a reading's columns, from outcome_readings r.
const readingColumns = `r.id, r.taken_on, coalesce(r.value, 0)::float8, r.story, r.source, coalesce(u.name, '')`

func scanReading(row pgx.CollectableRow) (coproduce.Reading, error) {
	var r coproduce.Reading
	err := row.Scan(&r.ID, &r.TakenOn, &r.Value, &r.Story, &r.Source, &r.RecordedBy)
	return r, err
}

// addTallies counts tally rows into the outcomes they belong to.
func addTallies(rows pgx.Rows, byID map[int64]*coproduce.Outcome) error {
	var id int64
	var lay bool
	var choice coproduce.Choice
	var n int
	_, err := pgx.ForEachRow(rows, []any{&id, &lay, &choice, &n}, func() error {
		if o := byID[id]; o != nil {
			role := coproduce.RoleStaffPartner
			if lay {
				role = coproduce.RoleLayPartner
			}
			o.Tally.Add(role, choice, n)
		}
		return nil
	})
	return err
}

// Outcomes lists a project's outcomes in the order they were proposed,
// each with its views by side, how many readings it has and its newest.
// Two round trips: the list, then the rest in one batch.
func (s *Store) Outcomes(ctx context.Context, projectID int64) ([]coproduce.Outcome, error) {
	rows, err := s.db.Query(ctx, outcomeSelect+` WHERE o.project_id = $1 ORDER BY o.id`, projectID)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Outcome, error) { return scanOutcome(r) })
	if err != nil || len(list) == 0 {
		return list, err
	}
	byID := map[int64]*coproduce.Outcome{}
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	b := &pgx.Batch{}
	b.Queue(outcomeTalliesSQL, projectID).Query(func(rows pgx.Rows) error { return addTallies(rows, byID) })
	b.Queue(`
		SELECT DISTINCT ON (r.outcome_id) r.outcome_id, count(*) OVER (PARTITION BY r.outcome_id), `+readingColumns+`
		FROM outcome_readings r JOIN outcomes o ON o.id = r.outcome_id LEFT JOIN users u ON u.id = r.recorded_by
		WHERE o.project_id = $1 ORDER BY r.outcome_id, r.taken_on DESC, r.id DESC`, projectID).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var id int64
				var n int
				var r coproduce.Reading
				if err := rows.Scan(&id, &n, &r.ID, &r.TakenOn, &r.Value, &r.Story, &r.Source, &r.RecordedBy); err != nil {
					return err
				}
				if o := byID[id]; o != nil {
					o.ReadingCount, o.Latest = n, &r
				}
			}
			return rows.Err()
		})
	return list, s.db.SendBatch(ctx, b).Close()
}

// OutcomePage reads one of a project's outcomes for its page, in one
// round trip: the outcome, its views by side, its readings in date order
// (oldest first), its earlier wordings, the changes it led to and the
// viewer's own view ("" for none).
func (s *Store) OutcomePage(ctx context.Context, projectID, outcomeID, viewerID int64) (coproduce.Outcome, coproduce.Choice, error) {
	var o coproduce.Outcome
	var mine coproduce.Choice
	b := &pgx.Batch{}
	b.Queue(outcomeSelect+` WHERE o.project_id = $1 AND o.id = $2`, projectID, outcomeID).
		QueryRow(func(row pgx.Row) (err error) {
			o, err = scanOutcome(row)
			return err
		})
	b.Queue(`SELECT outcome_id, lay, choice, count(*) FROM outcome_views WHERE outcome_id = $1 GROUP BY 1, 2, 3`, outcomeID).
		Query(func(rows pgx.Rows) error { return addTallies(rows, map[int64]*coproduce.Outcome{outcomeID: &o}) })
	b.Queue(`SELECT `+readingColumns+` FROM outcome_readings r LEFT JOIN users u ON u.id = r.recorded_by
		WHERE r.outcome_id = $1 ORDER BY r.taken_on, r.id`, outcomeID).
		Query(func(rows pgx.Rows) (err error) {
			o.Readings, err = pgx.CollectRows(rows, scanReading)
			return err
		})
	b.Queue(`SELECT w.title, w.why, coalesce(u.name, ''), w.changed_at FROM outcome_wordings w
		LEFT JOIN users u ON u.id = w.changed_by WHERE w.outcome_id = $1 ORDER BY w.id`, outcomeID).
		Query(func(rows pgx.Rows) (err error) {
			o.Wordings, err = pgx.CollectRows(rows, pgx.RowToStructByPos[coproduce.OutcomeWording])
			return err
		})
	queueOutcomeImpact(b, outcomeID, &o)
	b.Queue(`SELECT choice FROM outcome_views WHERE outcome_id = $1 AND user_id = $2`, outcomeID, viewerID).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				if err := rows.Scan(&mine); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return o, "", err
	}
	// The batch's later reads ran whatever the first found; they are
	// someone else's only if the outcome is not this project's, which
	// the first read has already refused.
	o.ReadingCount = len(o.Readings)
	return o, mine, nil
}

// outcomeWithdrawn is what lockOutcome gives as the answer of a withdrawn
// outcome: not "", so that everything that needs an open outcome (a view,
// an answer, a change) refuses it, and not agreed, so that nothing that
// needs an agreed one takes it either.
const outcomeWithdrawn coproduce.OutcomeDecision = "withdrawn"

// lockOutcome locks one of a project's outcomes and returns its answer
// (outcomeWithdrawn for a withdrawn one) and measure ("" for none);
// another project's is ErrNotFound.
func lockOutcome(ctx context.Context, tx pgx.Tx, projectID, outcomeID int64) (decision coproduce.OutcomeDecision, measure coproduce.Measure, err error) {
	err = tx.QueryRow(ctx, `
		SELECT CASE WHEN withdrawn_at IS NOT NULL THEN $3 ELSE coalesce(decision, '') END, coalesce(measure, '')
		FROM outcomes WHERE project_id = $1 AND id = $2 FOR UPDATE`,
		projectID, outcomeID, outcomeWithdrawn).Scan(&decision, &measure)
	return decision, measure, translate(err)
}

// SetOutcomeView records or changes a member's view of an outcome that
// waits for an answer. One view per person (the table's key); a
// non-member is ErrForbidden; an answered outcome is ErrStale.
func (s *Store) SetOutcomeView(ctx context.Context, projectID, outcomeID, userID int64, c coproduce.Choice) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		decision, _, err := lockOutcome(ctx, tx, projectID, outcomeID)
		if err != nil {
			return err
		}
		if decision != "" {
			return coproduce.ErrStale
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO outcome_views (outcome_id, user_id, choice, lay)
			SELECT $1, user_id, $3, role = 'lay_partner' FROM memberships WHERE project_id = $4 AND user_id = $2
			ON CONFLICT (outcome_id, user_id) DO UPDATE SET choice = EXCLUDED.choice, lay = EXCLUDED.lay, updated_at = now()`,
			outcomeID, userID, c, projectID)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			return coproduce.ErrForbidden
		}
		return nil
	})
}

// isLead reports whether a person is a lead of the project by their role
// in it.
func isLead(ctx context.Context, tx pgx.Tx, projectID, userID int64) (bool, error) {
	var lead bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM memberships WHERE project_id = $1 AND user_id = $2 AND role = 'lead')`,
		projectID, userID).Scan(&lead)
	return lead, err
}

// DecideOutcome gives a proposed outcome a lead's answer, with its
// reason (the table refuses an answer without one). Only a lead of the
// project may (ErrForbidden); an outcome already answered is ErrStale.
func (s *Store) DecideOutcome(ctx context.Context, actorID, projectID, outcomeID int64, in coproduce.OutcomeDecisionInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if lead, err := isLead(ctx, tx, projectID, actorID); err != nil {
			return err
		} else if !lead {
			return coproduce.ErrForbidden
		}
		decision, _, err := lockOutcome(ctx, tx, projectID, outcomeID)
		if err != nil {
			return err
		}
		if decision != "" {
			return coproduce.ErrStale
		}
		if _, err := tx.Exec(ctx, `
			UPDATE outcomes SET decision = $2, reason = $3, decided_by = $4, decided_at = now() WHERE id = $1`,
			outcomeID, in.Decision, in.Reason, actorID); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditOutcomeDecide, Subject: outcomeSubject(outcomeID),
			After: map[string]any{"decision": in.Decision, "reason": in.Reason}})
	})
}

// mayChangeOutcome reports whether a person may change or withdraw an
// outcome: its proposer while still a member, or a lead or facilitator.
func mayChangeOutcome(ctx context.Context, tx pgx.Tx, projectID, outcomeID, userID int64) (bool, error) {
	var ok bool
	err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM memberships m JOIN outcomes o ON o.project_id = m.project_id
		               WHERE m.project_id = $1 AND o.id = $2 AND m.user_id = $3
		                 AND (m.role IN ('lead', 'facilitator') OR o.proposed_by = m.user_id))`,
		projectID, outcomeID, userID).Scan(&ok)
	return ok, err
}

// lockOpenOutcome locks an outcome that is to be changed or withdrawn:
// another project's is ErrNotFound, one answered or withdrawn ErrStale,
// and someone other than its proposer, a lead or a facilitator
// ErrForbidden.
func lockOpenOutcome(ctx context.Context, tx pgx.Tx, actorID, projectID, outcomeID int64) error {
	decision, _, err := lockOutcome(ctx, tx, projectID, outcomeID)
	if err != nil {
		return err
	}
	if ok, err := mayChangeOutcome(ctx, tx, projectID, outcomeID, actorID); err != nil {
		return err
	} else if !ok {
		return coproduce.ErrForbidden
	}
	if decision != "" {
		return coproduce.ErrStale
	}
	return nil
}

// ChangeOutcome changes the wording of an outcome that waits for an
// answer, keeping the wording it had. The same wording again changes
// nothing.
func (s *Store) ChangeOutcome(ctx context.Context, actorID, projectID, outcomeID int64, in coproduce.OutcomeInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockOpenOutcome(ctx, tx, actorID, projectID, outcomeID); err != nil {
			return err
		}
		var title, why string
		err := tx.QueryRow(ctx, `
			INSERT INTO outcome_wordings (outcome_id, title, why, changed_by)
			SELECT id, title, why, $2 FROM outcomes WHERE id = $1 AND (title, why) IS DISTINCT FROM ($3::text, $4::text)
			RETURNING title, why`, outcomeID, actorID, in.Title, in.Why).Scan(&title, &why)
		if err = translate(err); isNotFound(err) {
			return nil // the same wording: nothing to keep
		} else if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE outcomes SET title = $2, why = $3 WHERE id = $1`, outcomeID, in.Title, in.Why); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditOutcomeChange, Subject: outcomeSubject(outcomeID),
			Before: map[string]any{"title": title, "why": why}, After: map[string]any{"title": in.Title, "why": in.Why}})
	})
}

// WithdrawOutcome withdraws an outcome that waits for an answer, with the
// reason given (which may be empty). It stays, marked as withdrawn.
func (s *Store) WithdrawOutcome(ctx context.Context, actorID, projectID, outcomeID int64, reason string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockOpenOutcome(ctx, tx, actorID, projectID, outcomeID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE outcomes SET withdrawn_at = now(), withdrawn_by = $2, withdrawn_reason = $3 WHERE id = $1`,
			outcomeID, actorID, reason); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditOutcomeWithdraw, Subject: outcomeSubject(outcomeID),
			Before: map[string]any{"status": "proposed"}, After: map[string]any{"status": "withdrawn", "reason": reason}})
	})
}

// nullFigure is a figure for the database: none for stories.
func nullFigure(m coproduce.Measure, f float64) *float64 {
	if !m.Figures() {
		return nil
	}
	return &f
}

// SetOutcomeMeasure says how an agreed outcome is measured, with its
// baseline and target. How it is measured cannot change once it has
// readings (ErrMeasureInUse); the unit, baseline and target can. An
// outcome not agreed is ErrStale.
func (s *Store) SetOutcomeMeasure(ctx context.Context, actorID, projectID, outcomeID int64, v coproduce.MeasureValues) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		decision, was, err := lockOutcome(ctx, tx, projectID, outcomeID)
		if err != nil {
			return err
		}
		if decision != coproduce.OutcomeAgreed {
			return coproduce.ErrStale
		}
		if was != "" && was != v.Measure {
			var readings bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM outcome_readings WHERE outcome_id = $1)`, outcomeID).
				Scan(&readings); err != nil {
				return err
			}
			if readings {
				return coproduce.ErrMeasureInUse
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE outcomes SET measure = $2, unit = $3, baseline = $4, target = $5 WHERE id = $1`,
			outcomeID, v.Measure, v.Unit, nullFigure(v.Measure, v.Baseline), nullFigure(v.Measure, v.Target)); err != nil {
			return translate(err)
		}
		after := map[string]any{"measure": v.Measure, "unit": v.Unit}
		if v.Measure.Figures() {
			after["baseline"], after["target"] = v.Baseline, v.Target
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditOutcomeMeasure, Subject: outcomeSubject(outcomeID), After: after})
	})
}

// AddReading adds a dated reading to an agreed outcome measured by m, as
// a member records it. An outcome whose measure is no longer m (changed
// since the form was drawn) is ErrStale; a non-member is ErrForbidden.
func (s *Store) AddReading(ctx context.Context, actorID, projectID, outcomeID int64, m coproduce.Measure, v coproduce.ReadingValues) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		decision, measure, err := lockOutcome(ctx, tx, projectID, outcomeID)
		if err != nil {
			return err
		}
		if decision != coproduce.OutcomeAgreed || measure != m || m == "" {
			return coproduce.ErrStale
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO outcome_readings (outcome_id, taken_on, value, story, source, recorded_by)
			SELECT $1, $2, $3, $4, $5, user_id FROM memberships WHERE project_id = $6 AND user_id = $7
			RETURNING id`, outcomeID, v.TakenOn, nullFigure(m, v.Value), v.Story, v.Source, projectID, actorID).Scan(&id)
		if err := translate(err); isNotFound(err) {
			return coproduce.ErrForbidden
		} else if err != nil {
			return err
		}
		after := map[string]any{"taken_on": v.TakenOn.Format(time.DateOnly), "source": v.Source}
		if m.Figures() {
			after["value"] = v.Value
		} else {
			after["story"] = v.Story
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditOutcomeReading, Subject: outcomeSubject(outcomeID), After: after})
	})
	return id, err
}

// evaluateData adds to a person's data download what they gave the
// Evaluate section: outcomes suggested, views, readings and readiness
// notes.
func evaluateData(ctx context.Context, tx pgx.Tx, userID int64, d *coproduce.PersonalData) error {
	var err error
	if d.Outcomes, err = collect(ctx, tx, `
		SELECT p.title, o.title, o.why, o.created_at FROM outcomes o JOIN projects p ON p.id = o.project_id
		WHERE o.proposed_by = $1 ORDER BY o.created_at`, userID, func(r pgx.Row, x *coproduce.DataText) error {
		return r.Scan(&x.Project, &x.Title, &x.Text, &x.CreatedAt)
	}); err != nil {
		return err
	}
	if d.OutcomeViews, err = collect(ctx, tx, `
		SELECT p.title, o.title, v.choice, '' FROM outcome_views v JOIN outcomes o ON o.id = v.outcome_id
		JOIN projects p ON p.id = o.project_id WHERE v.user_id = $1 ORDER BY v.updated_at`,
		userID, func(r pgx.Row, x *coproduce.DataVote) error {
			return r.Scan(&x.Project, &x.Proposal, &x.Choice, &x.Reason)
		}); err != nil {
		return err
	}
	if d.Readings, err = collect(ctx, tx, `
		SELECT p.title, o.title,
		       CASE WHEN r.value IS NULL THEN r.story ELSE r.value::text END || ' (' || r.source || ', ' || r.taken_on || ')',
		       r.created_at
		FROM outcome_readings r JOIN outcomes o ON o.id = r.outcome_id JOIN projects p ON p.id = o.project_id
		WHERE r.recorded_by = $1 ORDER BY r.created_at`, userID, func(r pgx.Row, x *coproduce.DataText) error {
		return r.Scan(&x.Project, &x.Title, &x.Text, &x.CreatedAt)
	}); err != nil {
		return err
	}
	d.Readiness, err = collect(ctx, tx, `
		SELECT p.title, a.statement, a.note, c.answered_at
		FROM readiness_answers a JOIN readiness_checks c ON c.id = a.check_id JOIN projects p ON p.id = c.project_id
		WHERE c.answered_by = $1 AND a.note <> '' ORDER BY c.answered_at, a.statement`,
		userID, func(r pgx.Row, x *coproduce.DataText) error {
			return r.Scan(&x.Project, &x.Title, &x.Text, &x.CreatedAt)
		})
	return err
}
