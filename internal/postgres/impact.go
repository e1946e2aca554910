package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func impactSubject(id int64) string { return "impact:" + strconv.FormatInt(id, 10) }

// ImpactEntries returns a project's impact log, the newest change first,
// each entry with what it came from and who contributed.
func (s *Store) ImpactEntries(ctx context.Context, projectID int64) ([]coproduce.ImpactEntry, error) {
	return s.impactEntries(ctx, projectID, 0)
}

// ImpactEntry returns one entry of a project's impact log.
func (s *Store) ImpactEntry(ctx context.Context, projectID, id int64) (coproduce.ImpactEntry, error) {
	list, err := s.impactEntries(ctx, projectID, id)
	if err != nil {
		return coproduce.ImpactEntry{}, err
	}
	if len(list) == 0 {
		return coproduce.ImpactEntry{}, coproduce.ErrNotFound
	}
	return list[0], nil
}

// impactEntries reads a project's entries (or, id > 0, one of them) in
// one round trip: the entries, their links to ideas and actions, their
// links to outcomes and their contributors.
func (s *Store) impactEntries(ctx context.Context, projectID, id int64) ([]coproduce.ImpactEntry, error) {
	var list []coproduce.ImpactEntry
	byID := map[int64]int{}
	b := &pgx.Batch{}
	b.Queue(`
		SELECT e.id, e.project_id, e.title, e.what_changed, e.changed_on, coalesce(u.name, ''), e.updated_at
		FROM impact_entries e LEFT JOIN users u ON u.id = e.created_by
		WHERE e.project_id = $1 AND ($2::bigint = 0 OR e.id = $2)
		ORDER BY e.changed_on DESC, e.id DESC`, projectID, id).Query(func(rows pgx.Rows) error {
		var err error
		list, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.ImpactEntry, error) {
			var e coproduce.ImpactEntry
			err := r.Scan(&e.ID, &e.ProjectID, &e.Title, &e.WhatChanged, &e.ChangedOn, &e.CreatedBy, &e.UpdatedAt)
			return e, err
		})
		for i, e := range list {
			byID[e.ID] = i
		}
		return err
	})
	b.Queue(`
		SELECT l.entry_id, coalesce(l.proposal_id, 0), coalesce(l.action_id, 0), p.id, p.title, coalesce(a.description, '')
		FROM impact_links l JOIN impact_entries e ON e.id = l.entry_id
		LEFT JOIN action_items a ON a.id = l.action_id
		JOIN proposals p ON p.id = coalesce(l.proposal_id, a.proposal_id)
		WHERE e.project_id = $1 AND ($2::bigint = 0 OR e.id = $2) AND l.outcome_id IS NULL
		ORDER BY p.id, a.id`, projectID, id).Query(func(rows pgx.Rows) error {
		var entryID, ideaID, actionID, proposalID int64
		var title, description string
		_, err := pgx.ForEachRow(rows, []any{&entryID, &ideaID, &actionID, &proposalID, &title, &description}, func() error {
			e := &list[byID[entryID]]
			if ideaID != 0 {
				e.Ideas = append(e.Ideas, coproduce.ImpactIdea{ID: ideaID, Title: title})
			} else {
				e.Actions = append(e.Actions, coproduce.ImpactAction{ID: actionID, ProposalID: proposalID,
					Description: description, IdeaTitle: title})
			}
			return nil
		})
		return err
	})
	b.Queue(`
		SELECT l.entry_id, o.id, o.title
		FROM impact_links l JOIN impact_entries e ON e.id = l.entry_id JOIN outcomes o ON o.id = l.outcome_id
		WHERE e.project_id = $1 AND ($2::bigint = 0 OR e.id = $2)
		ORDER BY o.id`, projectID, id).Query(func(rows pgx.Rows) error {
		var entryID int64
		var o coproduce.ImpactOutcome
		_, err := pgx.ForEachRow(rows, []any{&entryID, &o.ID, &o.Title}, func() error {
			e := &list[byID[entryID]]
			e.Outcomes = append(e.Outcomes, o)
			return nil
		})
		return err
	})
	b.Queue(`
		SELECT c.entry_id, c.user_id, u.name, coalesce(m.role, '')
		FROM impact_contributors c JOIN impact_entries e ON e.id = c.entry_id JOIN users u ON u.id = c.user_id
		LEFT JOIN memberships m ON m.project_id = e.project_id AND m.user_id = c.user_id
		WHERE e.project_id = $1 AND ($2::bigint = 0 OR e.id = $2)
		ORDER BY u.name, u.id`, projectID, id).Query(func(rows pgx.Rows) error {
		var entryID int64
		var c coproduce.ImpactContributor
		_, err := pgx.ForEachRow(rows, []any{&entryID, &c.UserID, &c.Name, &c.Role}, func() error {
			e := &list[byID[entryID]]
			e.Contributors = append(e.Contributors, c)
			return nil
		})
		return err
	})
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, translate(err)
	}
	return list, nil
}

// setImpactLinks replaces an entry's links and contributors. Only the
// project's own ideas, actions, outcomes and members are kept, whatever
// the ids say (and the database refuses another project's idea, action or
// outcome).
func setImpactLinks(ctx context.Context, tx pgx.Tx, projectID, entryID int64, in coproduce.ImpactValues) error {
	for _, q := range []string{`DELETE FROM impact_links WHERE entry_id = $1`, `DELETE FROM impact_contributors WHERE entry_id = $1`} {
		if _, err := tx.Exec(ctx, q, entryID); err != nil {
			return err
		}
	}
	for _, q := range []struct {
		sql string
		ids []int64
	}{
		{`INSERT INTO impact_links (entry_id, proposal_id)
			SELECT $1, id FROM proposals WHERE project_id = $2 AND id = ANY($3)`, in.Ideas},
		{`INSERT INTO impact_links (entry_id, action_id)
			SELECT $1, a.id FROM action_items a JOIN proposals p ON p.id = a.proposal_id WHERE p.project_id = $2 AND a.id = ANY($3)`, in.Actions},
		{`INSERT INTO impact_links (entry_id, outcome_id)
			SELECT $1, id FROM outcomes WHERE project_id = $2 AND id = ANY($3)`, in.Outcomes},
		{`INSERT INTO impact_contributors (entry_id, user_id)
			SELECT $1, user_id FROM memberships WHERE project_id = $2 AND user_id = ANY($3)`, in.Contributors},
	} {
		if len(q.ids) == 0 {
			continue
		}
		if _, err := tx.Exec(ctx, q.sql, entryID, projectID, q.ids); err != nil {
			return translate(err)
		}
	}
	return nil
}

func impactAfter(in coproduce.ImpactValues) map[string]any {
	return map[string]any{"title": in.Title, "what_changed": in.WhatChanged, "changed_on": in.ChangedOn.Format(time.DateOnly),
		"ideas": in.Ideas, "actions": in.Actions, "outcomes": in.Outcomes, "contributors": in.Contributors}
}

// AddImpactEntry records a change in the project's impact log, with its
// links and contributors, all or nothing.
func (s *Store) AddImpactEntry(ctx context.Context, actorID, projectID int64, in coproduce.ImpactValues) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			INSERT INTO impact_entries (project_id, title, what_changed, changed_on, created_by, updated_by)
			VALUES ($1, $2, $3, $4, nullif($5, 0), nullif($5, 0)) RETURNING id`,
			projectID, in.Title, in.WhatChanged, in.ChangedOn, actorID).Scan(&id); err != nil {
			return translate(err)
		}
		if err := setImpactLinks(ctx, tx, projectID, id, in); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditImpactAdd, Subject: impactSubject(id), After: impactAfter(in)})
	})
	return id, err
}

// UpdateImpactEntry changes an entry, its links and its contributors.
func (s *Store) UpdateImpactEntry(ctx context.Context, actorID, projectID, id int64, in coproduce.ImpactValues) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var before coproduce.ImpactValues
		if err := tx.QueryRow(ctx, `
			SELECT title, what_changed, changed_on FROM impact_entries WHERE project_id = $1 AND id = $2 FOR UPDATE`,
			projectID, id).Scan(&before.Title, &before.WhatChanged, &before.ChangedOn); err != nil {
			return translate(err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE impact_entries SET title = $2, what_changed = $3, changed_on = $4, updated_by = nullif($5, 0), updated_at = now()
			WHERE id = $1`, id, in.Title, in.WhatChanged, in.ChangedOn, actorID); err != nil {
			return translate(err)
		}
		if err := setImpactLinks(ctx, tx, projectID, id, in); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditImpactUpdate, Subject: impactSubject(id),
			Before: map[string]any{"title": before.Title, "what_changed": before.WhatChanged,
				"changed_on": before.ChangedOn.Format(time.DateOnly)},
			After: impactAfter(in)})
	})
}

// RemoveImpactEntry takes an entry out of the log.
func (s *Store) RemoveImpactEntry(ctx context.Context, actorID, projectID, id int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var title string
		if err := tx.QueryRow(ctx, `DELETE FROM impact_entries WHERE project_id = $1 AND id = $2 RETURNING title`,
			projectID, id).Scan(&title); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditImpactRemove, Subject: impactSubject(id), Before: map[string]any{"title": title}})
	})
}

// impactMentionsSQL finds the entries that came from an idea or from one
// of its actions.
const impactMentionsSQL = `
	SELECT DISTINCT e.id, e.title, e.changed_on
	FROM impact_links l JOIN impact_entries e ON e.id = l.entry_id
	LEFT JOIN action_items a ON a.id = l.action_id
	WHERE l.proposal_id = $1 OR a.proposal_id = $1
	ORDER BY e.changed_on DESC, e.id DESC`

// queueImpactMentions adds to an idea page's batch the changes it led to.
func queueImpactMentions(b *pgx.Batch, proposalID int64, v *coproduce.ProposalPage) {
	b.Queue(impactMentionsSQL, proposalID).Query(func(rows pgx.Rows) error {
		var err error
		v.Impact, err = pgx.CollectRows(rows, pgx.RowToStructByPos[coproduce.ImpactMention])
		return err
	})
}

// queueOutcomeImpact adds to an outcome page's batch the changes it led
// to: the entries that link to it, newest first.
func queueOutcomeImpact(b *pgx.Batch, outcomeID int64, o *coproduce.Outcome) {
	b.Queue(`
		SELECT e.id, e.title, e.changed_on
		FROM impact_links l JOIN impact_entries e ON e.id = l.entry_id
		WHERE l.outcome_id = $1 ORDER BY e.changed_on DESC, e.id DESC`, outcomeID).Query(func(rows pgx.Rows) error {
		var err error
		o.Impact, err = pgx.CollectRows(rows, pgx.RowToStructByPos[coproduce.ImpactMention])
		return err
	})
}

// Reflection returns the current version of the project's reflection, or
// version 0 with nothing in it when nobody has written one.
func (s *Store) Reflection(ctx context.Context, projectID int64) (coproduce.Reflection, error) {
	list, err := s.reflections(ctx, projectID, 1)
	if err != nil || len(list) == 0 {
		return coproduce.Reflection{}, err
	}
	return list[0], nil
}

// ReflectionHistory returns every version of the reflection, newest first.
func (s *Store) ReflectionHistory(ctx context.Context, projectID int64) ([]coproduce.Reflection, error) {
	return s.reflections(ctx, projectID, 0)
}

func (s *Store) reflections(ctx context.Context, projectID int64, limit int) ([]coproduce.Reflection, error) {
	rows, err := s.db.Query(ctx, `
		SELECT r.version, r.body, coalesce(r.written_by, 0), coalesce(u.name, ''), r.written_at
		FROM impact_reflections r LEFT JOIN users u ON u.id = r.written_by
		WHERE r.project_id = $1 ORDER BY r.version DESC
		LIMIT nullif($2::integer, 0)`, projectID, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Reflection, error) {
		var v coproduce.Reflection
		err := r.Scan(&v.Version, &v.Body, &v.WrittenBy, &v.WriterName, &v.WrittenAt)
		return v, err
	})
}

// SaveReflection keeps a new version of the reflection, if nobody saved
// one since the writer loaded version in.BaseVersion (ErrStale otherwise).
// Saving the same words again keeps no new version.
func (s *Store) SaveReflection(ctx context.Context, actorID, projectID int64, in coproduce.ReflectionInput) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var current int
		var body string
		if err := tx.QueryRow(ctx, `
			SELECT coalesce(max(version), 0), coalesce((SELECT body FROM impact_reflections WHERE project_id = $1 ORDER BY version DESC LIMIT 1), '')
			FROM impact_reflections WHERE project_id = $1`, projectID).Scan(&current, &body); err != nil {
			return err
		}
		if current != in.BaseVersion {
			return coproduce.ErrStale
		}
		if body == in.Body {
			return nil
		}
		// Two saves from the same version meet here, at the primary key.
		if _, err := tx.Exec(ctx, `
			INSERT INTO impact_reflections (project_id, version, body, written_by) VALUES ($1, $2, $3, nullif($4, 0))`,
			projectID, current+1, in.Body, actorID); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditReflectionSave, Subject: "project:" + strconv.FormatInt(projectID, 10),
			Before: map[string]any{"reflection": body}, After: map[string]any{"reflection": in.Body, "version": current + 1}})
	})
	if errors.Is(err, coproduce.ErrConflict) {
		return coproduce.ErrStale
	}
	return err
}

// AttendanceByRole counts, for a project's meetings that have started and
// were not cancelled, how many were held and how many times its members of
// each role came (people who have since left are not counted: their role
// went with their membership).
func (s *Store) AttendanceByRole(ctx context.Context, projectID int64) (int, map[coproduce.ProjectRole]int, error) {
	var held int
	if err := s.db.QueryRow(ctx, `
		SELECT count(*) FROM meetings WHERE project_id = $1 AND starts_at <= now() AND cancelled_at IS NULL`,
		projectID).Scan(&held); err != nil {
		return 0, nil, err
	}
	rows, err := s.db.Query(ctx, `
		SELECT ms.role, count(*)
		FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id
		JOIN memberships ms ON ms.project_id = m.project_id AND ms.user_id = a.user_id
		WHERE m.project_id = $1 AND m.cancelled_at IS NULL GROUP BY 1`, projectID)
	if err != nil {
		return 0, nil, err
	}
	out := map[coproduce.ProjectRole]int{}
	var role coproduce.ProjectRole
	var n int
	_, err = pgx.ForEachRow(rows, []any{&role, &n}, func() error { out[role] = n; return nil })
	return held, out, err
}
