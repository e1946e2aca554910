package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/demo"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// invitationLink finds the invitation link in a delivered message, undoing
// quoted-printable's soft line breaks.
var invitationLink = regexp.MustCompile(`/invitations/[A-Za-z0-9_-]{20,}`)

// TestAddingSomeoneFromTheMembersPageAsksThem is the finding, through the
// real binary and a real mail server: a new staff account creates a project
// and adds Margaret (a lay partner of the stroke project) from the members
// page. She is not a member and her needs stay hidden; she gets an
// invitation by email, and only when she says yes does she join, and even
// then the new project sees nothing she told the stroke project.
func TestAddingSomeoneFromTheMembersPageAsksThem(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := pgtest.Clone(t)
	var out strings.Builder
	getenv := envWith(map[string]string{"DATABASE_URL": dbURL})
	if err := run(ctx, []string{"demo"}, getenv, nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	const staffEmail, staffPassword = "new.staff@example.test", "a long enough password"
	if err := run(ctx, []string{"user", "create", "--email", staffEmail, "--name", "New Staff", "--role", "staff"},
		getenv, strings.NewReader(staffPassword+"\n"), &out, &out); err != nil {
		t.Fatalf("user create: %v\n%s", err, out.String())
	}
	mailbox := startMailbox(t)
	in := startServer(t, dbURL, map[string]string{"SMTP_URL": "smtp://" + mailbox.addr + "?tls=none"})
	conn := connect(t, dbURL)
	margaret := demo.People[0]
	for _, p := range demo.People {
		if p.Email == "margaret.jones@example.org" {
			margaret = p
		}
	}
	var margaretID int64
	if err := conn.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, margaret.Email).Scan(&margaretID); err != nil {
		t.Fatal(err)
	}

	staff := newBrowser(t)
	staff.signIn(in.URL, staffEmail, staffPassword)
	project := redirectAfterPost(t, staff, in.URL+"/projects/new", url.Values{"title": {"Curious project"}, "status": {"draft"}})
	project, _, _ = strings.Cut(project, "?")
	redirectAfterPost(t, staff, in.URL+project+"/members", url.Values{"email": {margaret.Email}, "role": {"lay_partner"}})

	herNeeds := in.URL + project + "/support/members/" + itoa(int(margaretID))
	status, body, err := staff.get(herNeeds)
	if err != nil || status != http.StatusNotFound || strings.Contains(body, "Late mornings") {
		t.Fatalf("her needs page in the new project before she agreed: %d %v (want 404, nothing of hers)", status, err)
	}

	subject := "You are invited to take part in Curious project"
	waitUntil(t, 20*time.Second, "the invitation delivered", func() bool { return len(mailbox.withSubject(subject)) == 1 })
	msg := mailbox.withSubject(subject)[0]
	if msg.to != margaret.Email {
		t.Fatalf("invitation sent to %s", msg.to)
	}
	link := invitationLink.FindString(strings.NewReplacer("=\r\n", "", "=\n", "").Replace(msg.body))
	if link == "" {
		t.Fatalf("no invitation link in:\n%s", msg.body)
	}

	her := newBrowser(t)
	her.signIn(in.URL, margaret.Email, demo.Password)
	if status, _, err := her.get(in.URL + link); err != nil || status != http.StatusOK {
		t.Fatalf("open the invitation: %d %v", status, err)
	}
	if to := redirectAfterPost(t, her, in.URL+link+"/accept", url.Values{}); !strings.HasPrefix(to, project) {
		t.Fatalf("accepting went to %s", to)
	}
	status, body, err = staff.get(herNeeds)
	if err != nil || status != http.StatusOK {
		t.Fatalf("her needs page after she joined: %d %v", status, err)
	}
	for _, hers := range []string{"Late mornings", "Large print", "Step-free"} {
		if strings.Contains(body, hers) {
			t.Errorf("the new project sees %q, which she told the stroke project", hers)
		}
	}
}

// redirectAfterPost posts a form, expects a redirect and returns where to.
func redirectAfterPost(t *testing.T, b *browser, u string, form url.Values) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d, want a redirect", u, res.StatusCode)
	}
	return res.Header.Get("Location")
}
