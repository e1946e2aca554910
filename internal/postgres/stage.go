package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// Stages returns a project's seven stage records in step order.
func (s *Store) Stages(ctx context.Context, projectID int64) ([]coproduce.Stage, error) {
	rows, err := s.db.Query(ctx, `
		SELECT project_id, step, status, notes, version, updated_at
		FROM stages WHERE project_id = $1 ORDER BY step`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Stage, error) {
		var st coproduce.Stage
		err := r.Scan(&st.ProjectID, &st.Step, &st.Status, &st.Notes, &st.Version, &st.UpdatedAt)
		return st, err
	})
}
