package main

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/demo"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Every email reaches people whatever their name: names with quotes, @,
// :, ;, a backslash or letters outside Latin are sent by the real binary to
// a real SMTP server, and the From and To headers read back decode to the
// exact names. Message-IDs end with BASE_URL's host, not the machine's name.
func TestEmailAddressesCarryAnyName(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.Empty(t)
	box := startMailbox(t)
	org := `St Mary's "Best" Trust: Leeds; Ysbyty\Gwynedd – Gofal`
	srv := startServer(t, dbURL, map[string]string{"SMTP_URL": "smtp://" + box.addr + "?tls=none",
		"ORG_NAME": org, "BASE_URL": "http://coproduce.example.org:8443", "MAIL_FROM": "no-reply@trust.example.org"})
	waitUntil(t, 20*time.Second, srv.URL+"/readyz", func() bool { return statusOf(srv.URL+"/readyz") == http.StatusOK })
	var demoOut strings.Builder
	if err := run(context.Background(), []string{"demo"}, envWith(map[string]string{"DATABASE_URL": dbURL}), nil, &demoOut, &demoOut); err != nil {
		t.Fatalf("demo: %v\n%s", err, demoOut.String())
	}

	names := []string{`Ann "@annie" Jones`, `O'Neill: Chief; Nurse`, `Back\slash <Pat> (home)`, "Siân Evans", "Zoë Brown",
		"Łukasz Nowak", "王芳", "محمد علي", "Gwenllian Angharad Llewelyn-Jones ap Gruffydd o Dŷ'r Ysgol, Llanfairpwllgwyngyll"}
	env := envWith(baseEnv(dbURL, nil))
	want := map[string]string{}
	for i, name := range names {
		email := "person" + strings.Repeat("x", i) + "@example.org"
		var out strings.Builder
		args := []string{"user", "create", "--email", email, "--name", name, "--role", "partner"}
		if err := run(context.Background(), args, env, strings.NewReader("a-long-enough-password\n"), &out, &out); err != nil {
			t.Fatalf("user create %q: %v\n%s", name, err, out.String())
		}
		want[email] = name
		form := url.Values{"link_email": {email}}.Encode()
		if status, body, err := newBrowser(t).post(srv.URL+"/sign-in/link", form); err != nil || status != http.StatusSeeOther {
			t.Fatalf("sign-in link for %q: %d %v\n%s", name, status, err, body)
		}
	}
	// The finding's way in: a lead invites someone new by name.
	var project int64
	if err := connect(t, dbURL).QueryRow(context.Background(), `SELECT min(id) FROM projects`).Scan(&project); err != nil {
		t.Fatal(err)
	}
	lead := newBrowser(t)
	lead.signIn(srv.URL, "aisha.khan@example.org", demo.Password)
	for i, name := range []string{`Ann "@annie" Jones`, `Łukasz "Luke" Nowak; O'Brien\Smith`, "محمد علي"} {
		email := "invited" + strings.Repeat("x", i) + "@example.org"
		form := url.Values{"name": {name}, "email": {email}, "role": {"lay_partner"}}.Encode()
		path := srv.URL + "/projects/" + strconv.FormatInt(project, 10) + "/steps/select/invitations"
		if status, body, err := lead.post(path, form); err != nil || status != http.StatusSeeOther {
			t.Fatalf("inviting %q: %d %v\n%s", name, status, err, body)
		}
		want[email] = name
	}

	// Those that never arrive are named below.
	for end := time.Now().Add(30 * time.Second); len(box.all()) < len(want) && time.Now().Before(end); {
		time.Sleep(100 * time.Millisecond)
	}

	msgID := regexp.MustCompile(`^<[^<>@\s]+@([^<>@\s]+)>$`)
	for _, m := range box.all() {
		to, err := mail.ParseAddress(m.header.Get("To"))
		if err != nil {
			t.Errorf("To %q does not parse: %v", m.header.Get("To"), err)
			continue
		}
		if to.Address != m.to || to.Name != want[m.to] {
			t.Errorf("To decodes to %q <%s>, want %q <%s> (header %q)", to.Name, to.Address, want[m.to], m.to, m.header.Get("To"))
		}
		from, err := mail.ParseAddress(m.header.Get("From"))
		if err != nil || from.Name != org || from.Address != "no-reply@trust.example.org" {
			t.Errorf("From %q decodes to %v, %v; want %q <no-reply@trust.example.org>", m.header.Get("From"), from, err, org)
		}
		if id := msgID.FindStringSubmatch(m.header.Get("Message-Id")); id == nil || id[1] != "coproduce.example.org" {
			t.Errorf("Message-ID %q is not at BASE_URL's host coproduce.example.org", m.header.Get("Message-Id"))
		}
		delete(want, m.to)
	}
	for email, name := range want {
		t.Errorf("no email reached %q <%s>", name, email)
	}
}

// An ORG_NAME (or MAIL_FROM) that would break every email is refused when
// the program starts, with the catalogue's words, before it listens.
func TestStartRefusesSettingsThatBreakEmail(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, value, says string }{
		{"ORG_NAME", "Example Trust\r\nBcc: everyone@example.org", "ORG_NAME must be the organisation's name on one line."},
		{"ORG_NAME", "Example\tTrust", "ORG_NAME must be the organisation's name on one line."},
		{"ORG_NAME", "Example Trust\n", "ORG_NAME must be the organisation's name on one line."},
		{"MAIL_FROM", `"Trust" <a@example.org>`, "MAIL_FROM must be one email address on its own"},
	} {
		cmd := exec.Command(os.Args[0], "serve")
		cmd.Env = append(os.Environ(), childEnvVar+"=1", "DATABASE_URL=postgres://nobody@127.0.0.1:1/none",
			"LISTEN_ADDR=127.0.0.1:0", c.name+"="+c.value)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("%s=%q: the program ended with %v, want exit status 1\n%s", c.name, c.value, err, out)
		}
		if got := string(out); !strings.HasPrefix(got, c.says) || strings.Contains(got, ".one_line") {
			t.Errorf("%s=%q: the program said %q, want %q", c.name, c.value, got, c.says)
		}
	}
}

// A name refused by user create is told in the catalogue's words, and one
// with a line break is folded onto one line rather than refused.
func TestUserCreateSpeaksTheCatalogue(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	err := run(context.Background(), []string{"user", "create", "--email", "not an address", "--name", " \r\n\t", "--role", "partner"},
		envWith(map[string]string{}), strings.NewReader("a-long-enough-password\n"), &out, &out)
	got := english(err)
	for _, want := range []string{"The --name option: Enter a name", "The --email option: "} {
		if !strings.Contains(got, want) {
			t.Errorf("user create said %q, want it to say %q", got, want)
		}
	}
	if strings.Contains(got, "error.") {
		t.Errorf("user create said a message id: %q", got)
	}
}

// The finding itself: a short password is told in words, not as the
// message id error.password.too_short, and not as an option it is not.
func TestUserCreateTellsAShortPasswordInWords(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	err := run(context.Background(), []string{"user", "create", "--email", "short.password@example.org", "--name", "Short Password", "--role", "partner"},
		envWith(map[string]string{}), strings.NewReader("abc\n"), &out, &out)
	got := english(err)
	if got != "Password must be 10 characters or more" {
		t.Errorf("user create said %q", got)
	}
}
