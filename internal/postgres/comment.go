package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func commentSubject(id int64) string { return "comment:" + strconv.FormatInt(id, 10) }

// AddComment adds a comment, or a reply to a top-level comment (replies go
// one level deep), and counts it, in one statement. The same form token
// from the same author adds nothing the second time. A proposal not in the
// project, or a parent that is not a top-level comment of the same
// proposal, is ErrNotFound.
func (s *Store) AddComment(ctx context.Context, projectID, proposalID, authorID, parentID int64, body, formToken string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		WITH ins AS (
			INSERT INTO comments (proposal_id, author_id, parent_id, body, form_token)
			SELECT $2, $3, nullif($4, 0), $5, $6
			WHERE EXISTS (SELECT 1 FROM proposals WHERE id = $2 AND project_id = $1)
			  AND ($4 = 0 OR EXISTS (SELECT 1 FROM comments WHERE id = $4 AND proposal_id = $2 AND parent_id IS NULL))
			ON CONFLICT (author_id, form_token) DO NOTHING
			RETURNING id, proposal_id),
		counted AS (
			UPDATE proposals SET comment_count = comment_count + 1 WHERE id = (SELECT proposal_id FROM ins))
		SELECT id FROM ins`,
		projectID, proposalID, authorID, parentID, body, formToken).Scan(&id)
	if !isNotFound(translate(err)) {
		return id, translate(err)
	}
	// Nothing inserted: the form was sent twice, or there is no such place
	// to comment.
	err = s.db.QueryRow(ctx, `
		SELECT c.id FROM comments c JOIN proposals p ON p.id = c.proposal_id
		WHERE c.author_id = $1 AND c.form_token = $2 AND p.project_id = $3`, authorID, formToken, projectID).Scan(&id)
	return id, translate(err)
}

// Comments returns a proposal's discussion: top-level comments oldest
// first, each with its replies.
func (s *Store) Comments(ctx context.Context, proposalID int64) ([]coproduce.Comment, error) {
	rows, err := s.db.Query(ctx, `
		SELECT c.id, c.proposal_id, coalesce(c.author_id, 0), coalesce(u.name, ''), coalesce(m.role, ''),
		       coalesce(c.parent_id, 0), c.body, c.created_at, c.edited_at, coalesce(c.hidden_reason, ''),
		       c.hidden_at IS NOT NULL
		FROM comments c
		JOIN proposals p ON p.id = c.proposal_id
		LEFT JOIN users u ON u.id = c.author_id
		LEFT JOIN memberships m ON m.project_id = p.project_id AND m.user_id = c.author_id
		WHERE c.proposal_id = $1 ORDER BY c.id`, proposalID)
	if err != nil {
		return nil, err
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Comment, error) {
		var c coproduce.Comment
		err := r.Scan(&c.ID, &c.ProposalID, &c.AuthorID, &c.AuthorName, &c.AuthorRole, &c.ParentID, &c.Body,
			&c.CreatedAt, &c.EditedAt, &c.HiddenReason, &c.Hidden)
		if c.Hidden {
			c.Body = "" // a hidden comment's words never leave the database
		}
		return c, err
	})
	if err != nil {
		return nil, err
	}
	var top []coproduce.Comment
	index := map[int64]int{}
	for _, c := range all {
		if c.ParentID == 0 {
			index[c.ID] = len(top)
			top = append(top, c)
		} else if i, ok := index[c.ParentID]; ok {
			top[i].Replies = append(top[i].Replies, c)
		}
	}
	return top, nil
}

// Comment returns one comment of a project's proposal.
func (s *Store) Comment(ctx context.Context, projectID, id int64) (coproduce.Comment, error) {
	var c coproduce.Comment
	err := s.db.QueryRow(ctx, `
		SELECT c.id, c.proposal_id, coalesce(c.author_id, 0), coalesce(c.parent_id, 0), c.body, c.created_at,
		       c.hidden_at IS NOT NULL
		FROM comments c JOIN proposals p ON p.id = c.proposal_id
		WHERE p.project_id = $1 AND c.id = $2`, projectID, id).Scan(
		&c.ID, &c.ProposalID, &c.AuthorID, &c.ParentID, &c.Body, &c.CreatedAt, &c.Hidden)
	return c, translate(err)
}

// EditComment changes a comment's text, if its author asks within the edit
// window; otherwise ErrForbidden.
func (s *Store) EditComment(ctx context.Context, projectID, id, authorID int64, body string) error {
	tag, err := s.db.Exec(ctx, `
		UPDATE comments c SET body = $4, edited_at = now()
		FROM proposals p
		WHERE p.id = c.proposal_id AND p.project_id = $1 AND c.id = $2 AND c.author_id = $3
		  AND c.hidden_at IS NULL AND c.created_at > now() - make_interval(secs => $5)`,
		projectID, id, authorID, body, coproduce.CommentEditWindow.Seconds())
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return coproduce.ErrForbidden
	}
	return nil
}

// HideComment hides a comment with a facilitator's reason. The thread shows
// that something was hidden and why; the hiding is audited.
func (s *Store) HideComment(ctx context.Context, actorID, projectID, id int64, reason string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE comments c SET hidden_reason = $4, hidden_by = $3, hidden_at = now()
			FROM proposals p
			WHERE p.id = c.proposal_id AND p.project_id = $1 AND c.id = $2 AND c.hidden_at IS NULL`,
			projectID, id, actorID, reason)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			if _, err := s.withDB(tx).Comment(ctx, projectID, id); err != nil {
				return err
			}
			return coproduce.ErrStale
		}
		if _, err := tx.Exec(ctx, `
			UPDATE proposals SET comment_count = comment_count - 1
			WHERE id = (SELECT proposal_id FROM comments WHERE id = $1)`, id); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditCommentHide, Subject: commentSubject(id), After: map[string]any{"reason": reason}})
	})
}
