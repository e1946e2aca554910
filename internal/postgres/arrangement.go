package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// SaveArrangement records what the organisers arranged for one person for
// one meeting (nothing arranged removes the record). The person must be a
// member of the meeting's project. Audited: it tells of their needs.
func (s *Store) SaveArrangement(ctx context.Context, actorID int64, a coproduce.Arrangement) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var projectID int64
		err := tx.QueryRow(ctx, `
			SELECT m.project_id FROM meetings m JOIN memberships mb ON mb.project_id = m.project_id
			WHERE m.id = $1 AND mb.user_id = $2`, a.MeetingID, a.UserID).Scan(&projectID)
		if err != nil {
			return translate(err)
		}
		if a.Empty() {
			_, err = tx.Exec(ctx, `DELETE FROM meeting_arrangements WHERE meeting_id = $1 AND user_id = $2`,
				a.MeetingID, a.UserID)
		} else {
			_, err = tx.Exec(ctx, `
				INSERT INTO meeting_arrangements (meeting_id, user_id, needs, note, arranged_by)
				VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (meeting_id, user_id) DO UPDATE
				SET needs = $3, note = $4, arranged_by = $5, updated_at = now()`,
				a.MeetingID, a.UserID, append([]string{}, a.Needs...), a.Note, actorID) // never NULL
		}
		if err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditArrangementSave, Subject: userSubject(a.UserID), After: map[string]int64{"meeting": a.MeetingID}})
	})
}

// MeetingArrangements lists, by person, what has been arranged for a
// meeting: for its organisers, whose reading of the needs behind it is
// audited with the access plan.
func (s *Store) MeetingArrangements(ctx context.Context, meetingID int64) (map[int64]coproduce.Arrangement, error) {
	return meetingArrangements(ctx, s.db, meetingID, 0)
}

// MyArrangement is what has been arranged for one person for a meeting.
func (s *Store) MyArrangement(ctx context.Context, meetingID, userID int64) (coproduce.Arrangement, error) {
	all, err := meetingArrangements(ctx, s.db, meetingID, userID)
	return all[userID], err
}

// meetingArrangements reads a meeting's arrangements, one person's when
// userID is not 0.
func meetingArrangements(ctx context.Context, db DBTX, meetingID, userID int64) (map[int64]coproduce.Arrangement, error) {
	rows, err := db.Query(ctx, `
		SELECT a.meeting_id, a.user_id, a.needs, a.note, coalesce(u.name, ''), a.updated_at
		FROM meeting_arrangements a LEFT JOIN users u ON u.id = a.arranged_by
		WHERE a.meeting_id = $1 AND ($2 = 0 OR a.user_id = $2)`, meetingID, userID)
	if err != nil {
		return nil, err
	}
	out := map[int64]coproduce.Arrangement{}
	_, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (struct{}, error) {
		var a coproduce.Arrangement
		err := r.Scan(&a.MeetingID, &a.UserID, &a.Needs, &a.Note, &a.ByName, &a.At)
		out[a.UserID] = a
		return struct{}{}, err
	})
	return out, err
}
