package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// The project page's per-viewer parts are queued on the page's one batch
// (ProjectOverview), so that they cost no extra round trip.

// youListed caps each of a member's lists on the project page; each list
// links to its full page.
const youListed = 10

// queueYourPart queues what the project page shows a member of their own
// part: what waits for them, their ideas, next meeting and claims (the
// leads' names are among the page's shared parts).
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
	queueYourMeetings(b, projectID, viewerID, you)
	queueYourIdeas(b, projectID, viewerID, you)
	queueRecordedFor(b, projectID, viewerID, &you.Recorded)
	queueYourChecks(b, projectID, viewerID, you)
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
}

// queueYourMeetings queues, in one statement, the next meeting (with what
// has been arranged for the member) and the meetings to come they have not
// replied to. The member's own needs are read to say what has been arranged
// for them: their own data, so not a read anyone else's audit records.
func queueYourMeetings(b *pgx.Batch, projectID, viewerID int64, you *coproduce.YourPart) {
	b.Queue(`
		SELECT m.id, m.project_id, m.title, m.starts_at, m.ends_at, m.venue, m.online_link, m.step_free,
		       m.hearing_loop, m.accessible_toilet, m.parking, m.notes, m.attendance_taken, r.attending,
		       m.id = next.id, `+supportOrEmpty+`
		FROM meetings m
		CROSS JOIN (SELECT id FROM meetings WHERE project_id = $1 AND ends_at > now() AND cancelled_at IS NULL
		            ORDER BY starts_at, id LIMIT 1) next
		LEFT JOIN meeting_replies r ON r.meeting_id = m.id AND r.user_id = $2
		LEFT JOIN support_profiles sp ON sp.project_id = m.project_id AND sp.user_id = $2
		WHERE m.project_id = $1 AND m.ends_at > now() AND m.cancelled_at IS NULL
		  AND (m.id = next.id OR (m.starts_at > now() AND r.attending IS NULL))
		ORDER BY m.starts_at, m.id LIMIT $3`, projectID, viewerID, youListed+1).
		Query(func(rows pgx.Rows) error {
			defer rows.Close()
			now := time.Now()
			for rows.Next() {
				n := coproduce.NextMeeting{}
				var prof coproduce.SupportProfile
				var isNext bool
				m := &n.Meeting
				if err := rows.Scan(append([]any{&m.ID, &m.ProjectID, &m.Title, &m.StartsAt, &m.EndsAt, &m.Venue,
					&m.OnlineLink, &m.StepFree, &m.HearingLoop, &m.AccessibleToilet, &m.Parking, &m.Notes,
					&m.AttendanceTaken, &n.Attending, &isNext}, supportFields(&prof)...)...); err != nil {
					return err
				}
				if isNext {
					n.Arranged, n.NotArranged = coproduce.Arrangements(n.Meeting, prof.Needs())
					you.Next = &n
				}
				if n.Attending == nil && m.StartsAt.After(now) && len(you.ToAnswer) < youListed {
					you.ToAnswer = append(you.ToAnswer, n.Meeting)
				}
			}
			return rows.Err()
		})
}

// queueYourIdeas queues the member's newest ideas, each with its actions
// (one row per action, or one for an idea without any).
func queueYourIdeas(b *pgx.Batch, projectID, viewerID int64, you *coproduce.YourPart) {
	b.Queue(`
		SELECT p.id, p.title, p.status = 'open', p.status = 'withdrawn', coalesce(p.response, ''), p.created_at,
		       a.id, a.description, a.owner, a.due_on, a.status
		FROM (SELECT id, title, status, response, created_at FROM proposals
		      WHERE project_id = $1 AND author_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3) p
		LEFT JOIN action_items a ON a.proposal_id = p.id
		ORDER BY p.created_at DESC, p.id DESC, a.due_on, a.id`, projectID, viewerID, youListed).
		Query(func(rows pgx.Rows) error {
			defer rows.Close()
			for rows.Next() {
				var i coproduce.YourIdea
				var actionID *int64
				var a coproduce.Action
				var desc, owner, status *string
				var due *time.Time
				if err := rows.Scan(&i.ID, &i.Title, &i.Open, &i.Withdrawn, &i.Response, &i.CreatedAt,
					&actionID, &desc, &owner, &due, &status); err != nil {
					return err
				}
				if n := len(you.Ideas); n == 0 || you.Ideas[n-1].ID != i.ID {
					you.Ideas = append(you.Ideas, i)
				}
				if actionID != nil {
					a = coproduce.Action{ID: *actionID, ProposalID: i.ID, Description: *desc, Owner: *owner,
						DueOn: *due, Status: coproduce.ActionStatus(*status)}
					last := &you.Ideas[len(you.Ideas)-1]
					last.Actions = append(last.Actions, a)
				}
			}
			return rows.Err()
		})
}

// workListed caps each kind of item on a lead's work list.
const workListed = 20

// workIdeasListed is how many of the ideas waiting for an answer the work
// list names, the oldest; it counts the rest. Twenty waiting ideas, each a
// line of its own, pushed everything else down the page (and were a fifth
// of the busiest project's page to write), with no word of how many more.
const workIdeasListed = 10

// queueClaimsToDecide queues the claims that wait for the viewer, a lead
// or facilitator: the part of their work list that is theirs alone.
func queueClaimsToDecide(b *pgx.Batch, projectID, viewerID int64, w *coproduce.WorkList) {
	b.Queue(claimsIMayDecide+`
		WHERE c.project_id = $2 AND c.status = 'submitted' AND claim_decider_allowed($1, c.id)
		ORDER BY c.created_at, c.id LIMIT $3`, viewerID, projectID, workListed).
		Query(func(rows pgx.Rows) (err error) {
			w.Claims, err = scanClaims(rows, nil)
			return err
		})
}

// queueWorkShared queues what waits for every lead and facilitator of a
// project alike: ideas nearing or past their answer date, members who have
// not read or agreed, pending invitations, the next meeting's access gaps
// and late papers. It is among the parts the project page keeps for a
// second.
func queueWorkShared(b *pgx.Batch, projectID int64, w *coproduce.WorkList) {
	b.Queue(`
		SELECT p.id, p.title, coalesce(u.name, ''), floor(extract(epoch FROM now() - p.created_at) / 86400)::int
		FROM proposals p LEFT JOIN users u ON u.id = p.author_id
		WHERE p.project_id = $1 AND p.status = 'open' AND p.author_lay
		  AND p.created_at <= now() - make_interval(days => $2)
		ORDER BY p.created_at, p.id LIMIT $3`, projectID, coproduce.NearlyDue, workIdeasListed).
		Query(func(rows pgx.Rows) (err error) {
			w.Ideas, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.WaitingIdea, error) {
				var i coproduce.WaitingIdea
				return i, r.Scan(&i.ID, &i.Title, &i.Author, &i.Days)
			})
			return err
		})
	b.Queue(`
		SELECT count(*) FROM proposals
		WHERE project_id = $1 AND status = 'open' AND author_lay AND created_at <= now() - make_interval(days => $2)`,
		projectID, coproduce.NearlyDue).
		QueryRow(func(row pgx.Row) error { return row.Scan(&w.IdeasWaiting) })
	b.Queue(`
		SELECT u.name FROM (`+notReadSQL+`) m JOIN users u ON u.id = m.user_id
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
	queueLatePapers(b, projectID, w)
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
