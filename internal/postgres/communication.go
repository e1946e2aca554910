package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// CommunicationFlags returns the short tags of the communication needs
// that a project's members chose to share with its leads and facilitators
// (share_flags), for readerID, a lead or facilitator, to act on: on the
// member list and beside a meeting's papers. Members who did not choose to
// share are not read at all. Each tag read is a reading of the person's
// needs, audited as one (they see it on their own support page).
func (s *Store) CommunicationFlags(ctx context.Context, readerID, projectID int64) ([]coproduce.MemberFlag, error) {
	var out []coproduce.MemberFlag
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT mb.user_id, u.name, mb.contact_way, `+supportColumnsOf("sp")+`
			FROM memberships mb JOIN users u ON u.id = mb.user_id
			JOIN support_profiles sp ON sp.project_id = mb.project_id AND sp.user_id = mb.user_id AND sp.share_flags
			WHERE mb.project_id = $1 ORDER BY lower(u.name), u.id`, projectID)
		if err != nil {
			return err
		}
		all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.MemberFlag, error) {
			var p coproduce.SupportProfile
			var name string
			var way coproduce.ContactWay
			if err := r.Scan(append([]any{&p.UserID, &name, &way}, supportFields(&p)...)...); err != nil {
				return coproduce.MemberFlag{}, err
			}
			f, _ := coproduce.FlagOf(name, p, way)
			return f, nil
		})
		if err != nil {
			return err
		}
		for _, f := range all {
			if len(f.Needs) == 0 && f.Contact == "" {
				continue
			}
			out = append(out, f)
			if f.UserID == readerID {
				continue
			}
			if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: readerID, ProjectID: projectID,
				Action: coproduce.AuditSupportRead, Subject: userSubject(f.UserID),
				After: map[string]any{"flags": true}}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// meetingPaperList reads a meeting's papers, each with its versions, in
// the order they were added, within tx.
func meetingPaperList(ctx context.Context, tx pgx.Tx, meetingID int64) ([]coproduce.Paper, error) {
	rows, err := tx.Query(ctx, `SELECT `+paperColumns+paperFrom+` WHERE p.meeting_id = $1 ORDER BY p.added_at, p.id`, meetingID)
	if err != nil {
		return nil, err
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Paper, error) { return scanPaper(r) })
	return groupPapers(all), err
}
