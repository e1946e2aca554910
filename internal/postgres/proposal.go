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
	       coalesce(r.name, ''), p.responded_at, p.created_at, p.comment_count,
	       p.lay_support, p.lay_neutral, p.lay_object, p.staff_support, p.staff_neutral, p.staff_object
	FROM proposals p
	LEFT JOIN users u ON u.id = p.author_id
	LEFT JOIN memberships m ON m.project_id = p.project_id AND m.user_id = p.author_id
	LEFT JOIN users r ON r.id = p.responded_by`

func scanProposal(row pgx.Row) (coproduce.Proposal, error) {
	var p coproduce.Proposal
	var lay, staff [3]int
	err := row.Scan(&p.ID, &p.ProjectID, &p.AuthorID, &p.AuthorName, &p.AuthorRole, &p.Title, &p.Body,
		&p.GroundRule, &p.Open, &p.Response, &p.Rationale, &p.RespondedBy, &p.RespondedAt, &p.CreatedAt, &p.Comments,
		&lay[0], &lay[1], &lay[2], &staff[0], &staff[1], &staff[2])
	p.Tally = coproduce.NewTally()
	for i, c := range coproduce.Choices {
		p.Tally.Lay[c], p.Tally.Staff[c] = lay[i], staff[i]
	}
	return p, translate(err)
}

// tallyColumn names the stored counter for a side and a choice; only these
// fixed names are ever put into SQL.
func tallyColumn(lay bool, c coproduce.Choice) string {
	side := "staff_"
	if lay {
		side = "lay_"
	}
	switch c {
	case coproduce.Support, coproduce.Neutral, coproduce.Object:
		return side + string(c)
	}
	panic("postgres: unknown vote choice " + string(c))
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
	return scanProposal(s.db.QueryRow(ctx, proposalSelect+` WHERE p.project_id = $1 AND p.id = $2`, projectID, id))
}

// LatestProposals lists a project's newest proposals, at most limit, with
// their stored tallies and comment counts, and how many there are in all.
func (s *Store) LatestProposals(ctx context.Context, projectID int64, limit int) ([]coproduce.Proposal, int, error) {
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM proposals WHERE project_id = $1`, projectID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.Query(ctx, proposalSelect+` WHERE p.project_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT $2`,
		projectID, limit)
	if err != nil {
		return nil, 0, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Proposal, error) { return scanProposal(r) })
	return list, total, err
}

// Proposals lists a project's proposals, newest first, with tallies.
func (s *Store) Proposals(ctx context.Context, projectID int64) ([]coproduce.Proposal, error) {
	rows, err := s.db.Query(ctx, proposalSelect+` WHERE p.project_id = $1 ORDER BY p.created_at DESC, p.id DESC`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Proposal, error) { return scanProposal(r) })
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

// CastVote records or changes a member's vote on an open proposal, and
// moves the proposal's stored counts to match in the same transaction. The
// proposal's row is locked first, so votes on one proposal are counted one
// at a time and the counts stay exact however many arrive at once. A
// closed proposal is ErrStale.
func (s *Store) CastVote(ctx context.Context, projectID, proposalID, userID int64, c coproduce.Choice, reason string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var open, lay bool
		err := tx.QueryRow(ctx, `
			SELECT p.status = 'open', coalesce(m.role = 'lay_partner', false)
			FROM proposals p LEFT JOIN memberships m ON m.project_id = p.project_id AND m.user_id = $3
			WHERE p.id = $2 AND p.project_id = $1
			FOR NO KEY UPDATE OF p`, projectID, proposalID, userID).Scan(&open, &lay)
		if err != nil {
			return translate(err)
		}
		if !open {
			return coproduce.ErrStale
		}
		var old coproduce.Choice
		var oldLay bool
		err = tx.QueryRow(ctx, `SELECT choice, lay FROM votes WHERE proposal_id = $1 AND user_id = $2`,
			proposalID, userID).Scan(&old, &oldLay)
		if err != nil && !isNotFound(translate(err)) {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO votes (proposal_id, user_id, choice, reason, lay) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (proposal_id, user_id) DO UPDATE SET choice = $3, reason = $4, lay = $5, updated_at = now()`,
			proposalID, userID, c, reason, lay); err != nil {
			return translate(err)
		}
		set := tallyColumn(lay, c) + " = " + tallyColumn(lay, c) + " + 1"
		if old != "" {
			if old == c && oldLay == lay {
				return nil // the reason changed, not the vote
			}
			set += ", " + tallyColumn(oldLay, old) + " = " + tallyColumn(oldLay, old) + " - 1"
		}
		_, err = tx.Exec(ctx, `UPDATE proposals SET `+set+` WHERE id = $1`, proposalID)
		return err
	})
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
