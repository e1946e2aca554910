package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// Comments on published minutes are hidden and shown again as comments on
// an idea are (see HideComment): with a reason, kept in the comment's
// history, and audited under the same actions.

func minuteCommentSubject(id int64) string { return "minute_comment:" + strconv.FormatInt(id, 10) }

func scanMinuteComment(r pgx.CollectableRow) (coproduce.MinuteComment, error) {
	var c coproduce.MinuteComment
	err := r.Scan(&c.ID, &c.MeetingID, &c.Author, &c.Body, &c.At, &c.Hidden, &c.HiddenReason)
	if c.Hidden {
		c.Body = "" // a hidden comment's words never leave the database with the minutes
	}
	return c, err
}

// MinuteComment returns one comment on a meeting's minutes, in the
// project, with its words even when hidden: the lead or facilitator
// deciding whether to show it again reads them.
func (s *Store) MinuteComment(ctx context.Context, projectID, meetingID, id int64) (coproduce.MinuteComment, error) {
	var c coproduce.MinuteComment
	err := s.db.QueryRow(ctx, `
		SELECT c.id, c.meeting_id, coalesce(u.name, ''), c.body, c.created_at, c.hidden_at IS NOT NULL, coalesce(c.hidden_reason, '')
		FROM minute_comments c JOIN meetings m ON m.id = c.meeting_id LEFT JOIN users u ON u.id = c.author_id
		WHERE m.project_id = $1 AND c.meeting_id = $2 AND c.id = $3`, projectID, meetingID, id).Scan(
		&c.ID, &c.MeetingID, &c.Author, &c.Body, &c.At, &c.Hidden, &c.HiddenReason)
	return c, translate(err)
}

// minuteModerations is the history of hiding and showing again of the
// comments on a meeting's minutes, by comment.
func minuteModerations(ctx context.Context, db DBTX, meetingID int64) (map[int64][]coproduce.Moderation, error) {
	rows, err := db.Query(ctx, `
		SELECT m.comment_id, m.hidden, m.reason, coalesce(u.name, ''), m.at
		FROM minute_comment_moderations m JOIN minute_comments c ON c.id = m.comment_id
		LEFT JOIN users u ON u.id = m.by_id
		WHERE c.meeting_id = $1 ORDER BY m.id`, meetingID)
	if err != nil {
		return nil, err
	}
	out := map[int64][]coproduce.Moderation{}
	var m coproduce.Moderation
	_, err = pgx.ForEachRow(rows, []any{&m.CommentID, &m.Hidden, &m.Reason, &m.By, &m.At}, func() error {
		out[m.CommentID] = append(out[m.CommentID], m)
		return nil
	})
	return out, err
}

// HideMinuteComment hides a comment on a meeting's minutes with a lead's
// or facilitator's reason. The minutes show that something was hidden and
// why; the hiding is kept in the comment's history and audited. A comment
// hidden already is ErrStale; one not in the meeting, ErrNotFound.
func (s *Store) HideMinuteComment(ctx context.Context, actorID, projectID, meetingID, id int64, reason string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE minute_comments c SET hidden_reason = $5, hidden_by = $4, hidden_at = now()
			FROM meetings m
			WHERE m.id = c.meeting_id AND m.project_id = $1 AND c.meeting_id = $2 AND c.id = $3 AND c.hidden_at IS NULL`,
			projectID, meetingID, id, actorID, reason)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			if _, err := s.withDB(tx).MinuteComment(ctx, projectID, meetingID, id); err != nil {
				return err
			}
			return coproduce.ErrStale
		}
		if err := recordMinuteModeration(ctx, tx, actorID, id, true, reason); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditCommentHide, Subject: minuteCommentSubject(id), After: map[string]any{"reason": reason}})
	})
}

// ShowMinuteComment shows a hidden comment on a meeting's minutes again,
// with a lead's or facilitator's reason; its hiding and showing stay in
// its history. A comment that is not hidden is ErrStale.
func (s *Store) ShowMinuteComment(ctx context.Context, actorID, projectID, meetingID, id int64, reason string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var hidWhy string
		err := tx.QueryRow(ctx, `
			UPDATE minute_comments c SET hidden_reason = NULL, hidden_by = NULL, hidden_at = NULL
			FROM meetings m, (SELECT hidden_reason FROM minute_comments WHERE id = $3) old
			WHERE m.id = c.meeting_id AND m.project_id = $1 AND c.meeting_id = $2 AND c.id = $3 AND c.hidden_at IS NOT NULL
			RETURNING coalesce(old.hidden_reason, '')`, projectID, meetingID, id).Scan(&hidWhy)
		if isNotFound(translate(err)) {
			if _, err := s.withDB(tx).MinuteComment(ctx, projectID, meetingID, id); err != nil {
				return err
			}
			return coproduce.ErrStale
		}
		if err != nil {
			return translate(err)
		}
		if err := recordMinuteModeration(ctx, tx, actorID, id, false, reason); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditCommentShow, Subject: minuteCommentSubject(id),
			Before: map[string]any{"hidden": true, "hidden_reason": hidWhy},
			After:  map[string]any{"hidden": false, "reason": reason}})
	})
}

// recordMinuteModeration keeps a hiding or showing again in the comment's
// history.
func recordMinuteModeration(ctx context.Context, tx pgx.Tx, actorID, commentID int64, hidden bool, reason string) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO minute_comment_moderations (comment_id, hidden, reason, by_id) VALUES ($1, $2, $3, $4)`,
		commentID, hidden, reason, actorID)
	return translate(err)
}
