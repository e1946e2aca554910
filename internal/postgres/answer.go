package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// recordAnswer keeps an answer in the idea's history of answers.
func recordAnswer(ctx context.Context, tx pgx.Tx, actorID, proposalID int64, in coproduce.ResponseInput) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO proposal_answers (proposal_id, response, rationale, answered_by) VALUES ($1, $2, $3, $4)`,
		proposalID, in.Response, in.Rationale, actorID)
	return translate(err)
}

// ChangeAnswer gives an answered idea a new answer. The earlier answer
// stays in the idea's history of answers; the change is audited, and the
// news (telling the author) is written. An idea with no answer (open or
// withdrawn) is ErrStale.
func (s *Store) ChangeAnswer(ctx context.Context, actorID, projectID, id int64, in coproduce.ResponseInput, news ...coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var was coproduce.ResponseInput
		err := tx.QueryRow(ctx, `
			SELECT response, rationale FROM proposals
			WHERE project_id = $1 AND id = $2 AND status = 'closed' FOR UPDATE`, projectID, id).Scan(&was.Response, &was.Rationale)
		if isNotFound(translate(err)) {
			if _, err := s.withDB(tx).Proposal(ctx, projectID, id); err != nil {
				return err
			}
			return coproduce.ErrStale
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE proposals SET response = $3, rationale = $4, responded_by = $5, responded_at = now()
			WHERE project_id = $1 AND id = $2`, projectID, id, in.Response, in.Rationale, actorID); err != nil {
			return translate(err)
		}
		if err := recordAnswer(ctx, tx, actorID, id, in); err != nil {
			return err
		}
		if err := s.announce(ctx, tx, id, news); err != nil {
			return err
		}
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditProposalAnswerChange, Subject: proposalSubject(id),
			Before: map[string]any{"response": was.Response, "rationale": was.Rationale},
			After:  map[string]any{"response": in.Response, "rationale": in.Rationale}}); err != nil {
			return err
		}
		return touchStage(ctx, tx, actorID, projectID, coproduce.StepBuild)
	})
}

// WithdrawProposal withdraws an idea at its author's request, with their
// reason (which may be empty). Only the author may (ErrForbidden for
// anyone else), and only while it has no answer (ErrStale once answered or
// already withdrawn).
func (s *Store) WithdrawProposal(ctx context.Context, authorID, projectID, id int64, reason string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE proposals SET status = 'withdrawn', withdrawn_at = now(), withdrawn_reason = $4
			WHERE project_id = $1 AND id = $2 AND author_id = $3 AND status = 'open'`, projectID, id, authorID, reason)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			p, err := s.withDB(tx).Proposal(ctx, projectID, id)
			switch {
			case err != nil:
				return err
			case p.AuthorID != authorID:
				return coproduce.ErrForbidden
			}
			return coproduce.ErrStale
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: authorID, ProjectID: projectID,
			Action: coproduce.AuditProposalWithdraw, Subject: proposalSubject(id),
			Before: map[string]any{"status": "open"},
			After:  map[string]any{"status": "withdrawn", "reason": reason}})
	})
}

// answerChangesSQL lists an idea's changes of answer, oldest first: each
// answer after the first, with the one before it.
const answerChangesSQL = `
	SELECT at, by, was, was_rationale FROM (
		SELECT a.id, a.answered_at AS at, coalesce(u.name, '') AS by,
		       lag(a.response) OVER w AS was, lag(a.rationale) OVER w AS was_rationale
		FROM proposal_answers a LEFT JOIN users u ON u.id = a.answered_by
		WHERE a.proposal_id = $1
		WINDOW w AS (ORDER BY a.id)) x
	WHERE was IS NOT NULL ORDER BY id`

func scanAnswerChange(r pgx.CollectableRow) (coproduce.AnswerChange, error) {
	var c coproduce.AnswerChange
	err := r.Scan(&c.At, &c.By, &c.Was, &c.WasRationale)
	return c, err
}

// voteReasonsSelect lists the reasons given with votes, oldest vote first,
// for a WHERE that names a project's ideas ($1) or one idea. Votes without
// a reason are left out. One idea's are not an optional "$2 = 0 OR"
// filter: with one plan for every call (force_generic_plan) it could not
// use the idea's index, and each idea page read all the project's votes
// (78 ms for the busiest project's 300,000).
const voteReasonsSelect = `
	SELECT v.proposal_id, v.user_id, v.choice, v.reason
	FROM votes v JOIN proposals p ON p.id = v.proposal_id`

const voteReasonsWithReason = ` AND btrim(v.reason) <> '' ORDER BY v.proposal_id, v.updated_at, v.user_id`

const (
	projectVoteReasonsSQL = voteReasonsSelect + ` WHERE p.project_id = $1` + voteReasonsWithReason
	ideaVoteReasonsSQL    = voteReasonsSelect + ` WHERE p.project_id = $1 AND v.proposal_id = $2` + voteReasonsWithReason
)

func scanVoteReason(r pgx.CollectableRow) (coproduce.VoteReason, error) {
	var v coproduce.VoteReason
	err := r.Scan(&v.ProposalID, &v.UserID, &v.Choice, &v.Reason)
	return v, err
}

// VoteReasons returns the reasons given with votes on a project's ideas,
// by idea.
func (s *Store) VoteReasons(ctx context.Context, projectID int64) (map[int64][]coproduce.VoteReason, error) {
	rows, err := s.db.Query(ctx, projectVoteReasonsSQL, projectID)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, scanVoteReason)
	out := map[int64][]coproduce.VoteReason{}
	for _, v := range list {
		out[v.ProposalID] = append(out[v.ProposalID], v)
	}
	return out, err
}

// queueProposalHistory adds to a proposal page's batch the reasons given
// with votes, the answer's changes and the hiding and showing of comments.
func queueProposalHistory(b *pgx.Batch, projectID, proposalID int64, v *coproduce.ProposalPage) {
	b.Queue(ideaVoteReasonsSQL, projectID, proposalID).Query(func(rows pgx.Rows) (err error) {
		v.VoteReasons, err = pgx.CollectRows(rows, scanVoteReason)
		return err
	})
	b.Queue(answerChangesSQL, proposalID).Query(func(rows pgx.Rows) (err error) {
		v.AnswerChanges, err = pgx.CollectRows(rows, scanAnswerChange)
		return err
	})
	b.Queue(`
		SELECT m.comment_id, m.hidden, m.reason, coalesce(u.name, ''), m.at
		FROM comment_moderations m JOIN comments c ON c.id = m.comment_id
		LEFT JOIN users u ON u.id = m.by_id
		WHERE c.proposal_id = $1 ORDER BY m.id`, proposalID).Query(func(rows pgx.Rows) error {
		v.Moderations = map[int64][]coproduce.Moderation{}
		var m coproduce.Moderation
		_, err := pgx.ForEachRow(rows, []any{&m.CommentID, &m.Hidden, &m.Reason, &m.By, &m.At}, func() error {
			v.Moderations[m.CommentID] = append(v.Moderations[m.CommentID], m)
			return nil
		})
		return err
	})
}
