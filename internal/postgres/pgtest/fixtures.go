package pgtest

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/alexedwards/argon2id"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// Password is the password of every fixture account.
const Password = "correct horse battery"

// cheap hashing keeps tests fast; real installations use the defaults.
var cheapParams = &argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Passwords returns a fast password hasher for tests.
func Passwords(t testing.TB) *coproduce.Passwords {
	t.Helper()
	p, err := coproduce.NewPasswords(cheapParams)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var seq atomic.Int64

// User creates an account with a unique email and the fixture password.
func User(t testing.TB, s *postgres.Store, role coproduce.SystemRole) *coproduce.User {
	t.Helper()
	n := seq.Add(1)
	hash, err := Passwords(t).Hash(Password)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(context.Background(), coproduce.NewUser{
		Email: fmt.Sprintf("person%d-%d@example.test", n, randSuffix()),
		Name:  fmt.Sprintf("Person %d", n),
		Role:  role,
	}, hash)
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

// Project creates a project led by lead.
func Project(t testing.TB, s *postgres.Store, lead *coproduce.User) *coproduce.Project {
	t.Helper()
	p, err := s.CreateProject(context.Background(), lead.ID, coproduce.ProjectInput{
		Title: fmt.Sprintf("Project %d", seq.Add(1)), Summary: "A test project.", Status: coproduce.ProjectActive,
	})
	if err != nil {
		t.Fatalf("create project: %v", err)
	}
	return p
}

// Member adds a new account of the given system role to a project in a role.
func Member(t testing.TB, s *postgres.Store, p *coproduce.Project, sys coproduce.SystemRole, role coproduce.ProjectRole) *coproduce.User {
	t.Helper()
	u := User(t, s, sys)
	if err := s.AddMember(context.Background(), p.CreatedBy, p.ID, u.ID, role); err != nil {
		t.Fatalf("add member: %v", err)
	}
	return u
}

// randSuffix keeps emails unique across test processes that share the
// database (each package runs in its own process).
func randSuffix() int { return os.Getpid() }
