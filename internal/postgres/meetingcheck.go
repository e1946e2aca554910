package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// The check after a meeting keeps the principles check's privacy rule: a
// person's own answer is read only by MeetingCheckFor, for them; every
// other read is a group's figures, for groups of coproduce.MinGroup or more.

// questionColumns are the three questions' columns, in coproduce.Questions'
// order.
var questionColumns = []string{"listened", "took_part", "difference"}

// MeetingCheckFor says whether the person was recorded present at the
// meeting, and gives their own answer to its check (nil when they have not
// answered).
func (s *Store) MeetingCheckFor(ctx context.Context, meetingID, userID int64) (bool, *coproduce.MeetingCheck, error) {
	var present bool
	var sc [3]*int
	err := s.db.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM meeting_attendance WHERE meeting_id = $1 AND user_id = $2),
		       c.listened, c.took_part, c.difference
		FROM (SELECT 1) one LEFT JOIN meeting_checks c ON c.meeting_id = $1 AND c.user_id = $2`,
		meetingID, userID).Scan(&present, &sc[0], &sc[1], &sc[2])
	if err != nil || sc[0] == nil {
		return present, nil, err
	}
	return present, &coproduce.MeetingCheck{Scores: [3]int{*sc[0], *sc[1], *sc[2]}}, nil
}

// SaveMeetingCheck records a person's answer to a meeting's check, or
// replaces the one they gave: ErrNotPresent for someone not recorded
// present (or not a member), ErrMeetingNotOver before the meeting ends.
func (s *Store) SaveMeetingCheck(ctx context.Context, projectID, meetingID, userID int64, c coproduce.MeetingCheck) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var ends time.Time
		if err := tx.QueryRow(ctx, `SELECT ends_at FROM meetings WHERE project_id = $1 AND id = $2`,
			projectID, meetingID).Scan(&ends); err != nil {
			return translate(err)
		}
		if ends.After(time.Now()) {
			return coproduce.ErrMeetingNotOver
		}
		var lay bool
		err := tx.QueryRow(ctx, `
			SELECT m.role = 'lay_partner' FROM memberships m
			JOIN meeting_attendance a ON a.user_id = m.user_id AND a.meeting_id = $2
			WHERE m.project_id = $1 AND m.user_id = $3`, projectID, meetingID, userID).Scan(&lay)
		if errors.Is(err, pgx.ErrNoRows) {
			return coproduce.ErrNotPresent
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO meeting_checks (meeting_id, user_id, lay, listened, took_part, difference)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (meeting_id, user_id) DO UPDATE SET lay = excluded.lay, listened = excluded.listened,
				took_part = excluded.took_part, difference = excluded.difference, answered_at = now()`,
			meetingID, userID, lay, c.Scores[0], c.Scores[1], c.Scores[2])
		return translate(err)
	})
}

// MeetingCheckResults are the project's meetings that have ended with their
// register taken, oldest first, each with lay partners' and staff's
// figures for the three questions.
func (s *Store) MeetingCheckResults(ctx context.Context, projectID int64) ([]coproduce.MeetingCheckResult, error) {
	rows, err := s.db.Query(ctx, `
		WITH g AS (
			SELECT c.meeting_id, c.lay, `+figuresSQL(questionColumns, false)+`
			FROM meeting_checks c JOIN meetings m ON m.id = c.meeting_id
			WHERE m.project_id = $1 GROUP BY c.meeting_id, c.lay)
		SELECT m.id, m.title, m.starts_at, m.ends_at, `+shownSQL(false)+`
		FROM meetings m LEFT JOIN g ON g.meeting_id = m.id
		WHERE m.project_id = $1 AND m.attendance_taken AND m.ends_at <= now() AND m.cancelled_at IS NULL
		ORDER BY m.starts_at, m.id, g.lay`, projectID, coproduce.MinGroup)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []coproduce.MeetingCheckResult
	for rows.Next() {
		m := coproduce.Meeting{ProjectID: projectID}
		var g groupFigures
		if err := rows.Scan(append([]any{&m.ID, &m.Title, &m.StartsAt, &m.EndsAt}, g.dest(false)...)...); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].Meeting.ID != m.ID {
			out = append(out, coproduce.MeetingCheckResult{Meeting: m})
		}
		last := &out[len(out)-1]
		g.into(&last.Lay, &last.Staff)
	}
	return out, rows.Err()
}

// checksWaitFor is how many days after a meeting its check waits on the
// project page.
const checksWaitFor = 28

// queueYourChecks queues, in one statement, what the principles check and
// the meetings' checks ask of the member: the open round they have not
// answered, and the meetings they attended in the last four weeks that
// they have not said how went.
func queueYourChecks(b *pgx.Batch, projectID, viewerID int64, you *coproduce.YourPart) {
	b.Queue(`
		SELECT true, r.id, r.title, r.opened_at FROM principle_rounds r
		WHERE r.project_id = $1 AND r.closed_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM principle_answers a WHERE a.round_id = r.id AND a.user_id = $2)
		UNION ALL
		(SELECT false, m.id, m.title, m.starts_at FROM meetings m
		 JOIN meeting_attendance a ON a.meeting_id = m.id AND a.user_id = $2
		 WHERE m.project_id = $1 AND m.ends_at <= now() AND m.ends_at > now() - make_interval(days => $3)
		   AND m.cancelled_at IS NULL
		   AND NOT EXISTS (SELECT 1 FROM meeting_checks c WHERE c.meeting_id = m.id AND c.user_id = $2)
		 ORDER BY m.starts_at DESC, m.id DESC LIMIT $4)`, projectID, viewerID, checksWaitFor, youListed).
		Query(func(rows pgx.Rows) error {
			defer rows.Close()
			for rows.Next() {
				var round bool
				var id int64
				var title string
				var at time.Time
				if err := rows.Scan(&round, &id, &title, &at); err != nil {
					return err
				}
				if round {
					you.Round = &coproduce.PrinciplesRound{ID: id, ProjectID: projectID, Title: title, OpenedAt: at}
				} else {
					you.ToCheck = append(you.ToCheck, coproduce.ToCheck{MeetingID: id, Title: title, StartsAt: at})
				}
			}
			return rows.Err()
		})
}
