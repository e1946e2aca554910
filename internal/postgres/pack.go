package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// AgendaLines returns a meeting's agenda as the printed pack shows it, in
// order: each item's time, who leads it and the titles of the ideas it
// will discuss. The meeting must belong to the project.
func (s *Store) AgendaLines(ctx context.Context, projectID, meetingID int64) ([]coproduce.AgendaLine, error) {
	rows, err := s.db.Query(ctx, `
		SELECT a.position, a.title, coalesce(to_char(a.starts_at, 'HH24:MI'), ''), coalesce(u.name, ''),
		       coalesce(array_agg(p.title ORDER BY p.created_at, p.id) FILTER (WHERE p.id IS NOT NULL), '{}')
		FROM agenda_items a
		JOIN meetings mt ON mt.id = a.meeting_id AND mt.project_id = $1
		LEFT JOIN users u ON u.id = a.led_by
		LEFT JOIN agenda_item_ideas ai ON ai.agenda_item_id = a.id
		LEFT JOIN proposals p ON p.id = ai.proposal_id AND p.project_id = $1
		WHERE a.meeting_id = $2
		GROUP BY a.id, u.name
		ORDER BY a.position`, projectID, meetingID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.AgendaLine, error) {
		var l coproduce.AgendaLine
		err := r.Scan(&l.Position, &l.Title, &l.StartsAt, &l.LeadName, &l.Ideas)
		return l, err
	})
}
