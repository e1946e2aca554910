package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// A meeting's papers: kept with their bytes, listed without them, each
// with its versions; a version only of one of the meeting's papers and
// one of each kind; an item only of the same meeting; removal takes the
// versions; every change audited; and a meeting whose papers are due and
// missing, or came late, is on the leads' work list.
func TestPapers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	other := pgtest.Project(t, s, lead)
	meeting := func(p *coproduce.Project, days int) coproduce.Meeting {
		t.Helper()
		start := time.Now().AddDate(0, 0, days)
		m := coproduce.Meeting{ProjectID: p.ID, Title: "Workshop", Venue: "Hall", StartsAt: start, EndsAt: start.Add(time.Hour)}
		id, err := s.CreateMeeting(ctx, lead.ID, m)
		if err != nil {
			t.Fatal(err)
		}
		m.ID = id
		return m
	}
	m := meeting(p, 20)
	pdf := []byte("%PDF-1.4\n% a tiny paper\n")
	add := func(np postgres.NewPaper) (int64, error) {
		if np.Version == "" {
			np.Version = coproduce.PaperStandard
		}
		if np.ContentType == "" {
			np.ContentType, np.FileName, np.Data = "application/pdf", "agenda.pdf", pdf
		}
		if np.Title == "" {
			np.Title = "Agenda"
		}
		return s.AddPaper(ctx, lead.ID, p.ID, np)
	}

	agenda, err := add(postgres.NewPaper{MeetingID: m.ID, FormToken: "once"})
	if err != nil {
		t.Fatal(err)
	}
	if again, err := add(postgres.NewPaper{MeetingID: m.ID, FormToken: "once"}); err != nil || again != agenda {
		t.Errorf("the same form sent twice: %d, %v; want the first paper %d", again, err, agenda)
	}
	large, err := add(postgres.NewPaper{MeetingID: m.ID, VersionOf: agenda, Version: coproduce.PaperLargePrint,
		Title: "ignored", ContentType: "text/plain; charset=utf-8", FileName: "agenda.txt", Data: []byte("AGENDA")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := add(postgres.NewPaper{MeetingID: m.ID, VersionOf: agenda, Version: coproduce.PaperLargePrint}); !errors.Is(err, coproduce.ErrConflict) {
		t.Errorf("a second large-print version: %v, want ErrConflict", err)
	}
	if _, err := add(postgres.NewPaper{MeetingID: m.ID, VersionOf: large, Version: coproduce.PaperEasyRead}); !errors.Is(err, postgres.ErrNoSuchOriginal) {
		t.Errorf("a version of a version: %v, want ErrNoSuchOriginal", err)
	}
	elsewhere := meeting(p, 30)
	if _, err := add(postgres.NewPaper{MeetingID: elsewhere.ID, VersionOf: agenda, Version: coproduce.PaperEasyRead}); !errors.Is(err, postgres.ErrNoSuchOriginal) {
		t.Errorf("a version of another meeting's paper: %v, want ErrNoSuchOriginal", err)
	}
	if _, err := s.AddPaper(ctx, lead.ID, other.ID, postgres.NewPaper{MeetingID: m.ID, Version: coproduce.PaperStandard,
		Title: "X", FileName: "x.pdf", ContentType: "application/pdf", Data: pdf}); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("a paper for another project's meeting: %v, want ErrNotFound", err)
	}
	var otherItem, item int64
	if err := tx.QueryRow(ctx, `INSERT INTO agenda_items (meeting_id, position, title) VALUES ($1, 1, 'Elsewhere') RETURNING id`, elsewhere.ID).Scan(&otherItem); err != nil {
		t.Fatal(err)
	}
	if _, err := add(postgres.NewPaper{MeetingID: m.ID, AgendaItemID: otherItem}); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("a paper for another meeting's item: %v, want ErrNotFound", err)
	}
	if err := tx.QueryRow(ctx, `INSERT INTO agenda_items (meeting_id, position, title) VALUES ($1, 1, 'Exercise sheets') RETURNING id`, m.ID).Scan(&item); err != nil {
		t.Fatal(err)
	}
	sheets, err := add(postgres.NewPaper{MeetingID: m.ID, AgendaItemID: item, Title: "Sheets"})
	if err != nil {
		t.Fatal(err)
	}

	mp, err := s.MeetingPapers(ctx, p.ID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if mp.DueDays != coproduce.DefaultPapersDue || len(mp.Papers) != 2 || len(mp.Items) != 1 {
		t.Fatalf("papers: due %d days, %d papers, %d items; want 7, 2, 1", mp.DueDays, len(mp.Papers), len(mp.Items))
	}
	a := mp.Papers[0]
	if a.ID != agenda || a.Size != len(pdf) || a.Kind() != "pdf" || a.AddedBy != lead.Name || a.Late ||
		len(a.Versions) != 1 || a.Versions[0].ID != large || a.Versions[0].Title != "Agenda" || a.Versions[0].Kind() != "text" {
		t.Errorf("the agenda as listed: %+v", a)
	}
	if got := mp.ForItem(item); len(got) != 1 || got[0].ID != sheets {
		t.Errorf("the item's papers: %+v", got)
	}
	if missing := a.Missing(); len(missing) != 1 || missing[0] != coproduce.PaperEasyRead {
		t.Errorf("versions the agenda lacks: %v", missing)
	}
	name, ct, data, err := s.PaperFile(ctx, p.ID, m.ID, large)
	if err != nil || name != "agenda.txt" || ct != "text/plain; charset=utf-8" || !bytes.Equal(data, []byte("AGENDA")) {
		t.Errorf("the large-print file: %q %q %q %v", name, ct, data, err)
	}
	if _, _, _, err := s.PaperFile(ctx, other.ID, m.ID, large); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("a paper read through another project: %v, want ErrNotFound", err)
	}

	t.Run("LateWhenDueAndMissingOrAddedAfter", func(t *testing.T) {
		late := func(p *coproduce.Project) []coproduce.LatePapers {
			t.Helper()
			o, err := s.ProjectOverview(ctx, p.ID, coproduce.Access{User: lead, Role: coproduce.RoleLead}, true, 10, 10)
			if err != nil {
				t.Fatal(err)
			}
			if o.Work == nil {
				t.Fatal("no work list for the lead")
			}
			return o.Work.LatePapers
		}
		if got := late(p); len(got) != 0 {
			t.Errorf("papers not yet due are late: %+v", got)
		}
		// Due 35 days before a meeting in 30: five days ago, and none added.
		if err := s.SetPapersDue(ctx, lead.ID, p.ID, elsewhere.ID, 35); err != nil {
			t.Fatal(err)
		}
		if got := late(p); len(got) != 1 || got[0].Meeting.ID != elsewhere.ID || !got[0].None {
			t.Errorf("late papers: %+v, want the meeting in 30 days with none", got)
		}
		if _, err := add(postgres.NewPaper{MeetingID: elsewhere.ID}); err != nil {
			t.Fatal(err)
		}
		if got := late(p); len(got) != 1 || got[0].None || got[0].Late != 1 {
			t.Errorf("late papers: %+v, want one added late", got)
		}
		mp, err := s.MeetingPapers(ctx, p.ID, elsewhere.ID)
		if err != nil {
			t.Fatal(err)
		}
		if is, none, ones := mp.Late(elsewhere, time.Now()); !is || none || len(ones) != 1 || !mp.Papers[0].Late {
			t.Errorf("the meeting's papers late: %v, none %v, %d late", is, none, len(ones))
		}
		if err := s.SetPapersDue(ctx, lead.ID, p.ID, elsewhere.ID, 7); err != nil {
			t.Fatal(err)
		}
		if got := late(p); len(got) != 0 {
			t.Errorf("papers added before they are due are late: %+v", got)
		}
	})

	t.Run("RemovalTakesTheVersions", func(t *testing.T) {
		if err := s.RemovePaper(ctx, lead.ID, other.ID, m.ID, agenda); !errors.Is(err, coproduce.ErrNotFound) {
			t.Errorf("removed through another project: %v", err)
		}
		if err := s.RemovePaper(ctx, lead.ID, p.ID, m.ID, agenda); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM papers WHERE id IN ($1, $2)`, agenda, large).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d of the paper and its version left (%v)", n, err)
		}
		// Removing the item leaves its paper on the meeting.
		if _, err := tx.Exec(ctx, `DELETE FROM agenda_items WHERE id = $1`, item); err != nil {
			t.Fatal(err)
		}
		if paper, err := s.Paper(ctx, p.ID, m.ID, sheets); err != nil || paper.AgendaItemID != 0 {
			t.Errorf("the item's paper after the item went: %+v, %v", paper, err)
		}
	})

	t.Run("Audited", func(t *testing.T) {
		events, err := s.AuditEvents(ctx, coproduce.AuditFilter{ProjectID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range events {
			count[e.Action]++
		}
		if count[coproduce.AuditPaperAdd] != 4 || count[coproduce.AuditPaperRemove] != 1 || count[coproduce.AuditPapersDue] != 2 {
			t.Errorf("audit: %v, want 4 papers added, 1 removed, 2 due changes", count)
		}
	})

	t.Run("TheDatabaseRefusesWhatTheRulesForbid", func(t *testing.T) {
		for name, query := range map[string]string{
			"UnknownType": `INSERT INTO papers (meeting_id, title, file_name, content_type, size, data) VALUES ($1, 'T', 'a.html', 'text/html', 1, 'x')`,
			"WrongSize":   `INSERT INTO papers (meeting_id, title, file_name, content_type, size, data) VALUES ($1, 'T', 'a.txt', 'text/plain; charset=utf-8', 5, 'x')`,
			"Folder":      `INSERT INTO papers (meeting_id, title, file_name, content_type, size, data) VALUES ($1, 'T', '../a.txt', 'text/plain; charset=utf-8', 1, 'x')`,
			"VersionAlone": `INSERT INTO papers (meeting_id, version, title, file_name, content_type, size, data)
				VALUES ($1, 'easy_read', 'T', 'a.txt', 'text/plain; charset=utf-8', 1, 'x')`,
			"DueTooFar": `UPDATE meetings SET papers_due_days = 61 WHERE id = $1`,
		} {
			if _, err := tx.Exec(ctx, "SAVEPOINT refused"); err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(ctx, query, m.ID); err == nil {
				t.Errorf("%s: the database accepted it", name)
			}
			if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT refused"); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// Papers are the project's: erasing the person who added one keeps it,
// shown as added by "Former participant", with their name taken out of
// its title and file name as from every other text.
func TestErasureKeepsPapersButNotTheName(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := postgres.NewStore(pgtest.Autocommit(pgtest.Tx(t)))
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	admin := pgtest.User(t, s, coproduce.RoleAdmin)
	p := pgtest.Project(t, s, lead)
	fac := pgtest.Member(t, s, p, coproduce.RoleStaff, coproduce.RoleFacilitator)
	start := time.Now().AddDate(0, 0, 10)
	mid, err := s.CreateMeeting(ctx, lead.ID, coproduce.Meeting{ProjectID: p.ID, Title: "Workshop", Venue: "Hall",
		StartsAt: start, EndsAt: start.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.AddPaper(ctx, fac.ID, p.ID, postgres.NewPaper{MeetingID: mid, Version: coproduce.PaperStandard,
		Title: "Notes by " + fac.Name, FileName: fac.Name + " notes.txt", ContentType: "text/plain; charset=utf-8", Data: []byte("Notes")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EraseUser(ctx, admin.ID, fac.ID); err != nil {
		t.Fatal(err)
	}
	paper, err := s.Paper(ctx, p.ID, mid, id)
	if err != nil {
		t.Fatalf("the paper went with the person who added it: %v", err)
	}
	if paper.AddedBy != postgres.FormerParticipant || paper.Title != "Notes by Former participant" ||
		paper.FileName != "Former participant notes.txt" {
		t.Errorf("after erasure: added by %q, title %q, file %q", paper.AddedBy, paper.Title, paper.FileName)
	}
}
