package server_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// A meeting title typed with a carriage return in it (the finding:
// "SUMMARY:Evil^MATTENDEE...") cannot add a property to the calendar file,
// and the file is what RFC 5545 asks for: every line ends CRLF, no line is
// longer than 75 octets, and unfolded it has exactly the expected
// properties, in order.
func TestCalendarFileIsStrictRFC5545(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	title := "Evil\rATTENDEE;CN=x:mailto:evil@example.org\r\nX-INJECTED:yes\tand a long tail that must be folded across lines by the writer"
	venue := "Community centre\r\nHigh Street; Leeds, LS1 1AA\rBACK:door"
	res := sp.leadC.open(t, sp.path("/steps/support")).form("Arrange meeting").
		fill("What is the meeting?", title).fill("Date", "2027-03-04").fill("Starts at", "10:00").
		fill("Ends at", "12:00").fill("Where (the place and address)", venue).submit()
	wantRedirect(t, res, sp.path("/meetings/"))
	meeting := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]

	ics := sp.layC.get(meeting + "/calendar.ics")
	wantStatus(t, ics, http.StatusOK)
	body := ics.Body.String()
	if !strings.HasSuffix(body, "\r\n") {
		t.Fatalf("the file does not end with CRLF: %q", body[max(0, len(body)-20):])
	}
	var props []string // unfolded content lines
	for i, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d is %d octets, over 75: %q", i+1, len(line), line)
		}
		for _, r := range line {
			if r < 0x20 && r != '\t' || r == 0x7f {
				t.Errorf("line %d has the control character %U: %q", i+1, r, line)
			}
		}
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
			if len(props) == 0 {
				t.Fatalf("the file starts with a continuation line")
			}
			props[len(props)-1] += line[1:]
			continue
		}
		props = append(props, line)
	}
	var names []string
	values := map[string]string{}
	nameRe := regexp.MustCompile(`^([A-Z-]+)[;:]`)
	for _, p := range props {
		m := nameRe.FindStringSubmatch(p)
		if m == nil {
			t.Errorf("not a property line: %q", p)
			continue
		}
		names = append(names, m[1])
		values[m[1]] = p[strings.IndexByte(p, ':')+1:]
	}
	want := "BEGIN VERSION PRODID METHOD BEGIN UID DTSTAMP SEQUENCE STATUS DTSTART DTEND SUMMARY LOCATION URL END END"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("properties:\n got %s\nwant %s\n%s", got, want, body)
	}
	wantSummary := `Evil ATTENDEE\;CN=x:mailto:evil@example.org X-INJECTED:yes and a long tail that must be folded across lines by the writer (` + sp.p.Title + `)`
	if got := values["SUMMARY"]; got != wantSummary {
		t.Errorf("SUMMARY:\n got %q\nwant %q", got, wantSummary)
	}
	if got, want := values["LOCATION"], `Community centre\nHigh Street\; Leeds\, LS1 1AA\nBACK:door`; got != want {
		t.Errorf("LOCATION:\n got %q\nwant %q", got, want)
	}
	if got := values["UID"]; !strings.HasSuffix(got, "@coproduce.test") {
		t.Errorf("UID %q is not at BASE_URL's host", got)
	}
}

// Every one-line field of every form, as the page renders it, is filled
// with a line break and a tab in the middle (as pasted text brings them)
// and around it: the value is stored folded onto one line, and no table,
// the audit trail included, keeps a copy with the breaks. The fields each
// page renders are all listed here, so a new one-line field fails this test
// until it is added.
func TestOneLineFieldsFoldLineBreaksEverywhere(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	n := 0
	// typed returns a value with a CR, LF and tab in it, and the value as
	// it must be stored.
	typed := func() (string, string) {
		n++
		return fmt.Sprintf(" \tW%02d\r\nfolded\tvalue\r\n", n), fmt.Sprintf("W%02d folded value", n)
	}
	type stored struct{ table, column, value string }
	var want []stored
	covered := map[string]map[string]bool{}
	cover := func(path string, names ...string) {
		if covered[path] == nil {
			covered[path] = map[string]bool{}
		}
		for _, name := range names {
			covered[path][name] = true
		}
	}
	pages := map[string]*page{}
	open := func(c *client, path string) *page {
		t.Helper()
		p := c.open(t, path)
		pages[path] = p
		return p
	}

	// A project: created and edited.
	title, titleWant := typed()
	titleCy, titleCyWant := typed()
	res := open(sp.leadC, "/projects/new").form("Create project").fill("Title", title).fill("Title in Welsh", titleCy).submit()
	wantRedirect(t, res, "/projects/")
	project := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
	want = append(want, stored{"projects", "title", titleWant}, stored{"projects", "title_cy", titleCyWant})
	cover("/projects/new", "title", "title_cy")
	title, titleWant = typed()
	titleCy, titleCyWant = typed()
	wantRedirect(t, open(sp.leadC, sp.path("/edit")).form("Save changes").fill("Title", title).fill("Title in Welsh", titleCy).submit(), sp.path(""))
	want = append(want, stored{"projects", "title", titleWant}, stored{"projects", "title_cy", titleCyWant})
	cover(sp.path("/edit"), "title", "title_cy")
	if !strings.HasPrefix(project, "/projects/") {
		t.Errorf("created project at %q", project)
	}

	// A stakeholder group: added and edited.
	name, nameWant := typed()
	res = open(sp.leadC, sp.path("/steps/identify")).form("Add group").fill("Name of the group", name).
		check("Directly").check("Yes").submit()
	wantRedirect(t, res, sp.path("/steps/identify"))
	cover(sp.path("/steps/identify"), "name")
	var group int64
	if err := sp.e.tx.QueryRow(context.Background(), `SELECT id FROM stakeholder_groups WHERE project_id = $1 AND name = $2`,
		sp.p.ID, nameWant).Scan(&group); err != nil {
		t.Fatalf("the group was not stored as %q: %v", nameWant, err)
	}
	groupPath := sp.path("/steps/identify/groups/" + itoa(group))
	name, nameWant = typed()
	wantRedirect(t, open(sp.leadC, groupPath).form("Save group").fill("Name of the group", name).submit(), sp.path("/steps/identify"))
	want = append(want, stored{"stakeholder_groups", "name", nameWant})
	cover(groupPath, "name")

	// An invitation, and the invited person accepting it with their name.
	name, nameWant = typed()
	email := fmt.Sprintf("walk%d@example.test", sp.p.ID)
	res = open(sp.leadC, sp.path("/steps/select")).form("Send invitation").fill("Their name", name).
		fill("Their email address", "\t"+email+"\r\n").check("Lay partner").submit()
	wantRedirect(t, res, sp.path("/steps/select"))
	want = append(want, stored{"invitations", "name", nameWant}, stored{"invitations", "email", email})
	cover(sp.path("/steps/select"), "name", "email")
	link := sp.e.lastLink(email, "/invitations/")
	name, nameWant = typed()
	invited := sp.e.client()
	res = open(invited, link).form("Yes, I will take part").fill("Your name", name).submit()
	if res.Code != http.StatusSeeOther {
		t.Fatalf("accepting the invitation: %d\n%s", res.Code, res.Body)
	}
	want = append(want, stored{"users", "name", nameWant})
	cover(link, "name")

	// An existing account invited from the members page by email.
	res = open(sp.leadC, sp.path("/members")).form("Send invitation").fill("Their email address", "\r\n"+sp.outsider.Email+"\t").
		check("Lay partner").submit()
	wantRedirect(t, res, sp.path("/members"))
	if n := sp.e.count(`SELECT count(*) FROM invitations WHERE project_id = $1 AND email = $2 AND status = 'pending'`, sp.p.ID, sp.outsider.Email); n != 1 {
		t.Errorf("the person invited with a tab and line break around their email: %d invitations, want 1", n)
	}
	cover(sp.path("/members"), "email")

	// An idea, its answer and an action.
	title, titleWant = typed()
	res = open(sp.layC, sp.path("/steps/build")).form("Suggest this idea").fill("Your idea in a sentence", title).
		fill("Tell us more", "Why it would help.").submit()
	wantRedirect(t, res, sp.path("/proposals/"))
	proposal := strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
	want = append(want, stored{"proposals", "title", titleWant})
	cover(sp.path("/steps/build"), "title")
	wantRedirect(t, sp.leadC.open(t, proposal).form("Save the answer").check("Adopted").submit(), proposal)
	owner, ownerWant := typed()
	res = open(sp.leadC, proposal).form("Add action").fill("What will be done", "Print the leaflet.").
		fill("Who will do it", owner).fill("By when", "2027-03-27").submit()
	wantRedirect(t, res, proposal)
	want = append(want, stored{"action_items", "owner", ownerWant})
	cover(proposal, "owner")

	// What a person needs to take part.
	language, languageWant := typed()
	wantRedirect(t, open(sp.layC, sp.path("/support/me")).form("Save").
		fill("An interpreter for another language (optional)", language).submit(), sp.path(""))
	want = append(want, stored{"support_profiles", "language_interpreter", languageWant})
	// How to contact them: a phone number pasted with a tab and a line break.
	wantRedirect(t, open(sp.layC, sp.path("/support/me")).form("Save").check("By text message").
		fill("Phone number (if we should call or text you)", "\t07700 900 982\r\n").submit(), sp.path(""))
	want = append(want, stored{"memberships", "phone", "07700 900 982"})
	cover(sp.path("/support/me"), "language_interpreter", "phone")

	// A meeting.
	title, titleWant = typed()
	res = open(sp.leadC, sp.path("/steps/support")).form("Arrange meeting").fill("What is the meeting?", title).
		fill("Date", "2027-03-04").fill("Starts at", "10:00").fill("Ends at", "12:00").
		fill("Online link (optional)", "\thttps://meet.example.org/walk\r\n").submit()
	wantRedirect(t, res, sp.path("/meetings/"))
	want = append(want, stored{"meetings", "title", titleWant}, stored{"meetings", "online_link", "https://meet.example.org/walk"})
	cover(sp.path("/steps/support"), "title", "online_link")

	// An expense claim, rejected with a reason.
	res = open(sp.layC, sp.path("/claims")).form("Send claim").check("Parking").
		fill("Date", time.Now().AddDate(0, 0, -1).Format("2006-01-02")).fill("Amount in pounds (for anything else)", "4.50").submit()
	wantRedirect(t, res, sp.path("/claims"))
	var claim int64
	if err := sp.e.tx.QueryRow(context.Background(), `SELECT id FROM claims WHERE user_id = $1`, sp.lay.ID).Scan(&claim); err != nil {
		t.Fatal(err)
	}
	reason, reasonWant := typed()
	res = open(sp.leadC, sp.path("/claims")).form("Reject "+sp.lay.Name).fill("Reason, if rejecting", reason).submit()
	wantRedirect(t, res, sp.path("/claims"))
	want = append(want, stored{"claims", "reason", reasonWant})
	cover(sp.path("/claims"), "reason-"+itoa(claim))

	// Signing in, and asking for a sign-in link, with the email pasted
	// with a tab and a line break.
	visitor := sp.e.client()
	res = open(visitor, "/sign-in").form("Sign in").fill("Email address", "\t"+sp.staff.Email+"\r\n").
		fill("Password", pgtest.Password).submit()
	wantRedirect(t, res, "/")
	res = sp.e.client().open(t, "/sign-in").form("Email me a sign-in link").fill("Email address", "\r\n"+sp.lay.Email+"\t").submit()
	wantRedirect(t, res, "/sign-in/link-sent")
	sp.e.lastLink(sp.lay.Email, "/sign-in/link/")
	cover("/sign-in", "email", "link_email")

	// The administrator's pages: the audit filter's dates and the rates.
	open(sp.e.signedIn(sp.admin), "/admin/audit")
	open(sp.e.signedIn(sp.admin), "/admin/rates")
	for _, k := range coproduce.RateKeys {
		cover("/admin/rates", string(k)) // amounts in pounds, which ParsePounds reads
	}

	for _, w := range want {
		if n := sp.e.count(`SELECT count(*) FROM `+w.table+` WHERE `+w.column+` = $1`, w.value); n == 0 {
			t.Errorf("%s.%s has no %q", w.table, w.column, w.value)
		}
	}
	if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE after::text LIKE '%W02 folded value%'`); n == 0 {
		t.Error("the audit trail has no copy of the edited project's folded title")
	}

	// No text column anywhere keeps a value with the breaks, raw or as
	// JSON escapes (the audit trail's before and after).
	rows, err := sp.e.tx.Query(context.Background(), `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb')`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ table, column, kind string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column, &c.kind); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	for _, c := range cols {
		// The typed value's own words around the break: a random token
		// (an unsubscribe link in an email) may hold "W12" before a line end.
		pattern := "W[0-9]{2}[\r\n]+folded|folded\tvalue"
		if c.kind == "jsonb" {
			pattern = `W[0-9]{2}(\\[rn])+folded|folded\\tvalue`
		}
		q := fmt.Sprintf(`SELECT count(*) FROM %q WHERE %q::text ~ $1`, c.table, c.column)
		if n := sp.e.count(q, pattern); n > 0 {
			t.Errorf("%s.%s keeps %d values with the line breaks or tabs typed", c.table, c.column, n)
		}
	}

	// Every text field the walked pages render is one of those above, or
	// one whose value is read as a date, time or amount (which refuses a
	// line break).
	for path, p := range pages {
		p.doc.Find("form input").Each(func(_ int, in *goquery.Selection) {
			name := in.AttrOr("name", "")
			switch in.AttrOr("type", "text") {
			case "text", "email", "url", "search", "tel":
			default:
				return
			}
			if !covered[path][name] && !parsedFields[name] {
				t.Errorf("%s renders the one-line field %q, which this test does not try", path, name)
			}
		})
	}
}

// parsedFields are one-line fields read as a date, a time or an amount:
// their parsers refuse anything but the value, line breaks included.
var parsedFields = map[string]bool{"date": true, "start": true, "end": true, "due_on": true, "incurred_on": true,
	"amount": true, "miles": true, "from": true, "to": true}
