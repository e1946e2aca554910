package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// auditFixture is a store over a test transaction, and that transaction,
// so a test can write events at chosen times (within one transaction every
// event the application writes has the same now()).
type auditFixture struct {
	s  *postgres.Store
	tx pgx.Tx
}

func newAuditFixture(t *testing.T) auditFixture {
	t.Helper()
	tx := pgtest.Tx(t)
	return auditFixture{s: postgres.NewStore(pgtest.Autocommit(tx)), tx: tx}
}

// event writes one event at a given time.
func (f auditFixture) event(t *testing.T, at time.Time, actorID, projectID int64, action string) {
	t.Helper()
	_, err := f.tx.Exec(context.Background(), `
		INSERT INTO audit_events (at, actor_id, project_id, action) VALUES ($1, $2, nullif($3, 0), $4)`,
		at, actorID, projectID, action)
	if err != nil {
		t.Fatal(err)
	}
}

// many writes n events by actorID, a minute apart from 2001-01-01.
func (f auditFixture) many(t *testing.T, actorID int64, n int) {
	t.Helper()
	_, err := f.tx.Exec(context.Background(), `
		INSERT INTO audit_events (at, actor_id, action)
		SELECT timestamptz '2001-01-01 00:00Z' + i * interval '1 minute', $1, 'stage.notes'
		FROM generate_series(1, $2) AS i`, actorID, n)
	if err != nil {
		t.Fatal(err)
	}
}

func (f auditFixture) list(t *testing.T, filter coproduce.AuditFilter) []coproduce.AuditEvent {
	t.Helper()
	events, err := f.s.AuditEvents(context.Background(), filter)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func day(d int) time.Time { return time.Date(2001, 1, d, 0, 0, 0, 0, time.UTC) }

func TestAuditEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("FiltersByProject", func(t *testing.T) {
		t.Parallel()
		f := newAuditFixture(t)
		lead := pgtest.User(t, f.s, coproduce.RoleStaff)
		mine, other := pgtest.Project(t, f.s, lead), pgtest.Project(t, f.s, lead)
		events := f.list(t, coproduce.AuditFilter{ProjectID: mine.ID})
		if len(events) == 0 {
			t.Fatal("no events")
		}
		for _, e := range events {
			if e.ProjectID != mine.ID {
				t.Errorf("event of project %d in project %d's list", e.ProjectID, mine.ID)
			}
		}
		if got := f.list(t, coproduce.AuditFilter{ProjectID: other.ID}); len(got) != len(events) {
			t.Errorf("other project has %d events, want %d", len(got), len(events))
		}
	})

	t.Run("FiltersByActor", func(t *testing.T) {
		t.Parallel()
		f := newAuditFixture(t)
		a, b := pgtest.User(t, f.s, coproduce.RoleStaff), pgtest.User(t, f.s, coproduce.RoleStaff)
		pa, pb := pgtest.Project(t, f.s, a), pgtest.Project(t, f.s, b)
		events := f.list(t, coproduce.AuditFilter{ActorID: a.ID})
		if len(events) != 1 || events[0].ActorID != a.ID || events[0].ProjectID != pa.ID {
			t.Fatalf("events %+v", events)
		}
		if got := f.list(t, coproduce.AuditFilter{ActorID: a.ID, ProjectID: pb.ID}); len(got) != 0 {
			t.Errorf("actor and project together: %+v", got)
		}
	})

	t.Run("JoinsNamesAndTitles", func(t *testing.T) {
		t.Parallel()
		f := newAuditFixture(t)
		lead := pgtest.User(t, f.s, coproduce.RoleStaff)
		p := pgtest.Project(t, f.s, lead)
		member := pgtest.Member(t, f.s, p, coproduce.RolePartner, coproduce.RoleLayPartner)
		events := f.list(t, coproduce.AuditFilter{ProjectID: p.ID})
		if len(events) != 2 {
			t.Fatalf("%d events", len(events))
		}
		add := events[0]
		if add.Action != coproduce.AuditMembershipAdd || add.ActorName != lead.Name ||
			add.ProjectTitle != p.Title || add.SubjectName != member.Name {
			t.Errorf("membership event %+v", add)
		}
	})

	t.Run("DateRangeIncludesFromExcludesTo", func(t *testing.T) {
		t.Parallel()
		f := newAuditFixture(t)
		u := pgtest.User(t, f.s, coproduce.RoleStaff)
		for d := 1; d <= 4; d++ {
			f.event(t, day(d), u.ID, 0, coproduce.AuditStageNotes)
		}
		got := f.list(t, coproduce.AuditFilter{ActorID: u.ID, From: day(2), To: day(4)})
		if len(got) != 2 || !got[0].At.Equal(day(3)) || !got[1].At.Equal(day(2)) {
			t.Errorf("2nd to 4th: %+v", got)
		}
		if got := f.list(t, coproduce.AuditFilter{ActorID: u.ID, From: day(3)}); len(got) != 2 {
			t.Errorf("from the 3rd: %d events", len(got))
		}
		if got := f.list(t, coproduce.AuditFilter{ActorID: u.ID, To: day(3)}); len(got) != 2 {
			t.Errorf("before the 3rd: %d events", len(got))
		}
	})

	t.Run("NewestFirst", func(t *testing.T) {
		t.Parallel()
		f := newAuditFixture(t)
		u := pgtest.User(t, f.s, coproduce.RoleStaff)
		for _, d := range []int{2, 4, 1, 3} {
			f.event(t, day(d), u.ID, 0, coproduce.AuditStageNotes)
		}
		got := f.list(t, coproduce.AuditFilter{ActorID: u.ID})
		if len(got) != 4 {
			t.Fatalf("%d events", len(got))
		}
		for i, e := range got {
			if want := day(4 - i); !e.At.Equal(want) {
				t.Errorf("event %d at %v, want %v", i, e.At, want)
			}
		}
	})

	t.Run("DefaultAndMaximumLimits", func(t *testing.T) {
		t.Parallel()
		f := newAuditFixture(t)
		u := pgtest.User(t, f.s, coproduce.RoleStaff)
		f.many(t, u.ID, 1005)
		for limit, want := range map[int]int{0: 200, 5: 5, 5000: 1000} {
			if got := f.list(t, coproduce.AuditFilter{ActorID: u.ID, Limit: limit}); len(got) != want {
				t.Errorf("limit %d: %d events, want %d", limit, len(got), want)
			}
		}
	})

	t.Run("EachStreamsEveryEventAndStops", func(t *testing.T) {
		t.Parallel()
		f := newAuditFixture(t)
		u := pgtest.User(t, f.s, coproduce.RoleStaff)
		f.many(t, u.ID, 1005)
		n := 0
		var last time.Time
		err := f.s.EachAuditEvent(ctx, coproduce.AuditFilter{ActorID: u.ID}, func(e coproduce.AuditEvent) error {
			if n > 0 && e.At.After(last) {
				t.Errorf("event %d is newer than the one before", n)
			}
			last = e.At
			n++
			return nil
		})
		if err != nil || n != 1005 {
			t.Errorf("%d events, %v", n, err)
		}
		stop := errors.New("stop")
		n = 0
		err = f.s.EachAuditEvent(ctx, coproduce.AuditFilter{ActorID: u.ID}, func(coproduce.AuditEvent) error {
			n++
			return stop
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("after an error: %d calls, %v", n, err)
		}
		// The store is still usable after stopping early.
		if got := f.list(t, coproduce.AuditFilter{ActorID: u.ID, Limit: 1}); len(got) != 1 {
			t.Errorf("%d events after stopping", len(got))
		}
	})

	t.Run("RecordExport", func(t *testing.T) {
		t.Parallel()
		f := newAuditFixture(t)
		admin := pgtest.User(t, f.s, coproduce.RoleAdmin)
		if err := f.s.RecordExport(ctx, admin.ID, 0, "audit.csv", map[string]any{"from": "2026-11-01"}); err != nil {
			t.Fatal(err)
		}
		got := f.list(t, coproduce.AuditFilter{ActorID: admin.ID})
		if len(got) != 1 {
			t.Fatalf("%d events", len(got))
		}
		e := got[0]
		after, _ := e.After.(map[string]any)
		if e.Action != coproduce.AuditExport || e.Subject != "audit.csv" || e.ProjectID != 0 ||
			e.Before != nil || after["from"] != "2026-11-01" {
			t.Errorf("export event %+v", e)
		}
	})

	t.Run("ActorsAreOnlyPeopleInTheTrail", func(t *testing.T) {
		t.Parallel()
		f := newAuditFixture(t)
		acted := pgtest.User(t, f.s, coproduce.RoleStaff)
		idle := pgtest.User(t, f.s, coproduce.RoleStaff)
		pgtest.Project(t, f.s, acted)
		actors, err := f.s.AuditActors(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := map[int64]string{}
		for _, a := range actors {
			found[a.ID] = a.Name
		}
		if found[acted.ID] != acted.Name {
			t.Errorf("%s is missing", acted.Name)
		}
		if _, ok := found[idle.ID]; ok {
			t.Errorf("%s has done nothing but is listed", idle.Name)
		}
	})
}
