package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func TestDailyDigestIsOneEmailWithEverythingNew(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Clone(t)
	pool := pgtest.Pool(t, dbURL)
	store := postgres.NewStore(pool)
	ctx := context.Background()
	u := pgtest.User(t, store, coproduce.RolePartner)
	if err := store.SetNotify(ctx, u.ID, coproduce.NotifyDaily); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"Aisha suggested: Text reminders", "Your idea was answered: Adopted"} {
		if _, err := pool.Exec(ctx, `INSERT INTO digest_items (user_id, line, link) VALUES ($1, $2, 'https://coproduce.test/p/1')`, u.ID, line); err != nil {
			t.Fatal(err)
		}
	}
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	catalog.Strict = true
	q, err := mail.New(pool, store, mail.Config{Workers: 1, PollInterval: 100 * time.Millisecond,
		Digests: &mail.Digests{Catalog: catalog, OrgName: "Test trust", Every: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())
	var body string
	waitFor(t, "the digest", func() bool {
		err := pool.QueryRow(ctx, `SELECT text_body FROM emails WHERE to_address = $1 AND kind = 'digest'`, u.Email).Scan(&body)
		return err == nil
	})
	for _, want := range []string{"Here are 2 new things", "Text reminders", "Adopted", "https://coproduce.test/p/1"} {
		if !strings.Contains(body, want) {
			t.Errorf("digest lacks %q:\n%s", want, body)
		}
	}
	// Nothing is left to send, and a second run the same day sends nothing.
	due, err := store.DueDigests(ctx, time.Now().Add(2*time.Hour))
	if err != nil || len(due) != 0 {
		t.Errorf("due after sending: %v, %v", due, err)
	}
}
