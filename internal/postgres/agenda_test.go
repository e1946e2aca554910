package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func agendaTitles(t *testing.T, s *postgres.Store, meetingID int64) []string {
	t.Helper()
	items, err := s.AgendaItems(context.Background(), meetingID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, it := range items {
		if it.Position != i+1 {
			t.Errorf("item %q at position %d, want %d", it.Title, it.Position, i+1)
		}
		out = append(out, it.Title)
	}
	return out
}

// An agenda keeps its items numbered 1, 2, 3 through moves and removals,
// names only the project's members as leaders, and its minutes wait for
// the meeting, are published once, and take comments only when published.
// A decision minuted on an idea is the idea's answer, remembering the
// meeting.
func TestAgendaAndMinutes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	lay := pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	outsider := pgtest.User(t, s, coproduce.RolePartner)
	idea, err := s.CreateProposal(ctx, lay.ID, p.ID, coproduce.ProposalInput{Title: "Weekend visits", Body: "B"})
	if err != nil {
		t.Fatal(err)
	}
	meeting := func(start time.Time) int64 {
		t.Helper()
		id, err := s.CreateMeeting(ctx, lead.ID, coproduce.Meeting{ProjectID: p.ID, Title: "Workshop", Venue: "Hall",
			StartsAt: start, EndsAt: start.Add(2 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	past, future := meeting(time.Now().Add(-3*time.Hour)), meeting(time.Now().Add(48*time.Hour))

	var ids []int64
	for _, title := range []string{"One", "Two", "Three"} {
		id, err := s.AddAgendaItem(ctx, lead.ID, p.ID, past, coproduce.AgendaItemValues{Title: title, LedBy: lay.ID, Ideas: []int64{idea}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := s.MoveAgendaItem(ctx, lead.ID, p.ID, past, ids[2], true); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveAgendaItem(ctx, lead.ID, p.ID, past, ids[0], true); err != nil {
		t.Fatal(err)
	}
	if got := agendaTitles(t, s, past); len(got) != 3 || got[0] != "One" || got[1] != "Three" || got[2] != "Two" {
		t.Errorf("after moves: %v, want [One Three Two]", got)
	}
	if err := s.RemoveAgendaItem(ctx, lead.ID, p.ID, past, ids[0]); err != nil {
		t.Fatal(err)
	}
	if got := agendaTitles(t, s, past); len(got) != 2 || got[0] != "Three" || got[1] != "Two" {
		t.Errorf("after removing the first: %v, want [Three Two]", got)
	}
	if _, err := s.AddAgendaItem(ctx, lead.ID, p.ID, past, coproduce.AgendaItemValues{Title: "X", LedBy: outsider.ID}); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("an outsider leading an item: %v, want ErrNotFound", err)
	}
	if err := s.UpdateAgendaItem(ctx, lead.ID, p.ID, future, ids[1], coproduce.AgendaItemValues{Title: "X"}); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("changing an item through another meeting: %v, want ErrNotFound", err)
	}

	later, err := s.AddAgendaItem(ctx, lead.ID, p.ID, future, coproduce.AgendaItemValues{Title: "Later"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveItemMinutes(ctx, lead.ID, p.ID, future, later, coproduce.ItemMinutesInput{Discussion: "D"}); !errors.Is(err, coproduce.ErrMeetingNotStarted) {
		t.Errorf("minutes of a meeting not started: %v, want ErrMeetingNotStarted", err)
	}
	if err := s.SaveItemMinutes(ctx, lead.ID, p.ID, past, ids[1], coproduce.ItemMinutesInput{Discussion: "We talked", Decisions: "We agreed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMinuteComment(ctx, p.ID, past, lay.ID, "Early"); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("a comment on draft minutes: %v, want ErrNotFound", err)
	}
	err = s.DecideAtMeeting(ctx, lead.ID, p.ID, past, ids[1], idea, coproduce.ResponseInput{Response: coproduce.Adopted})
	if err != nil {
		t.Fatal(err)
	}
	pr, err := s.Proposal(ctx, p.ID, idea)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Open || pr.Response != coproduce.Adopted {
		t.Errorf("the idea after the decision: open %v, answer %q", pr.Open, pr.Response)
	}
	page, err := s.ProposalPage(ctx, p.ID, idea, lay.ID, 1, 25)
	if err != nil {
		t.Fatal(err)
	}
	if page.DecidedAt == nil || page.DecidedAt.MeetingID != past || page.DecidedAt.Published {
		t.Errorf("the idea's page says decided at %+v, want the past meeting, unpublished", page.DecidedAt)
	}
	due := time.Now().AddDate(0, 1, 0)
	if err := s.AddMinutedAction(ctx, lead.ID, p.ID, past, ids[1], idea, coproduce.ActionInput{Description: "Do it",
		Owner: "Ward", DueOn: due.Format("2006-01-02"), Status: "not_started"}, due); err != nil {
		t.Fatal(err)
	}
	// A decision on an idea the item does not discuss is refused.
	other, err := s.CreateProposal(ctx, lay.ID, p.ID, coproduce.ProposalInput{Title: "Other", Body: "B"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DecideAtMeeting(ctx, lead.ID, p.ID, past, ids[1], other, coproduce.ResponseInput{Response: coproduce.Adopted}); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("deciding an idea not on the item: %v, want ErrNotFound", err)
	}

	if err := s.PublishMinutes(ctx, lead.ID, p.ID, past); err != nil {
		t.Fatal(err)
	}
	if err := s.PublishMinutes(ctx, lead.ID, p.ID, past); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("publishing twice: %v, want ErrStale", err)
	}
	if _, err := s.AddMinuteComment(ctx, p.ID, past, lay.ID, "Thanks"); err != nil {
		t.Fatal(err)
	}
	m, err := s.Minutes(ctx, past)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Published() || len(m.Items) != 2 || m.Items[1].Discussion != "We talked" || len(m.Decisions) != 1 ||
		len(m.Actions) != 1 || m.Actions[0].ItemID != ids[1] || len(m.Comments) != 1 || m.Comments[0].Author != lay.Name {
		t.Errorf("minutes read back: %+v", m)
	}
	if actions, _ := s.Actions(ctx, p.ID); len(actions[idea]) != 1 {
		t.Errorf("the minuted action is not the idea's: %+v", actions)
	}
}
