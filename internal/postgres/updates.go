package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// UnseenCap is the most unseen updates counted for the header: past it,
// the header says "99+" rather than count them all on every page.
const UnseenCap = 100

// UnseenUpdates counts a person's updates not yet opened, up to UnseenCap.
func (s *Store) UnseenUpdates(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `
		SELECT count(*) FROM (SELECT 1 FROM updates WHERE user_id = $1 AND seen_at IS NULL LIMIT $2) u`,
		userID, UnseenCap).Scan(&n)
	return n, err
}

// Updates returns one page of a person's updates, newest first, and how
// many they have in all.
func (s *Store) Updates(ctx context.Context, userID int64, page, perPage int) ([]coproduce.Update, int, error) {
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM updates WHERE user_id = $1`, userID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.Query(ctx, `
		SELECT u.id, u.kind, u.line, u.lang, u.link, coalesce(p.title, ''), coalesce(p.title_cy, ''), u.created_at,
		       u.seen_at IS NOT NULL
		FROM updates u LEFT JOIN projects p ON p.id = u.project_id
		WHERE u.user_id = $1 ORDER BY u.id DESC LIMIT $2 OFFSET $3`,
		userID, perPage, (max(page, 1)-1)*perPage)
	if err != nil {
		return nil, 0, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Update, error) {
		var u coproduce.Update
		err := r.Scan(&u.ID, &u.Kind, &u.Line, &u.Lang, &u.Path, &u.Project, &u.ProjectCy, &u.CreatedAt, &u.Seen)
		return u, err
	})
	return list, total, err
}

// OpenUpdate marks one of a person's updates seen and returns where it
// leads. Another person's update is not found.
func (s *Store) OpenUpdate(ctx context.Context, userID, id int64) (string, error) {
	var path string
	err := s.db.QueryRow(ctx, `
		UPDATE updates SET seen_at = coalesce(seen_at, now()) WHERE id = $1 AND user_id = $2 RETURNING link`,
		id, userID).Scan(&path)
	return path, translate(err)
}

// MarkUpdatesSeen marks every update a person has, up to and including
// the newest they were shown, as seen: news that came after stays new.
func (s *Store) MarkUpdatesSeen(ctx context.Context, userID, upTo int64) error {
	_, err := s.db.Exec(ctx, `UPDATE updates SET seen_at = now() WHERE user_id = $1 AND id <= $2 AND seen_at IS NULL`,
		userID, upTo)
	return err
}

// NotifyPreferences returns how a person hears of each kind of update:
// their choice, or their account's default.
func (s *Store) NotifyPreferences(ctx context.Context, userID int64) (map[coproduce.NewsKind]coproduce.Notify, error) {
	var role coproduce.SystemRole
	if err := s.db.QueryRow(ctx, `SELECT role FROM users WHERE id = $1`, userID).Scan(&role); err != nil {
		return nil, translate(err)
	}
	prefs := make(map[coproduce.NewsKind]coproduce.Notify, len(coproduce.NewsKinds))
	for _, k := range coproduce.NewsKinds {
		prefs[k] = coproduce.DefaultNotify(k, role)
	}
	rows, err := s.db.Query(ctx, `SELECT kind, notify FROM notify_preferences WHERE user_id = $1`, userID)
	if err != nil {
		return nil, err
	}
	var k coproduce.NewsKind
	var n coproduce.Notify
	_, err = pgx.ForEachRow(rows, []any{&k, &n}, func() error {
		if coproduce.ValidNewsKind(k) {
			prefs[k] = n
		}
		return nil
	})
	return prefs, err
}

// SetNotifyPreferences saves how a person hears of the kinds given.
func (s *Store) SetNotifyPreferences(ctx context.Context, userID int64, prefs map[coproduce.NewsKind]coproduce.Notify) error {
	return s.inTx(ctx, func(tx pgx.Tx) error { return setPreferences(ctx, tx, userID, prefs) })
}

func setPreferences(ctx context.Context, tx pgx.Tx, userID int64, prefs map[coproduce.NewsKind]coproduce.Notify) error {
	for k, n := range prefs {
		if _, err := tx.Exec(ctx, `
			INSERT INTO notify_preferences (user_id, kind, notify) VALUES ($1, $2, $3)
			ON CONFLICT (user_id, kind) DO UPDATE SET notify = excluded.notify`, userID, k, n); err != nil {
			return err
		}
	}
	return nil
}

// SetNotify sets how a person hears of every kind of update.
func (s *Store) SetNotify(ctx context.Context, userID int64, n coproduce.Notify) error {
	prefs := make(map[coproduce.NewsKind]coproduce.Notify, len(coproduce.NewsKinds))
	for _, k := range coproduce.NewsKinds {
		prefs[k] = n
	}
	return s.SetNotifyPreferences(ctx, userID, prefs)
}

// UnsubscribeKinds returns the kinds of news an unsubscribe link is for,
// and whose link it is.
func (s *Store) UnsubscribeKinds(ctx context.Context, token string) (int64, []coproduce.NewsKind, error) {
	var userID int64
	var kinds []coproduce.NewsKind
	err := s.db.QueryRow(ctx, `
		SELECT t.user_id, t.kinds FROM unsubscribe_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND NOT u.disabled`, HashToken(token)).Scan(&userID, &kinds)
	return userID, kinds, translate(err)
}

// UnsubscribeByToken turns the kinds of news an unsubscribe link is for to
// "Updates page only", and nothing else.
func (s *Store) UnsubscribeByToken(ctx context.Context, token string) error {
	userID, kinds, err := s.UnsubscribeKinds(ctx, token)
	if err != nil {
		return err
	}
	prefs := make(map[coproduce.NewsKind]coproduce.Notify, len(kinds))
	for _, k := range kinds {
		prefs[k] = coproduce.NotifyNone
	}
	return s.SetNotifyPreferences(ctx, userID, prefs)
}

// ActionAbout returns one of a project's actions and the title of the idea
// it is for, to tell the idea's followers that it moved.
func (s *Store) ActionAbout(ctx context.Context, projectID, actionID int64) (coproduce.Action, string, error) {
	var a coproduce.Action
	var title string
	err := s.db.QueryRow(ctx, `
		SELECT a.id, a.proposal_id, a.description, a.owner, a.due_on, a.status, p.title
		FROM action_items a JOIN proposals p ON p.id = a.proposal_id
		WHERE p.project_id = $1 AND a.id = $2`, projectID, actionID).Scan(
		&a.ID, &a.ProposalID, &a.Description, &a.Owner, &a.DueOn, &a.Status, &title)
	return a, title, translate(err)
}
