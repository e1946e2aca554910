package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

const proposalSelect = `
	SELECT p.id, p.project_id, coalesce(p.author_id, 0), coalesce(u.name, ''), coalesce(m.role, ''),
	       p.title, p.body, p.ground_rule, p.status = 'open', coalesce(p.response, ''), p.rationale,
	       coalesce(r.name, ''), p.responded_at, p.created_at, p.comment_count,
	       p.lay_support, p.lay_neutral, p.lay_object, p.staff_support, p.staff_neutral, p.staff_object,
	       p.status = 'withdrawn', p.withdrawn_at, p.withdrawn_reason,
	       coalesce(rb.name, ''), coalesce(p.recorded_how, '')
	FROM proposals p
	LEFT JOIN users u ON u.id = p.author_id
	LEFT JOIN users rb ON rb.id = p.recorded_by
	LEFT JOIN memberships m ON m.project_id = p.project_id AND m.user_id = p.author_id
	LEFT JOIN users r ON r.id = p.responded_by`

func scanProposal(row pgx.Row) (coproduce.Proposal, error) {
	var p coproduce.Proposal
	var lay, staff [3]int
	err := row.Scan(&p.ID, &p.ProjectID, &p.AuthorID, &p.AuthorName, &p.AuthorRole, &p.Title, &p.Body,
		&p.GroundRule, &p.Open, &p.Response, &p.Rationale, &p.RespondedBy, &p.RespondedAt, &p.CreatedAt, &p.Comments,
		&lay[0], &lay[1], &lay[2], &staff[0], &staff[1], &staff[2], &p.Withdrawn, &p.WithdrawnAt, &p.WithdrawnReason,
		&p.Recorded.ByName, &p.Recorded.How)
	p.Recorded.At = p.CreatedAt
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

// CreateProposal puts a new proposal to the project, and writes the news
// that tells members.
func (s *Store) CreateProposal(ctx context.Context, authorID, projectID int64, in coproduce.ProposalInput, news ...coproduce.News) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, _, err = onceForToken(ctx, tx, authorID, "proposal", in.FormToken, func() (int64, error) {
			var id int64
			by, how := recorder(ctx)
			if err := tx.QueryRow(ctx, `
				INSERT INTO proposals (project_id, author_id, title, body, ground_rule, author_lay, recorded_by, recorded_how)
				VALUES ($1, $2, $3, $4, $5, EXISTS (
					SELECT 1 FROM memberships WHERE project_id = $1 AND user_id = $2 AND role = 'lay_partner'), $6, $7)
				RETURNING id`, projectID, authorID, in.Title, in.Body, in.GroundRule, by, how).Scan(&id); err != nil {
				return 0, translate(err)
			}
			if err := recordOnBehalf(ctx, tx, projectID, authorID, "idea", proposalSubject(id)); err != nil {
				return 0, err
			}
			if err := s.announce(ctx, tx, id, news); err != nil {
				return 0, err
			}
			return id, recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: authorID, ProjectID: projectID,
				Action: coproduce.AuditProposalCreate, Subject: proposalSubject(id),
				After: map[string]any{"title": in.Title, "ground_rule": in.GroundRule}})
		})
		return err
	})
	return id, err
}

// Proposal returns one of a project's proposals, with its tally.
func (s *Store) Proposal(ctx context.Context, projectID, id int64) (coproduce.Proposal, error) {
	return scanProposal(s.db.QueryRow(ctx, proposalSelect+` WHERE p.project_id = $1 AND p.id = $2`, projectID, id))
}

// ProposalTitle is a proposal's title, for the news of a comment on it:
// the whole proposal, with its author's and answerer's names, was a
// fifth of a comment's reads.
func (s *Store) ProposalTitle(ctx context.Context, projectID, id int64) (string, error) {
	var title string
	err := s.db.QueryRow(ctx, `SELECT title FROM proposals WHERE project_id = $1 AND id = $2`, projectID, id).Scan(&title)
	return title, translate(err)
}

const latestProposalsSQL = `
	SELECT id, project_id, title, status = 'open', coalesce(response, ''), status = 'withdrawn', comment_count,
	       lay_support, lay_neutral, lay_object, staff_support, staff_neutral, staff_object
	FROM proposals WHERE project_id = $1 ORDER BY created_at DESC LIMIT $2`

func scanLatestProposal(r pgx.CollectableRow) (coproduce.IdeaSummary, error) {
	var p coproduce.IdeaSummary
	err := r.Scan(&p.ID, &p.ProjectID, &p.Title, &p.Open, &p.Response, &p.Withdrawn, &p.Comments,
		&p.Lay[0], &p.Lay[1], &p.Lay[2], &p.Staff[0], &p.Staff[1], &p.Staff[2])
	return p, err
}

// Proposals lists a project's proposals, newest first, with tallies.
func (s *Store) Proposals(ctx context.Context, projectID int64) ([]coproduce.Proposal, error) {
	rows, err := s.db.Query(ctx, proposalSelect+` WHERE p.project_id = $1 ORDER BY p.created_at DESC, p.id DESC`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Proposal, error) { return scanProposal(r) })
}

// RespondToProposal closes an open proposal with an answer, and writes the
// news telling its author. An already-closed proposal is ErrStale.
func (s *Store) RespondToProposal(ctx context.Context, actorID, projectID, id int64, in coproduce.ResponseInput, news ...coproduce.News) error {
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
		if err := recordAnswer(ctx, tx, actorID, id, in); err != nil {
			return err
		}
		if err := s.announce(ctx, tx, id, news); err != nil {
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
// moves the proposal's stored counts to match. Both statements go to the
// database together and run as one transaction (a pipelined batch is one
// implicit transaction): the first locks the proposal's row, so votes on
// one proposal are counted one at a time; the second, reading after the
// lock, replaces the vote and moves the counts. So the counts stay exact
// however many votes arrive at once. A closed proposal is ErrStale.
func (s *Store) CastVote(ctx context.Context, projectID, proposalID, userID int64, c coproduce.Choice, reason string) error {
	return s.inTxOnBehalf(ctx, projectID, userID, "vote", proposalSubject(proposalID), func(s *Store) error {
		return s.castVote(ctx, projectID, proposalID, userID, c, reason)
	})
}

func (s *Store) castVote(ctx context.Context, projectID, proposalID, userID int64, c coproduce.Choice, reason string) error {
	by, how := recorder(ctx)
	var open bool
	b := &pgx.Batch{}
	b.Queue(`SELECT status = 'open' FROM proposals WHERE id = $1 AND project_id = $2 FOR NO KEY UPDATE`,
		proposalID, projectID).QueryRow(func(row pgx.Row) error { return translate(row.Scan(&open)) })
	b.Queue(`
		WITH target AS (SELECT id FROM proposals WHERE id = $1 AND project_id = $5 AND status = 'open'),
		me AS (SELECT coalesce((SELECT role = 'lay_partner' FROM memberships WHERE project_id = $5 AND user_id = $2), false) AS lay),
		old AS (SELECT choice, lay FROM votes WHERE proposal_id = $1 AND user_id = $2),
		up AS (
			INSERT INTO votes (proposal_id, user_id, choice, reason, lay, recorded_by, recorded_how)
			SELECT target.id, $2, $3, $4, me.lay, $6, $7 FROM target, me
			ON CONFLICT (proposal_id, user_id) DO UPDATE SET choice = $3, reason = $4, lay = EXCLUDED.lay, updated_at = now(),
				recorded_by = EXCLUDED.recorded_by, recorded_how = EXCLUDED.recorded_how)
		UPDATE proposals SET `+countDeltas+` WHERE id = (SELECT id FROM target)`,
		proposalID, userID, c, reason, projectID, by, how)
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return translate(err)
	}
	if !open {
		return coproduce.ErrStale
	}
	return nil
}

// countDeltas moves each stored count by the new vote (choice $3, from the
// voter's side in me) less the old one.
var countDeltas = func() string {
	var sets []string
	for _, lay := range []bool{true, false} {
		for _, c := range coproduce.Choices {
			col := tallyColumn(lay, c)
			isLay := "(SELECT lay FROM me)"
			if !lay {
				isLay = "NOT " + isLay
			}
			sets = append(sets, col+" = "+col+" + (CASE WHEN "+isLay+" AND $3::text = '"+string(c)+"' THEN 1 ELSE 0 END)"+
				" - (SELECT count(*) FROM old WHERE old.lay = "+strconv.FormatBool(lay)+" AND old.choice = '"+string(c)+"')")
		}
	}
	return strings.Join(sets, ", ")
}()

// overdueWhere picks lay partners' proposals still open more than 28 days
// after they were made (proposals_awaiting_idx).
const overdueWhere = `
	WHERE p.project_id = $1 AND p.status = 'open' AND p.author_lay
	  AND p.created_at < now() - interval '28 days'`

// overdueSQL lists the oldest overdue proposals as the project page shows
// them.
const overdueSQL = `
	SELECT p.id, p.title, p.created_at, coalesce(u.name, '')
	FROM proposals p LEFT JOIN users u ON u.id = p.author_id` + overdueWhere + `
	ORDER BY p.created_at LIMIT $2`

func scanOverdue(r pgx.CollectableRow) (coproduce.Proposal, error) {
	var p coproduce.Proposal
	err := r.Scan(&p.ID, &p.Title, &p.CreatedAt, &p.AuthorName)
	return p, err
}

// BenchRows is make bench's baseline query: one indexed SELECT of a
// project's newest 100 ideas, read as lightly as the project page reads
// its list.
func (s *Store) BenchRows(ctx context.Context, projectID int64) ([]coproduce.IdeaSummary, error) {
	rows, err := s.db.Query(ctx, `
		SELECT id, project_id, title, created_at FROM proposals WHERE project_id = $1 ORDER BY created_at DESC LIMIT 100`, projectID)
	if err != nil {
		return nil, err
	}
	return collectN(rows, 100, func(r pgx.CollectableRow) (coproduce.IdeaSummary, error) {
		var p coproduce.IdeaSummary
		err := r.Scan(&p.ID, &p.ProjectID, &p.Title, &p.CreatedAt)
		return p, err
	})
}
