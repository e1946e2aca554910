package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// clock scans a nullable time-of-day column into "15:04" ("" for NULL).
type clock struct{ s *string }

// ScanTime implements pgtype.TimeScanner.
func (c clock) ScanTime(v pgtype.Time) error {
	if !v.Valid {
		*c.s = ""
		return nil
	}
	d := time.Duration(v.Microseconds) * time.Microsecond
	*c.s = fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
	return nil
}

// lockMeetingForChange locks a meeting that is to be edited or cancelled
// and returns it as it was: a cancelled meeting is ErrMeetingCancelled, one
// that has started ErrMeetingStarted, and one changed since the editor saw
// it (sequence) ErrStale.
func lockMeetingForChange(ctx context.Context, tx pgx.Tx, projectID, id int64, sequence int) (coproduce.Meeting, error) {
	m, err := scanMeeting(tx.QueryRow(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE project_id = $1 AND id = $2
		FOR UPDATE`, projectID, id))
	if err != nil {
		return m, err
	}
	var started bool
	if err := tx.QueryRow(ctx, `SELECT $1::timestamptz <= statement_timestamp()`, m.StartsAt).Scan(&started); err != nil {
		return m, err
	}
	switch {
	case m.Cancelled():
		return m, coproduce.ErrMeetingCancelled
	case started:
		return m, coproduce.ErrMeetingStarted
	case m.Sequence != sequence:
		return m, coproduce.ErrStale
	}
	return m, nil
}

// UpdateMeeting saves an organiser's changes to a meeting that has not
// started: m carries its id, project and the Sequence the editor saw. The
// sequence goes up by one, so calendars that saved the meeting take the new
// version; a meeting moved to another time is due a reminder again. The
// change is audited and news writes what its members are told, in the same
// transaction. It returns the meeting as it was before.
func (s *Store) UpdateMeeting(ctx context.Context, actorID int64, m coproduce.Meeting, news ...coproduce.News) (coproduce.Meeting, error) {
	var before coproduce.Meeting
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if before, err = lockMeetingForChange(ctx, tx, m.ProjectID, m.ID, m.Sequence); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE meetings SET title = $3, starts_at = $4, ends_at = $5, venue = $6, online_link = $7, step_free = $8,
				hearing_loop = $9, accessible_toilet = $10, parking = $11, sequence = sequence + 1,
				reminded_at = CASE WHEN starts_at = $4 THEN reminded_at END
			WHERE project_id = $1 AND id = $2`,
			m.ProjectID, m.ID, m.Title, m.StartsAt, m.EndsAt, m.Venue, m.OnlineLink, m.StepFree, m.HearingLoop,
			m.AccessibleToilet, m.Parking); err != nil {
			return translate(err)
		}
		was, now := meetingAudit(before), meetingAudit(m)
		for k, v := range was {
			if now[k] == v {
				delete(was, k)
				delete(now, k)
			}
		}
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: m.ProjectID,
			Action: coproduce.AuditMeetingUpdate, Subject: meetingSubject(m.ID), Before: was, After: now}); err != nil {
			return err
		}
		return s.announce(ctx, tx, m.ID, news)
	})
	return before, err
}

// meetingAudit is what the history shows of a meeting's details.
func meetingAudit(m coproduce.Meeting) map[string]any {
	return map[string]any{"title": m.Title, "starts_at": m.StartsAt.UTC().Format(time.RFC3339),
		"ends_at": m.EndsAt.UTC().Format(time.RFC3339), "venue": m.Venue, "online_link": m.OnlineLink,
		"step_free": m.StepFree, "hearing_loop": m.HearingLoop, "accessible_toilet": m.AccessibleToilet, "parking": m.Parking}
}

// CancelMeeting cancels a meeting that has not started, with an optional
// reason. The meeting is kept, shown as cancelled; its sequence goes up,
// so its calendar file now cancels it; replies and attendance close. The
// cancellation is audited and news written in the same transaction.
func (s *Store) CancelMeeting(ctx context.Context, actorID, projectID, id int64, sequence int, reason string, news ...coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockMeetingForChange(ctx, tx, projectID, id, sequence); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE meetings SET cancelled_at = now(), cancel_reason = $3, sequence = sequence + 1
			WHERE project_id = $1 AND id = $2`, projectID, id, reason); err != nil {
			return translate(err)
		}
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditMeetingCancel, Subject: meetingSubject(id),
			After: map[string]any{"reason": reason}}); err != nil {
			return err
		}
		return s.announce(ctx, tx, id, news)
	})
}

// draftTravelClaims starts a travel claim for each lay partner recorded as
// present at a meeting held somewhere (not online only), once per person
// per meeting, dated the meeting's day. It starts from their last travel
// claim for one of the project's meetings (the same journey, most often),
// or else from nothing. The drafts of people no longer recorded as present
// go. It returns who got a new draft.
func draftTravelClaims(ctx context.Context, tx pgx.Tx, actorID, projectID, meetingID int64) ([]int64, error) {
	if _, err := tx.Exec(ctx, `
		DELETE FROM claims c WHERE c.meeting_id = $1 AND c.status = 'draft' AND c.drafted_by IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = $1 AND a.user_id = c.user_id)`,
		meetingID); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `
		INSERT INTO claims (project_id, user_id, category, incurred_on, miles, amount_pence, description, meeting_id,
			status, drafted_by)
		SELECT $1, a.user_id, coalesce(last.category, 'public_transport'),
		       (mt.starts_at AT TIME ZONE 'Europe/London')::date, last.miles, coalesce(last.amount_pence, 0),
		       coalesce(last.description, ''), mt.id, 'draft', $3
		FROM meeting_attendance a
		JOIN meetings mt ON mt.id = a.meeting_id
		JOIN memberships mb ON mb.project_id = mt.project_id AND mb.user_id = a.user_id
		LEFT JOIN LATERAL (
			SELECT c.category, c.miles, c.amount_pence, c.description FROM claims c
			WHERE c.project_id = $1 AND c.user_id = a.user_id AND c.meeting_id IS NOT NULL AND c.meeting_id <> $2
			  AND c.category NOT IN ('payment_short', 'payment_long', 'other', 'carer') AND c.status <> 'draft'
			ORDER BY c.created_at DESC, c.id DESC LIMIT 1) last ON true
		WHERE a.meeting_id = $2 AND mt.project_id = $1 AND mt.venue <> '' AND mb.role = 'lay_partner'
		ON CONFLICT (meeting_id, user_id) WHERE drafted_by IS NOT NULL DO NOTHING
		RETURNING id, user_id`, projectID, meetingID, actorID)
	if err != nil {
		return nil, err
	}
	type made struct{ id, user int64 }
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (made, error) {
		var m made
		err := r.Scan(&m.id, &m.user)
		return m, err
	})
	if err != nil {
		return nil, err
	}
	var users []int64
	for _, m := range list {
		users = append(users, m.user)
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditClaimDraft, Subject: claimSubject(m.id),
			After: map[string]any{"meeting": meetingID}}); err != nil {
			return nil, err
		}
	}
	return users, nil
}

// DraftClaim returns one of a project's draft claims, for its claimant or
// (others set) for a facilitator sending it for them: anything else is
// ErrNotFound.
func (s *Store) DraftClaim(ctx context.Context, projectID, viewerID, claimID int64, others bool) (coproduce.Claim, error) {
	claims, err := scanClaims(s.db.Query(ctx, claimColumns+`
		WHERE c.project_id = $2 AND c.id = $3 AND c.status = 'draft' AND ($4 OR c.user_id = $1)`,
		viewerID, projectID, claimID, others))
	if err != nil {
		return coproduce.Claim{}, err
	}
	if len(claims) == 0 {
		return coproduce.Claim{}, coproduce.ErrNotFound
	}
	return claims[0], nil
}

// SendDraftClaim fills in a draft claim as checked (c) and sends it for a
// decision: by its claimant, or by a facilitator for them (others set),
// which the claim and the audit trail record. A draft already sent or gone
// is ErrStale. news is written in the same transaction.
func (s *Store) SendDraftClaim(ctx context.Context, actorID, projectID, claimID int64, others bool, c NewClaim, news ...coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var userID, meetingID int64
		err := tx.QueryRow(ctx, `SELECT user_id, coalesce(meeting_id, 0) FROM claims
			WHERE project_id = $1 AND id = $2 AND status = 'draft' AND ($4 OR user_id = $3) FOR UPDATE`,
			projectID, claimID, actorID, others).Scan(&userID, &meetingID)
		if isNotFound(translate(err)) {
			return coproduce.ErrStale
		}
		if err != nil {
			return err
		}
		var receiptID *int64
		if len(c.Receipt) > 0 {
			var rid int64
			if err := tx.QueryRow(ctx, `INSERT INTO receipts (user_id, content_type, data) VALUES ($1, $2, $3) RETURNING id`,
				userID, c.ReceiptType, c.Receipt).Scan(&rid); err != nil {
				return translate(err)
			}
			receiptID = &rid
		}
		var miles *int
		if c.Miles > 0 {
			miles = &c.Miles
		}
		var by *int64
		if actorID != userID {
			by = &actorID
		}
		if _, err := tx.Exec(ctx, `
			UPDATE claims SET status = 'submitted', category = $3, incurred_on = $4, miles = $5, amount_pence = $6,
				description = $7, receipt_id = coalesce($8, receipt_id), submitted_by = $9, created_at = now()
			WHERE project_id = $1 AND id = $2`,
			projectID, claimID, c.Category, c.IncurredOn, miles, c.Amount, c.Description, receiptID, by); err != nil {
			return translate(err)
		}
		if err := recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditClaimSend, Subject: claimSubject(claimID),
			After: map[string]any{"category": c.Category, "amount_pence": c.Amount, "for": userSubject(userID)}}); err != nil {
			return err
		}
		return s.announce(ctx, tx, claimID, news)
	})
}

// DiscardDraftClaim removes a draft its claimant (or a facilitator for
// them, others set) says is not needed: they had no travel costs.
func (s *Store) DiscardDraftClaim(ctx context.Context, actorID, projectID, claimID int64, others bool) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM claims WHERE project_id = $1 AND id = $2 AND status = 'draft'
			AND ($4 OR user_id = $3)`, projectID, claimID, actorID, others)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return coproduce.ErrStale
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditClaimSend, Subject: claimSubject(claimID), After: map[string]any{"status": "discarded"}})
	})
}

// MeetingNeeds returns, for a meeting's reminder, what each member told
// the project they need, by account. It is read for the people themselves
// (each reminder carries only its reader's own needs), so it is not an
// audited read by someone else.
func meetingNeeds(ctx context.Context, tx pgx.Tx, projectID int64) (map[int64]coproduce.SupportProfile, error) {
	rows, err := tx.Query(ctx, `
		SELECT mb.user_id, `+supportOrEmpty+`
		FROM memberships mb JOIN support_profiles sp ON sp.project_id = mb.project_id AND sp.user_id = mb.user_id
		WHERE mb.project_id = $1`, projectID)
	if err != nil {
		return nil, err
	}
	out := map[int64]coproduce.SupportProfile{}
	_, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (struct{}, error) {
		var p coproduce.SupportProfile
		err := r.Scan(append([]any{&p.UserID}, supportFields(&p)...)...)
		p.ProjectID = projectID
		out[p.UserID] = p
		return struct{}{}, err
	})
	return out, err
}
