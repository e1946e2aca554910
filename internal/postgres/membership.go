package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// ProjectRoleOf returns the user's role in the project, or "" when they are
// not a member.
func (s *Store) ProjectRoleOf(ctx context.Context, projectID, userID int64) (coproduce.ProjectRole, error) {
	var role coproduce.ProjectRole
	err := s.db.QueryRow(ctx,
		`SELECT role FROM memberships WHERE project_id = $1 AND user_id = $2`, projectID, userID).Scan(&role)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return role, err
}

// AddMember adds a person to a project with a role, for the demonstration
// data and tests: people join through invitations they accept (a lead's
// "add" from the members page sends one). A person already in the project
// is ErrConflict. The change is audited.
func (s *Store) AddMember(ctx context.Context, actorID, projectID, userID int64, role coproduce.ProjectRole) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx,
			`INSERT INTO memberships (project_id, user_id, role, invited_by) VALUES ($1, $2, $3, $4)`,
			projectID, userID, role, actorID); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{
			ActorID: actorID, ProjectID: projectID, Action: coproduce.AuditMembershipAdd,
			Subject: userSubject(userID), After: map[string]any{"role": role},
		})
	})
}

// BackdateMemberships moves the day every member of a project joined back
// by days. Only the demo uses it: its story begins weeks before it is
// loaded, and a partner who joined on the day they co-signed a step is
// flagged.
func (s *Store) BackdateMemberships(ctx context.Context, projectID int64, days int) error {
	_, err := s.db.Exec(ctx,
		`UPDATE memberships SET created_at = created_at - make_interval(days => $2) WHERE project_id = $1`,
		projectID, days)
	return err
}

func (s *Store) Members(ctx context.Context, projectID int64) ([]coproduce.Member, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.project_id, m.user_id, m.role, m.created_at, coalesce(m.invited_by, 0), coalesce(m.joined_on_behalf_by, 0), u.name, u.email
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = $1
		ORDER BY `+memberOrder, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Member, error) {
		var m coproduce.Member
		err := r.Scan(&m.ProjectID, &m.UserID, &m.Role, &m.CreatedAt, &m.InvitedBy, &m.JoinedOnBehalfBy, &m.Name, &m.Email)
		return m, err
	})
}

// memberOrder lists members leads first, then by name. It expects the
// memberships as m and users as u.
const memberOrder = `array_position(ARRAY['lead','facilitator','lay_partner','staff_partner'], m.role), lower(u.name), u.id`
