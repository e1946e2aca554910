package postgres

import (
	"context"
	"math"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func commentSubject(id int64) string { return "comment:" + strconv.FormatInt(id, 10) }

// AddComment adds a comment, or a reply to a top-level comment (replies go
// one level deep), and counts it, in one statement. The same form token
// from the same author adds nothing the second time. A proposal not in the
// project, or a parent that is not a top-level comment of the same
// proposal, is ErrNotFound. thread is where the comment's thread comes in
// the discussion (1 for the oldest), for finding its page.
//
// news, written with a new comment (not a form sent twice), tells the
// idea's author and the author of the comment replied to.
func (s *Store) AddComment(ctx context.Context, projectID, proposalID, authorID, parentID int64, body, formToken string, news ...coproduce.News) (id int64, thread int, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := s.insertComment(ctx, tx, projectID, proposalID, authorID, parentID, body, formToken, &id, &thread); err != nil {
			return err
		}
		if err := recordOnBehalf(ctx, tx, projectID, authorID, "comment", proposalSubject(proposalID)); err != nil {
			return err
		}
		return s.announce(ctx, tx, id, news)
	})
	if !isNotFound(err) {
		return id, thread, err
	}
	// Nothing inserted: the form was sent twice, or there is no such place
	// to comment.
	err = s.db.QueryRow(ctx, `
		SELECT c.id, (SELECT count(*) FROM comments t
		              WHERE t.proposal_id = c.proposal_id AND t.parent_id IS NULL AND t.id <= coalesce(c.parent_id, c.id))
		FROM comments c JOIN proposals p ON p.id = c.proposal_id
		WHERE c.author_id = $1 AND c.form_token = $2 AND p.project_id = $3`, authorID, formToken, projectID).Scan(&id, &thread)
	return id, thread, translate(err)
}

// insertComment adds the comment and counts it, in one statement; nothing
// inserted is ErrNotFound.
func (s *Store) insertComment(ctx context.Context, tx pgx.Tx, projectID, proposalID, authorID, parentID int64, body, formToken string, id *int64, thread *int) error {
	by, how := recorder(ctx)
	err := tx.QueryRow(ctx, `
		WITH ins AS (
			INSERT INTO comments (proposal_id, author_id, parent_id, body, form_token, recorded_by, recorded_how)
			SELECT $2, $3, nullif($4::bigint, 0), $5, $6, $7, $8
			WHERE EXISTS (SELECT 1 FROM proposals WHERE id = $2 AND project_id = $1)
			  AND ($4::bigint = 0 OR EXISTS (SELECT 1 FROM comments WHERE id = $4 AND proposal_id = $2 AND parent_id IS NULL))
			ON CONFLICT (author_id, form_token) DO NOTHING
			RETURNING id, proposal_id),
		counted AS (
			UPDATE proposals SET comment_count = comment_count + 1 WHERE id = (SELECT proposal_id FROM ins))
		SELECT id, CASE WHEN $4::bigint = 0
			THEN (SELECT count(*) FROM comments WHERE proposal_id = $2 AND parent_id IS NULL) + 1
			ELSE (SELECT count(*) FROM comments WHERE proposal_id = $2 AND parent_id IS NULL AND id <= $4) END
		FROM ins`,
		projectID, proposalID, authorID, parentID, body, formToken, by, how).Scan(id, thread)
	return translate(err)
}

// Comments returns one page of a proposal's discussion: perPage top-level
// comments, oldest first, each with its replies, and how many pages there
// are. A page past the last is the last.
func (s *Store) Comments(ctx context.Context, projectID, proposalID int64, page, perPage int) ([]coproduce.Comment, int, error) {
	var d coproduce.ProposalDiscussion
	b := &pgx.Batch{}
	queueComments(b, projectID, proposalID, page, perPage, &d)
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, 0, err
	}
	if d.Page > d.Pages { // asked past the end: show the last page
		return s.Comments(ctx, projectID, proposalID, d.Pages, perPage)
	}
	return d.Comments, d.Pages, nil
}

// queueComments adds to a batch the reads of one page of a discussion.
func queueComments(b *pgx.Batch, projectID, proposalID int64, page, perPage int, d *coproduce.ProposalDiscussion) {
	// A page number so big that its offset would overflow is past the end
	// anyway, and shows the last page like any other.
	d.Page = min(max(page, 1), math.MaxInt32)
	b.Queue(`SELECT count(*) FROM comments WHERE proposal_id = $1 AND parent_id IS NULL`, proposalID).
		QueryRow(func(row pgx.Row) error {
			var top int
			err := row.Scan(&top)
			d.Pages = max(1, (top+perPage-1)/perPage)
			return err
		})
	// Two plain reads plan far quicker than one that does both: the page's
	// threads, then the replies to them.
	var all []coproduce.Comment
	b.Queue(commentSelect+` WHERE c.proposal_id = $1 AND c.parent_id IS NULL ORDER BY c.id LIMIT $3 OFFSET $4`,
		proposalID, projectID, perPage, (d.Page-1)*perPage).
		Query(func(rows pgx.Rows) (err error) {
			all, err = collectN(rows, perPage, scanComment)
			return err
		})
	b.Queue(commentSelect+` WHERE c.parent_id IN (
			SELECT id FROM comments WHERE proposal_id = $1 AND parent_id IS NULL ORDER BY id LIMIT $3 OFFSET $4)
		ORDER BY c.id`, proposalID, projectID, perPage, (d.Page-1)*perPage).
		Query(func(rows pgx.Rows) error {
			replies, err := pgx.CollectRows(rows, scanComment)
			d.Comments = threads(append(all, replies...))
			return err
		})
}

// commentSelect reads comments with their authors' names and roles in
// project $2.
const commentSelect = `
	SELECT c.id, c.proposal_id, coalesce(c.author_id, 0), coalesce(u.name, ''), coalesce(m.role, ''),
	       coalesce(c.parent_id, 0), c.body, c.created_at, c.edited_at, coalesce(c.hidden_reason, ''),
	       c.hidden_at IS NOT NULL, coalesce(rb.name, ''), coalesce(c.recorded_how, '')
	FROM comments c
	LEFT JOIN users u ON u.id = c.author_id
	LEFT JOIN users rb ON rb.id = c.recorded_by
	LEFT JOIN memberships m ON m.project_id = $2 AND m.user_id = c.author_id`

func scanComment(r pgx.CollectableRow) (coproduce.Comment, error) {
	var c coproduce.Comment
	err := r.Scan(&c.ID, &c.ProposalID, &c.AuthorID, &c.AuthorName, &c.AuthorRole, &c.ParentID, &c.Body,
		&c.CreatedAt, &c.EditedAt, &c.HiddenReason, &c.Hidden, &c.Recorded.ByName, &c.Recorded.How)
	c.Recorded.At = c.CreatedAt
	if c.Hidden {
		c.Body = "" // a hidden comment's words never leave the database
	}
	return c, err
}

// threads puts replies under their top-level comments.
func threads(all []coproduce.Comment) []coproduce.Comment {
	var list []coproduce.Comment
	index := map[int64]int{}
	for _, c := range all {
		if c.ParentID == 0 {
			index[c.ID] = len(list)
			list = append(list, c)
		} else if i, ok := index[c.ParentID]; ok {
			list[i].Replies = append(list[i].Replies, c)
		}
	}
	return list
}

// ProposalPage reads what a proposal's page shows one viewer in a single
// round trip: the proposal with its tallies, a page of its discussion, its
// actions and the viewer's vote.
func (s *Store) ProposalPage(ctx context.Context, projectID, proposalID, viewerID int64, page, perPage int) (coproduce.ProposalPage, error) {
	var v coproduce.ProposalPage
	b := &pgx.Batch{}
	b.Queue(proposalSelect+` WHERE p.project_id = $1 AND p.id = $2`, projectID, proposalID).
		QueryRow(func(row pgx.Row) (err error) {
			v.Proposal, err = scanProposal(row)
			return err
		})
	queueComments(b, projectID, proposalID, page, perPage, &v.ProposalDiscussion)
	b.Queue(ideaActionsSQL, projectID, proposalID).Query(func(rows pgx.Rows) error {
		m, err := scanActions(rows)
		v.Actions = m[proposalID]
		return err
	})
	b.Queue(`SELECT choice, reason FROM votes WHERE proposal_id = $1 AND user_id = $2`, proposalID, viewerID).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				if err := rows.Scan(&v.Vote, &v.VoteReason); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	queueProposalHistory(b, projectID, proposalID, &v)
	queueDecidedAt(b, proposalID, &v)
	queueImpactMentions(b, proposalID, &v)
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return v, translate(err)
	}
	if v.Page > v.Pages {
		var err error
		v.Comments, v.Pages, err = s.Comments(ctx, projectID, proposalID, v.Pages, perPage)
		v.Page = v.Pages
		return v, err
	}
	return v, nil
}

// CommentPage is the page of a proposal's discussion that shows a comment
// (a reply is on its parent's page).
func (s *Store) CommentPage(ctx context.Context, proposalID, commentID int64, perPage int) (int, error) {
	var before int
	err := s.db.QueryRow(ctx, `
		SELECT count(*) FROM comments
		WHERE proposal_id = $1 AND parent_id IS NULL
		  AND id <= coalesce((SELECT parent_id FROM comments WHERE id = $2), $2)`, proposalID, commentID).Scan(&before)
	return max(1, (before+perPage-1)/perPage), err
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
		if err := recordModeration(ctx, tx, actorID, id, true, reason); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditCommentHide, Subject: commentSubject(id), After: map[string]any{"reason": reason}})
	})
}

// ShowComment shows a hidden comment again, with a facilitator's reason:
// the thread shows it as before, counted again, and its hiding and showing
// stay in its history. A comment that is not hidden is ErrStale.
func (s *Store) ShowComment(ctx context.Context, actorID, projectID, id int64, reason string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var hidWhy string
		err := tx.QueryRow(ctx, `
			UPDATE comments c SET hidden_reason = NULL, hidden_by = NULL, hidden_at = NULL
			FROM proposals p, (SELECT hidden_reason FROM comments WHERE id = $2) old
			WHERE p.id = c.proposal_id AND p.project_id = $1 AND c.id = $2 AND c.hidden_at IS NOT NULL
			RETURNING coalesce(old.hidden_reason, '')`, projectID, id).Scan(&hidWhy)
		if isNotFound(translate(err)) {
			if _, err := s.withDB(tx).Comment(ctx, projectID, id); err != nil {
				return err
			}
			return coproduce.ErrStale
		}
		if err != nil {
			return translate(err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE proposals SET comment_count = comment_count + 1
			WHERE id = (SELECT proposal_id FROM comments WHERE id = $1)`, id); err != nil {
			return err
		}
		if err := recordModeration(ctx, tx, actorID, id, false, reason); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditCommentShow, Subject: commentSubject(id),
			Before: map[string]any{"hidden": true, "hidden_reason": hidWhy},
			After:  map[string]any{"hidden": false, "reason": reason}})
	})
}

// recordModeration keeps a hiding or showing again in the comment's
// history.
func recordModeration(ctx context.Context, tx pgx.Tx, actorID, commentID int64, hidden bool, reason string) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO comment_moderations (comment_id, hidden, reason, by_id) VALUES ($1, $2, $3, $4)`,
		commentID, hidden, reason, actorID)
	return translate(err)
}
