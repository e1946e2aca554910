package postgres

import (
	"context"
	"io"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// BenchWrite is make bench's baseline for a write: one UPDATE of the
// member's own membership, changing nothing but still writing a new row
// version and committing it, in a transaction as every write of ours is.
func (s *Store) BenchWrite(ctx context.Context, projectID, userID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE memberships SET created_at = created_at WHERE project_id = $1 AND user_id = $2`,
			projectID, userID)
		return err
	})
}

// BenchCopyComments is make bench's baseline for the CSV export: it writes
// a project's comments to w with COPY … TO STDOUT, the rows and order the
// report's CSV reads (EachReportComment), with no Go code between the
// database and w. It returns how many rows it wrote.
func (s *Store) BenchCopyComments(ctx context.Context, projectID int64, w io.Writer) (int64, error) {
	// COPY takes no parameters; the id is a number, written as one.
	sql := `COPY (
		SELECT c.id, coalesce(c.parent_id, 0), c.proposal_id, p.title, coalesce(c.author_id, 0), c.created_at,
		       c.hidden_at IS NOT NULL, CASE WHEN c.hidden_at IS NULL THEN c.body ELSE '' END
		FROM comments c JOIN proposals p ON p.id = c.proposal_id
		WHERE p.project_id = ` + strconv.FormatInt(projectID, 10) + ` ORDER BY c.proposal_id, c.id
	) TO STDOUT (FORMAT csv)`
	// A transaction holds one connection of the pool (or, in tests, a
	// savepoint of the test's own) for as long as the COPY streams.
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	tag, err := tx.Conn().PgConn().CopyTo(ctx, w, sql)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}
