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

// Twenty ideas arrive at the same moment for a member who wants news soon:
// one email goes at once and the other nineteen wait, together, for the
// gathered email; that email is sent once, whoever asks for it.
func TestNewsArrivingAtOnceSendsOneEmail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t, pgtest.Clone(t))
	store := postgres.NewStore(pool)
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	member := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	if err := store.SetNotify(ctx, member.ID, coproduce.NotifyImmediate); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			_, err := store.CreateProposal(ctx, lead.ID, p.ID, coproduce.ProposalInput{Title: "Idea " + strconv.Itoa(i), Body: "B"},
				coproduce.News{Kind: coproduce.NewsNewIdea, ProjectID: p.ID, ActorID: lead.ID, Audience: coproduce.Audience{Members: true},
					PathFor: func(id int64) string { return "/projects/" + strconv.FormatInt(id, 10) },
					Write: func(rc coproduce.Recipient, path string) coproduce.Notice {
						return coproduce.Notice{Line: "Idea " + strconv.Itoa(i), Link: "https://coproduce.test" + path,
							Email: coproduce.Email{To: member.Email, Subject: "New idea", Text: "Idea", Kind: "new_proposal"}}
					}})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	count := func(q string) int {
		var n int
		if err := pool.QueryRow(ctx, q, member.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	emails := `SELECT count(*) FROM emails e JOIN users u ON u.email = e.to_address WHERE u.id = $1`
	if n := count(emails); n != 1 {
		t.Errorf("%d emails sent at once, want 1", n)
	}
	if n := count(`SELECT count(*) FROM digest_items WHERE user_id = $1 AND sent_at IS NULL`); n != 19 {
		t.Errorf("%d items waiting, want 19", n)
	}
	// Within the interval, nothing more goes.
	due, err := store.DueDigests(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range due {
		if rc.UserID == member.ID {
			t.Error("gathered email due before the interval is over")
		}
	}
	// When it is over, two runs at once send one gathered email.
	if _, err := pool.Exec(ctx, `UPDATE users SET last_notice_at = now() - interval '6 minutes' WHERE id = $1`, member.ID); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		wg.Go(func() {
			err := store.SendDigest(ctx, coproduce.Recipient{UserID: member.ID, Notify: coproduce.NotifyImmediate}, func(items []coproduce.DigestItem) coproduce.Email {
				return coproduce.Email{To: member.Email, Subject: "Gathered " + strconv.Itoa(len(items)), Text: "x", Kind: "gathered"}
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := count(emails + ` AND e.kind = 'gathered' AND e.subject = 'Gathered 19'`); n != 1 {
		t.Errorf("%d gathered emails naming all 19, want 1", n)
	}
	if n := count(emails); n != 2 {
		t.Errorf("%d emails in all, want 2", n)
	}
}
