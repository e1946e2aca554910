package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

const supportColumns = `large_print, easy_read, bsl_interpreter, language_interpreter, hearing_loop, step_free,
	accessible_toilet, breaks, good_times, bad_times, carer_attending, dietary, other, not_before, not_after,
	screen_reader, braille, audio, plain_text_email, advocate, share_flags`

// supportColumnsOf is supportColumns qualified by a table alias.
func supportColumnsOf(alias string) string {
	cols := strings.Split(strings.Join(strings.Fields(supportColumns), ""), ",")
	for i, c := range cols {
		cols[i] = alias + "." + c
	}
	return strings.Join(cols, ", ")
}

func supportFields(p *coproduce.SupportProfile) []any {
	return []any{&p.LargePrint, &p.EasyRead, &p.BSLInterpreter, &p.LanguageInterpreter, &p.HearingLoop, &p.StepFree,
		&p.AccessibleToilet, &p.Breaks, &p.GoodTimes, &p.BadTimes, &p.CarerAttending, &p.Dietary, &p.Other,
		clock{&p.NotBefore}, clock{&p.NotAfter}, &p.ScreenReader, &p.Braille, &p.Audio, &p.PlainTextEmail, &p.Advocate,
		&p.ShareFlags}
}

// SupportProfile returns what a person told one project they need (empty
// if nothing). When the reader is someone else, the read is recorded in the
// audit trail in the same transaction: this is special-category data, and
// the person sees every reading on their own support page.
func (s *Store) SupportProfile(ctx context.Context, readerID, projectID, userID int64) (coproduce.SupportProfile, error) {
	p := coproduce.SupportProfile{ProjectID: projectID, UserID: userID}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT `+supportColumnsOf("sp")+`, sp.updated_at,
				coalesce(rb.name, ''), coalesce(sp.recorded_how, ''), sp.updated_at
			FROM support_profiles sp LEFT JOIN users rb ON rb.id = sp.recorded_by
			WHERE sp.project_id = $1 AND sp.user_id = $2`, projectID, userID).
			Scan(append(supportFields(&p), &p.UpdatedAt, &p.Recorded.ByName, &p.Recorded.How, &p.Recorded.At)...)
		if err != nil && !isNotFound(translate(err)) {
			return err
		}
		// How they asked to be contacted is kept on the membership (taking
		// part offline records it there too).
		err = tx.QueryRow(ctx, `SELECT contact_way, phone, postal_address FROM memberships
			WHERE project_id = $1 AND user_id = $2`, projectID, userID).
			Scan(&p.Contact.Way, &p.Contact.Phone, &p.Contact.Address)
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

// SaveSupportProfile writes what a person tells one of their projects they
// need. Someone not a member of the project is ErrNotFound. The save is
// audited (without the needs themselves).
func (s *Store) SaveSupportProfile(ctx context.Context, p coproduce.SupportProfile) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := upsertSupport(ctx, tx, p); err != nil {
			return err
		}
		if err := saveContact(ctx, tx, p); err != nil {
			return err
		}
		if err := recordOnBehalf(ctx, tx, p.ProjectID, p.UserID, "support", userSubject(p.UserID)); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: p.UserID, ProjectID: p.ProjectID,
			Action: coproduce.AuditSupportSave, Subject: userSubject(p.UserID)})
	})
}

func upsertSupport(ctx context.Context, tx pgx.Tx, p coproduce.SupportProfile) error {
	by, how := recorder(ctx)
	args := []any{p.ProjectID, p.UserID, p.LargePrint, p.EasyRead, p.BSLInterpreter, p.LanguageInterpreter, p.HearingLoop,
		p.StepFree, p.AccessibleToilet, p.Breaks, p.GoodTimes, p.BadTimes, p.CarerAttending, p.Dietary, p.Other,
		p.NotBefore, p.NotAfter, by, how, p.ScreenReader, p.Braille, p.Audio, p.PlainTextEmail, p.Advocate, p.ShareFlags}
	_, err := tx.Exec(ctx, `
		INSERT INTO support_profiles (project_id, user_id, `+supportColumns+`, recorded_by, recorded_how)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
			nullif($16::text, '')::time, nullif($17::text, '')::time, $20, $21, $22, $23, $24, $25, $18, $19)
		ON CONFLICT (project_id, user_id) DO UPDATE SET large_print = $3, easy_read = $4, bsl_interpreter = $5,
			language_interpreter = $6, hearing_loop = $7, step_free = $8, accessible_toilet = $9, breaks = $10,
			good_times = $11, bad_times = $12, carer_attending = $13, dietary = $14, other = $15,
			not_before = nullif($16::text, '')::time, not_after = nullif($17::text, '')::time, updated_at = now(),
			recorded_by = $18, recorded_how = $19, screen_reader = $20, braille = $21, audio = $22,
			plain_text_email = $23, advocate = $24, share_flags = $25`, args...)
	return translate(err)
}

// saveContact keeps how the person asked to be contacted on their
// membership, when the form said (a profile copied from another project
// leaves it as it is), with the phone number and address as the form
// shows them.
func saveContact(ctx context.Context, tx pgx.Tx, p coproduce.SupportProfile) error {
	c := p.Contact
	if c.Way == "" {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE memberships SET contact_way = $3, phone = $4, postal_address = $5
		WHERE project_id = $1 AND user_id = $2`, p.ProjectID, p.UserID, c.Way, c.Phone, c.Address)
	return translate(err)
}

// SupportSources lists what a person told their other projects, and any
// needs they gave before needs were kept per project, for them to copy
// into projectID if they choose. Only non-empty ones are listed; nothing
// is read for anyone but the person.
func (s *Store) SupportSources(ctx context.Context, userID, projectID int64) ([]coproduce.SupportSource, error) {
	rows, err := s.db.Query(ctx, `
		SELECT sp.project_id, p.title, `+supportColumnsOf("sp")+`, sp.updated_at
		FROM support_profiles sp
		JOIN memberships m ON m.project_id = sp.project_id AND m.user_id = sp.user_id
		JOIN projects p ON p.id = sp.project_id
		WHERE sp.user_id = $1 AND sp.project_id <> $2
		UNION ALL
		SELECT 0, '', `+supportColumnsOf("u")+`, u.updated_at FROM support_profiles_unplaced u WHERE u.user_id = $1
		ORDER BY 1 DESC`, userID, projectID)
	if err != nil {
		return nil, err
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.SupportSource, error) {
		var src coproduce.SupportSource
		err := r.Scan(append(append([]any{&src.ProjectID, &src.ProjectTitle}, supportFields(&src.Profile)...), &src.Profile.UpdatedAt)...)
		src.Profile.ProjectID, src.Profile.UserID = src.ProjectID, userID
		return src, err
	})
	if err != nil {
		return nil, err
	}
	var out []coproduce.SupportSource
	for _, src := range all {
		if !src.Profile.Empty() {
			out = append(out, src)
		}
	}
	return out, nil
}

// CopySupportProfile copies, at the person's own request, what they told
// another of their projects (fromProjectID; 0 for needs given before needs
// were kept per project) into projectID, replacing what they had told it.
// A source that is not the person's own is ErrNotFound. The copy is
// audited.
func (s *Store) CopySupportProfile(ctx context.Context, userID, projectID, fromProjectID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		p := coproduce.SupportProfile{ProjectID: projectID, UserID: userID}
		var err error
		if fromProjectID == 0 {
			err = tx.QueryRow(ctx, `SELECT `+supportColumns+` FROM support_profiles_unplaced WHERE user_id = $1`,
				userID).Scan(supportFields(&p)...)
		} else {
			// The foreign key to memberships means the row exists only
			// while the person is a member of the source project.
			err = tx.QueryRow(ctx, `SELECT `+supportColumns+` FROM support_profiles WHERE project_id = $1 AND user_id = $2`,
				fromProjectID, userID).Scan(supportFields(&p)...)
		}
		if err != nil {
			return translate(err)
		}
		if err := upsertSupport(ctx, tx, p); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: userID, ProjectID: projectID,
			Action: coproduce.AuditSupportCopy, Subject: userSubject(userID),
			After: map[string]any{"from_project": fromProjectID}})
	})
}

// SupportReads lists every reading of a person's needs in a project by
// someone else, newest first: who (and their role in the project now) and
// when, from the audit trail. Before needs were kept per project, a
// meeting's access plan recorded one event for the meeting (subject
// "meeting:N") and read the needs of every member; such an event is listed
// for each person who was a member at the time, since theirs were read.
func (s *Store) SupportReads(ctx context.Context, projectID, userID int64) ([]coproduce.SupportRead, error) {
	rows, err := s.db.Query(ctx, `
		SELECT a.at, coalesce(u.name, ''), coalesce(m.role, ''),
		       CASE WHEN a.subject LIKE 'meeting:%' THEN substr(a.subject, 9)::bigint
		            ELSE coalesce((a.after->>'meeting')::bigint, 0) END
		FROM audit_events a
		LEFT JOIN users u ON u.id = a.actor_id
		LEFT JOIN memberships m ON m.project_id = a.project_id AND m.user_id = a.actor_id
		WHERE a.project_id = $1 AND a.action = $3 AND a.actor_id IS DISTINCT FROM $4
		  AND (a.subject = $2 OR (a.subject LIKE 'meeting:%' AND EXISTS (
		       SELECT 1 FROM memberships me WHERE me.project_id = $1 AND me.user_id = $4 AND me.created_at <= a.at)))
		ORDER BY a.at DESC, a.id DESC`, projectID, userSubject(userID), coproduce.AuditSupportRead, userID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.SupportRead, error) {
		var x coproduce.SupportRead
		err := r.Scan(&x.At, &x.ReaderName, &x.ReaderRole, &x.MeetingID)
		return x, err
	})
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
		SELECT b.partner_id, p.name, b.buddy_id, u.name, coalesce(u.email, '')
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
	accessible_toilet, parking, notes, attendance_taken, sequence, cancelled_at, cancel_reason`

func scanMeeting(row pgx.Row) (coproduce.Meeting, error) {
	var m coproduce.Meeting
	err := row.Scan(&m.ID, &m.ProjectID, &m.Title, &m.StartsAt, &m.EndsAt, &m.Venue, &m.OnlineLink, &m.StepFree,
		&m.HearingLoop, &m.AccessibleToilet, &m.Parking, &m.Notes, &m.AttendanceTaken, &m.Sequence, &m.CancelledAt,
		&m.CancelReason)
	return m, translate(err)
}

func meetingSubject(id int64) string { return "meeting:" + strconv.FormatInt(id, 10) }

// CreateMeeting schedules a meeting.
func (s *Store) CreateMeeting(ctx context.Context, actorID int64, m coproduce.Meeting, news ...coproduce.News) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, _, err = onceForToken(ctx, tx, actorID, "meeting", m.FormToken, func() (int64, error) {
			var id int64
			if err := tx.QueryRow(ctx, `
				INSERT INTO meetings (project_id, title, starts_at, ends_at, venue, online_link, step_free, hearing_loop,
					accessible_toilet, parking, created_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
				m.ProjectID, m.Title, m.StartsAt, m.EndsAt, m.Venue, m.OnlineLink, m.StepFree, m.HearingLoop,
				m.AccessibleToilet, m.Parking, actorID).Scan(&id); err != nil {
				return 0, translate(err)
			}
			if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: m.ProjectID,
				Action: coproduce.AuditMeetingCreate, Subject: meetingSubject(id),
				After: map[string]any{"title": m.Title, "starts_at": m.StartsAt}}); err != nil {
				return 0, err
			}
			if err := s.announce(ctx, tx, id, news); err != nil {
				return 0, err
			}
			return id, touchStage(ctx, tx, actorID, m.ProjectID, coproduce.StepSupport)
		})
		return err
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
	var projectID int64
	if _, ok := coproduce.OnBehalfFrom(ctx); ok {
		if err := s.db.QueryRow(ctx, `SELECT project_id FROM meetings WHERE id = $1`, meetingID).Scan(&projectID); err != nil {
			return translate(err)
		}
	}
	return s.inTxOnBehalf(ctx, projectID, userID, "meeting_reply", "meeting:"+strconv.FormatInt(meetingID, 10), func(s *Store) error {
		by, how := recorder(ctx)
		_, err := s.db.Exec(ctx, `
			INSERT INTO meeting_replies (meeting_id, user_id, attending, recorded_by, recorded_how) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (meeting_id, user_id) DO UPDATE SET attending = $3, replied_at = now(),
				recorded_by = $4, recorded_how = $5`, meetingID, userID, attending, by, how)
		return translate(err)
	})
}

// Attendees lists a meeting's project members with their replies and
// attendance. With profiles set, each who said they are coming comes with
// the needs they told this project, and each such reading is audited for
// readerID (one event per person, which they see on their support page):
// only leads and facilitators may ask for that.
func (s *Store) Attendees(ctx context.Context, readerID int64, m coproduce.Meeting, profiles bool) ([]coproduce.Attendee, error) {
	var out []coproduce.Attendee
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT mb.user_id, u.name, mb.role, r.attending, (a.user_id IS NOT NULL), (sp.user_id IS NOT NULL),
			       coalesce(rb.name, ''), coalesce(r.recorded_how, ''), coalesce(r.replied_at, now()),
			       `+supportOrEmpty+`
			FROM memberships mb JOIN users u ON u.id = mb.user_id
			LEFT JOIN meeting_replies r ON r.meeting_id = $2 AND r.user_id = mb.user_id
			LEFT JOIN users rb ON rb.id = r.recorded_by
			LEFT JOIN meeting_attendance a ON a.meeting_id = $2 AND a.user_id = mb.user_id
			LEFT JOIN support_profiles sp ON sp.project_id = mb.project_id AND sp.user_id = mb.user_id AND $3
				AND r.attending
			WHERE mb.project_id = $1 ORDER BY lower(u.name), u.id`, m.ProjectID, m.ID, profiles)
		if err != nil {
			return err
		}
		var read []int64
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Attendee, error) {
			var a coproduce.Attendee
			var has bool
			err := r.Scan(append([]any{&a.UserID, &a.Name, &a.Role, &a.Attending, &a.Attended, &has,
				&a.Replied.ByName, &a.Replied.How, &a.Replied.At}, supportFields(&a.Profile)...)...)
			a.Profile.UserID, a.Profile.ProjectID = a.UserID, m.ProjectID
			if has && a.UserID != readerID {
				read = append(read, a.UserID)
			}
			return a, err
		})
		if err != nil || !profiles {
			return err
		}
		// One event per person whose needs were read, so that each person
		// sees on their own support page that this meeting's plan read them.
		for _, id := range read {
			if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: readerID, ProjectID: m.ProjectID,
				Action: coproduce.AuditSupportRead, Subject: userSubject(id),
				After: map[string]any{"meeting": m.ID}}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// supportOrEmpty reads support_profiles (one project's) as sp, with the empty profile
// when there is none (or it was not asked for).
const supportOrEmpty = `coalesce(sp.large_print, false), coalesce(sp.easy_read, false),
	coalesce(sp.bsl_interpreter, false), coalesce(sp.language_interpreter, ''), coalesce(sp.hearing_loop, false),
	coalesce(sp.step_free, false), coalesce(sp.accessible_toilet, false), coalesce(sp.breaks, false),
	coalesce(sp.good_times, ''), coalesce(sp.bad_times, ''), coalesce(sp.carer_attending, false),
	coalesce(sp.dietary, ''), coalesce(sp.other, ''), sp.not_before, sp.not_after,
	coalesce(sp.screen_reader, false), coalesce(sp.braille, false), coalesce(sp.audio, false),
	coalesce(sp.plain_text_email, false), coalesce(sp.advocate, false), coalesce(sp.share_flags, false)`

// RecordAttendance saves who came to a meeting, and its notes, replacing
// any earlier record. A meeting that has not started is
// ErrMeetingNotStarted: who came is not known yet, and the payments
// attendance makes would be dated in the future.
//
// Each lay partner recorded as present at a meeting with a venue gets a
// draft claim for their travel (draftTravelClaims), for them to check and
// send; tell, if given, writes the news that tells them, in the same
// transaction. A cancelled meeting is ErrMeetingCancelled.
func (s *Store) RecordAttendance(ctx context.Context, actorID, projectID, meetingID int64, present []int64, notes string,
	tell ...func(drafted []int64) coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var started, cancelled bool
		if err := tx.QueryRow(ctx, `SELECT starts_at <= statement_timestamp(), cancelled_at IS NOT NULL FROM meetings
			WHERE project_id = $1 AND id = $2 FOR UPDATE`, projectID, meetingID).Scan(&started, &cancelled); err != nil {
			return translate(err)
		}
		if cancelled {
			return coproduce.ErrMeetingCancelled
		}
		if !started {
			return coproduce.ErrMeetingNotStarted
		}
		if _, err := tx.Exec(ctx, `UPDATE meetings SET attendance_taken = true, notes = $3 WHERE project_id = $1 AND id = $2`,
			projectID, meetingID, notes); err != nil {
			return err
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
		drafted, err := draftTravelClaims(ctx, tx, actorID, projectID, meetingID)
		if err != nil {
			return err
		}
		if len(drafted) > 0 {
			for _, t := range tell {
				if err := s.announce(ctx, tx, meetingID, []coproduce.News{t(drafted)}); err != nil {
					return err
				}
			}
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditMeetingAttendance, Subject: meetingSubject(meetingID),
			After: map[string]any{"present": len(present)}})
	})
}
