package postgres_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Two runs of the periodic job at once (two instances) remind each member
// of tomorrow's meeting once, and tell the leads once of an idea waiting
// 21 days; a meeting next week and a fresh idea wait.
func TestRemindersAreSentOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t, pgtest.Clone(t))
	store := postgres.NewStore(pool)
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	lay := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	now := time.Now()
	for i, at := range []time.Time{now.Add(20 * time.Hour), now.Add(7 * 24 * time.Hour)} {
		if _, err := store.CreateMeeting(ctx, lead.ID, coproduce.Meeting{ProjectID: p.ID, Title: "Meeting " + strconv.Itoa(i),
			StartsAt: at, EndsAt: at.Add(time.Hour), Venue: "Library", FormToken: "m" + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 2 {
		if _, err := store.CreateProposal(ctx, lay.ID, p.ID, coproduce.ProposalInput{Title: "Idea " + strconv.Itoa(i), Body: "B"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE proposals SET created_at = now() - interval '22 days' WHERE title = 'Idea 0'`); err != nil {
		t.Fatal(err)
	}
	write := func(rc coproduce.Recipient, path string) coproduce.Notice {
		return coproduce.Notice{Line: "news", Link: "https://coproduce.test" + path}
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			_, err := store.RemindOfMeetings(ctx, now, func(m coproduce.Meeting, _ coproduce.Project, _ map[int64]coproduce.SupportProfile, _ map[int64]coproduce.Arrangement, _ []coproduce.Paper) coproduce.News {
				return coproduce.News{Kind: coproduce.NewsMeeting, ProjectID: m.ProjectID, Audience: coproduce.Audience{Members: true},
					Path: "/m/" + m.Title, Once: "meeting_reminder:" + strconv.FormatInt(m.ID, 10), Write: write}
			})
			if err != nil {
				t.Error(err)
			}
			_, err = store.TellOfWaitingIdeas(ctx, now, func(w postgres.WaitingIdea) coproduce.News {
				return coproduce.News{Kind: coproduce.NewsIdeaWaiting, ProjectID: w.ProjectID, Audience: coproduce.Audience{Leads: true},
					Path: "/i/" + w.Title, Once: "idea_waiting:" + strconv.FormatInt(w.ID, 10), Write: write}
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	count := func(userID int64, link string) int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM updates WHERE user_id = $1 AND link = $2`, userID, link).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		who  string
		id   int64
		link string
		want int
	}{{"lead", lead.ID, "/m/Meeting 0", 1}, {"lay partner", lay.ID, "/m/Meeting 0", 1}, {"lay partner", lay.ID, "/m/Meeting 1", 0},
		{"lead", lead.ID, "/i/Idea 0", 1}, {"lead", lead.ID, "/i/Idea 1", 0}, {"lay partner", lay.ID, "/i/Idea 0", 0}} {
		if got := count(c.id, c.link); got != c.want {
			t.Errorf("%s has %d updates for %s, want %d", c.who, got, c.link, c.want)
		}
	}
}
