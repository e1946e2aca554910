package main

import (
	"net"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// a step is one run of the binary and what it must say.
type step struct {
	name  string
	env   map[string]string
	stdin string
	args  []string
	code  int
	says  string
}

// Every command, its mistakes and its faults, run through the real binary:
// each line a person reads is one of the catalogue's messages (none is a
// message id or words written in the code), and no log line holds the
// personal data given. The steps run in order on one database.
func TestTheCommandLineSpeaksTheCatalogue(t *testing.T) {
	t.Parallel()
	words := readCatalogue(t)
	db := map[string]string{"DATABASE_URL": pgtest.Clone(t)}
	with := func(extra map[string]string) map[string]string {
		env := map[string]string{"DATABASE_URL": db["DATABASE_URL"]}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	email, name := "rhiannon.price@example.org", "Rhiannon Price"
	steps := []step{
		{name: "help", args: []string{"help"}, says: "Usage: coproduce [command]"},
		{name: "help option", args: []string{"--help"}, says: "Settings come from environment variables"},
		{name: "help in Welsh", env: map[string]string{"LANG": "cy_GB.UTF-8"}, args: []string{"help"}, says: "Defnydd: coproduce [gorchymyn]"},
		{name: "help in a language we lack falls back to English", env: map[string]string{"LANG": "fr_FR.UTF-8"}, args: []string{"help"}, says: "Usage: coproduce [command]"},
		{name: "unknown command", args: []string{"fly"}, code: 1, says: "There is no command called fly."},
		{name: "serve with an unknown option", args: []string{"serve", "--verbose"}, code: 1, says: "coproduce serve was given an option"},
		{name: "migrate alone", args: []string{"migrate"}, code: 1, says: "coproduce migrate status."},
		{name: "migrate sideways", args: []string{"migrate", "sideways"}, code: 1, says: "There is no migrate command called sideways."},
		{name: "database unreachable", env: map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}, args: []string{"migrate", "status"}, code: 1, says: "could not reach the database"},
		{name: "database address wrong", env: map[string]string{"DATABASE_URL": "::nope"}, args: []string{"migrate", "up"}, code: 1, says: "DATABASE_URL is not a database address"},
		{name: "user alone", args: []string{"user"}, code: 1, says: "To create an account: coproduce user create"},
		{name: "user create with an unknown option", args: []string{"user", "create", "--colour", "red"}, code: 1, says: "coproduce user create was given an option"},
		{name: "user create without a password", args: []string{"user", "create", "--email", email, "--name", name}, code: 1, says: "No password was given."},
		{name: "user create refused", stdin: "short\n", args: []string{"user", "create", "--email", "rhiannon price", "--name", "\t", "--role", "boss"}, code: 1, says: "Password must be 10 characters or more"},
		{name: "demo with an unknown option", args: []string{"demo", "--all"}, code: 1, says: "coproduce demo was given an option"},
		{name: "migrate status", env: db, args: []string{"migrate", "status"}, says: " applied on "},
		{name: "migrate down", env: db, args: []string{"migrate", "down"}, says: "has been rolled back."},
		{name: "migrate status with one not applied", env: db, args: []string{"migrate", "status"}, says: " not applied yet"},
		{name: "migrate up", env: db, args: []string{"migrate", "up"}, says: "the latest."},
		{name: "user create", env: db, stdin: "a long enough password\n", args: []string{"user", "create", "--email", email, "--name", name, "--role", "partner"}, says: "with the role: Partner."},
		{name: "user create again", env: db, stdin: "a long enough password\n", args: []string{"user", "create", "--email", email, "--name", name}, code: 1, says: "There is already an account with the email address " + email},
		{name: "demo if empty", env: db, args: []string{"demo", "--if-empty"}, says: "so the demo data was not loaded."},
		{name: "demo", env: db, args: []string{"demo"}, says: "The demo data has been loaded."},
		{name: "serve on a port in use", env: with(map[string]string{"LISTEN_ADDR": taken.Addr().String()}), args: []string{"serve"}, code: 1, says: "could not listen on " + taken.Addr().String()},
	}
	for _, s := range append(steps, settingSteps(with)...) {
		t.Run(s.name, func(t *testing.T) {
			r := runBinary(t, s.env, s.stdin, s.args...)
			if r.code != s.code {
				t.Errorf("exit status %d, want %d\n%s%s", r.code, s.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout+r.stderr, s.says) {
				t.Errorf("output does not say %q:\n%s%s", s.says, r.stdout, r.stderr)
			}
			words.checkWords(t, r, email, name)
		})
	}
}

// settingSteps start the server with each setting it refuses; those read
// after connecting (SMTP_URL) get the database.
func settingSteps(with func(map[string]string) map[string]string) []step {
	var steps []step
	for _, s := range []struct{ name, value, says string }{
		{"BASE_URL", "ftp://example.org", "BASE_URL must be an http or https address"},
		{"SESSION_SECRET", "abc", "SESSION_SECRET must be at least 64 hexadecimal characters"},
		{"BASE_URL", "https://coproduce.example.org", "SESSION_SECRET must be set when BASE_URL is an https address"},
		{"DB_MAX_CONNS", "0", "DB_MAX_CONNS must be a whole number of 1 or more"},
		{"DB_ACQUIRE_TIMEOUT", "soon", "DB_ACQUIRE_TIMEOUT must be a length of time"},
		{"TRUSTED_PROXIES", "10.0.0.0/8,proxy.example", "This part is neither: proxy.example"},
		{"DB_QUERY_TIMEOUT", "60s", "DB_QUERY_TIMEOUT must be a length of time shorter than 1m0s"},
		{"NOTIFY_GATHER", "1ms", "NOTIFY_GATHER must be a length of time of a second or more"},
		{"IDEAS_PER_MINUTE", "-1", "IDEAS_PER_MINUTE must be a whole number, 0 or more"},
		{"SESSION_IDLE", "1m", "SESSION_IDLE must be a length of time over 2 minutes"},
		{"SESSION_ABSOLUTE", "1m", "SESSION_ABSOLUTE must be a length of time at least as long as SESSION_IDLE"},
		{"ORG_NAME", "Example\tTrust", "ORG_NAME must be the organisation's name on one line."},
		{"MAIL_FROM", "Trust <a@example.org>", "MAIL_FROM must be one email address on its own"},
		{"SMTP_URL", "ftp://mail.example.org", "SMTP_URL must start with smtp:// or smtps://"},
		{"SMTP_URL", "smtp://mail.example.org?tls=maybe", "In SMTP_URL, tls must be required, opportunistic or none"},
		{"SMTP_URL", "smtp://", "SMTP_URL must be a mail server's address"},
	} {
		steps = append(steps, step{name: s.name + "=" + s.value, env: with(map[string]string{s.name: s.value, "LISTEN_ADDR": "127.0.0.1:0"}),
			args: []string{"serve"}, code: 1, says: s.says})
	}
	return steps
}
