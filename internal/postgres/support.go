package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

const supportColumns = `large_print, easy_read, bsl_interpreter, language_interpreter, hearing_loop, step_free,
	accessible_toilet, breaks, good_times, bad_times, carer_attending, dietary, other`

func supportFields(p *coproduce.SupportProfile) []any {
	return []any{&p.LargePrint, &p.EasyRead, &p.BSLInterpreter, &p.LanguageInterpreter, &p.HearingLoop, &p.StepFree,
		&p.AccessibleToilet, &p.Breaks, &p.GoodTimes, &p.BadTimes, &p.CarerAttending, &p.Dietary, &p.Other}
}

// SupportProfile returns a person's support profile (empty if they have
// written none). When the reader is someone else, the read is recorded in
// the audit trail in the same transaction: this is special-category data.
func (s *Store) SupportProfile(ctx context.Context, readerID, projectID, userID int64) (coproduce.SupportProfile, error) {
	p := coproduce.SupportProfile{UserID: userID}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT `+supportColumns+`, updated_at FROM support_profiles WHERE user_id = $1`, userID).
			Scan(append(supportFields(&p), &p.UpdatedAt)...)
		if err != nil && !isNotFound(translate(err)) {
			return err
		}
		if readerID == userID {
			return nil
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: readerID, ProjectID: projectID,
			Action: coproduce.AuditSupportRead, Subject: userSubject(userID)})
	})
	return p, err
}

// SaveSupportProfile writes a person's own support profile.
func (s *Store) SaveSupportProfile(ctx context.Context, p coproduce.SupportProfile) error {
	args := []any{p.UserID, p.LargePrint, p.EasyRead, p.BSLInterpreter, p.LanguageInterpreter, p.HearingLoop, p.StepFree,
		p.AccessibleToilet, p.Breaks, p.GoodTimes, p.BadTimes, p.CarerAttending, p.Dietary, p.Other}
	_, err := s.db.Exec(ctx, `
		INSERT INTO support_profiles (user_id, `+supportColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (user_id) DO UPDATE SET large_print = $2, easy_read = $3, bsl_interpreter = $4,
			language_interpreter = $5, hearing_loop = $6, step_free = $7, accessible_toilet = $8, breaks = $9,
			good_times = $10, bad_times = $11, carer_attending = $12, dietary = $13, other = $14, updated_at = now()`, args...)
	return translate(err)
}

// SetBuddy pairs a lay partner with a staff member (replacing any earlier
// buddy); both must be members.
func (s *Store) SetBuddy(ctx context.Context, actorID, projectID, partnerID, buddyID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO buddies (project_id, partner_id, buddy_id) VALUES ($1, $2, $3)
			ON CONFLICT (project_id, partner_id) DO UPDATE SET buddy_id = $3, created_at = now()`,
			projectID, partnerID, buddyID); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditBuddySet, Subject: userSubject(partnerID), After: map[string]any{"buddy": buddyID}})
	})
}

// Buddies lists a project's pairings.
func (s *Store) Buddies(ctx context.Context, projectID int64) ([]coproduce.Buddy, error) {
	rows, err := s.db.Query(ctx, buddiesSQL+buddiesOrder, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanBuddy)
}

const (
	buddiesSQL = `
		SELECT b.partner_id, p.name, b.buddy_id, u.name, u.email
		FROM buddies b JOIN users p ON p.id = b.partner_id JOIN users u ON u.id = b.buddy_id
		WHERE b.project_id = $1`
	buddiesOrder = ` ORDER BY lower(p.name)`
)

func scanBuddy(r pgx.CollectableRow) (coproduce.Buddy, error) {
	var b coproduce.Buddy
	err := r.Scan(&b.PartnerID, &b.PartnerName, &b.BuddyID, &b.BuddyName, &b.BuddyEmail)
	return b, err
}

const meetingColumns = `id, project_id, title, starts_at, ends_at, venue, online_link, step_free, hearing_loop,
	accessible_toilet, parking, notes, attendance_taken`

func scanMeeting(row pgx.Row) (coproduce.Meeting, error) {
	var m coproduce.Meeting
	err := row.Scan(&m.ID, &m.ProjectID, &m.Title, &m.StartsAt, &m.EndsAt, &m.Venue, &m.OnlineLink, &m.StepFree,
		&m.HearingLoop, &m.AccessibleToilet, &m.Parking, &m.Notes, &m.AttendanceTaken)
	return m, translate(err)
}

func meetingSubject(id int64) string { return "meeting:" + strconv.FormatInt(id, 10) }

// CreateMeeting schedules a meeting.
func (s *Store) CreateMeeting(ctx context.Context, actorID int64, m coproduce.Meeting) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			INSERT INTO meetings (project_id, title, starts_at, ends_at, venue, online_link, step_free, hearing_loop,
				accessible_toilet, parking, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			m.ProjectID, m.Title, m.StartsAt, m.EndsAt, m.Venue, m.OnlineLink, m.StepFree, m.HearingLoop,
			m.AccessibleToilet, m.Parking, actorID).Scan(&id); err != nil {
			return translate(err)
		}
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: m.ProjectID,
			Action: coproduce.AuditMeetingCreate, Subject: meetingSubject(id),
			After: map[string]any{"title": m.Title, "starts_at": m.StartsAt}}); err != nil {
			return err
		}
		return touchStage(ctx, tx, actorID, m.ProjectID, coproduce.StepSupport)
	})
	return id, err
}

// Meetings lists a project's meetings in time order.
func (s *Store) Meetings(ctx context.Context, projectID int64) ([]coproduce.Meeting, error) {
	rows, err := s.db.Query(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE project_id = $1 ORDER BY starts_at, id`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Meeting, error) { return scanMeeting(r) })
}

// Meeting returns one of a project's meetings.
func (s *Store) Meeting(ctx context.Context, projectID, id int64) (coproduce.Meeting, error) {
	return scanMeeting(s.db.QueryRow(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE project_id = $1 AND id = $2`, projectID, id))
}

// ReplyToMeeting records whether a member is coming.
func (s *Store) ReplyToMeeting(ctx context.Context, meetingID, userID int64, attending bool) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO meeting_replies (meeting_id, user_id, attending) VALUES ($1, $2, $3)
		ON CONFLICT (meeting_id, user_id) DO UPDATE SET attending = $3, replied_at = now()`, meetingID, userID, attending)
	return translate(err)
}

// Attendees lists a meeting's project members with their replies and
// attendance. With profiles set, each comes with their support profile,
// and reading them is audited for readerID: only leads and facilitators
// may ask for that.
func (s *Store) Attendees(ctx context.Context, readerID int64, m coproduce.Meeting, profiles bool) ([]coproduce.Attendee, error) {
	var out []coproduce.Attendee
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT mb.user_id, u.name, mb.role, r.attending, (a.user_id IS NOT NULL),
			       `+supportOrEmpty+`
			FROM memberships mb JOIN users u ON u.id = mb.user_id
			LEFT JOIN meeting_replies r ON r.meeting_id = $2 AND r.user_id = mb.user_id
			LEFT JOIN meeting_attendance a ON a.meeting_id = $2 AND a.user_id = mb.user_id
			LEFT JOIN support_profiles sp ON sp.user_id = mb.user_id AND $3
			WHERE mb.project_id = $1 ORDER BY lower(u.name), u.id`, m.ProjectID, m.ID, profiles)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Attendee, error) {
			var a coproduce.Attendee
			err := r.Scan(append([]any{&a.UserID, &a.Name, &a.Role, &a.Attending, &a.Attended}, supportFields(&a.Profile)...)...)
			a.Profile.UserID = a.UserID
			return a, err
		})
		if err != nil || !profiles {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: readerID, ProjectID: m.ProjectID,
			Action: coproduce.AuditSupportRead, Subject: meetingSubject(m.ID)})
	})
	return out, err
}

// supportOrEmpty reads support_profiles as sp, with the empty profile
// when there is none (or it was not asked for).
const supportOrEmpty = `coalesce(sp.large_print, false), coalesce(sp.easy_read, false),
	coalesce(sp.bsl_interpreter, false), coalesce(sp.language_interpreter, ''), coalesce(sp.hearing_loop, false),
	coalesce(sp.step_free, false), coalesce(sp.accessible_toilet, false), coalesce(sp.breaks, false),
	coalesce(sp.good_times, ''), coalesce(sp.bad_times, ''), coalesce(sp.carer_attending, false),
	coalesce(sp.dietary, ''), coalesce(sp.other, '')`

// RecordAttendance saves who came to a meeting, and its notes, replacing
// any earlier record.
func (s *Store) RecordAttendance(ctx context.Context, actorID, projectID, meetingID int64, present []int64, notes string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE meetings SET attendance_taken = true, notes = $3 WHERE project_id = $1 AND id = $2`,
			projectID, meetingID, notes)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return coproduce.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `DELETE FROM meeting_attendance WHERE meeting_id = $1`, meetingID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO meeting_attendance (meeting_id, user_id)
			SELECT $1, m.user_id FROM memberships m WHERE m.project_id = $2 AND m.user_id = ANY($3)`,
			meetingID, projectID, present); err != nil {
			return err
		}
		if err := createInvolvementPayments(ctx, tx, projectID, meetingID); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditMeetingAttendance, Subject: meetingSubject(meetingID),
			After: map[string]any{"present": len(present)}})
	})
}
