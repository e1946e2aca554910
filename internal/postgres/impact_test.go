package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// impactProject is a project with a lay partner's adopted idea and its
// action, another idea, and a second project with an idea of its own.
type impactProject struct {
	s                          *postgres.Store
	db                         postgres.DBTX
	p, other                   *coproduce.Project
	lead, lay, outsider        *coproduce.User
	idea, plain, action, their int64
}

func newImpactProject(t *testing.T) *impactProject {
	t.Helper()
	ctx := context.Background()
	db := pgtest.Autocommit(pgtest.Tx(t))
	s := postgres.NewStore(db)
	ip := &impactProject{s: s, db: db, lead: pgtest.User(t, s, coproduce.RoleStaff)}
	ip.p = pgtest.Project(t, s, ip.lead)
	ip.lay = pgtest.Member(t, s, ip.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	ip.outsider = pgtest.User(t, s, coproduce.RoleStaff)
	ip.other = pgtest.Project(t, s, ip.outsider)
	var err error
	must := func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	ip.idea = must(s.CreateProposal(ctx, ip.lay.ID, ip.p.ID, coproduce.ProposalInput{Title: "Large print sheets", Body: "B"}))
	ip.plain = must(s.CreateProposal(ctx, ip.lay.ID, ip.p.ID, coproduce.ProposalInput{Title: "Evening visits", Body: "B"}))
	ip.their = must(s.CreateProposal(ctx, ip.outsider.ID, ip.other.ID, coproduce.ProposalInput{Title: "Theirs", Body: "B"}))
	if err = s.RespondToProposal(ctx, ip.lead.ID, ip.p.ID, ip.idea, coproduce.ResponseInput{Response: coproduce.Adopted, Rationale: "Yes"}); err != nil {
		t.Fatal(err)
	}
	due := time.Now().AddDate(0, 0, 7)
	if err = s.AddAction(ctx, ip.lead.ID, ip.p.ID, ip.idea, coproduce.ActionInput{Description: "Print them", Owner: "Tom",
		DueOn: due.Format(time.DateOnly), Status: "not_started"}, due); err != nil {
		t.Fatal(err)
	}
	actions, err := s.Actions(ctx, ip.p.ID)
	if err != nil || len(actions[ip.idea]) != 1 {
		t.Fatalf("actions %v, %v", actions, err)
	}
	ip.action = actions[ip.idea][0].ID
	return ip
}

// An entry keeps its links to the project's own ideas and actions and its
// contributors, all saved together; another project's idea, or someone
// not in the project, is never linked, even by a hand-written row.
func TestImpactEntryLinks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ip := newImpactProject(t)
	s := ip.s
	on := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	id, err := s.AddImpactEntry(ctx, ip.lead.ID, ip.p.ID, coproduce.ImpactValues{Title: "Sheets in large print",
		WhatChanged: "Every sheet is now in 16 point.", ChangedOn: on,
		Ideas: []int64{ip.idea, ip.their}, Actions: []int64{ip.action}, Contributors: []int64{ip.lay.ID, ip.outsider.ID}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.ImpactEntry(ctx, ip.p.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Title != "Sheets in large print" || !e.ChangedOn.Equal(on) {
		t.Errorf("entry %+v", e)
	}
	if len(e.Ideas) != 1 || e.Ideas[0].ID != ip.idea {
		t.Errorf("ideas %+v: want only the project's own idea", e.Ideas)
	}
	if len(e.Actions) != 1 || e.Actions[0].ID != ip.action || e.Actions[0].IdeaTitle != "Large print sheets" {
		t.Errorf("actions %+v", e.Actions)
	}
	if len(e.Contributors) != 1 || e.Contributors[0].UserID != ip.lay.ID || e.Contributors[0].Role != coproduce.RoleLayPartner {
		t.Errorf("contributors %+v: want only the project's lay partner", e.Contributors)
	}
	// The database itself refuses a link to another project's idea.
	var pgErr *pgconn.PgError
	if _, err := ip.db.Exec(ctx, `INSERT INTO impact_links (entry_id, proposal_id) VALUES ($1, $2)`, id, ip.their); !errors.As(err, &pgErr) || pgErr.Code != "23503" {
		t.Errorf("linking another project's idea by hand: %v, want refused", err)
	}

	// Changing it replaces its links; another project cannot change it.
	if err := s.UpdateImpactEntry(ctx, ip.lead.ID, ip.p.ID, id, coproduce.ImpactValues{Title: "Sheets", WhatChanged: "W",
		ChangedOn: on, Ideas: []int64{ip.plain}}); err != nil {
		t.Fatal(err)
	}
	if e, _ = s.ImpactEntry(ctx, ip.p.ID, id); len(e.Ideas) != 1 || e.Ideas[0].ID != ip.plain || len(e.Actions) != 0 || len(e.Contributors) != 0 {
		t.Errorf("after the change: %+v", e)
	}
	if err := s.UpdateImpactEntry(ctx, ip.outsider.ID, ip.other.ID, id, coproduce.ImpactValues{Title: "X", WhatChanged: "X", ChangedOn: on}); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("changed from another project: %v", err)
	}
	if err := s.RemoveImpactEntry(ctx, ip.outsider.ID, ip.other.ID, id); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("removed from another project: %v", err)
	}
	if err := s.RemoveImpactEntry(ctx, ip.lead.ID, ip.p.ID, id); err != nil {
		t.Fatal(err)
	}
	if list, err := s.ImpactEntries(ctx, ip.p.ID); err != nil || len(list) != 0 {
		t.Errorf("after removing: %v, %v", list, err)
	}
}

// An idea's page names the changes that came from it or from its actions,
// and no other idea's.
func TestImpactOnIdeaPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ip := newImpactProject(t)
	s := ip.s
	on := time.Now().AddDate(0, 0, -1)
	for _, v := range []coproduce.ImpactValues{
		{Title: "From the action", WhatChanged: "W", ChangedOn: on, Actions: []int64{ip.action}},
		{Title: "From the idea", WhatChanged: "W", ChangedOn: on.AddDate(0, 0, -3), Ideas: []int64{ip.idea}},
		{Title: "From the other idea", WhatChanged: "W", ChangedOn: on, Ideas: []int64{ip.plain}},
	} {
		if _, err := s.AddImpactEntry(ctx, ip.lead.ID, ip.p.ID, v); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.ProposalPage(ctx, ip.p.ID, ip.idea, ip.lay.ID, 1, 25)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Impact) != 2 || page.Impact[0].Title != "From the action" || page.Impact[1].Title != "From the idea" {
		t.Errorf("the idea's page names %+v, want the two changes from it, newest first", page.Impact)
	}
}

// The reflection keeps every version with who wrote it; a save from a
// version someone has since replaced is refused, and the same words again
// keep no new version.
func TestReflectionVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ip := newImpactProject(t)
	s := ip.s
	if r, err := s.Reflection(ctx, ip.p.ID); err != nil || r.Version != 0 {
		t.Fatalf("before any: %+v, %v", r, err)
	}
	save := func(who *coproduce.User, body string, base int) error {
		return s.SaveReflection(ctx, who.ID, ip.p.ID, coproduce.ReflectionInput{Body: body, BaseVersion: base})
	}
	if err := save(ip.lay, "It went well.", 0); err != nil {
		t.Fatal(err)
	}
	if err := save(ip.lead, "Meetings were too early.", 0); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("a save from version 0 after version 1: %v, want ErrStale", err)
	}
	if err := save(ip.lead, "It went well. Meetings were too early.", 1); err != nil {
		t.Fatal(err)
	}
	if err := save(ip.lead, "It went well. Meetings were too early.", 2); err != nil {
		t.Fatal(err)
	}
	history, err := s.ReflectionHistory(ctx, ip.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 2 || history[0].Version != 2 || history[0].WrittenBy != ip.lead.ID || history[1].WriterName != ip.lay.Name {
		t.Errorf("history %+v: want two versions, the lead's newest", history)
	}
	if r, _ := s.Reflection(ctx, ip.p.ID); r.Body != "It went well. Meetings were too early." {
		t.Errorf("current %q", r.Body)
	}
}

// Meetings held count only those that took place, and attendance is
// counted by the role of those who came.
func TestAttendanceByRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ip := newImpactProject(t)
	s := ip.s
	start := time.Now().Add(-48 * time.Hour)
	held, err := s.CreateMeeting(ctx, ip.lead.ID, coproduce.Meeting{ProjectID: ip.p.ID, Title: "Held", Venue: "Hall",
		StartsAt: start, EndsAt: start.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(48 * time.Hour)
	if _, err := s.CreateMeeting(ctx, ip.lead.ID, coproduce.Meeting{ProjectID: ip.p.ID, Title: "Next", Venue: "Hall",
		StartsAt: later, EndsAt: later.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAttendance(ctx, ip.lead.ID, ip.p.ID, held, []int64{ip.lay.ID, ip.lead.ID}, ""); err != nil {
		t.Fatal(err)
	}
	n, byRole, err := s.AttendanceByRole(ctx, ip.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || byRole[coproduce.RoleLayPartner] != 1 || byRole[coproduce.RoleLead] != 1 {
		t.Errorf("held %d, came %v; want 1 held, one lay partner and one lead", n, byRole)
	}
}
