package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/term"

	"github.com/coproduce/coproduce/internal/config"
	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/demo"
	"github.com/coproduce/coproduce/internal/postgres"
)

// openDB reads the configuration and connects.
func openDB(ctx context.Context, getenv func(string) string) (*pgxpool.Pool, error) {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return nil, err
	}
	return postgres.OpenPool(ctx, postgres.PoolConfig{URL: cfg.DatabaseURL, MaxConns: 4})
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: coproduce migrate up|down|status")
	}
	pool, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer pool.Close()
	m, err := postgres.NewMigrator(pool)
	if err != nil {
		return err
	}
	defer m.Close()
	switch args[0] {
	case "up":
		if err := m.Up(ctx); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "database is at migration %d\n", m.LatestVersion())
		return nil
	case "down":
		return m.Down(ctx)
	case "status":
		return m.PrintStatus(ctx, stdout)
	}
	return fmt.Errorf("unknown migrate command %q: use up, down or status", args[0])
}

func user(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: coproduce user create --email E --name N --role admin|staff|partner")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stdout)
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name (required)")
	role := fs.String("role", "staff", "admin, staff or partner")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	password, generated, err := readPassword(stdin)
	if err != nil {
		return err
	}
	n := coproduce.NewUser{Email: *email, Name: *name, Role: coproduce.SystemRole(*role), Password: password}
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	pool, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := migrateUp(ctx, pool); err != nil {
		return err
	}
	passwords, err := coproduce.NewPasswords(coproduce.DefaultPasswordParams)
	if err != nil {
		return err
	}
	hash, err := passwords.Hash(password)
	if err != nil {
		return err
	}
	u, err := postgres.NewStore(pool).CreateUser(ctx, n, hash)
	if errors.Is(err, coproduce.ErrConflict) {
		return fmt.Errorf("an account with the email %s already exists", n.Email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s account %d for %s\n", u.Role, u.ID, u.Email)
	if generated {
		fmt.Fprintf(stdout, "password (shown once, store it safely): %s\n", password)
	}
	return nil
}

// readPassword reads a password from standard input when it is a pipe or a
// file, or generates one when it is a terminal (so it is never echoed).
func readPassword(stdin io.Reader) (password string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b := make([]byte, 18)
		if _, err := rand.Read(b); err != nil {
			return "", false, err
		}
		return base64.RawURLEncoding.EncodeToString(b), true, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, err
	}
	password = strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", false, errors.New("no password on standard input")
	}
	return password, false, nil
}

func loadDemo(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stdout)
	ifEmpty := fs.Bool("if-empty", false, "only load into a database with no accounts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := migrateUp(ctx, pool); err != nil {
		return err
	}
	store := postgres.NewStore(pool)
	if *ifEmpty {
		n, err := store.CountUsers(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			fmt.Fprintln(stdout, "The database already has accounts; demo data not loaded.")
			printDemoPeople(stdout)
			return nil
		}
	}
	passwords, err := coproduce.NewPasswords(coproduce.DefaultPasswordParams)
	if err != nil {
		return err
	}
	if err := demo.Load(ctx, store, passwords); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo data loaded.")
	printDemoPeople(stdout)
	return nil
}

func printDemoPeople(w io.Writer) {
	fmt.Fprintf(w, "\nSign in at /sign-in as any of these people (password: %s):\n", demo.Password)
	for _, p := range demo.People {
		fmt.Fprintf(w, "  %-28s %-16s %s\n", p.Email, p.Name, p.Shows)
	}
	fmt.Fprintln(w)
}
