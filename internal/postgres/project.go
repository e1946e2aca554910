package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

const projectColumns = `id, title, summary, title_cy, summary_cy, bilingual, status, coalesce(created_by, 0), created_at, updated_at`

func scanProject(row pgx.Row) (*coproduce.Project, error) {
	var p coproduce.Project
	err := row.Scan(&p.ID, &p.Title, &p.Summary, &p.TitleCy, &p.SummaryCy, &p.Bilingual, &p.Status, &p.CreatedBy, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// CreateProject creates a project with its seven stage records and makes
// its creator the lead, all in one transaction.
func (s *Store) CreateProject(ctx context.Context, creatorID int64, in coproduce.ProjectInput) (*coproduce.Project, error) {
	var p *coproduce.Project
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		id, again, err := onceForToken(ctx, tx, creatorID, "project", in.FormToken, func() (int64, error) {
			var err error
			p, err = scanProject(tx.QueryRow(ctx, `
				INSERT INTO projects (title, summary, title_cy, summary_cy, bilingual, status, created_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				RETURNING `+projectColumns, in.Title, in.Summary, in.TitleCy, in.SummaryCy, in.Bilingual, in.Status, creatorID))
			if err != nil {
				return 0, err
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO stages (project_id, step) SELECT $1, generate_series(1, 7)`, p.ID); err != nil {
				return 0, err
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO memberships (project_id, user_id, role) VALUES ($1, $2, 'lead')`,
				p.ID, creatorID); err != nil {
				return 0, translate(err)
			}
			return p.ID, recordAudit(ctx, tx, coproduce.AuditEvent{
				ActorID: creatorID, ProjectID: p.ID, Action: coproduce.AuditProjectCreate,
				Subject: projectSubject(p.ID), After: in,
			})
		})
		if err != nil || !again {
			return err
		}
		// Sent again: the project the first send made.
		p, err = scanProject(tx.QueryRow(ctx, `SELECT `+projectColumns+` FROM projects WHERE id = $1`, id))
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ProjectByID returns one project.
func (s *Store) ProjectByID(ctx context.Context, id int64) (*coproduce.Project, error) {
	return scanProject(s.db.QueryRow(ctx, `SELECT `+projectColumns+` FROM projects WHERE id = $1`, id))
}

// ProjectForUser returns a project and the person's role in it ("" when
// they are not a member), in one query: every project page starts here.
func (s *Store) ProjectForUser(ctx context.Context, id, userID int64) (*coproduce.Project, coproduce.ProjectRole, error) {
	var p coproduce.Project
	var role coproduce.ProjectRole
	err := s.db.QueryRow(ctx, `
		SELECT p.id, p.title, p.summary, p.title_cy, p.summary_cy, p.bilingual, p.status, coalesce(p.created_by, 0),
		       p.created_at, p.updated_at, coalesce(m.role, '')
		FROM projects p LEFT JOIN memberships m ON m.project_id = p.id AND m.user_id = $2
		WHERE p.id = $1`, id, userID).Scan(&p.ID, &p.Title, &p.Summary, &p.TitleCy, &p.SummaryCy, &p.Bilingual,
		&p.Status, &p.CreatedBy, &p.CreatedAt, &p.UpdatedAt, &role)
	if err != nil {
		return nil, "", translate(err)
	}
	return &p, role, nil
}

// UpdateProject changes a project's title, summary and status, and records
// the change with its before and after.
func (s *Store) UpdateProject(ctx context.Context, actorID, id int64, in coproduce.ProjectInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := scanProject(tx.QueryRow(ctx,
			`SELECT `+projectColumns+` FROM projects WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE projects SET title = $2, summary = $3, title_cy = $4, summary_cy = $5, bilingual = $6,
				status = $7, updated_at = now()
			WHERE id = $1`, id, in.Title, in.Summary, in.TitleCy, in.SummaryCy, in.Bilingual, in.Status); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{
			ActorID: actorID, ProjectID: id, Action: coproduce.AuditProjectUpdate, Subject: projectSubject(id),
			Before: coproduce.ProjectInput{Title: before.Title, Summary: before.Summary, TitleCy: before.TitleCy,
				SummaryCy: before.SummaryCy, Bilingual: before.Bilingual, Status: before.Status},
			After: in,
		})
	})
}

// ProjectsForUser lists the projects a person may see: those they are a
// member of, or all of them for an administrator. Newest first.
func (s *Store) ProjectsForUser(ctx context.Context, u *coproduce.User) ([]coproduce.ProjectSummary, error) {
	rows, err := s.db.Query(ctx, `
		SELECT p.id, p.title, p.summary, p.title_cy, p.status, coalesce(p.created_by, 0), p.created_at, p.updated_at,
		       coalesce(m.role, ''),
		       (SELECT count(*) FROM memberships WHERE project_id = p.id),
		       (SELECT count(*) FROM stages WHERE project_id = p.id AND status = 'complete')
		FROM projects p
		LEFT JOIN memberships m ON m.project_id = p.id AND m.user_id = $1
		WHERE m.user_id IS NOT NULL OR $2
		ORDER BY p.created_at DESC, p.id DESC`, u.ID, u.IsAdmin())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.ProjectSummary, error) {
		var ps coproduce.ProjectSummary
		err := r.Scan(&ps.ID, &ps.Title, &ps.Summary, &ps.TitleCy, &ps.Status, &ps.CreatedBy, &ps.CreatedAt,
			&ps.UpdatedAt, &ps.Role, &ps.MemberCount, &ps.StepsDone)
		return ps, err
	})
}

// ProjectIDByTitle finds the oldest project with exactly this title.
func (s *Store) ProjectIDByTitle(ctx context.Context, title string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx,
		`SELECT id FROM projects WHERE title = $1 ORDER BY id LIMIT 1`, title).Scan(&id)
	return id, translate(err)
}

// CountUsers returns how many accounts exist, so that the demo is loaded
// only into an empty database.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}
