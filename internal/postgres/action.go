package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// AddAction links an action to an adopted or adapted proposal; any other
// proposal is ErrForbidden.
func (s *Store) AddAction(ctx context.Context, actorID, projectID, proposalID int64, in coproduce.ActionInput, due time.Time) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := s.addAction(ctx, tx, actorID, projectID, proposalID, in, due)
		return err
	})
}

// addAction is AddAction inside the caller's transaction; it returns the
// action's id (the first one's, for a form sent twice).
func (s *Store) addAction(ctx context.Context, tx pgx.Tx, actorID, projectID, proposalID int64, in coproduce.ActionInput, due time.Time) (int64, error) {
	p, err := s.withDB(tx).Proposal(ctx, projectID, proposalID)
	if err != nil {
		return 0, err
	}
	if p.Response != coproduce.Adopted && p.Response != coproduce.Adapted {
		return 0, coproduce.ErrForbidden
	}
	id, _, err := onceForToken(ctx, tx, actorID, "action", in.FormToken, func() (int64, error) {
		var id int64
		if err := tx.QueryRow(ctx, `
				INSERT INTO action_items (proposal_id, description, owner, due_on, status) VALUES ($1, $2, $3, $4, $5)
				RETURNING id`, proposalID, in.Description, in.Owner, due, in.Status).Scan(&id); err != nil {
			return 0, translate(err)
		}
		return id, recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditActionAdd, Subject: "action:" + strconv.FormatInt(id, 10),
			After: map[string]any{"proposal_id": proposalID, "description": in.Description, "owner": in.Owner,
				"due_on": in.DueOn, "status": in.Status}})
	})
	return id, err
}

// SetActionStatus moves an action on.
func (s *Store) SetActionStatus(ctx context.Context, actorID, projectID, actionID int64, status coproduce.ActionStatus, news ...coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var before coproduce.ActionStatus
		err := tx.QueryRow(ctx, `
			SELECT a.status FROM action_items a JOIN proposals p ON p.id = a.proposal_id
			WHERE p.project_id = $1 AND a.id = $2 FOR UPDATE OF a`, projectID, actionID).Scan(&before)
		if err != nil {
			return translate(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE action_items SET status = $2 WHERE id = $1`, actionID, status); err != nil {
			return err
		}
		if before != status {
			if err := s.announce(ctx, tx, actionID, news); err != nil {
				return err
			}
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditActionStatus, Subject: "action:" + strconv.FormatInt(actionID, 10),
			Before: map[string]any{"status": before}, After: map[string]any{"status": status}})
	})
}

// Actions returns a project's actions by proposal.
func (s *Store) Actions(ctx context.Context, projectID int64) (map[int64][]coproduce.Action, error) {
	rows, err := s.db.Query(ctx, projectActionsSQL, projectID)
	if err != nil {
		return nil, err
	}
	return scanActions(rows)
}

// actionsSelect reads actions; a project's or one idea's are filtered
// apart, not by an optional "$2 = 0 OR" filter: with one plan for every
// call (force_generic_plan) that filter could not use the idea's index,
// and one idea's page read all the project's actions.
const actionsSelect = `
	SELECT a.id, a.proposal_id, a.description, a.owner, a.due_on, a.status
	FROM action_items a JOIN proposals p ON p.id = a.proposal_id`

const actionsOrder = ` ORDER BY a.due_on, a.id`

const (
	projectActionsSQL = actionsSelect + ` WHERE p.project_id = $1` + actionsOrder
	ideaActionsSQL    = actionsSelect + ` WHERE p.project_id = $1 AND a.proposal_id = $2` + actionsOrder
)

func scanActions(rows pgx.Rows) (map[int64][]coproduce.Action, error) {
	defer rows.Close()
	out := map[int64][]coproduce.Action{}
	for rows.Next() {
		var a coproduce.Action
		if err := rows.Scan(&a.ID, &a.ProposalID, &a.Description, &a.Owner, &a.DueOn, &a.Status); err != nil {
			return nil, err
		}
		out[a.ProposalID] = append(out[a.ProposalID], a)
	}
	return out, rows.Err()
}

// AcknowledgeAgreement records that a member has read the working
// agreement as it stands now.
func (s *Store) AcknowledgeAgreement(ctx context.Context, projectID, userID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO agreement_acknowledgements (project_id, user_id) VALUES ($1, $2)
			ON CONFLICT (project_id, user_id) DO UPDATE SET acknowledged_at = now()`, projectID, userID); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: userID, ProjectID: projectID,
			Action: coproduce.AuditAgreementAcknowledge, Subject: userSubject(userID)})
	})
}

// AgreementAcknowledged reports whether a member has acknowledged the
// working agreement since its latest rule was adopted.
func (s *Store) AgreementAcknowledged(ctx context.Context, projectID, userID int64) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `
		SELECT coalesce((SELECT a.acknowledged_at >= coalesce((
			SELECT max(responded_at) FROM proposals
			WHERE project_id = $1 AND ground_rule AND response IN ('adopted', 'adapted')), '-infinity')
		FROM agreement_acknowledgements a WHERE a.project_id = $1 AND a.user_id = $2), false)`,
		projectID, userID).Scan(&ok)
	return ok, err
}
