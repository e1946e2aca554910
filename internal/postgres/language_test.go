package postgres_test

import (
	"context"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// A person's language starts unchosen, is saved as en or cy, and the
// database refuses any other code.
func TestUserLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	u := pgtest.User(t, s, coproduce.RolePartner)
	if u.Language != "" {
		t.Fatalf("a new account's language is %q, want none yet", u.Language)
	}
	if err := s.SetUserLanguage(ctx, u.ID, "cy"); err != nil {
		t.Fatal(err)
	}
	got, err := s.UserByID(ctx, u.ID)
	if err != nil || got.Language != "cy" {
		t.Fatalf("after saving Welsh: %+v, %v", got, err)
	}
	if err := s.SetUserLanguage(ctx, u.ID, "fr"); err == nil {
		t.Error("the database saved a language Coproduce does not speak")
	}
	if err := s.SetUserLanguage(ctx, -1, "en"); err == nil {
		t.Error("no error for an account that does not exist")
	}
}
