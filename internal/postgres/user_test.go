package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func TestUserEmailIsUniqueWhateverTheCase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	u := pgtest.User(t, s, coproduce.RoleStaff)

	_, err := s.CreateUser(ctx, coproduce.NewUser{Email: strings.ToUpper(u.Email), Name: "Copy", Role: coproduce.RoleStaff}, "")
	if !errors.Is(err, coproduce.ErrConflict) {
		t.Errorf("err = %v, want ErrConflict", err)
	}
	got, err := s.UserByEmail(ctx, strings.ToUpper(u.Email))
	if err != nil || got.ID != u.ID {
		t.Errorf("UserByEmail upper case = %v, %v", got, err)
	}
}

func TestUserByIDNotFound(t *testing.T) {
	t.Parallel()
	_, err := pgtest.Store(t).UserByID(context.Background(), -1)
	if !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func TestDisablingAUserEndsTheirSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	admin := pgtest.User(t, s, coproduce.RoleAdmin)
	u := pgtest.User(t, s, coproduce.RolePartner)
	id := []byte("session-hash-of-" + u.Email)
	if err := s.CreateSession(ctx, id, u.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserDisabled(ctx, admin.ID, u.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err := s.LiveSession(ctx, id, time.Hour, time.Hour)
	if !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("session after disabling: err = %v, want ErrNotFound", err)
	}
	got, _ := s.UserByID(ctx, u.ID)
	if !got.Disabled {
		t.Error("user not marked disabled")
	}
}

func TestAuditEventsCannotBeChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(tx)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	pgtest.Project(t, s, lead)
	for _, stmt := range []string{`UPDATE audit_events SET action = 'x'`, `DELETE FROM audit_events`} {
		_, err := tx.Exec(ctx, "SAVEPOINT try; "+stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want append-only refusal", stmt, err)
		}
		_, _ = tx.Exec(ctx, "ROLLBACK TO SAVEPOINT try")
	}
}
