package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/coproduce/coproduce/internal/i18n"
)

// english words an error as the command line does in an English locale.
func english(err error) string {
	catalog, cerr := i18n.Load()
	if cerr != nil {
		panic(cerr)
	}
	message, _ := describe(err, catalog.ForEnvironment(func(string) string { return "" }))
	return message
}

// ran is what one run of the binary printed, and how it ended.
type ran struct {
	stdout, stderr string
	code           int
}

// runBinary runs the real binary (this test binary, started again as
// main) with only the environment given, as a person at a terminal would.
func runBinary(t *testing.T, env map[string]string, stdin string, args ...string) ran {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{childEnvVar + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	r := ran{stdout: stdout.String(), stderr: stderr.String()}
	if errors.As(err, &exit) {
		r.code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// catalogueLines are the English catalogue's messages, a pattern for each
// of their lines in which every {{.Field}} may be anything; and its ids.
type catalogueLines struct {
	patterns []*regexp.Regexp
	ids      map[string]bool
}

var (
	field   = regexp.MustCompile(`\\\{\\\{[^}]*\\\}\\\}`)
	nonWord = regexp.MustCompile(`\W`)
)

func readCatalogue(t *testing.T) catalogueLines {
	t.Helper()
	// Every language's messages: a run under LANG=cy_GB prints Welsh ones.
	messages := map[string]any{}
	for _, lang := range []string{"en", "cy"} {
		var m map[string]any
		if _, err := toml.DecodeFile("../../internal/i18n/locales/"+lang+".toml", &m); err != nil {
			t.Fatal(err)
		}
		for id, text := range m {
			messages[lang+":"+id] = text
		}
	}
	c := catalogueLines{ids: map[string]bool{}}
	add := func(text string) {
		for _, line := range strings.Split(text, "\n") {
			// A line that is little but its fields, such as "{{.Partner}}
			// with {{.Buddy}}", would match almost anything: it is no
			// evidence.
			if len(nonWord.ReplaceAllString(field.ReplaceAllString(regexp.QuoteMeta(line), ""), "")) < 8 {
				continue
			}
			c.patterns = append(c.patterns, regexp.MustCompile("^"+field.ReplaceAllString(regexp.QuoteMeta(line), ".+")+"$"))
		}
	}
	for key, m := range messages {
		_, id, _ := strings.Cut(key, ":")
		c.ids[id] = true
		switch m := m.(type) {
		case string:
			add(m)
		case map[string]any: // plural forms
			for _, form := range m {
				add(form.(string))
			}
		}
	}
	return c
}

// looksLikeID is a line that is a message id rather than a message.
var looksLikeID = regexp.MustCompile(`^[a-z_]+\.[a-z_.]+$`)

// checkWords fails the test for each problem with what a run printed.
func (c catalogueLines) checkWords(t *testing.T, r ran, personal ...string) {
	t.Helper()
	for _, p := range c.problems(r.stdout+r.stderr, personal...) {
		t.Error(p)
	}
}

// problems lists each line of a person's output that is not one of the
// catalogue's English messages or shows a message id. A line that is a
// structured log entry is for operators and is left out, but must not
// hold the personal data given.
func (c catalogueLines) problems(output string, personal ...string) []string {
	var found []string
	for _, line := range strings.Split(output, "\n") {
		var entry map[string]any
		if json.Unmarshal([]byte(line), &entry) == nil && entry["level"] != nil {
			for _, p := range personal {
				if strings.Contains(line, p) {
					found = append(found, fmt.Sprintf("a log line holds personal data %q: %s", p, line))
				}
			}
			continue
		}
		switch {
		case line == "":
		case looksLikeID.MatchString(line) || c.showsID(line):
			found = append(found, fmt.Sprintf("the binary printed a message id: %q", line))
		case !c.matches(line):
			found = append(found, fmt.Sprintf("the binary printed words that are not in the catalogue: %q", line))
		}
	}
	return found
}

func (c catalogueLines) matches(line string) bool {
	for _, p := range c.patterns {
		if p.MatchString(line) {
			return true
		}
	}
	return false
}

func (c catalogueLines) showsID(line string) bool {
	for _, word := range strings.Fields(line) {
		if c.ids[strings.Trim(word, `.,:;"'()`)] {
			return true
		}
	}
	return false
}

// What the binary printed before it spoke the catalogue (the issue's
// error.password.too_short among it): the check finds every line, and
// passes the catalogue's own words.
func TestTheWordsCheckFindsWordsWrittenInTheCode(t *testing.T) {
	t.Parallel()
	words := readCatalogue(t)
	for _, line := range []string{
		"error.password.too_short",
		"coproduce: error.password.too_short",
		"usage: coproduce [command]",
		"  serve                     run the web server (the default)",
		`coproduce: unknown command "fly"`,
		"coproduce: no password on standard input",
		"coproduce: BASE_URL must be an http or https address, like http://localhost:8080",
		"coproduce: migrate up: failed to initialize: failed to connect to `user=n database=x`:",
		"\t127.0.0.1:1 (127.0.0.1): dial error: dial tcp 127.0.0.1:1: connect: connection refused",
		"database is at migration 18",
		"created admin account 3 for ada@example.org",
		"The database already has accounts; demo data not loaded.",
		"Sign in at /sign-in as any of these people (password: coproduce-demo):",
		"flag provided but not defined: -bogus",
		"    \tonly load into a database with no accounts",
	} {
		if len(words.problems(line)) == 0 {
			t.Errorf("the check let through %q", line)
		}
	}
	logged := `{"time":"2026-12-01T18:53:46Z","level":"ERROR","msg":"command failed","error":"user rhiannon.price@example.org"}`
	if len(words.problems(logged, "rhiannon.price@example.org")) != 1 {
		t.Error("the check let through personal data in a log line")
	}
	said := "Password must be 10 characters or more\nThe database is at migration 18, the latest.\n\n" +
		"  aisha.khan@example.org       Aisha Khan       engagement lead of the stroke project\n" + logged
	if p := words.problems(said); len(p) != 0 {
		t.Errorf("the check refused the catalogue's words: %v", p)
	}
}

// A fault with no words of its own is told in one sentence, and handed
// back to be logged; a refusal is not logged.
func TestAFaultIsToldInASentenceAndLogged(t *testing.T) {
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := catalog.ForEnvironment(func(string) string { return "" })
	fault := errors.New("start mail queue: river: boom")
	if said, cause := describe(fault, l); said != l.T("cli.error.unexpected") || cause != fault {
		t.Errorf("a fault: said %q, logged %v", said, cause)
	}
	if said, cause := describe(refuse("cli.error.account_exists", map[string]any{"Email": "a@example.org"}), l); cause != nil ||
		said != "There is already an account with the email address a@example.org." {
		t.Errorf("a refusal: said %q, logged %v", said, cause)
	}
}
