// Package bigseed fills a database with a large, realistic data set
// quickly, with COPY and set-based SQL rather than a row at a time: for
// make bench, and for tests that need a big project.
package bigseed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// Shape is the size of one project.
type Shape struct {
	Title     string
	Members   int
	Proposals int
	Comments  int
	// Votes are spread over the proposals; at most Members per proposal.
	Votes int
}

// Plan is a whole data set: People accounts, Background projects of a
// typical size, and the named projects in Shapes.
type Plan struct {
	People     int
	Background int
	Shapes     []Shape
	// PasswordHash is every account's password hash.
	PasswordHash string
}

// Project is a seeded project and the accounts of some of its members.
type Project struct {
	ID int64
	Shape
	// LayEmails are members who are lay partners, LeadEmail its lead.
	LayEmails []string
	LeadEmail string
}

// Email is the address of seeded person i.
func Email(i int) string { return fmt.Sprintf("person%05d@bench.example", i) }

// Seed loads the plan into an empty database and returns the projects in
// Shapes, in order.
func Seed(ctx context.Context, pool *pgxpool.Pool, plan Plan) ([]Project, error) {
	s := &seeder{ctx: ctx, pool: pool, r: rand.New(rand.NewPCG(2026, 11))}
	users, err := s.users(plan.People, plan.PasswordHash)
	if err != nil {
		return nil, fmt.Errorf("people: %w", err)
	}
	shapes := append([]Shape{}, plan.Shapes...)
	for i := range plan.Background {
		shapes = append(shapes, Shape{Title: fmt.Sprintf("Background project %d", i+1), Members: 20, Proposals: 5, Comments: 40, Votes: 60})
	}
	var out []Project
	next := 0 // people are dealt out to projects in turn, wrapping round
	for _, sh := range shapes {
		p, err := s.project(sh, users, &next)
		if err != nil {
			return nil, fmt.Errorf("project %q: %w", sh.Title, err)
		}
		out = append(out, p)
	}
	// A live database told its leads of each idea's long wait when the
	// idea reached it, not all at once when the server starts: without
	// this, the server's first reminder run told of thousands of ideas
	// while the bench measured.
	if _, err := pool.Exec(ctx, `
		UPDATE proposals SET waiting_told_at = created_at + make_interval(days => $1)
		WHERE status = 'open' AND created_at <= now() - make_interval(days => $1)`, coproduce.IdeaWaitingDays); err != nil {
		return nil, err
	}
	// A live database is kept vacuumed by autovacuum; start from that state.
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		return nil, err
	}
	return out[:len(plan.Shapes)], nil
}

type seeder struct {
	ctx  context.Context
	pool *pgxpool.Pool
	r    *rand.Rand
}

type user struct {
	id    int64
	email string
	staff bool
}

func (s *seeder) copy(table string, cols []string, rows [][]any) error {
	_, err := s.pool.CopyFrom(s.ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
	return err
}

func (s *seeder) users(n int, hash string) ([]user, error) {
	rows := make([][]any, n)
	for i := range rows {
		role := "partner"
		if i%4 == 0 {
			role = "staff"
		}
		rows[i] = []any{Email(i), fmt.Sprintf("Person %05d %s", i, surname(i)), role, hash}
	}
	if err := s.copy("users", []string{"email", "name", "role", "password_hash"}, rows); err != nil {
		return nil, err
	}
	out := make([]user, 0, n)
	q, err := s.pool.Query(s.ctx, `SELECT id, email, role = 'staff' FROM users WHERE email LIKE '%@bench.example' ORDER BY email`)
	if err != nil {
		return nil, err
	}
	var u user
	_, err = pgx.ForEachRow(q, []any{&u.id, &u.email, &u.staff}, func() error { out = append(out, u); return nil })
	return out, err
}

func (s *seeder) project(sh Shape, users []user, next *int) (Project, error) {
	ctx := s.ctx
	p := Project{Shape: sh}
	var lead user
	for lead = users[*next%len(users)]; !lead.staff; lead = users[*next%len(users)] {
		*next++
	}
	*next++
	if err := s.pool.QueryRow(ctx, `
		INSERT INTO projects (title, summary, status, created_by) VALUES ($1, $2, 'active', $3) RETURNING id`,
		sh.Title, sentence(s.r, 300), lead.id).Scan(&p.ID); err != nil {
		return p, err
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO stages (project_id, step) SELECT $1, generate_series(1, 7)`, p.ID); err != nil {
		return p, err
	}
	p.LeadEmail = lead.email
	members := []user{lead}
	roles := [][]any{{p.ID, lead.id, "lead"}}
	for len(members) < sh.Members {
		u := users[*next%len(users)]
		*next++
		role := "lay_partner"
		switch {
		case u.id == lead.id:
			continue
		case len(members) < 3:
			role = "facilitator"
		case u.staff:
			role = "staff_partner"
		default:
			p.LayEmails = append(p.LayEmails, u.email)
		}
		members = append(members, u)
		roles = append(roles, []any{p.ID, u.id, role})
	}
	if err := s.copy("memberships", []string{"project_id", "user_id", "role"}, roles); err != nil {
		return p, err
	}
	proposals, err := s.proposals(p.ID, sh.Proposals, members)
	if err != nil {
		return p, err
	}
	if err := s.comments(sh.Comments, proposals, members); err != nil {
		return p, err
	}
	if err := s.votes(sh.Votes, proposals, members, roles); err != nil {
		return p, err
	}
	if _, err := s.pool.Exec(ctx, `
		UPDATE proposals p SET author_lay = true FROM memberships m
		WHERE p.project_id = $1 AND m.project_id = p.project_id AND m.user_id = p.author_id AND m.role = 'lay_partner'`, p.ID); err != nil {
		return p, err
	}
	return p, s.count(p.ID)
}

func (s *seeder) proposals(projectID int64, n int, members []user) ([]int64, error) {
	start := time.Now().Add(-time.Duration(n) * time.Hour)
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{projectID, members[s.r.IntN(len(members))].id, title(s.r, i), sentence(s.r, 200+s.r.IntN(1300)),
			start.Add(time.Duration(i) * time.Hour)}
	}
	if err := s.copy("proposals", []string{"project_id", "author_id", "title", "body", "created_at"}, rows); err != nil {
		return nil, err
	}
	return ProposalIDs(s.ctx, s.pool, projectID)
}

// comments are streamed into COPY, so a million of them never sit in
// memory at once. Each form token names the project's first idea too: the
// members of one seed may comment in several projects.
func (s *seeder) comments(n int, proposals []int64, members []user) error {
	if n == 0 || len(proposals) == 0 {
		return nil
	}
	start := time.Now().Add(-time.Duration(n) * time.Minute)
	i := 0
	row := make([]any, 5)
	_, err := s.pool.CopyFrom(s.ctx, pgx.Identifier{"comments"}, []string{"proposal_id", "author_id", "body", "form_token", "created_at"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			row[0], row[1] = proposals[s.r.IntN(len(proposals))], members[s.r.IntN(len(members))].id
			row[2], row[3], row[4] = sentence(s.r, 50+s.r.IntN(550)), fmt.Sprintf("seed-%d-%d", proposals[0], i), start.Add(time.Duration(i)*time.Minute)
			i++
			return row, nil
		}))
	return err
}

// votes gives each proposal votes from distinct members, in turn.
func (s *seeder) votes(n int, proposals []int64, members []user, roles [][]any) error {
	if n == 0 || len(proposals) == 0 {
		return nil
	}
	perProposal := min(len(members), (n+len(proposals)-1)/len(proposals))
	choices := []string{"support", "support", "neutral", "object"}
	i := 0
	row := make([]any, 4)
	_, err := s.pool.CopyFrom(s.ctx, pgx.Identifier{"votes"}, []string{"proposal_id", "user_id", "choice", "lay"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n || i/perProposal >= len(proposals) {
				return nil, nil
			}
			m := (i%perProposal + i/perProposal) % len(members)
			row[0], row[1], row[2], row[3] = proposals[i/perProposal], members[m].id, choices[s.r.IntN(len(choices))],
				roles[m][2] == "lay_partner"
			i++
			return row, nil
		}))
	return err
}

// count sets the stored counts from the rows, as the app keeps them.
func (s *seeder) count(projectID int64) error {
	_, err := s.pool.Exec(s.ctx, `
		UPDATE proposals p SET comment_count = coalesce(c.n, 0),
			lay_support = coalesce(v.ls, 0), lay_neutral = coalesce(v.ln, 0), lay_object = coalesce(v.lo, 0),
			staff_support = coalesce(v.ss, 0), staff_neutral = coalesce(v.sn, 0), staff_object = coalesce(v.so, 0)
		FROM proposals q
		LEFT JOIN (SELECT proposal_id, count(*) n FROM comments GROUP BY 1) c ON c.proposal_id = q.id
		LEFT JOIN (SELECT proposal_id,
		             count(*) FILTER (WHERE lay AND choice = 'support') ls, count(*) FILTER (WHERE lay AND choice = 'neutral') ln,
		             count(*) FILTER (WHERE lay AND choice = 'object') lo, count(*) FILTER (WHERE NOT lay AND choice = 'support') ss,
		             count(*) FILTER (WHERE NOT lay AND choice = 'neutral') sn, count(*) FILTER (WHERE NOT lay AND choice = 'object') so
		           FROM votes GROUP BY 1) v ON v.proposal_id = q.id
		WHERE p.id = q.id AND q.project_id = $1`, projectID)
	return err
}

var words = strings.Fields(`the visit carer home stroke exercise nurse team appointment time week morning
	afternoon phone text letter help support walking stairs kitchen family clinic physio therapy
	plan goal progress tired pain confidence transport bus parking waiting list leaflet picture
	Welsh language interpreter hearing sight memory meeting group club volunteer community
	could should would maybe really always never sometimes better worse easier harder`)

func sentence(r *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String()[:n]
}

func title(r *rand.Rand, i int) string {
	return fmt.Sprintf("Idea %d: %s", i+1, sentence(r, 30+r.IntN(60)))
}

func surname(i int) string {
	names := []string{"Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths",
		"Khan", "Patel", "Okafor", "Nowak", "Smith", "Taylor"}
	return names[i%len(names)]
}

// Recreate drops the database name if it exists and creates it empty,
// through the server at adminURL.
func Recreate(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+ident+` WITH (FORCE)`); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, `CREATE DATABASE `+ident)
	return err
}

// TallyMismatches counts a project's proposals whose stored vote counts
// differ from a count of the votes themselves, and returns how many votes
// there are.
func TallyMismatches(ctx context.Context, pool *pgxpool.Pool, projectID int64) (mismatches, votes int, err error) {
	err = pool.QueryRow(ctx, `
		WITH live AS (
			SELECT p.id,
			       count(v.*) FILTER (WHERE v.lay AND v.choice = 'support') ls, count(v.*) FILTER (WHERE v.lay AND v.choice = 'neutral') ln,
			       count(v.*) FILTER (WHERE v.lay AND v.choice = 'object') lo, count(v.*) FILTER (WHERE NOT v.lay AND v.choice = 'support') ss,
			       count(v.*) FILTER (WHERE NOT v.lay AND v.choice = 'neutral') sn, count(v.*) FILTER (WHERE NOT v.lay AND v.choice = 'object') so,
			       count(v.*) total
			FROM proposals p LEFT JOIN votes v ON v.proposal_id = p.id
			WHERE p.project_id = $1 GROUP BY p.id)
		SELECT count(*) FILTER (WHERE (p.lay_support, p.lay_neutral, p.lay_object, p.staff_support, p.staff_neutral, p.staff_object)
		                              <> (l.ls, l.ln, l.lo, l.ss, l.sn, l.so)),
		       coalesce(sum(l.total), 0)
		FROM live l JOIN proposals p ON p.id = l.id`, projectID).Scan(&mismatches, &votes)
	return mismatches, votes, err
}

// CommentCount counts a project's comments.
func CommentCount(ctx context.Context, pool *pgxpool.Pool, projectID int64) (int, error) {
	var n int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM comments c JOIN proposals p ON p.id = c.proposal_id WHERE p.project_id = $1`,
		projectID).Scan(&n)
	return n, err
}

// ServerVersion is the PostgreSQL server's version line.
func ServerVersion(ctx context.Context, pool *pgxpool.Pool) (string, error) {
	var v string
	err := pool.QueryRow(ctx, `SHOW server_version`).Scan(&v)
	return v, err
}

// ProposalIDs lists a project's proposals.
func ProposalIDs(ctx context.Context, pool *pgxpool.Pool, projectID int64) ([]int64, error) {
	q, err := pool.Query(ctx, `SELECT id FROM proposals WHERE project_id = $1 ORDER BY id`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(q, pgx.RowTo[int64])
}
