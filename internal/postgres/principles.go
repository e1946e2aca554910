package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// The principles check's privacy rule lives here, at the storage edge: a
// member's own answer is read only by MyPrinciplesAnswer, for that member;
// every other read returns a group's figures, and only for a group of
// coproduce.MinGroup or more. No query here returns someone else's answer.

func roundSubject(id int64) string { return "principles_round:" + strconv.FormatInt(id, 10) }

// scoreColumns are the six score columns, in coproduce.Principles' order
// (the principles' own names: constants, never input).
var scoreColumns = func() string {
	cols := make([]string, len(coproduce.Principles))
	for i, p := range coproduce.Principles {
		cols[i] = string(p)
	}
	return strings.Join(cols, ", ")
}()

// PrinciplesRounds lists a project's rounds, newest first.
func (s *Store) PrinciplesRounds(ctx context.Context, projectID int64) ([]coproduce.PrinciplesRound, error) {
	rows, err := s.db.Query(ctx, `
		SELECT id, project_id, title, opened_at, closed_at FROM principle_rounds
		WHERE project_id = $1 ORDER BY opened_at DESC, id DESC`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanRound)
}

func scanRound(r pgx.CollectableRow) (coproduce.PrinciplesRound, error) {
	var p coproduce.PrinciplesRound
	return p, r.Scan(&p.ID, &p.ProjectID, &p.Title, &p.OpenedAt, &p.ClosedAt)
}

// PrinciplesRound is one of a project's rounds (ErrNotFound for another
// project's).
func (s *Store) PrinciplesRound(ctx context.Context, projectID, roundID int64) (coproduce.PrinciplesRound, error) {
	rows, err := s.db.Query(ctx, `
		SELECT id, project_id, title, opened_at, closed_at FROM principle_rounds
		WHERE project_id = $1 AND id = $2`, projectID, roundID)
	if err != nil {
		return coproduce.PrinciplesRound{}, err
	}
	r, err := pgx.CollectExactlyOneRow(rows, scanRound)
	return r, translate(err)
}

// OpenPrinciplesRound opens a round. A project has one open round at a
// time: ErrConflict while another is open.
func (s *Store) OpenPrinciplesRound(ctx context.Context, actorID, projectID int64, title string) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Asked first, so that a refusal writes nothing; the unique index
		// settles two leads opening one at the same moment.
		var open bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM principle_rounds WHERE project_id = $1 AND closed_at IS NULL)`,
			projectID).Scan(&open); err != nil {
			return err
		}
		if open {
			return coproduce.ErrConflict
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO principle_rounds (project_id, title, opened_by) VALUES ($1, $2, $3) RETURNING id`,
			projectID, title, actorID).Scan(&id); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditPrinciplesOpen, Subject: roundSubject(id), After: map[string]any{"title": title}})
	})
	return id, err
}

// ClosePrinciplesRound closes a round: it takes no more answers. Closing a
// closed round changes nothing.
func (s *Store) ClosePrinciplesRound(ctx context.Context, actorID, projectID, roundID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var open bool
		// FOR UPDATE waits for answers being saved, which hold the row
		// FOR SHARE: none lands after the round is closed.
		if err := tx.QueryRow(ctx, `SELECT closed_at IS NULL FROM principle_rounds WHERE project_id = $1 AND id = $2 FOR UPDATE`,
			projectID, roundID).Scan(&open); err != nil {
			return translate(err)
		}
		if !open {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE principle_rounds SET closed_at = now(), closed_by = $2 WHERE id = $1`,
			roundID, actorID); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditPrinciplesClose, Subject: roundSubject(roundID)})
	})
}

// SavePrinciplesAnswer records a member's answer in an open round, or
// replaces the one they gave: ErrRoundClosed once the round is closed,
// ErrForbidden for someone not a member of the project.
func (s *Store) SavePrinciplesAnswer(ctx context.Context, projectID, roundID, userID int64, a coproduce.PrinciplesAnswer) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var open bool
		if err := tx.QueryRow(ctx, `SELECT closed_at IS NULL FROM principle_rounds WHERE project_id = $1 AND id = $2 FOR SHARE`,
			projectID, roundID).Scan(&open); err != nil {
			return translate(err)
		}
		if !open {
			return coproduce.ErrRoundClosed
		}
		lay, err := memberGroup(ctx, tx, projectID, userID)
		if err != nil {
			return err
		}
		sc := a.Scores
		_, err = tx.Exec(ctx, `
			INSERT INTO principle_answers (round_id, project_id, user_id, lay, level, `+scoreColumns+`, comments)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (round_id, user_id) DO UPDATE SET lay = excluded.lay, level = excluded.level,
				assets = excluded.assets, capabilities = excluded.capabilities, mutuality = excluded.mutuality,
				networks = excluded.networks, blurring_roles = excluded.blurring_roles, catalysts = excluded.catalysts,
				comments = excluded.comments, answered_at = now()`,
			roundID, projectID, userID, lay, int(a.Level), sc[0], sc[1], sc[2], sc[3], sc[4], sc[5], a.Comments[:])
		return translate(err)
	})
}

// memberGroup is whether a member is a lay partner (else staff), or
// ErrForbidden for someone not a member.
func memberGroup(ctx context.Context, tx pgx.Tx, projectID, userID int64) (bool, error) {
	var lay bool
	err := tx.QueryRow(ctx, `SELECT role = 'lay_partner' FROM memberships WHERE project_id = $1 AND user_id = $2`,
		projectID, userID).Scan(&lay)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, coproduce.ErrForbidden
	}
	return lay, err
}

// MyPrinciplesAnswer is the member's own answer in a round, or nil when
// they have not answered. It is the one read of an answer, and only ever
// for its author: callers pass the signed-in person.
func (s *Store) MyPrinciplesAnswer(ctx context.Context, roundID, userID int64) (*coproduce.PrinciplesAnswer, error) {
	var a coproduce.PrinciplesAnswer
	var comments []string
	var level int
	sc := &a.Scores
	err := s.db.QueryRow(ctx, `
		SELECT level, `+scoreColumns+`, comments FROM principle_answers WHERE round_id = $1 AND user_id = $2`,
		roundID, userID).Scan(&level, &sc[0], &sc[1], &sc[2], &sc[3], &sc[4], &sc[5], &comments)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	a.Level = coproduce.PLevel(level)
	copy(a.Comments[:], comments)
	return &a, err
}

// figuresSQL aggregates a group's answers: how many, the mean of each
// column as an array and, withLevel, how many chose each level and the
// middle one. Every query that reads them passes them through shownSQL.
// (Migration 35's principle_rounds_figures works out a closed round's with
// the same aggregates.)
func figuresSQL(columns []string, withLevel bool) string {
	means := make([]string, len(columns))
	for i, c := range columns {
		means[i] = `avg(` + c + `)::float8`
	}
	sql := `count(*)::integer AS answered, ARRAY[` + strings.Join(means, ", ") + `] AS means`
	if withLevel {
		sql += `, ARRAY[count(*) FILTER (WHERE level = 1), count(*) FILTER (WHERE level = 2),
			count(*) FILTER (WHERE level = 3)]::integer[] AS levels,
			percentile_disc(0.5) WITHIN GROUP (ORDER BY level)::integer AS level`
	}
	return sql
}

// shownSQL reads the figures of the group g: its count always, its
// figures only when $2 or more answered, so that a small group's answers
// never leave the database, not even as a mean.
func shownSQL(withLevel bool) string {
	sql := `g.lay, g.answered, CASE WHEN g.answered >= $2 THEN g.means END`
	if withLevel {
		sql += `, CASE WHEN g.answered >= $2 THEN g.levels END, CASE WHEN g.answered >= $2 THEN g.level END`
	}
	return sql
}

// groupFigures scans one group's figures from shownSQL's columns.
type groupFigures struct {
	lay      *bool
	answered *int
	means    []float64
	levels   []int32
	level    *int
}

func (g *groupFigures) dest(withLevel bool) []any {
	out := []any{&g.lay, &g.answered, &g.means}
	if withLevel {
		out = append(out, &g.levels, &g.level)
	}
	return out
}

// into sets the lay partners' or staff's figures from the scanned group
// (nothing when the row had no answers).
func (g *groupFigures) into(lay, staff *coproduce.Figures) {
	if g.lay == nil || g.answered == nil {
		return
	}
	f := coproduce.Figures{Answered: *g.answered, Means: g.means}
	for i, n := range g.levels {
		if i < len(f.Levels) {
			f.Levels[i] = int(n)
		}
	}
	if g.level != nil {
		f.Level = coproduce.PLevel(*g.level)
	}
	if *g.lay {
		*lay = f
	} else {
		*staff = f
	}
}

// resultsSQL selects a project's rounds, newest first, each with lay
// partners' and staff's figures: a closed round's as worked out when it
// closed, the open round's worked out now from principle_answers_figures_idx.
var resultsSQL = `
	WITH g AS (
		SELECT f.round_id, f.lay, f.answered, f.means, f.levels, f.level
		FROM principle_figures f JOIN principle_rounds r ON r.id = f.round_id
		WHERE r.project_id = $1
		UNION ALL
		SELECT round_id, lay, ` + figuresSQL(strings.Split(scoreColumns, ", "), true) + `
		FROM principle_answers
		WHERE round_id = (SELECT id FROM principle_rounds WHERE project_id = $1 AND closed_at IS NULL)
		GROUP BY round_id, lay)
	SELECT r.id, r.project_id, r.title, r.opened_at, r.closed_at, ` + shownSQL(true) + `
	FROM principle_rounds r LEFT JOIN g ON g.round_id = r.id
	WHERE r.project_id = $1
	ORDER BY r.opened_at DESC, r.id DESC, g.lay`

// scanResults reads resultsSQL's rows: a round's groups come together.
func scanResults(rows pgx.Rows) ([]coproduce.RoundResult, error) {
	defer rows.Close()
	var out []coproduce.RoundResult
	for rows.Next() {
		var r coproduce.PrinciplesRound
		var g groupFigures
		if err := rows.Scan(append([]any{&r.ID, &r.ProjectID, &r.Title, &r.OpenedAt, &r.ClosedAt}, g.dest(true)...)...); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].Round.ID != r.ID {
			out = append(out, coproduce.RoundResult{Round: r})
		}
		last := &out[len(out)-1]
		g.into(&last.Lay, &last.Staff)
	}
	return out, rows.Err()
}

// PrinciplesResults are a project's rounds, newest first, each with lay
// partners' and staff's figures.
func (s *Store) PrinciplesResults(ctx context.Context, projectID int64) ([]coproduce.RoundResult, error) {
	rows, err := s.db.Query(ctx, resultsSQL, projectID, coproduce.MinGroup)
	if err != nil {
		return nil, err
	}
	return scanResults(rows)
}

// PrinciplesOverview is what the principles check's page shows the viewer,
// read in one round trip: every round's figures, the level step 4 declared,
// and whether the viewer has answered the open round (never what).
func (s *Store) PrinciplesOverview(ctx context.Context, projectID, viewerID int64) (coproduce.PrinciplesOverview, error) {
	var o coproduce.PrinciplesOverview
	b := &pgx.Batch{}
	b.Queue(resultsSQL, projectID, coproduce.MinGroup).Query(func(rows pgx.Rows) (err error) {
		o.Results, err = scanResults(rows)
		return err
	})
	b.Queue(`SELECT coalesce((SELECT level FROM approaches WHERE project_id = $1), '')`, projectID).
		QueryRow(func(row pgx.Row) error {
			var level string
			err := row.Scan(&level)
			o.Declared = coproduce.Level(level)
			return err
		})
	b.Queue(`
		SELECT EXISTS (SELECT 1 FROM principle_answers a JOIN principle_rounds r ON r.id = a.round_id
		               WHERE r.project_id = $1 AND r.closed_at IS NULL AND a.user_id = $2)`, projectID, viewerID).
		QueryRow(func(row pgx.Row) error { return row.Scan(&o.Answered) })
	return o, s.db.SendBatch(ctx, b).Close()
}

// BackdatePrinciplesRound sets when a round opened and closed, for the
// demo's story (which happened over weeks, loaded in a moment).
func (s *Store) BackdatePrinciplesRound(ctx context.Context, roundID int64, opened, closed time.Time) error {
	_, err := s.db.Exec(ctx, `UPDATE principle_rounds SET opened_at = $2, closed_at = $3 WHERE id = $1 AND closed_at IS NOT NULL`,
		roundID, opened, closed)
	return err
}

// collectEvaluation adds the person's own answers to the principles check
// and to the checks after meetings to their personal data.
func collectEvaluation(ctx context.Context, tx pgx.Tx, userID int64, d *coproduce.PersonalData) error {
	var err error
	d.Principles, err = collect(ctx, tx, `
		SELECT p.title, r.title, a.level, `+scoreColumns+`, a.comments, a.answered_at
		FROM principle_answers a JOIN principle_rounds r ON r.id = a.round_id JOIN projects p ON p.id = a.project_id
		WHERE a.user_id = $1 ORDER BY a.answered_at`, userID, func(r pgx.Row, x *coproduce.DataPrinciples) error {
		var level int
		var sc [6]int
		var comments []string
		if err := r.Scan(&x.Project, &x.Round, &level, &sc[0], &sc[1], &sc[2], &sc[3], &sc[4], &sc[5], &comments, &x.AnsweredAt); err != nil {
			return err
		}
		x.Level, x.Scores, x.Comments = coproduce.PLevel(level).Key(), map[coproduce.Principle]int{}, map[coproduce.Principle]string{}
		for i, p := range coproduce.Principles {
			x.Scores[p] = sc[i]
			if i < len(comments) && comments[i] != "" {
				x.Comments[p] = comments[i]
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	d.MeetingChecks, err = collect(ctx, tx, `
		SELECT p.title, m.title, c.listened, c.took_part, c.difference, c.answered_at
		FROM meeting_checks c JOIN meetings m ON m.id = c.meeting_id JOIN projects p ON p.id = m.project_id
		WHERE c.user_id = $1 ORDER BY c.answered_at`, userID, func(r pgx.Row, x *coproduce.DataMeetingCheck) error {
		var sc [3]int
		if err := r.Scan(&x.Project, &x.Meeting, &sc[0], &sc[1], &sc[2], &x.AnsweredAt); err != nil {
			return err
		}
		x.Scores = map[coproduce.Question]int{}
		for i, q := range coproduce.Questions {
			x.Scores[q] = sc[i]
		}
		return nil
	})
	return err
}
