package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func agendaSubject(id int64) string { return "agenda_item:" + strconv.FormatInt(id, 10) }

// AgendaItems returns a meeting's agenda in order, each item with the
// ideas it discusses and what its minutes say.
func (s *Store) AgendaItems(ctx context.Context, meetingID int64) ([]coproduce.AgendaItem, error) {
	rows, err := s.db.Query(ctx, `
		SELECT i.id, i.meeting_id, i.position, i.title, coalesce(to_char(i.starts_at, 'HH24:MI'), ''),
		       coalesce(i.led_by, 0), coalesce(u.name, ''), coalesce(m.discussion, ''), coalesce(m.decisions, '')
		FROM agenda_items i
		LEFT JOIN users u ON u.id = i.led_by
		LEFT JOIN agenda_item_minutes m ON m.agenda_item_id = i.id
		WHERE i.meeting_id = $1 ORDER BY i.position`, meetingID)
	if err != nil {
		return nil, err
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.AgendaItem, error) {
		var a coproduce.AgendaItem
		err := r.Scan(&a.ID, &a.MeetingID, &a.Position, &a.Title, &a.Time, &a.LedBy, &a.LeaderName, &a.Discussion, &a.Decisions)
		return a, err
	})
	if err != nil || len(items) == 0 {
		return items, err
	}
	byID := map[int64]int{}
	for i, a := range items {
		byID[a.ID] = i
	}
	rows, err = s.db.Query(ctx, `
		SELECT ai.agenda_item_id, p.id, p.title, p.status, coalesce(p.response, '')
		FROM agenda_item_ideas ai
		JOIN agenda_items i ON i.id = ai.agenda_item_id
		JOIN proposals p ON p.id = ai.proposal_id
		WHERE i.meeting_id = $1 ORDER BY p.id`, meetingID)
	if err != nil {
		return nil, err
	}
	var itemID int64
	var idea coproduce.AgendaIdea
	_, err = pgx.ForEachRow(rows, []any{&itemID, &idea.ID, &idea.Title, &idea.Status, &idea.Response}, func() error {
		items[byID[itemID]].Ideas = append(items[byID[itemID]].Ideas, idea)
		return nil
	})
	return items, err
}

// lockAgendaItem finds a meeting's item in a project and locks the
// meeting's agenda, so that changes to its order happen one at a time.
func lockAgendaItem(ctx context.Context, tx pgx.Tx, projectID, meetingID, itemID int64) (int, error) {
	if err := lockAgenda(ctx, tx, projectID, meetingID); err != nil {
		return 0, err
	}
	var pos int
	err := tx.QueryRow(ctx, `SELECT position FROM agenda_items WHERE meeting_id = $1 AND id = $2`, meetingID, itemID).Scan(&pos)
	return pos, translate(err)
}

// lockAgenda locks a project's meeting (ErrNotFound for another project's).
func lockAgenda(ctx context.Context, tx pgx.Tx, projectID, meetingID int64) error {
	var id int64
	return translate(tx.QueryRow(ctx, `SELECT id FROM meetings WHERE project_id = $1 AND id = $2 FOR UPDATE`,
		projectID, meetingID).Scan(&id))
}

func setAgendaIdeas(ctx context.Context, tx pgx.Tx, projectID, itemID int64, ideas []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM agenda_item_ideas WHERE agenda_item_id = $1`, itemID); err != nil {
		return err
	}
	// Only the project's own ideas are linked, whatever the ids say.
	_, err := tx.Exec(ctx, `
		INSERT INTO agenda_item_ideas (agenda_item_id, proposal_id)
		SELECT $1, id FROM proposals WHERE project_id = $2 AND id = ANY($3)`, itemID, projectID, ideas)
	return translate(err)
}

func agendaAfter(in coproduce.AgendaItemValues) map[string]any {
	return map[string]any{"title": in.Title, "time": in.Time, "led_by": in.LedBy, "ideas": in.Ideas}
}

// nullTime is an item's time of day for the database: none when empty.
func nullTime(t string) *string {
	if t == "" {
		return nil
	}
	return &t
}

// AddAgendaItem adds an item at the end of a meeting's agenda. The leader
// must be a member of the project (ErrNotFound otherwise).
func (s *Store) AddAgendaItem(ctx context.Context, actorID, projectID, meetingID int64, in coproduce.AgendaItemValues) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockAgenda(ctx, tx, projectID, meetingID); err != nil {
			return err
		}
		if err := checkLeader(ctx, tx, projectID, in.LedBy); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO agenda_items (meeting_id, position, title, starts_at, led_by)
			VALUES ($1, (SELECT coalesce(max(position), 0) + 1 FROM agenda_items WHERE meeting_id = $1), $2, $3, nullif($4, 0))
			RETURNING id`, meetingID, in.Title, nullTime(in.Time), in.LedBy).Scan(&id); err != nil {
			return translate(err)
		}
		if err := setAgendaIdeas(ctx, tx, projectID, id, in.Ideas); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditAgendaAdd, Subject: meetingSubject(meetingID), After: agendaAfter(in)})
	})
	return id, err
}

// checkLeader refuses a leader who is not a member of the project.
func checkLeader(ctx context.Context, tx pgx.Tx, projectID, userID int64) error {
	if userID == 0 {
		return nil
	}
	var one int
	return translate(tx.QueryRow(ctx, `SELECT 1 FROM memberships WHERE project_id = $1 AND user_id = $2`, projectID, userID).Scan(&one))
}

// UpdateAgendaItem changes an item's title, time, leader and ideas.
func (s *Store) UpdateAgendaItem(ctx context.Context, actorID, projectID, meetingID, itemID int64, in coproduce.AgendaItemValues) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockAgendaItem(ctx, tx, projectID, meetingID, itemID); err != nil {
			return err
		}
		if err := checkLeader(ctx, tx, projectID, in.LedBy); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE agenda_items SET title = $2, starts_at = $3, led_by = nullif($4, 0) WHERE id = $1`,
			itemID, in.Title, nullTime(in.Time), in.LedBy); err != nil {
			return translate(err)
		}
		if err := setAgendaIdeas(ctx, tx, projectID, itemID, in.Ideas); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditAgendaUpdate, Subject: agendaSubject(itemID), After: agendaAfter(in)})
	})
}

// RemoveAgendaItem takes an item off the agenda; the items after it move
// up one.
func (s *Store) RemoveAgendaItem(ctx context.Context, actorID, projectID, meetingID, itemID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		pos, err := lockAgendaItem(ctx, tx, projectID, meetingID, itemID)
		if err != nil {
			return err
		}
		var title string
		if err := tx.QueryRow(ctx, `DELETE FROM agenda_items WHERE id = $1 RETURNING title`, itemID).Scan(&title); err != nil {
			return translate(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE agenda_items SET position = position - 1 WHERE meeting_id = $1 AND position > $2`,
			meetingID, pos); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditAgendaRemove, Subject: meetingSubject(meetingID), Before: map[string]any{"title": title}})
	})
}

// MoveAgendaItem swaps an item with the one before it (up) or after it.
// The first item cannot go up nor the last down: nothing changes.
func (s *Store) MoveAgendaItem(ctx context.Context, actorID, projectID, meetingID, itemID int64, up bool) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		pos, err := lockAgendaItem(ctx, tx, projectID, meetingID, itemID)
		if err != nil {
			return err
		}
		to := pos + 1
		if up {
			to = pos - 1
		}
		// The unique position is checked at commit, so the two swap freely.
		tag, err := tx.Exec(ctx, `UPDATE agenda_items SET position = $3 WHERE meeting_id = $1 AND position = $2`, meetingID, to, pos)
		if err != nil || tag.RowsAffected() == 0 {
			return translate(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE agenda_items SET position = $2 WHERE id = $1`, itemID, to); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditAgendaMove, Subject: agendaSubject(itemID),
			Before: map[string]any{"position": pos}, After: map[string]any{"position": to}})
	})
}

// Minutes returns a meeting's minutes: a draft with nothing in it when
// none were written.
func (s *Store) Minutes(ctx context.Context, meetingID int64) (coproduce.Minutes, error) {
	m := coproduce.Minutes{MeetingID: meetingID, Status: coproduce.MinutesDraft}
	var published *time.Time
	err := s.db.QueryRow(ctx, `SELECT status, published_at FROM meeting_minutes WHERE meeting_id = $1`, meetingID).
		Scan(&m.Status, &published)
	if err != nil && !isNotFound(translate(err)) {
		return m, err
	}
	if published != nil {
		m.PublishedAt = *published
	}
	if m.Items, err = s.AgendaItems(ctx, meetingID); err != nil {
		return m, err
	}
	rows, err := s.db.Query(ctx, `
		SELECT coalesce(a.agenda_item_id, 0), a.proposal_id, p.title, a.response, a.rationale
		FROM proposal_answers a JOIN proposals p ON p.id = a.proposal_id
		WHERE a.meeting_id = $1 ORDER BY a.id`, meetingID)
	if err != nil {
		return m, err
	}
	if m.Decisions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.MeetingDecision, error) {
		var d coproduce.MeetingDecision
		err := r.Scan(&d.ItemID, &d.ProposalID, &d.Title, &d.Response, &d.Rationale)
		return d, err
	}); err != nil {
		return m, err
	}
	rows, err = s.db.Query(ctx, `
		SELECT a.id, a.proposal_id, a.description, a.owner, a.due_on, a.status, a.agenda_item_id, p.title
		FROM action_items a JOIN agenda_items i ON i.id = a.agenda_item_id JOIN proposals p ON p.id = a.proposal_id
		WHERE i.meeting_id = $1 ORDER BY i.position, a.id`, meetingID)
	if err != nil {
		return m, err
	}
	if m.Actions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.MinutedAction, error) {
		var a coproduce.MinutedAction
		err := r.Scan(&a.ID, &a.ProposalID, &a.Description, &a.Owner, &a.DueOn, &a.Status, &a.ItemID, &a.IdeaTitle)
		return a, err
	}); err != nil {
		return m, err
	}
	rows, err = s.db.Query(ctx, `
		SELECT c.id, c.meeting_id, coalesce(u.name, ''), c.body, c.created_at, c.hidden_at IS NOT NULL, coalesce(c.hidden_reason, '')
		FROM minute_comments c LEFT JOIN users u ON u.id = c.author_id
		WHERE c.meeting_id = $1 ORDER BY c.id`, meetingID)
	if err != nil {
		return m, err
	}
	if m.Comments, err = pgx.CollectRows(rows, scanMinuteComment); err != nil {
		return m, err
	}
	m.Moderations, err = minuteModerations(ctx, s.db, meetingID)
	return m, err
}

// startMinutes makes the meeting's minutes, as a draft, if they are not
// there yet. Minutes are written once the meeting has started.
func startMinutes(ctx context.Context, tx pgx.Tx, meetingID int64) error {
	var started bool
	if err := tx.QueryRow(ctx, `SELECT starts_at <= now() FROM meetings WHERE id = $1`, meetingID).Scan(&started); err != nil {
		return translate(err)
	}
	if !started {
		return coproduce.ErrMeetingNotStarted
	}
	_, err := tx.Exec(ctx, `INSERT INTO meeting_minutes (meeting_id) VALUES ($1) ON CONFLICT (meeting_id) DO NOTHING`, meetingID)
	return err
}

// SaveItemMinutes writes what was discussed under an agenda item and the
// decisions taken. A meeting that has not started is ErrMeetingNotStarted.
func (s *Store) SaveItemMinutes(ctx context.Context, actorID, projectID, meetingID, itemID int64, in coproduce.ItemMinutesInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockAgendaItem(ctx, tx, projectID, meetingID, itemID); err != nil {
			return err
		}
		if err := startMinutes(ctx, tx, meetingID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO agenda_item_minutes (agenda_item_id, discussion, decisions) VALUES ($1, $2, $3)
			ON CONFLICT (agenda_item_id) DO UPDATE SET discussion = $2, decisions = $3`,
			itemID, in.Discussion, in.Decisions); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditMinutesSave, Subject: agendaSubject(itemID),
			After: map[string]any{"discussion": in.Discussion, "decisions": in.Decisions}})
	})
}

// itemIdea checks that an agenda item discusses the idea, and returns the
// idea.
func (s *Store) itemIdea(ctx context.Context, tx pgx.Tx, projectID, meetingID, itemID, proposalID int64) (coproduce.Proposal, error) {
	if _, err := lockAgendaItem(ctx, tx, projectID, meetingID, itemID); err != nil {
		return coproduce.Proposal{}, err
	}
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM agenda_item_ideas WHERE agenda_item_id = $1 AND proposal_id = $2`,
		itemID, proposalID).Scan(&one); err != nil {
		return coproduce.Proposal{}, translate(err)
	}
	return s.withDB(tx).Proposal(ctx, projectID, proposalID)
}

// DecideAtMeeting answers an idea an agenda item discusses, as the
// meeting decided: an open idea gets its answer, an answered one a new
// answer (its earlier one kept in its history), by the same rules and with
// the same news as answering it on its own page. The answer remembers the
// meeting, so the idea says where it was decided. A withdrawn idea is
// ErrStale.
func (s *Store) DecideAtMeeting(ctx context.Context, actorID, projectID, meetingID, itemID, proposalID int64, in coproduce.ResponseInput, news ...coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		p, err := s.itemIdea(ctx, tx, projectID, meetingID, itemID, proposalID)
		if err != nil {
			return err
		}
		if err := startMinutes(ctx, tx, meetingID); err != nil {
			return err
		}
		st := s.withDB(tx)
		if p.Open {
			err = st.RespondToProposal(ctx, actorID, projectID, proposalID, in, news...)
		} else {
			err = st.ChangeAnswer(ctx, actorID, projectID, proposalID, in, news...)
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE proposal_answers SET meeting_id = $2, agenda_item_id = $3
			WHERE id = (SELECT max(id) FROM proposal_answers WHERE proposal_id = $1)`, proposalID, meetingID, itemID)
		return err
	})
}

// AddMinutedAction minutes an action under an agenda item for an idea the
// item discusses: it becomes that idea's action, by the same rules as one
// added on the idea's page (the idea must be adopted or adapted).
func (s *Store) AddMinutedAction(ctx context.Context, actorID, projectID, meetingID, itemID, proposalID int64, in coproduce.ActionInput, due time.Time) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := s.itemIdea(ctx, tx, projectID, meetingID, itemID, proposalID); err != nil {
			return err
		}
		if err := startMinutes(ctx, tx, meetingID); err != nil {
			return err
		}
		id, err := s.addAction(ctx, tx, actorID, projectID, proposalID, in, due)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE action_items SET agenda_item_id = $2 WHERE id = $1`, id, itemID)
		return err
	})
}

// PublishMinutes publishes a meeting's draft minutes to its project's
// members, and writes the news telling them. Minutes already published
// are ErrStale; a meeting not started is ErrMeetingNotStarted.
func (s *Store) PublishMinutes(ctx context.Context, actorID, projectID, meetingID int64, news ...coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockAgenda(ctx, tx, projectID, meetingID); err != nil {
			return err
		}
		if err := startMinutes(ctx, tx, meetingID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE meeting_minutes SET status = 'published', published_at = now(), published_by = $2
			WHERE meeting_id = $1 AND status = 'draft'`, meetingID, actorID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return coproduce.ErrStale
		}
		if err := s.announce(ctx, tx, meetingID, news); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditMinutesPublish, Subject: meetingSubject(meetingID),
			Before: map[string]any{"status": "draft"}, After: map[string]any{"status": "published"}})
	})
}

// AddMinuteComment adds a member's comment to published minutes; minutes
// not published are ErrNotFound.
func (s *Store) AddMinuteComment(ctx context.Context, projectID, meetingID, authorID int64, body string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		INSERT INTO minute_comments (meeting_id, author_id, body)
		SELECT mm.meeting_id, $3, $4 FROM meeting_minutes mm JOIN meetings m ON m.id = mm.meeting_id
		WHERE m.project_id = $1 AND mm.meeting_id = $2 AND mm.status = 'published'
		RETURNING id`, projectID, meetingID, authorID, body).Scan(&id)
	return id, translate(err)
}

// decidedAtSQL finds the meeting at which an idea's current answer was
// given, if it was.
const decidedAtSQL = `
	SELECT m.id, m.starts_at, coalesce(mm.status = 'published', false)
	FROM proposal_answers a JOIN meetings m ON m.id = a.meeting_id
	LEFT JOIN meeting_minutes mm ON mm.meeting_id = m.id
	WHERE a.id = (SELECT max(id) FROM proposal_answers WHERE proposal_id = $1)`

// queueDecidedAt adds to an idea page's batch the meeting at which its
// current answer was given.
func queueDecidedAt(b *pgx.Batch, proposalID int64, v *coproduce.ProposalPage) {
	b.Queue(decidedAtSQL, proposalID).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var d coproduce.DecidedAt
			if err := rows.Scan(&d.MeetingID, &d.StartsAt, &d.Published); err != nil {
				return err
			}
			v.DecidedAt = &d
		}
		return rows.Err()
	})
}

// BackdateMinutes sets when a meeting's minutes were published, for the
// demo's story (which happened over weeks, loaded in a moment).
func (s *Store) BackdateMinutes(ctx context.Context, meetingID int64, at time.Time) error {
	_, err := s.db.Exec(ctx, `UPDATE meeting_minutes SET published_at = $2 WHERE meeting_id = $1 AND status = 'published'`, meetingID, at)
	return err
}
