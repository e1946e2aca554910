package postgres

import (
	"context"
	"crypto/rand"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// The demo's story begins weeks before it is loaded. These methods set the
// few things that a story told in a few milliseconds cannot: only the demo
// uses them.

// RecordGroupInvitation records that a member came into the project from
// one of its identified groups, through an invitation they accepted on the
// day they joined, so that step 2's coverage counts them. No email is
// written: the demo's invitations were answered long ago. Like a real
// invitation, it moves step 2 on.
func (s *Store) RecordGroupInvitation(ctx context.Context, actorID, projectID, groupID, userID int64) error {
	token := make([]byte, 32)
	if _, err := rand.Read(token); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		var role coproduce.ProjectRole
		err := tx.QueryRow(ctx, `
			INSERT INTO invitations (project_id, name, email, group_id, role, token_hash, status, expires_at,
				created_by, created_at, responded_at, accepted_user_id)
			SELECT m.project_id, u.name, u.email, g.id, m.role, $5, 'accepted', m.created_at,
				$4, m.created_at, m.created_at, u.id
			FROM memberships m JOIN users u ON u.id = m.user_id
			JOIN stakeholder_groups g ON g.project_id = m.project_id AND g.id = $2
			WHERE m.project_id = $1 AND m.user_id = $3
			RETURNING id, role`, projectID, groupID, userID, actorID, HashToken(string(token))).Scan(&id, &role)
		if err != nil {
			return translate(err)
		}
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: userID, ProjectID: projectID,
			Action: coproduce.AuditInvitationAccept, Subject: invitationSubject(id),
			After: map[string]any{"role": role}}); err != nil {
			return err
		}
		return touchStage(ctx, tx, actorID, projectID, coproduce.StepSelect)
	})
}

// BackdateProposal moves the day an idea was put forward back by days, so
// that the demo has an idea nearing the 28 days within which every idea is
// answered.
func (s *Store) BackdateProposal(ctx context.Context, projectID, proposalID int64, days int) error {
	tag, err := s.db.Exec(ctx, `
		UPDATE proposals SET created_at = created_at - make_interval(days => $3) WHERE project_id = $1 AND id = $2`,
		projectID, proposalID, days)
	if err == nil && tag.RowsAffected() == 0 {
		err = coproduce.ErrNotFound
	}
	return err
}

// BackdateSignOffs moves the day a step's sign-offs were given back by
// days.
func (s *Store) BackdateSignOffs(ctx context.Context, projectID int64, step coproduce.Step, days int) error {
	_, err := s.db.Exec(ctx, `
		UPDATE stage_sign_offs SET signed_at = signed_at - make_interval(days => $3) WHERE project_id = $1 AND step = $2`,
		projectID, step, days)
	return err
}

// BackdatePurposeVersion moves the day a version of the purpose statement
// was written, and the days members confirmed reading it, back by days.
func (s *Store) BackdatePurposeVersion(ctx context.Context, projectID int64, version, days int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			UPDATE purpose_versions SET created_at = created_at - make_interval(days => $3)
			WHERE project_id = $1 AND version = $2`, projectID, version, days); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			UPDATE purpose_acknowledgements SET acknowledged_at = acknowledged_at - make_interval(days => $3)
			WHERE project_id = $1 AND version = $2`, projectID, version, days)
		return err
	})
}
