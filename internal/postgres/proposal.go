package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

const proposalSelect = `
	SELECT p.id, p.project_id, coalesce(p.author_id, 0), coalesce(u.name, ''), coalesce(m.role, ''),
	       p.title, p.body, p.ground_rule, p.status = 'open', coalesce(p.response, ''), p.rationale,
	       coalesce(r.name, ''), p.responded_at, p.created_at,
	       (SELECT count(*) FROM comments c WHERE c.proposal_id = p.id AND c.hidden_at IS NULL)
	FROM proposals p
	LEFT JOIN users u ON u.id = p.author_id
	LEFT JOIN memberships m ON m.project_id = p.project_id AND m.user_id = p.author_id
	LEFT JOIN users r ON r.id = p.responded_by`

func scanProposal(row pgx.Row) (coproduce.Proposal, error) {
	var p coproduce.Proposal
	err := row.Scan(&p.ID, &p.ProjectID, &p.AuthorID, &p.AuthorName, &p.AuthorRole, &p.Title, &p.Body,
		&p.GroundRule, &p.Open, &p.Response, &p.Rationale, &p.RespondedBy, &p.RespondedAt, &p.CreatedAt, &p.Comments)
	p.Tally = coproduce.NewTally()
	return p, translate(err)
}

func proposalSubject(id int64) string { return "proposal:" + strconv.FormatInt(id, 10) }

// CreateProposal puts a new proposal to the project, and delivers the
// notices (built once the proposal's id is known) that tell members.
func (s *Store) CreateProposal(ctx context.Context, authorID, projectID int64, in coproduce.ProposalInput, notify func(id int64) []coproduce.Notice) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			INSERT INTO proposals (project_id, author_id, title, body, ground_rule) VALUES ($1, $2, $3, $4, $5)
			RETURNING id`, projectID, authorID, in.Title, in.Body, in.GroundRule).Scan(&id); err != nil {
			return translate(err)
		}
		if err := s.deliverNotices(ctx, tx, notify(id)); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: authorID, ProjectID: projectID,
			Action: coproduce.AuditProposalCreate, Subject: proposalSubject(id),
			After: map[string]any{"title": in.Title, "ground_rule": in.GroundRule}})
	})
	return id, err
}

// Proposal returns one of a project's proposals, with its tally.
func (s *Store) Proposal(ctx context.Context, projectID, id int64) (coproduce.Proposal, error) {
	p, err := scanProposal(s.db.QueryRow(ctx, proposalSelect+` WHERE p.project_id = $1 AND p.id = $2`, projectID, id))
	if err != nil {
		return p, err
	}
	tallies, err := s.tallies(ctx, projectID, id)
	if t, ok := tallies[id]; ok {
		p.Tally = t
	}
	return p, err
}

// Proposals lists a project's proposals, newest first, with tallies.
func (s *Store) Proposals(ctx context.Context, projectID int64) ([]coproduce.Proposal, error) {
	rows, err := s.db.Query(ctx, proposalSelect+` WHERE p.project_id = $1 ORDER BY p.created_at DESC, p.id DESC`, projectID)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Proposal, error) { return scanProposal(r) })
	if err != nil {
		return nil, err
	}
	tallies, err := s.tallies(ctx, projectID, 0)
	for i := range list {
		if t, ok := tallies[list[i].ID]; ok {
			list[i].Tally = t
		}
	}
	return list, err
}

// tallies counts votes by proposal, voter's role and choice, for one
// proposal or (id 0) all of a project's.
func (s *Store) tallies(ctx context.Context, projectID, id int64) (map[int64]coproduce.Tally, error) {
	rows, err := s.db.Query(ctx, `
		SELECT v.proposal_id, coalesce(m.role, ''), v.choice, count(*)
		FROM votes v
		JOIN proposals p ON p.id = v.proposal_id
		LEFT JOIN memberships m ON m.project_id = p.project_id AND m.user_id = v.user_id
		WHERE p.project_id = $1 AND ($2 = 0 OR p.id = $2)
		GROUP BY 1, 2, 3`, projectID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]coproduce.Tally{}
	for rows.Next() {
		var pid int64
		var role coproduce.ProjectRole
		var c coproduce.Choice
		var n int
		if err := rows.Scan(&pid, &role, &c, &n); err != nil {
			return nil, err
		}
		t, ok := out[pid]
		if !ok {
			t = coproduce.NewTally()
			out[pid] = t
		}
		t.Add(role, c, n)
	}
	return out, rows.Err()
}

// RespondToProposal closes an open proposal with an answer, and queues the
// email telling its author. An already-closed proposal is ErrStale.
func (s *Store) RespondToProposal(ctx context.Context, actorID, projectID, id int64, in coproduce.ResponseInput, notify []coproduce.Notice) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE proposals SET status = 'closed', response = $3, rationale = $4, responded_by = $5, responded_at = now()
			WHERE project_id = $1 AND id = $2 AND status = 'open'`, projectID, id, in.Response, in.Rationale, actorID)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			if _, err := s.withDB(tx).Proposal(ctx, projectID, id); err != nil {
				return err
			}
			return coproduce.ErrStale
		}
		if err := s.deliverNotices(ctx, tx, notify); err != nil {
			return err
		}
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditProposalRespond, Subject: proposalSubject(id),
			After: map[string]any{"response": in.Response, "rationale": in.Rationale}}); err != nil {
			return err
		}
		return touchStage(ctx, tx, actorID, projectID, coproduce.StepBuild)
	})
}

// CastVote records or changes a member's vote on an open proposal. The
// primary key keeps one vote per member per proposal however many posts
// arrive at once. A closed proposal is ErrStale.
func (s *Store) CastVote(ctx context.Context, projectID, proposalID, userID int64, c coproduce.Choice, reason string) error {
	tag, err := s.db.Exec(ctx, `
		INSERT INTO votes (proposal_id, user_id, choice, reason)
		SELECT $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM proposals WHERE id = $2 AND project_id = $1 AND status = 'open')
		ON CONFLICT (proposal_id, user_id) DO UPDATE SET choice = $4, reason = $5, updated_at = now()`,
		projectID, proposalID, userID, c, reason)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := s.Proposal(ctx, projectID, proposalID); err != nil {
			return err
		}
		return coproduce.ErrStale
	}
	return nil
}

// VoteOf returns a member's vote on a proposal ("" when none).
func (s *Store) VoteOf(ctx context.Context, proposalID, userID int64) (coproduce.Choice, string, error) {
	var c coproduce.Choice
	var reason string
	err := s.db.QueryRow(ctx, `SELECT choice, reason FROM votes WHERE proposal_id = $1 AND user_id = $2`,
		proposalID, userID).Scan(&c, &reason)
	if err = translate(err); isNotFound(err) {
		return "", "", nil
	}
	return c, reason, err
}

// OverdueProposals lists lay partners' proposals still open, with no
// answer, more than 28 days after they were made, oldest first.
func (s *Store) OverdueProposals(ctx context.Context, projectID int64) ([]coproduce.Proposal, error) {
	rows, err := s.db.Query(ctx, proposalSelect+`
		WHERE p.project_id = $1 AND p.status = 'open' AND m.role = 'lay_partner'
		  AND p.created_at < now() - interval '28 days'
		ORDER BY p.created_at`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Proposal, error) { return scanProposal(r) })
}
