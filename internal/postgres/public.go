package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// PublicState returns whether a project's public page is on, and its slug.
func (s *Store) PublicState(ctx context.Context, projectID int64) (published bool, slug string, err error) {
	err = s.db.QueryRow(ctx, `SELECT published, coalesce(public_slug, '') FROM projects WHERE id = $1`, projectID).
		Scan(&published, &slug)
	return published, slug, translate(err)
}

// SetPublished turns a project's public page on or off. The first time it
// goes on, it gets the slug given (a unique one is the caller's job).
func (s *Store) SetPublished(ctx context.Context, actorID, projectID int64, on bool, slug string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			UPDATE projects SET published = $2, public_slug = coalesce(public_slug, $3) WHERE id = $1`,
			projectID, on, slug); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditPublish, Subject: projectSubject(projectID), After: map[string]any{"published": on}})
	})
}

// PublishedProject returns the published project with this slug; an
// unpublished or unknown one is ErrNotFound.
func (s *Store) PublishedProject(ctx context.Context, slug string) (*coproduce.Project, error) {
	return scanProject(s.db.QueryRow(ctx,
		`SELECT `+projectColumns+` FROM projects WHERE public_slug = $1 AND published`, slug))
}
