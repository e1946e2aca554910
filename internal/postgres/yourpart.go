package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// The project page's per-viewer parts are queued on the page's one batch
// (ProjectOverview), so that they cost no extra round trip.

// youListed caps each of a member's lists on the project page; each list
// links to its full page.
const youListed = 10

// queueYourPart queues what the project page shows a member of their own
// part: what waits for them, their ideas, next meeting, claims and leads.
func queueYourPart(b *pgx.Batch, projectID, viewerID int64, you *coproduce.YourPart) {
	b.Queue(`
		SELECT p.id, p.title, p.created_at FROM proposals p
		WHERE p.project_id = $1 AND p.status = 'open' AND p.author_id IS DISTINCT FROM $2
		  AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.proposal_id = p.id AND v.user_id = $2)
		ORDER BY p.created_at, p.id LIMIT $3`, projectID, viewerID, youListed).
		Query(func(rows pgx.Rows) (err error) {
			you.ToVote, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.IdeaSummary, error) {
				i := coproduce.IdeaSummary{ProjectID: projectID, Open: true}
				return i, r.Scan(&i.ID, &i.Title, &i.CreatedAt)
			})
			return err
		})
	b.Queue(`SELECT `+meetingColumns+` FROM meetings m
		WHERE m.project_id = $1 AND m.starts_at > now() AND m.cancelled_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM meeting_replies r WHERE r.meeting_id = m.id AND r.user_id = $2)
		ORDER BY m.starts_at, m.id LIMIT $3`, projectID, viewerID, youListed).
		Query(func(rows pgx.Rows) (err error) {
			you.ToAnswer, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Meeting, error) { return scanMeeting(r) })
			return err
		})
	queueYourIdeas(b, projectID, viewerID, you)
	// The member's own needs are read to say what has been arranged for
	// them: their own data, so not a read anyone else's audit records.
	b.Queue(`
		SELECT m.id, m.project_id, m.title, m.starts_at, m.ends_at, m.venue, m.online_link, m.step_free,
		       m.hearing_loop, m.accessible_toilet, m.parking, m.notes, m.attendance_taken, r.attending, `+supportOrEmpty+`
		FROM meetings m
		LEFT JOIN meeting_replies r ON r.meeting_id = m.id AND r.user_id = $2
		LEFT JOIN support_profiles sp ON sp.project_id = m.project_id AND sp.user_id = $2
		WHERE m.project_id = $1 AND m.ends_at > now() AND m.cancelled_at IS NULL
		ORDER BY m.starts_at, m.id LIMIT 1`, projectID, viewerID).
		Query(func(rows pgx.Rows) error {
			defer rows.Close()
			for rows.Next() {
				n := &coproduce.NextMeeting{}
				var prof coproduce.SupportProfile
				m := &n.Meeting
				if err := rows.Scan(append([]any{&m.ID, &m.ProjectID, &m.Title, &m.StartsAt, &m.EndsAt, &m.Venue,
					&m.OnlineLink, &m.StepFree, &m.HearingLoop, &m.AccessibleToilet, &m.Parking, &m.Notes,
					&m.AttendanceTaken, &n.Attending}, supportFields(&prof)...)...); err != nil {
					return err
				}
				n.Arranged, n.NotArranged = coproduce.Arrangements(n.Meeting, prof.Needs())
				you.Next = n
			}
			return rows.Err()
		})
	b.Queue(`
		SELECT c.id, c.category, c.incurred_on, c.amount_pence, c.status, c.reason FROM claims c
		WHERE c.project_id = $1 AND c.user_id = $2 ORDER BY c.created_at DESC, c.id DESC LIMIT $3`,
		projectID, viewerID, youListed).
		Query(func(rows pgx.Rows) (err error) {
			you.Claims, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Claim, error) {
				c := coproduce.Claim{ProjectID: projectID, UserID: viewerID}
				return c, r.Scan(&c.ID, &c.Category, &c.IncurredOn, &c.Amount, &c.Status, &c.Reason)
			})
			return err
		})
	b.Queue(`
		SELECT u.name FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = $1 AND m.role = 'lead' AND m.user_id <> $2 ORDER BY lower(u.name), u.id`,
		projectID, viewerID).
		Query(func(rows pgx.Rows) (err error) {
			you.Leads, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
}

// queueYourIdeas queues the member's newest ideas and the actions on them.
func queueYourIdeas(b *pgx.Batch, projectID, viewerID int64, you *coproduce.YourPart) {
	const mine = `SELECT p.id FROM proposals p WHERE p.project_id = $1 AND p.author_id = $2
		ORDER BY p.created_at DESC, p.id DESC LIMIT $3`
	b.Queue(`
		SELECT p.id, p.title, p.status = 'open', p.status = 'withdrawn', coalesce(p.response, ''), p.created_at
		FROM proposals p
		WHERE p.id IN (`+mine+`) ORDER BY p.created_at DESC, p.id DESC`, projectID, viewerID, youListed).
		Query(func(rows pgx.Rows) (err error) {
			you.Ideas, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.YourIdea, error) {
				var i coproduce.YourIdea
				return i, r.Scan(&i.ID, &i.Title, &i.Open, &i.Withdrawn, &i.Response, &i.CreatedAt)
			})
			return err
		})
	b.Queue(`
		SELECT a.id, a.proposal_id, a.description, a.owner, a.due_on, a.status FROM action_items a
		WHERE a.proposal_id IN (`+mine+`) ORDER BY a.due_on, a.id`, projectID, viewerID, youListed).
		Query(func(rows pgx.Rows) error {
			actions, err := scanActions(rows)
			for i := range you.Ideas {
				you.Ideas[i].Actions = actions[you.Ideas[i].ID]
			}
			return err
		})
}

// workListed caps each kind of item on a lead's work list.
const workListed = 20

// queueWorkList queues what waits for a lead or facilitator: ideas nearing
// or past their answer date, claims they may decide, members who have not
// read or agreed, pending invitations and the next meeting's access gaps.
func queueWorkList(b *pgx.Batch, projectID, viewerID int64, w *coproduce.WorkList) {
	b.Queue(`
		SELECT p.id, p.title, coalesce(u.name, ''), floor(extract(epoch FROM now() - p.created_at) / 86400)::int
		FROM proposals p LEFT JOIN users u ON u.id = p.author_id
		WHERE p.project_id = $1 AND p.status = 'open' AND p.author_lay
		  AND p.created_at <= now() - make_interval(days => $2)
		ORDER BY p.created_at, p.id LIMIT $3`, projectID, coproduce.NearlyDue, workListed).
		Query(func(rows pgx.Rows) (err error) {
			w.Ideas, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.WaitingIdea, error) {
				var i coproduce.WaitingIdea
				return i, r.Scan(&i.ID, &i.Title, &i.Author, &i.Days)
			})
			return err
		})
	b.Queue(claimColumns+`
		WHERE c.project_id = $2 AND c.status = 'submitted' AND claim_decider_allowed($1, c.id)
		ORDER BY c.created_at, c.id LIMIT $3`, viewerID, projectID, workListed).
		Query(func(rows pgx.Rows) (err error) {
			w.Claims, err = scanClaims(rows, nil)
			return err
		})
	b.Queue(`
		WITH cur AS (SELECT max(version) AS v FROM purpose_versions WHERE project_id = $1)
		SELECT u.name FROM memberships m JOIN users u ON u.id = m.user_id, cur
		WHERE m.project_id = $1 AND cur.v IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM purpose_acknowledgements a
			WHERE a.project_id = $1 AND a.user_id = m.user_id AND a.version = cur.v AND a.acknowledged_at IS NOT NULL)
		ORDER BY lower(u.name), u.id LIMIT $2`, projectID, workListed).
		Query(func(rows pgx.Rows) (err error) {
			w.NotRead, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
	b.Queue(`
		SELECT u.name FROM four_rs f JOIN memberships m ON m.project_id = f.project_id AND m.user_id = f.user_id
		JOIN users u ON u.id = f.user_id
		WHERE f.project_id = $1 AND f.version > 0 AND f.acknowledged_version IS DISTINCT FROM f.version
		ORDER BY lower(u.name), u.id LIMIT $2`, projectID, workListed).
		Query(func(rows pgx.Rows) (err error) {
			w.NotAgreed, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
	b.Queue(invitationSelect+`
		WHERE i.project_id = $1 AND i.status = 'pending' AND i.expires_at > now()
		ORDER BY i.expires_at, i.id LIMIT $2`, projectID, workListed).
		Query(func(rows pgx.Rows) (err error) {
			w.Invitations, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Invitation, error) { return scanInvitation(r) })
			return err
		})
	queueAccessGap(b, projectID, w)
}

// queueAccessGap counts, for the next meeting at a venue, the people coming
// whose needs the venue lacks. Only counts leave the database: the names
// are on the meeting's access plan, whose reading is audited.
func queueAccessGap(b *pgx.Batch, projectID int64, w *coproduce.WorkList) {
	lacking := func(need string) string {
		return `(SELECT count(*) FROM meeting_replies r JOIN support_profiles sp
			ON sp.project_id = m.project_id AND sp.user_id = r.user_id
			WHERE r.meeting_id = m.id AND r.attending AND sp.` + need + ` AND NOT m.` + need + `)`
	}
	b.Queue(`SELECT `+meetingColumns+`, `+lacking("step_free")+`, `+lacking("hearing_loop")+`, `+lacking("accessible_toilet")+`
		FROM meetings m WHERE m.project_id = $1 AND m.starts_at > now() AND m.venue <> '' AND m.cancelled_at IS NULL
		ORDER BY m.starts_at, m.id LIMIT 1`, projectID).
		Query(func(rows pgx.Rows) error {
			defer rows.Close()
			for rows.Next() {
				var g coproduce.AccessGap
				m := &g.Meeting
				counts := make([]int, 3)
				if err := rows.Scan(&m.ID, &m.ProjectID, &m.Title, &m.StartsAt, &m.EndsAt, &m.Venue, &m.OnlineLink,
					&m.StepFree, &m.HearingLoop, &m.AccessibleToilet, &m.Parking, &m.Notes, &m.AttendanceTaken,
					&m.Sequence, &m.CancelledAt, &m.CancelReason, &counts[0], &counts[1], &counts[2]); err != nil {
					return err
				}
				for i, need := range []string{"step_free", "hearing_loop", "accessible_toilet"} {
					if counts[i] > 0 {
						g.Needs = append(g.Needs, coproduce.NeedCount{Need: need, Count: counts[i]})
					}
				}
				if len(g.Needs) > 0 {
					w.Access = &g
				}
			}
			return rows.Err()
		})
}

// MeetingsFor lists a project's meetings in time order, each with the
// member's reply (nil when they have not replied, or are not a member).
func (s *Store) MeetingsFor(ctx context.Context, projectID, userID int64) ([]coproduce.NextMeeting, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.id, m.project_id, m.title, m.starts_at, m.ends_at, m.venue, m.online_link, m.step_free,
		       m.hearing_loop, m.accessible_toilet, m.parking, m.notes, m.attendance_taken, r.attending, m.cancelled_at
		FROM meetings m LEFT JOIN meeting_replies r ON r.meeting_id = m.id AND r.user_id = $2
		WHERE m.project_id = $1 ORDER BY m.starts_at, m.id`, projectID, userID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.NextMeeting, error) {
		var n coproduce.NextMeeting
		m := &n.Meeting
		err := r.Scan(&m.ID, &m.ProjectID, &m.Title, &m.StartsAt, &m.EndsAt, &m.Venue, &m.OnlineLink, &m.StepFree,
			&m.HearingLoop, &m.AccessibleToilet, &m.Parking, &m.Notes, &m.AttendanceTaken, &n.Attending, &m.CancelledAt)
		return n, err
	})
}
