package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// TestHostileContentStaysText puts hostile names, emails and text in every
// free-text field through the forms, then reads every page, report and email
// that shows them: nothing in them may come alive.
func TestHostileContentStaysText(t *testing.T) {
	t.Parallel()
	hp := newHostileProject(t)
	p := hp.path
	for _, pg := range hp.pages(t) {
		res := pg.c.get(pg.path)
		if res.Code != http.StatusOK && res.Code != http.StatusGone {
			t.Errorf("GET %s: %d", pg.path, res.Code)
			continue
		}
		wantInert(t, pg.path, res.Body.Bytes())
		for _, leak := range bidiLeaks(res.Body.Bytes()) {
			t.Errorf("%s: %s", pg.path, leak)
		}
		for _, p := range longWordProblems(res.Body.Bytes()) {
			t.Errorf("%s: %s", pg.path, p)
		}
		wantShown(t, pg.path, res.Body.Bytes(), pg.shows)
	}

	t.Run("Reports", func(t *testing.T) {
		for _, name := range []string{"project", "identify", "select", "be-clear", "choose", "support", "build", "understand"} {
			for _, format := range []string{"html", "csv", "json", "pdf"} {
				path := p("/reports/" + name + "." + format)
				res := hp.leadC.get(path)
				wantStatus(t, res, http.StatusOK)
				wantSafeDownload(t, path, res)
			}
		}
		wantShown(t, "build.html", hp.leadC.get(p("/reports/build.html")).Body.Bytes(), []string{"IDEATITLE", "EDITED", "RESPONSE"})
	})
	t.Run("OtherDownloads", func(t *testing.T) {
		wantSafeDownload(t, "my data", hp.layC.get("/me/data"))
		wantSafeDownload(t, "audit.csv", hp.admC.get("/admin/audit.csv"))
		list := hp.leadC.follow(t, hp.leadC.post(p("/claims/export"), nil))
		file, _ := list.doc.Find("[data-testid=exports] tbody a").Attr("href")
		wantSafeDownload(t, "finance export", hp.leadC.get(file))
		wantSafeCalendar(t, hp.leadC.get(hp.meeting+"/calendar.ics"))
	})
	t.Run("Emails", func(t *testing.T) {
		rows, err := hp.e.tx.Query(context.Background(), `SELECT id, subject, text_body, html_body FROM emails ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		type email struct {
			id                int64
			subject, text, ht string
		}
		var emails []email
		for rows.Next() {
			var m email
			if err := rows.Scan(&m.id, &m.subject, &m.text, &m.ht); err != nil {
				t.Fatal(err)
			}
			emails = append(emails, m)
		}
		if rows.Err() != nil || len(emails) == 0 {
			t.Fatalf("no emails: %v", rows.Err())
		}
		for _, m := range emails {
			if strings.ContainsAny(m.subject, "\r\n") {
				t.Errorf("email %d: a line break in the subject %q", m.id, m.subject)
			}
			wantInert(t, "email "+itoa(m.id)+" HTML", []byte(m.ht))
			res := hp.admC.get("/admin/outbox/" + itoa(m.id))
			wantStatus(t, res, http.StatusOK)
			wantInert(t, "outbox email "+itoa(m.id), res.Body.Bytes())
		}
		var invitation int64 // the first email to the lay partner
		if err := hp.e.tx.QueryRow(context.Background(), `SELECT min(id) FROM emails WHERE to_address = $1`, hp.layEmail).Scan(&invitation); err != nil {
			t.Fatal(err)
		}
		wantShown(t, "invitation email", hp.admC.get("/admin/outbox/"+itoa(invitation)).Body.Bytes(), []string{"INVITEMSG", "TITLE"})
	})
}

// TestInertCheckerCatchesBreakouts shows that the checks above would see
// content that came alive, so that their passing means something.
func TestInertCheckerCatchesBreakouts(t *testing.T) {
	t.Parallel()
	page := func(body string) []byte {
		return []byte(`<html><head><script type="module" src="/static/app.js"></script></head><body>` + body + `</body></html>`)
	}
	if p := inertProblems(page(`<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><a href="/projects/1">x</a><a href="https://nhs.uk">y</a><svg class="app-chart"></svg>`)); len(p) != 0 {
		t.Errorf("an inert page flagged: %v", p)
	}
	for _, bad := range []string{`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `<p title="" data-hostile=1>`,
		`<a href="javascript:alert(1)">x</a>`, `<a href=" javascript:alert(1)">x</a>`, `<a href="//evil.example/">x</a>`,
		`<svg onload=alert(1)>`, `<hostile-tag></hostile-tag>`, `<iframe src="data:text/html,x"></iframe>`, `<form action="java&#x09;script:x">`} {
		if len(inertProblems(page(bad))) == 0 {
			t.Errorf("not flagged: %s", bad)
		}
	}
	if len(bidiLeaks(page(`<p>By =A `+rlo+`evil on 3 May</p>`))) != 1 || len(bidiLeaks(page(`<p>By =A `+rlo+"evil\u202C on 3 May</p>"))) != 0 {
		t.Error("an open right-to-left override before more text is not told from a closed one")
	}
	long := strings.Repeat("W", 100)
	if len(longWordProblems(page(`<p>`+long+`</p>`))) != 1 || len(longWordProblems(page(`<main class="nhsuk-main-wrapper"><p>`+long+`</p></main>`))) != 0 {
		t.Error("a long word that cannot wrap is not told from one that can")
	}
	if cells := csvProblems([]byte("a,'=1+1\n=HYPERLINK(\"x\"),ok\n")); len(cells) != 1 {
		t.Errorf("CSV problems %v, want the one formula", cells)
	}
}

// badText are values no form may store: a NUL byte and invalid UTF-8.
var badText = map[string]string{"NUL": "a\x00b", "invalid UTF-8": "a\xff\xfeb"}

// textForm is a form that reads text: a valid submission, which each test
// spoils one field at a time.
type textForm struct {
	c         *client
	path      string
	form      url.Values
	multipart bool
}

// noTextRoutes are the posts that read no field at all.
var noTextRoutes = map[string]bool{
	"/sign-out": true, "/sign-in/link/{token}": true, "/invitations/{token}/decline": true,
	"/account/sign-out-everywhere": true, "/projects/{projectID}/steps/{step}/sign-off": true,
	"/projects/{projectID}/steps/select/invitations/{invitationID}/resend":   true,
	"/projects/{projectID}/steps/select/invitations/{invitationID}/withdraw": true,
	"/projects/{projectID}/claims/export":                                    true, "/projects/{projectID}/steps/build/acknowledge": true,
	"/static/*": true, "/assets/*": true, "/metrics": true,
	"/admin/users/{userID}/disable": true, "/admin/users/{userID}/enable": true, "/admin/users/{userID}/erase": true,
	"/admin/approvers/{userID}/remove":                                  true,
	"/projects/{projectID}/meetings/{meetingID}/agenda/{itemID}/remove": true, "/projects/{projectID}/meetings/{meetingID}/minutes/publish": true,
	"/projects/{projectID}/members/{userID}/remove": true, "/projects/{projectID}/leave": true,
	"/unsubscribe/{token}": true,
	"/projects/{projectID}/meetings/{meetingID}/papers/{paperID}/remove":            true,
	"/projects/{projectID}/claims/{claimID}/discard":                                true,
	"/projects/{projectID}/evaluate/principles/rounds/{roundID}/close":              true,
	"/projects/{projectID}/steps/select/invitations/{invitationID}/accept-by-phone": true,
	"/projects/{projectID}/evaluate/impact/{entryID}/remove":                        true,
}

// TestInvalidTextIsRefused posts a NUL byte and invalid UTF-8 in each field
// of every form that reads one: each gets a 400 (parseForm refuses them for
// every handler), and nothing is written.
func TestInvalidTextIsRefused(t *testing.T) {
	t.Parallel()
	hp := newHostileProject(t)
	forms := hp.textForms(t)
	t.Run("EveryPostIsCovered", func(t *testing.T) {
		covered := map[string]bool{}
		for _, f := range forms {
			covered[f.route(hp)] = true
		}
		chi.Walk(hp.e.server.Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
			route = strings.Replace(route, "/*/", "/", -1)
			if method == http.MethodPost && !covered[route] && !noTextRoutes[route] {
				t.Errorf("POST %s: add it to textForms (or noTextRoutes if it reads no field)", route)
			}
			return nil
		})
	})
	before := hp.writes(t)
	for _, f := range forms {
		for field := range f.form {
			for name, bad := range badText {
				form := url.Values{}
				for k, v := range f.form {
					form[k] = append([]string(nil), v...)
				}
				form.Set(field, form.Get(field)+bad)
				var res *httptest.ResponseRecorder
				if f.multipart {
					res = f.c.postMultipart(f.path, form, nil)
				} else {
					res = f.c.post(f.path, form)
				}
				// 400 exactly: a field error could come from another field,
				// and would not show that the bad byte itself was refused.
				if res.Code != http.StatusBadRequest {
					t.Errorf("POST %s with %s in %s: %d", f.path, name, field, res.Code)
				}
			}
		}
		if after := hp.writes(t); after != before {
			t.Errorf("POST %s: %d rows written", f.path, after-before)
			before = after
		}
	}
}

// route is the route pattern a form posts to.
func (f textForm) route(hp *hostileProject) string {
	rctx := chi.NewRouteContext()
	path, _, _ := strings.Cut(f.path, "?")
	if !hp.e.server.Router().Match(rctx, http.MethodPost, path) {
		return "no route for " + path
	}
	return rctx.RoutePattern()
}

// writes counts the rows this test's transaction has inserted, updated or
// deleted, leaving out sessions (a request may refresh its own).
func (hp *hostileProject) writes(t *testing.T) int {
	t.Helper()
	var n int
	err := hp.e.tx.QueryRow(context.Background(), `SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)
		FROM pg_stat_xact_user_tables WHERE relname <> 'sessions'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// textForms lists a valid submission of every form that reads a field.
func (hp *hostileProject) textForms(t *testing.T) []textForm {
	t.Helper()
	ctx := context.Background()
	anon := hp.e.client()
	lay := itoa(hp.layID(t))
	yesterday := "2026-01-05"
	mustRedirect(t, hp.leadC, hp.path("/steps/select/invitations"), url.Values{"name": {"Sam"}, "email": {"sam-invalid@example.test"}, "role": {"lay_partner"}})
	token := strings.TrimPrefix(hp.e.lastLink("sam-invalid@example.test", "/invitations/"), "/invitations/")
	res := hp.layC.postMultipart(hp.path("/claims"), url.Values{"category": {"parking"}, "incurred_on": {yesterday}, "amount": {"3"}}, nil)
	wantStatus(t, res, http.StatusSeeOther)
	var claim, action int64
	if err := hp.e.tx.QueryRow(ctx, `SELECT max(id) FROM claims`).Scan(&claim); err != nil {
		t.Fatal(err)
	}
	if err := hp.e.tx.QueryRow(ctx, `SELECT max(id) FROM action_items`).Scan(&action); err != nil {
		t.Fatal(err)
	}
	p, l := hp.path, hp.leadC
	text := func(c *client, path string, kv ...string) textForm {
		f := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			f.Add(kv[i], kv[i+1])
		}
		return textForm{c: c, path: path, form: f}
	}
	claimForm := text(hp.layC, p("/claims"), "category", "other", "incurred_on", yesterday, "amount", "3", "miles", "", "description", "Taxi", "meeting", "")
	claimForm.multipart = true
	paperForm := text(hp.facC, hp.meeting+"/papers", "paper_title", "T", "paper_item", "", "paper_version", "", "form_token", "p1")
	paperForm.multipart = true
	var draft int64
	if err := hp.e.tx.QueryRow(ctx, `SELECT max(id) FROM claims WHERE status = 'draft'`).Scan(&draft); err != nil {
		t.Fatal(err)
	}
	draftForm := text(hp.layC, p("/claims/"+itoa(draft)+"/send"), "category", "other", "incurred_on", yesterday, "amount", "3", "miles", "", "description", "Taxi")
	draftForm.multipart = true
	entry := mustRedirect(t, hp.facC, p("/evaluate/impact/new"), url.Values{"title": {"T"}, "what_changed": {"W"}, "changed_on": {yesterday}})
	entry = entry[strings.LastIndex(entry, "#entry-")+len("#entry-"):]
	mustRedirect(t, l, p("/evaluate/principles/rounds"), url.Values{"title": {"Spring review"}})
	var round int64
	if err := hp.e.tx.QueryRow(ctx, `SELECT max(id) FROM principle_rounds`).Scan(&round); err != nil {
		t.Fatal(err)
	}
	var outcome int64
	if err := hp.e.tx.QueryRow(ctx, `SELECT max(id) FROM outcomes`).Scan(&outcome); err != nil {
		t.Fatal(err)
	}
	o := p("/evaluate/outcomes/" + itoa(outcome))
	readiness, _ := url.ParseQuery(accessReadinessForm())
	readiness.Set(coproduce.ReadinessNoteField(coproduce.ReadinessStatements[0].Key), "N")
	return []textForm{
		{c: l, path: p("/evaluate/readiness"), form: readiness},
		text(hp.layC, p("/evaluate/outcomes"), "title", "T", "why", "W", "form_token", "o1"),
		text(hp.layC, o+"/view", "choice", "support"),
		text(l, o+"/decision", "decision", "agreed", "reason", "R"),
		text(hp.facC, o+"/measure", "measure", "number", "unit", "visits", "baseline", "10", "target", "4"),
		text(hp.layC, o+"/readings", "taken_on", yesterday, "value", "8", "source", "S"),
		text(hp.facC, o+"/change", "title", "T", "why", "W"),
		text(hp.facC, o+"/withdraw", "withdraw_reason", "R"),
		text(hp.facC, hp.meeting+"/arrangements/"+lay, "needs", "large_print", "note", "Taxi"),
		text(l, p("/evaluate/principles/rounds"), "title", "T"),
		text(hp.layC, p("/evaluate/principles/rounds/"+itoa(round)), "score_assets", "3", "score_capabilities", "3",
			"score_mutuality", "3", "score_networks", "3", "score_blurring_roles", "3", "score_catalysts", "3",
			"comment_assets", "C", "level", "2"),
		text(hp.layC, hp.meeting+"/check", "q_listened", "4", "q_took_part", "4", "q_difference", "4"),
		text(l, hp.meeting+"/edit", "title", "M", "date", "2027-03-04", "start", "10:00", "end", "12:00", "venue", "V",
			"online_link", "https://ok.example/", "step_free", "yes", "sequence", "0"),
		text(l, hp.meeting+"/cancel", "reason", "R", "sequence", "0"),
		draftForm,
		text(anon, "/sign-in", "email", hp.lead.Email, "password", "correct horse battery", "next", "/projects"),
		text(anon, "/sign-in/link", "link_email", hp.lead.Email),
		text(anon, "/text-size", "size", "larger", "back", "/sign-in"),
		text(anon, "/easy-read", "reading", "easy_read", "back", "/sign-in"),
		text(anon, "/invitations/"+token+"/accept", "name", "Sam"),
		text(l, "/account/session", "next", "/projects"),
		text(l, "/account/notifications", "notify-new_idea", "daily"),
		text(l, "/account/language", "language", "cy"),
		text(l, "/updates", "up_to", "1"),
		text(l, "/account/password", "current_password", "correct horse battery", "new_password", "a new long password", "confirm_password", "a new long password"),
		text(l, "/projects/new", "title", "T", "summary", "S", "status", "active"),
		text(l, p("/edit"), "title", "T", "summary", "S", "status", "active"),
		text(l, p("/members"), "email", hp.admin.Email, "role", "staff_partner"),
		text(l, p("/members/"+lay+"/role"), "role", "staff_partner"),
		text(l, p("/members/"+lay+"/record"), "how", "phone", "agreed", "yes"),
		text(l, p("/publish"), "published", "no"),
		text(l, p("/naming"), "named", "yes"),
		text(l, p("/steps/identify/status"), "status", "in_progress", "version", "2"),
		text(l, p("/steps/identify/notes"), "notes", "N", "version", "2"),
		text(l, p("/steps/select/invitations"), "name", "Kim", "email", "kim@example.test", "group", "", "role", "lay_partner", "message", "M"),
		text(hp.layC, p("/support/me/copy"), "from", "earlier"),
		text(hp.admC, "/admin/users/"+lay+"/role", "role", "staff"),
		text(hp.layC, p("/support/me"), "language_interpreter", "Welsh", "good_times", "G", "bad_times", "B", "dietary", "D", "other", "O", "large_print", "yes",
			"contact_way", "text", "phone", "07700 900 982", "address", "A", "share_flags", "yes"),
		text(hp.layC, p("/communication-needs"), "has_needs", "no"),
		text(l, p("/support/buddies"), "partner", lay, "buddy", itoa(hp.fac.ID)),
		claimForm,
		text(l, p("/claims/"+itoa(claim)+"/decision"), "decision", "reject", "reason-"+itoa(claim), "R"),
		text(hp.layC, p("/payments/choice"), "payment_choice", "decline"),
		text(l, p("/payments/level"), "member", lay, "level", "2"),
		text(hp.facC, p("/meetings"), "title", "M", "date", "2027-03-04", "start", "10:00", "end", "12:00", "venue", "V", "online_link", "https://ok.example/"),
		text(hp.layC, hp.meeting+"/reply", "attending", "no"),
		text(hp.facC, hp.meeting+"/attendance", "present", lay, "notes", "N"),
		paperForm,
		text(hp.facC, hp.meeting+"/papers-due", "papers_due_days", "5"),
		text(hp.facC, hp.meeting+"/agenda", "title", "T", "time", "10:00", "led_by", lay, "ideas", "1"),
		text(hp.facC, hp.meeting+"/agenda/"+itoa(hp.item), "title", "T", "time", "10:00", "led_by", lay, "ideas", "1"),
		text(hp.facC, hp.meeting+"/agenda/"+itoa(hp.item)+"/move", "direction", "up"),
		text(hp.facC, hp.meeting+"/minutes/"+itoa(hp.item), "discussion", "D", "decisions", "X"),
		text(hp.facC, hp.meeting+"/minutes/"+itoa(hp.item)+"/decision", "idea", "1", "response", "adopted", "rationale", "R"),
		text(hp.facC, hp.meeting+"/minutes/"+itoa(hp.item)+"/actions", "idea", "1", "description", "D", "owner", "O", "due_on", "2030-01-01"),
		text(hp.layC, hp.meeting+"/minutes/comments", "body", "B"),
		text(l, hp.meeting+"/minutes/comments/"+itoa(hp.minuteComment)+"/hide", "reason", "R"),
		text(hp.facC, hp.meeting+"/minutes/comments/"+itoa(hp.minuteComment)+"/show", "reason", "R"),
		text(hp.facC, p("/evaluate/impact/new"), "title", "T", "what_changed", "W", "changed_on", yesterday, "ideas", "1", "actions", "1", "outcomes", itoa(outcome), "contributors", lay),
		text(hp.facC, p("/evaluate/impact/"+entry), "title", "T", "what_changed", "W", "changed_on", yesterday, "contributors", lay),
		text(hp.layC, p("/evaluate/reflection"), "reflection", "R", "version", "0"),
		text(hp.layC, p("/proposals"), "title", "T", "body", "B", "ground_rule", "yes"),
		text(hp.staffC, hp.proposal+"/vote", "choice", "support", "reason", "R"),
		text(hp.staffC, hp.proposal+"/comments", "body", "B", "form_token", "t9", "parent", itoa(hp.comment)),
		text(l, hp.proposal+"/respond", "response", "adopted", "rationale", "R"),
		text(l, hp.proposal+"/actions", "description", "D", "owner", "O", "due_on", "2027-03-01", "status", "done"),
		text(l, p("/actions/"+itoa(action)+"/status"), "status", "done", "back", hp.proposal),
		text(hp.layC, p("/comments/"+itoa(hp.comment)+"/edit"), "body", "B"),
		text(l, p("/comments/"+itoa(hp.comment)+"/hide"), "reason", "R"),
		text(l, p("/comments/"+itoa(hp.comment)+"/show"), "reason", "R"),
		text(l, hp.proposal+"/answer", "response", "adapted", "rationale", "R"),
		text(hp.layC, hp.proposal+"/withdraw", "withdraw_reason", "R"),
		text(l, p("/steps/identify/groups"), "name", "G", "description", "D", "affected", "direct", "reach", "R", "included", "no", "exclusion_reason", "E", "version", "0"),
		text(l, p("/steps/identify/groups/"+itoa(hp.groupID)), "name", "G", "description", "D", "affected", "direct", "reach", "R", "included", "yes", "exclusion_reason", "", "version", "1"),
		text(l, p("/steps/identify/groups/"+itoa(hp.groupID)+"/remove"), "version", "1"),
		text(l, p("/steps/be-clear/purpose"), "purpose", "P", "expectations", "E", "fixed", "F", "open_to_change", "O", "contributions_use", "C", "expenses_policy", "X", "version", "1"),
		text(hp.layC, p("/steps/be-clear/acknowledge"), "version", "1"),
		text(l, p("/steps/choose/approach"), "level", "consult", "level_rationale", "L", "stage", "co_design", "stage_rationale", "S",
			"scope", "system", "scope_rationale", "C", "methods", "workshop", "rationale_workshop", "W", "version", "1"),
		text(hp.layC, p("/steps/choose/involvement"), "my_level", "consult"),
		text(l, p("/steps/understand/members/"+lay), "role", "R", "remit", "M", "relationships", "L", "responsibility", "S", "version", "1"),
		text(hp.layC, p("/steps/understand/acknowledge"), "version", "1"),
		text(hp.admC, "/admin/approvers", "email", hp.fac.Email),
		text(l, "/approvals/"+itoa(claim)+"/decision", "decision", "reject", "reason-"+itoa(claim), "R"),
		text(hp.admC, "/admin/rates", "mileage_car", "0.45", "mileage_passenger", "0.05", "mileage_bicycle", "0.20", "payment_short", "25", "payment_long", "75"),
		text(anon, "/join", "code", "KKKK-KKKK"),
		text(anon, "/join/account", "code", "KKKK-KKKK", "email", "joiner@example.test", "password", "a long enough password"),
		text(hp.facC, p("/members/offline"), "name", "N", "contact_way", "phone", "phone", "01632 960 001", "address", "A",
			"role", "lay_partner", "agreed", "phone", "confirm", "yes"),
		text(hp.facC, p("/members/"+lay+"/contact/letter"), "call_phone", "01632 960 002"),
	}
}
