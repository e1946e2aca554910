package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func TestCreateProject(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)

	p, err := s.CreateProject(ctx, lead.ID, coproduce.ProjectInput{Title: "Stroke rehab", Summary: "At home", Status: coproduce.ProjectDraft})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("ReadsBack", func(t *testing.T) {
		got, err := s.ProjectByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Stroke rehab" || got.Summary != "At home" || got.Status != coproduce.ProjectDraft || got.CreatedBy != lead.ID {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("CreatorIsLead", func(t *testing.T) {
		role, err := s.ProjectRoleOf(ctx, p.ID, lead.ID)
		if err != nil || role != coproduce.RoleLead {
			t.Errorf("role = %q, %v; want lead", role, err)
		}
	})
	t.Run("HasSevenStagesNotStarted", func(t *testing.T) {
		stages, err := s.Stages(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(stages) != 7 {
			t.Fatalf("got %d stages, want 7", len(stages))
		}
		for i, st := range stages {
			if st.Step != coproduce.Steps[i] || st.Status != coproduce.StageNotStarted {
				t.Errorf("stage %d = %+v", i, st)
			}
		}
	})
	t.Run("IsAudited", func(t *testing.T) {
		events, err := s.AuditEventsForProject(ctx, p.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].Action != "project.create" || events[0].ActorID != lead.ID {
			t.Errorf("events = %+v", events)
		}
	})
}

func TestProjectByIDNotFound(t *testing.T) {
	t.Parallel()
	_, err := pgtest.Store(t).ProjectByID(context.Background(), -1)
	if !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func TestUpdateProjectRecordsBeforeAndAfter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)

	in := coproduce.ProjectInput{Title: "New title", Summary: "New", Status: coproduce.ProjectClosed}
	if err := s.UpdateProject(ctx, lead.ID, p.ID, in); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ProjectByID(ctx, p.ID)
	if got.Title != "New title" || got.Status != coproduce.ProjectClosed {
		t.Errorf("got %+v", got)
	}
	events, _ := s.AuditEventsForProject(ctx, p.ID, 10)
	if len(events) < 1 || events[0].Action != "project.update" {
		t.Fatalf("events = %+v", events)
	}
	before := events[0].Before.(map[string]any)
	if before["Title"] != p.Title {
		t.Errorf("before = %v, want title %q", before, p.Title)
	}
}

func TestProjectsForUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	mine := pgtest.Project(t, s, lead)
	other := pgtest.Project(t, s, pgtest.User(t, s, coproduce.RoleStaff))
	partner := pgtest.Member(t, s, mine, coproduce.RolePartner, coproduce.RoleLayPartner)
	admin := pgtest.User(t, s, coproduce.RoleAdmin)

	t.Run("MemberSeesOnlyTheirs", func(t *testing.T) {
		list, err := s.ProjectsForUser(ctx, partner)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != mine.ID || list[0].Role != coproduce.RoleLayPartner || list[0].MemberCount != 2 {
			t.Errorf("list = %+v", list)
		}
	})
	t.Run("AdminSeesAll", func(t *testing.T) {
		list, err := s.ProjectsForUser(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]bool{}
		for _, p := range list {
			seen[p.ID] = true
		}
		if !seen[mine.ID] || !seen[other.ID] {
			t.Errorf("admin list misses projects: %v", seen)
		}
	})
}

func TestAddMember(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	u := pgtest.User(t, s, coproduce.RolePartner)

	if err := s.AddMember(ctx, lead.ID, p.ID, u.ID, coproduce.RoleFacilitator); err != nil {
		t.Fatal(err)
	}
	t.Run("TwiceIsConflict", func(t *testing.T) {
		err := s.AddMember(ctx, lead.ID, p.ID, u.ID, coproduce.RoleLayPartner)
		if !errors.Is(err, coproduce.ErrConflict) {
			t.Errorf("err = %v, want ErrConflict", err)
		}
	})
	t.Run("UnknownUserIsNotFound", func(t *testing.T) {
		err := s.AddMember(ctx, lead.ID, p.ID, -5, coproduce.RoleLayPartner)
		if !errors.Is(err, coproduce.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("ListedWithRole", func(t *testing.T) {
		members, err := s.Members(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != 2 || members[0].Role != coproduce.RoleLead || members[1].UserID != u.ID || members[1].Role != coproduce.RoleFacilitator {
			t.Errorf("members = %+v", members)
		}
	})
}
