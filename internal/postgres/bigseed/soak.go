package bigseed

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Find returns a project seeded by an earlier run, by its title, with the
// accounts of its lead and lay partners: so a run that needs only one
// project can reuse a seeded database rather than seed it again.
func Find(ctx context.Context, pool *pgxpool.Pool, title string) (Project, error) {
	p := Project{Shape: Shape{Title: title}}
	if err := pool.QueryRow(ctx, `SELECT id FROM projects WHERE title = $1 ORDER BY id LIMIT 1`, title).Scan(&p.ID); err != nil {
		return p, err
	}
	emails, err := memberEmails(ctx, pool, p.ID, "lead")
	if err != nil || len(emails) == 0 {
		return p, firstErr(err, pgx.ErrNoRows)
	}
	p.LeadEmail = emails[0]
	p.LayEmails, err = memberEmails(ctx, pool, p.ID, "lay_partner")
	return p, err
}

// ProjectCount counts the projects: a seed that finished has them all.
func ProjectCount(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var n int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM projects`).Scan(&n)
	return n, err
}

// RunnerEmails are the accounts of those who run a project: its lead and
// facilitators.
func RunnerEmails(ctx context.Context, pool *pgxpool.Pool, projectID int64) ([]string, error) {
	lead, err := memberEmails(ctx, pool, projectID, "lead")
	if err != nil {
		return nil, err
	}
	facilitators, err := memberEmails(ctx, pool, projectID, "facilitator")
	return append(lead, facilitators...), err
}

func memberEmails(ctx context.Context, pool *pgxpool.Pool, projectID int64, role string) ([]string, error) {
	q, err := pool.Query(ctx, `
		SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = $1 AND m.role = $2 ORDER BY u.id`, projectID, role)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(q, pgx.RowTo[string])
}

// CommentsByToken counts, per author's email, a project's comments whose
// form token starts with prefix: the comments one run of a load wrote.
func CommentsByToken(ctx context.Context, pool *pgxpool.Pool, projectID int64, prefix string) (map[string]int, error) {
	q, err := pool.Query(ctx, `
		SELECT u.email, count(*) FROM comments c
		JOIN proposals p ON p.id = c.proposal_id JOIN users u ON u.id = c.author_id
		WHERE p.project_id = $1 AND starts_with(c.form_token, $2) GROUP BY u.email`, projectID, prefix)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	var email string
	var n int
	_, err = pgx.ForEachRow(q, []any{&email, &n}, func() error { out[email] = n; return nil })
	return out, err
}

// StoredVote is one person's vote on one idea.
type StoredVote struct {
	Email      string
	ProposalID int64
}

// Votes returns the stored choice of each of these people on each of a
// project's ideas they have voted on.
func Votes(ctx context.Context, pool *pgxpool.Pool, projectID int64, emails []string) (map[StoredVote]string, error) {
	q, err := pool.Query(ctx, `
		SELECT u.email, v.proposal_id, v.choice FROM votes v
		JOIN proposals p ON p.id = v.proposal_id JOIN users u ON u.id = v.user_id
		WHERE p.project_id = $1 AND u.email = ANY($2)`, projectID, emails)
	if err != nil {
		return nil, err
	}
	out := map[StoredVote]string{}
	var k StoredVote
	var choice string
	_, err = pgx.ForEachRow(q, []any{&k.Email, &k.ProposalID, &choice}, func() error { out[k] = choice; return nil })
	return out, err
}

// CommentCountMismatches counts a project's proposals whose stored comment
// count differs from a count of their comments.
func CommentCountMismatches(ctx context.Context, pool *pgxpool.Pool, projectID int64) (int, error) {
	var n int
	err := pool.QueryRow(ctx, `
		SELECT count(*) FROM proposals p
		LEFT JOIN (SELECT c.proposal_id, count(*) n FROM comments c JOIN proposals q ON q.id = c.proposal_id
		           WHERE q.project_id = $1 GROUP BY 1) c ON c.proposal_id = p.id
		WHERE p.project_id = $1 AND p.comment_count <> coalesce(c.n, 0)`, projectID).Scan(&n)
	return n, err
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// GiveUpdates gives the person with this email exactly n unseen updates
// about the project, for the Updates page's benchmark (a reused database
// does not gather more at each run).
func GiveUpdates(ctx context.Context, pool *pgxpool.Pool, email string, projectID int64, n int) error {
	if _, err := pool.Exec(ctx, `DELETE FROM updates WHERE user_id = (SELECT id FROM users WHERE email = $1)`, email); err != nil {
		return err
	}
	_, err := pool.Exec(ctx, `
		INSERT INTO updates (user_id, project_id, kind, line, link, created_at)
		SELECT u.id, $2::bigint, 'new_idea', 'Someone suggested an idea: number ' || i, '/projects/' || $2::bigint || '/steps/build',
		       now() - i * interval '1 minute'
		FROM users u, generate_series(1, $3) AS i WHERE u.email = $1`, email, projectID, n)
	return err
}
