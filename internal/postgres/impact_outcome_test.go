package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/migrations"
)

// An entry links to the outcomes it helped, read back with their titles,
// and the outcome's page names the change. Another project's outcome is
// never linked: the storage drops it, and the database refuses a row
// written by hand, as it refuses a link to two things at once.
func TestImpactEntryLinksOutcomes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ip := newImpactProject(t)
	s := ip.s
	ours, err := s.ProposeOutcome(ctx, ip.lay.ID, ip.p.ID, coproduce.OutcomeInput{Title: "Fewer missed visits"})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := s.ProposeOutcome(ctx, ip.outsider.ID, ip.other.ID, coproduce.OutcomeInput{Title: "Theirs"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.AddImpactEntry(ctx, ip.lead.ID, ip.p.ID, coproduce.ImpactValues{Title: "Texts the day before",
		WhatChanged: "W", ChangedOn: time.Now().AddDate(0, 0, -1), Ideas: []int64{ip.idea}, Outcomes: []int64{ours, theirs}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.ImpactEntry(ctx, ip.p.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Outcomes) != 1 || e.Outcomes[0].ID != ours || e.Outcomes[0].Title != "Fewer missed visits" {
		t.Errorf("outcomes %+v: want only the project's own", e.Outcomes)
	}
	if len(e.Ideas) != 1 || len(e.Actions) != 0 {
		t.Errorf("the outcome link was read as an idea or action: %+v, %+v", e.Ideas, e.Actions)
	}
	o, _, err := s.OutcomePage(ctx, ip.p.ID, ours, ip.lay.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Impact) != 1 || o.Impact[0].ID != id {
		t.Errorf("the outcome's page names %+v, want the change", o.Impact)
	}

	var pgErr *pgconn.PgError
	if _, err := ip.db.Exec(ctx, `INSERT INTO impact_links (entry_id, outcome_id) VALUES ($1, $2)`, id, theirs); !errors.As(err, &pgErr) || pgErr.Code != "23503" {
		t.Errorf("linking another project's outcome by hand: %v, want refused", err)
	}
	if _, err := ip.db.Exec(ctx, `INSERT INTO impact_links (entry_id, proposal_id, outcome_id) VALUES ($1, $2, $3)`, id, ip.plain, ours); !errors.As(err, &pgErr) || pgErr.Code != "23514" {
		t.Errorf("one link to an idea and an outcome at once: %v, want refused", err)
	}

	// Changing the entry replaces its outcome links too.
	if err := s.UpdateImpactEntry(ctx, ip.lead.ID, ip.p.ID, id, coproduce.ImpactValues{Title: "T", WhatChanged: "W",
		ChangedOn: time.Now().AddDate(0, 0, -1)}); err != nil {
		t.Fatal(err)
	}
	if e, _ = s.ImpactEntry(ctx, ip.p.ID, id); len(e.Outcomes) != 0 {
		t.Errorf("after the change the entry still links %+v", e.Outcomes)
	}
}

// Migration 43 goes down and up again: an idea link survives both ways,
// and an outcome link goes with the column.
func TestImpactOutcomesMigrationDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t, pgtest.Empty(t))
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 43); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO users (id, email, name, role) OVERRIDING SYSTEM VALUE VALUES (1, 'lead@example.test', 'Lead', 'staff')`,
		`INSERT INTO projects (id, title, created_by) OVERRIDING SYSTEM VALUE VALUES (10, 'Stroke', 1)`,
		`INSERT INTO proposals (id, project_id, author_id, title, body) OVERRIDING SYSTEM VALUE VALUES (5, 10, 1, 'Idea', 'B')`,
		`INSERT INTO outcomes (id, project_id, proposed_by, title) OVERRIDING SYSTEM VALUE VALUES (7, 10, 1, 'Outcome')`,
		`INSERT INTO impact_entries (id, project_id, title, what_changed, changed_on) OVERRIDING SYSTEM VALUE VALUES (3, 10, 'T', 'W', '2026-01-01')`,
		`INSERT INTO impact_links (entry_id, proposal_id) VALUES (3, 5)`,
		`INSERT INTO impact_links (entry_id, outcome_id) VALUES (3, 7)`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if _, err := p.DownTo(ctx, 42); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM impact_links`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d links after going down (%v), want the idea's", n, err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO impact_links (entry_id) VALUES (3)`); err == nil {
		t.Error("after going down a link to nothing is taken")
	}
	if _, err := p.UpTo(ctx, 43); err != nil {
		t.Fatal(err)
	}
}
