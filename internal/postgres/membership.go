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
		SELECT m.project_id, m.user_id, m.role, m.created_at, coalesce(m.invited_by, 0), coalesce(m.joined_on_behalf_by, 0), u.name, coalesce(u.email, ''),
		       m.contact_way, coalesce(m.agreed_way, ''), coalesce(jb.name, '')
		FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN users jb ON jb.id = m.joined_on_behalf_by
		WHERE m.project_id = $1
		ORDER BY `+memberOrder, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Member, error) {
		var m coproduce.Member
		err := r.Scan(&m.ProjectID, &m.UserID, &m.Role, &m.CreatedAt, &m.InvitedBy, &m.JoinedOnBehalfBy, &m.Name, &m.Email,
			&m.ContactWay, &m.AgreedWay, &m.JoinedOnBehalfByName)
		return m, err
	})
}

// memberOrder lists members leads first, then by name. It expects the
// memberships as m and users as u.
const memberOrder = `array_position(ARRAY['lead','facilitator','lay_partner','staff_partner'], m.role), lower(u.name), u.id`

// Member returns one member of a project with their name and email, or
// ErrNotFound when the person is not a member.
func (s *Store) Member(ctx context.Context, projectID, userID int64) (coproduce.Member, error) {
	var m coproduce.Member
	err := s.db.QueryRow(ctx, `
		SELECT m.project_id, m.user_id, m.role, m.created_at, coalesce(m.invited_by, 0), coalesce(m.joined_on_behalf_by, 0), u.name, coalesce(u.email, ''),
		       m.contact_way, coalesce(m.agreed_way, ''), coalesce(jb.name, '')
		FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN users jb ON jb.id = m.joined_on_behalf_by
		WHERE m.project_id = $1 AND m.user_id = $2`, projectID, userID).
		Scan(&m.ProjectID, &m.UserID, &m.Role, &m.CreatedAt, &m.InvitedBy, &m.JoinedOnBehalfBy, &m.Name, &m.Email,
			&m.ContactWay, &m.AgreedWay, &m.JoinedOnBehalfByName)
	return m, translate(err)
}

// lockMembership locks every membership of the project, so that two
// changes at once cannot both take away the last lead, and returns the
// person's role and how many leads the project has.
func lockMembership(ctx context.Context, tx pgx.Tx, projectID, userID int64) (coproduce.ProjectRole, int, error) {
	rows, err := tx.Query(ctx,
		`SELECT user_id, role FROM memberships WHERE project_id = $1 ORDER BY user_id FOR UPDATE`, projectID)
	if err != nil {
		return "", 0, err
	}
	var role coproduce.ProjectRole
	leads := 0
	for rows.Next() {
		var id int64
		var r coproduce.ProjectRole
		if err := rows.Scan(&id, &r); err != nil {
			rows.Close()
			return "", 0, err
		}
		if r == coproduce.RoleLead {
			leads++
		}
		if id == userID {
			role = r
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", 0, err
	}
	if role == "" {
		return "", 0, coproduce.ErrNotFound
	}
	return role, leads, nil
}

// ChangeMemberRole gives a member another role in the project, audits it
// and queues the email telling them, in one transaction (none to a member
// who asked the project to contact them another way than email: the
// organisers tell them as they asked). Taking the role of
// lead from the project's last lead is ErrLastLead; someone who is not a
// member is ErrNotFound. Giving the role they already have changes nothing
// and sends nothing.
func (s *Store) ChangeMemberRole(ctx context.Context, actorID, projectID, userID int64, role coproduce.ProjectRole, email coproduce.Email) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, leads, err := lockMembership(ctx, tx, projectID, userID)
		if err != nil {
			return err
		}
		if old == role {
			return nil
		}
		if old == coproduce.RoleLead && leads <= 1 {
			return coproduce.ErrLastLead
		}
		if _, err := tx.Exec(ctx, `UPDATE memberships SET role = $3 WHERE project_id = $1 AND user_id = $2`,
			projectID, userID, role); err != nil {
			return translate(err)
		}
		var way coproduce.ContactWay
		if err := tx.QueryRow(ctx, `SELECT contact_way FROM memberships WHERE project_id = $1 AND user_id = $2`,
			projectID, userID).Scan(&way); err != nil {
			return err
		}
		if !way.NotByEmail() {
			if _, err := s.queueEmail(ctx, tx, email); err != nil {
				return err
			}
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{
			ActorID: actorID, ProjectID: projectID, Action: coproduce.AuditMembershipRole,
			Subject: userSubject(userID), Before: map[string]any{"role": old}, After: map[string]any{"role": role},
		})
	})
}

// RemoveMember takes a person out of a project: removed by a lead, or
// leaving themself when actorID is userID. What they contributed (ideas,
// comments, votes, claims) stays; what the project kept about them as a
// member (support needs, buddy pairing, 4Rs, involvement level,
// acknowledgements) goes with the membership. Removing the last lead is
// ErrLastLead. The change is audited.
func (s *Store) RemoveMember(ctx context.Context, actorID, projectID, userID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, leads, err := lockMembership(ctx, tx, projectID, userID)
		if err != nil {
			return err
		}
		if old == coproduce.RoleLead && leads <= 1 {
			return coproduce.ErrLastLead
		}
		if _, err := tx.Exec(ctx, `DELETE FROM memberships WHERE project_id = $1 AND user_id = $2`,
			projectID, userID); err != nil {
			return translate(err)
		}
		action := coproduce.AuditMembershipRemove
		if actorID == userID {
			action = coproduce.AuditMembershipLeave
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{
			ActorID: actorID, ProjectID: projectID, Action: action,
			Subject: userSubject(userID), Before: map[string]any{"role": old},
		})
	})
}
