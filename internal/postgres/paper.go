package postgres

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// ErrNoSuchOriginal means a version was sent for a paper that is not one
// of the meeting's papers (removed meanwhile, or itself a version).
var ErrNoSuchOriginal = errors.New("no such paper to be a version of")

// NewPaper is a checked upload: the file, what it really is, and where it
// goes.
type NewPaper struct {
	MeetingID    int64
	AgendaItemID int64 // 0: the whole meeting
	VersionOf    int64 // 0: a paper; otherwise the paper this is a version of
	Version      coproduce.PaperVersion
	Title        string
	FileName     string
	ContentType  string
	Data         []byte
	FormToken    string
}

func paperSubject(id int64) string { return "paper:" + strconv.FormatInt(id, 10) }

// AddPaper keeps a paper (or a version of one) for one of the project's
// meetings, audited. The same form sent twice keeps one. A version of a
// paper that is not the meeting's, or is itself a version, is
// ErrNoSuchOriginal; a second version of the same kind is ErrConflict; an
// agenda item not of this meeting is ErrNotFound.
func (s *Store) AddPaper(ctx context.Context, actorID, projectID int64, p NewPaper) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, _, err = onceForToken(ctx, tx, actorID, "paper", p.FormToken, func() (int64, error) {
			var meeting string
			if err := tx.QueryRow(ctx, `SELECT title FROM meetings WHERE id = $1 AND project_id = $2`,
				p.MeetingID, projectID).Scan(&meeting); err != nil {
				return 0, translate(err)
			}
			title := p.Title
			if p.VersionOf != 0 {
				if err := tx.QueryRow(ctx, `SELECT title FROM papers WHERE id = $1 AND meeting_id = $2 AND version = 'standard'`,
					p.VersionOf, p.MeetingID).Scan(&title); errors.Is(err, pgx.ErrNoRows) {
					return 0, ErrNoSuchOriginal
				} else if err != nil {
					return 0, err
				}
			}
			var id int64
			if err := tx.QueryRow(ctx, `
				INSERT INTO papers (meeting_id, agenda_item_id, version_of, version, title, file_name, content_type, size, data, added_by)
				VALUES ($1, nullif($2, 0), nullif($3, 0), $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
				p.MeetingID, p.AgendaItemID, p.VersionOf, p.Version, title, p.FileName, p.ContentType, len(p.Data), p.Data,
				actorID).Scan(&id); err != nil {
				return 0, translate(err)
			}
			after := map[string]any{"title": title, "file_name": p.FileName, "for_meeting": meeting}
			if p.Version != coproduce.PaperStandard {
				after["paper_version"] = string(p.Version)
			}
			return id, recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
				Action: coproduce.AuditPaperAdd, Subject: paperSubject(id), After: after})
		})
		return err
	})
	return id, err
}

// paperColumns list a paper without its bytes; late compares when it was
// added with when the meeting's papers were due.
const paperColumns = `p.id, p.meeting_id, coalesce(p.agenda_item_id, 0), coalesce(p.version_of, 0), p.version, p.title,
	p.file_name, p.content_type, p.size, coalesce(u.name, ''), p.added_at,
	p.added_at > m.starts_at - make_interval(days => m.papers_due_days)`

const paperFrom = ` FROM papers p JOIN meetings m ON m.id = p.meeting_id LEFT JOIN users u ON u.id = p.added_by`

func scanPaper(row pgx.Row) (coproduce.Paper, error) {
	var p coproduce.Paper
	err := row.Scan(&p.ID, &p.MeetingID, &p.AgendaItemID, &p.VersionOf, &p.Version, &p.Title, &p.FileName,
		&p.ContentType, &p.Size, &p.AddedBy, &p.AddedAt, &p.Late)
	return p, translate(err)
}

// MeetingPapers reads a meeting's papers setting, its papers (each with its
// versions) in the order they were added, and its agenda items.
func (s *Store) MeetingPapers(ctx context.Context, projectID, meetingID int64) (coproduce.MeetingPapers, error) {
	var mp coproduce.MeetingPapers
	b := &pgx.Batch{}
	b.Queue(`SELECT papers_due_days FROM meetings WHERE id = $1 AND project_id = $2`, meetingID, projectID).
		QueryRow(func(row pgx.Row) error { return translate(row.Scan(&mp.DueDays)) })
	b.Queue(`SELECT `+paperColumns+paperFrom+` WHERE p.meeting_id = $1 AND m.project_id = $2 ORDER BY p.added_at, p.id`,
		meetingID, projectID).
		Query(func(rows pgx.Rows) error {
			all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Paper, error) { return scanPaper(r) })
			mp.Papers = groupPapers(all)
			return err
		})
	b.Queue(`SELECT a.id, a.position, a.title FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
		WHERE a.meeting_id = $1 AND m.project_id = $2 ORDER BY a.position, a.id`, meetingID, projectID).
		Query(func(rows pgx.Rows) (err error) {
			mp.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.AgendaChoice, error) {
				var a coproduce.AgendaChoice
				return a, r.Scan(&a.ID, &a.Position, &a.Title)
			})
			return err
		})
	return mp, s.db.SendBatch(ctx, b).Close()
}

// groupPapers puts each version with its paper, keeping the order.
func groupPapers(all []coproduce.Paper) []coproduce.Paper {
	var out []coproduce.Paper
	at := map[int64]int{}
	for _, p := range all {
		if p.VersionOf == 0 {
			at[p.ID] = len(out)
			out = append(out, p)
		}
	}
	for _, p := range all {
		if i, ok := at[p.VersionOf]; ok && p.VersionOf != 0 {
			out[i].Versions = append(out[i].Versions, p)
		}
	}
	return out
}

// Paper returns one of a meeting's papers, without its bytes.
func (s *Store) Paper(ctx context.Context, projectID, meetingID, paperID int64) (coproduce.Paper, error) {
	return scanPaper(s.db.QueryRow(ctx, `SELECT `+paperColumns+paperFrom+`
		WHERE p.id = $1 AND p.meeting_id = $2 AND m.project_id = $3`, paperID, meetingID, projectID))
}

// PaperFile returns a paper's file: its name, type and bytes.
func (s *Store) PaperFile(ctx context.Context, projectID, meetingID, paperID int64) (name, contentType string, data []byte, err error) {
	err = s.db.QueryRow(ctx, `
		SELECT p.file_name, p.content_type, p.data FROM papers p JOIN meetings m ON m.id = p.meeting_id
		WHERE p.id = $1 AND p.meeting_id = $2 AND m.project_id = $3`, paperID, meetingID, projectID).
		Scan(&name, &contentType, &data)
	return name, contentType, data, translate(err)
}

// RemovePaper removes a paper, and with it its versions, audited.
func (s *Store) RemovePaper(ctx context.Context, actorID, projectID, meetingID, paperID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var title, file, version, meeting string
		if err := tx.QueryRow(ctx, `
			DELETE FROM papers p USING meetings m
			WHERE p.id = $1 AND p.meeting_id = $2 AND m.id = p.meeting_id AND m.project_id = $3
			RETURNING p.title, p.file_name, p.version, m.title`, paperID, meetingID, projectID).Scan(&title, &file, &version, &meeting); err != nil {
			return translate(err)
		}
		before := map[string]any{"title": title, "file_name": file, "for_meeting": meeting}
		if version != string(coproduce.PaperStandard) {
			before["paper_version"] = version
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditPaperRemove, Subject: paperSubject(paperID), Before: before})
	})
}

// SetPapersDue changes how many days before a meeting its papers are due,
// audited when it changes.
func (s *Store) SetPapersDue(ctx context.Context, actorID, projectID, meetingID int64, days int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var before int
		if err := tx.QueryRow(ctx, `SELECT papers_due_days FROM meetings WHERE id = $1 AND project_id = $2 FOR UPDATE`,
			meetingID, projectID).Scan(&before); err != nil {
			return translate(err)
		}
		if before == days {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE meetings SET papers_due_days = $2 WHERE id = $1`, meetingID, days); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditPapersDue, Subject: meetingSubject(meetingID),
			Before: map[string]any{"papers_due_days": before}, After: map[string]any{"papers_due_days": days}})
	})
}

// queueLatePapers queues, for a lead's work list, the meetings still to
// come whose papers are due and either not added or some added late.
func queueLatePapers(b *pgx.Batch, projectID int64, w *coproduce.WorkList) {
	b.Queue(`
		SELECT m.id, m.project_id, m.title, m.starts_at, m.ends_at, d.due,
		       NOT EXISTS (SELECT 1 FROM papers p WHERE p.meeting_id = m.id),
		       (SELECT count(*) FROM papers p WHERE p.meeting_id = m.id AND p.added_at > d.due)
		FROM meetings m, LATERAL (SELECT m.starts_at - make_interval(days => m.papers_due_days) AS due) d
		WHERE m.project_id = $1 AND m.starts_at > now() AND d.due <= now()
		  AND (NOT EXISTS (SELECT 1 FROM papers p WHERE p.meeting_id = m.id)
		       OR EXISTS (SELECT 1 FROM papers p WHERE p.meeting_id = m.id AND p.added_at > d.due))
		ORDER BY m.starts_at, m.id LIMIT $2`, projectID, workListed).
		Query(func(rows pgx.Rows) (err error) {
			w.LatePapers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.LatePapers, error) {
				var l coproduce.LatePapers
				m := &l.Meeting
				return l, r.Scan(&m.ID, &m.ProjectID, &m.Title, &m.StartsAt, &m.EndsAt, &l.Due, &l.None, &l.Late)
			})
			return err
		})
}
