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
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
)

// openDB reads the configuration and connects.
func openDB(ctx context.Context, getenv func(string) string) (*pgxpool.Pool, config.Config, error) {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return nil, cfg, err
	}
	pool, err := postgres.OpenPool(ctx, postgres.PoolConfig{URL: cfg.DatabaseURL, MaxConns: 4})
	return pool, cfg, err
}

// parseOptions reads a command's options. The flag package's own messages
// are English and name no catalogue message, so they are not shown: the
// person is told in the catalogue's words instead.
func parseOptions(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	if err != nil || fs.NArg() > 0 {
		return refuse("cli.error.options", map[string]any{"Command": fs.Name()})
	}
	return nil
}

func migrate(ctx context.Context, args []string, getenv func(string) string, out printer) error {
	if len(args) != 1 {
		return refuse("cli.error.migrate_usage", nil)
	}
	switch args[0] {
	case "up", "down", "status":
	case "-h", "--help", "help":
		return errHelp
	default:
		return refuse("cli.error.migrate_unknown", map[string]any{"Command": args[0]})
	}
	pool, _, err := openDB(ctx, getenv)
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
		out.say("cli.migrate.up", map[string]any{"Version": m.LatestVersion()})
	case "down":
		version, err := m.Down(ctx)
		if errors.Is(err, postgres.ErrNothingToRollBack) {
			return refuse("cli.migrate.nothing_to_roll_back", nil)
		}
		if err != nil {
			return err
		}
		out.say("cli.migrate.down", map[string]any{"Version": version})
	case "status":
		return printStatus(ctx, m, out)
	}
	return nil
}

// printStatus gives one line per migration: applied (with when) or pending.
func printStatus(ctx context.Context, m *postgres.Migrator, out printer) error {
	states, err := m.Status(ctx)
	if err != nil {
		return err
	}
	for _, s := range states {
		data := map[string]any{"Version": fmt.Sprintf("%5d", s.Version), "Name": fmt.Sprintf("%-40s", s.Name)}
		if s.AppliedAt.IsZero() {
			out.say("cli.migrate.pending", data)
			continue
		}
		data["When"] = s.AppliedAt.Format("2006-01-02 15:04:05")
		out.say("cli.migrate.applied", data)
	}
	return nil
}

func user(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, out printer) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return errHelp
		}
		return refuse("cli.error.user_usage", nil)
	}
	// The options' descriptions are in the catalogue's usage, not here.
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "")
	name := fs.String("name", "", "")
	role := fs.String("role", "staff", "")
	if err := parseOptions(fs, args[1:]); err != nil {
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
	u, err := createUser(ctx, getenv, n)
	if err != nil {
		return err
	}
	out.say("cli.user.created", map[string]any{"ID": u.ID, "Email": u.Email, "Role": out.l.T("system_role." + string(u.Role))})
	if generated {
		out.say("cli.user.password", map[string]any{"Password": password})
	}
	return nil
}

// createUser stores a valid new account, migrating the database first.
func createUser(ctx context.Context, getenv func(string) string, n coproduce.NewUser) (*coproduce.User, error) {
	pool, _, err := openDB(ctx, getenv)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if _, err := migrateUp(ctx, pool); err != nil {
		return nil, err
	}
	passwords, err := coproduce.NewPasswords(coproduce.DefaultPasswordParams)
	if err != nil {
		return nil, err
	}
	hash, err := passwords.Hash(n.Password)
	if err != nil {
		return nil, err
	}
	u, err := postgres.NewStore(pool).CreateUser(ctx, n, hash)
	if errors.Is(err, coproduce.ErrConflict) {
		return nil, refuse("cli.error.account_exists", map[string]any{"Email": n.Email})
	}
	return u, err
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
	if stdin == nil {
		return "", false, refuse("cli.error.no_password", nil)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, err
	}
	password = strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", false, refuse("cli.error.no_password", nil)
	}
	return password, false, nil
}

func loadDemo(ctx context.Context, args []string, getenv func(string) string, out printer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	ifEmpty := fs.Bool("if-empty", false, "")
	if err := parseOptions(fs, args); err != nil {
		return err
	}
	pool, cfg, err := openDB(ctx, getenv)
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
			out.say("cli.demo.not_loaded")
			printDemoPeople(out, cfg)
			return nil
		}
	}
	passwords, err := coproduce.NewPasswords(coproduce.DefaultPasswordParams)
	if err != nil {
		return err
	}
	catalog, err := i18n.Load()
	if err != nil {
		return err
	}
	// The story's emails are queued for the server to deliver, as the
	// app's are: to the outbox when there is no mail server.
	queue, err := mail.New(pool, store, mail.Config{})
	if err != nil {
		return err
	}
	news := mail.Writer{L: catalog.Localizer(""), Catalog: catalog, BaseURL: cfg.BaseURL.String(), OrgName: cfg.OrgName}
	if err := demo.Load(ctx, store.WithMailQueue(queue).WithNotifyGather(cfg.NotifyGather), passwords, news); err != nil {
		return err
	}
	out.say("cli.demo.loaded")
	printDemoPeople(out, cfg)
	return nil
}

// printDemoPeople says where to sign in and as whom: each demo person,
// with what they can try, worded by the catalogue.
func printDemoPeople(out printer, cfg config.Config) {
	fmt.Fprintln(out.w)
	out.say("cli.demo.sign_in", map[string]any{"URL": cfg.BaseURL.JoinPath("sign-in").String(), "Password": demo.Password})
	for _, p := range demo.People {
		out.say(p.Shows, map[string]any{"Email": fmt.Sprintf("%-28s", p.Email), "Name": fmt.Sprintf("%-16s", p.Name)})
	}
	for _, p := range demo.Offline {
		out.say(p.Shows, map[string]any{"Email": fmt.Sprintf("%-28s", out.l.T("cli.demo.no_email")), "Name": fmt.Sprintf("%-16s", p.Name)})
	}
	fmt.Fprintln(out.w)
}
