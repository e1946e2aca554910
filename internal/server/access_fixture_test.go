package server_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/internal/server"
)

// accessKinds are the kinds of person the access matrix tries every route
// as: nobody signed in; a lay partner and a lead of another project (so
// outsiders are real members of something); each role in the project; an
// administrator who is not a member; and a member whose account an
// administrator has disabled, still holding their old session cookie.
var accessKinds = []string{"anon", "out", "ostaff", "lead", "fac", "lay", "staff", "admin", "gone"}

// accessGroups are the shorthands the table may use for several kinds.
var accessGroups = map[string][]string{
	"all":       accessKinds,
	"users":     {"out", "ostaff", "lead", "fac", "lay", "staff", "admin"},
	"members":   {"lead", "fac", "lay", "staff"},
	"runners":   {"lead", "fac"},
	"partners":  {"lay", "staff"},
	"outsiders": {"out", "ostaff"},
}

// accessSecret is a lay partner's support need: only they, the project's
// leads and its facilitators may ever see it.
const accessSecret = "A-PRIVATE-NEED"

// accessBSecret marks every object of the other project.
const accessBSecret = "B-SECRET"

// accessFixture is project A, with a member in each role and real objects
// behind every {id} in the route table, and project B with objects of its
// own, whose members are A's outsiders.
type accessFixture struct {
	t       *testing.T
	e       *env
	a, b    *coproduce.Project
	users   map[string]*coproduce.User
	clients map[string]*client
	// params fill the route patterns with A's objects; bParams with B's.
	params, bParams map[string]string
	// private is what only some kinds may ever be shown.
	private []*accessPrivate
}

// accessPrivate is personal data, and the kinds of person who may see it.
type accessPrivate struct {
	what, text string
	seenBy     []string
	shown      int // responses that showed it, to anyone
}

func newAccessFixture(t *testing.T) *accessFixture {
	t.Helper()
	e := newEnv(t)
	f := &accessFixture{t: t, e: e, users: map[string]*coproduce.User{}, clients: map[string]*client{}}
	st := e.store
	f.users["lead"] = pgtest.User(t, st, coproduce.RoleStaff)
	f.a = pgtest.Project(t, st, f.users["lead"])
	f.users["fac"] = pgtest.Member(t, st, f.a, coproduce.RoleStaff, coproduce.RoleFacilitator)
	f.users["lay"] = pgtest.Member(t, st, f.a, coproduce.RolePartner, coproduce.RoleLayPartner)
	f.users["staff"] = pgtest.Member(t, st, f.a, coproduce.RoleStaff, coproduce.RoleStaffPartner)
	f.users["gone"] = pgtest.Member(t, st, f.a, coproduce.RolePartner, coproduce.RoleLayPartner)
	f.users["ostaff"] = pgtest.User(t, st, coproduce.RoleStaff)
	f.b = pgtest.Project(t, st, f.users["ostaff"])
	f.users["out"] = pgtest.Member(t, st, f.b, coproduce.RolePartner, coproduce.RoleLayPartner)
	f.users["admin"] = pgtest.User(t, st, coproduce.RoleAdmin)
	f.users["spare"] = pgtest.User(t, st, coproduce.RoleStaff)
	f.clients["anon"] = e.client()
	for _, k := range accessKinds[1:] {
		f.clients[k] = e.signedIn(f.users[k])
	}
	f.params = f.fillA()
	f.private = []*accessPrivate{
		{what: "a lay partner's support needs", text: accessSecret, seenBy: []string{"lay", "lead", "fac"}},
		{what: "a lay partner's email address", text: f.users["lay"].Email, seenBy: []string{"lay", "lead", "fac", "admin"}},
		{what: "an invitee's email address", text: f.params["invitee"], seenBy: []string{"lead", "fac", "admin"}},
	}
	for _, p := range f.private {
		if p.text == "" {
			t.Fatalf("%s is empty", p.what)
		}
	}
	f.bParams = f.fillB()
	f.params["outID"] = itoa(f.users["out"].ID)
	for _, k := range []string{"groupID", "commentID", "meetingID"} {
		f.params["b"+strings.ToUpper(k[:1])+k[1:]] = f.bParams[k]
	}
	// The disabled member signed in before an administrator disabled them.
	f.mustPost("admin", "/admin/users/"+itoa(f.users["gone"].ID)+"/disable", nil)
	return f
}

// fillA makes project A's objects through the real forms, and returns the
// values for the route table's parameters.
func (f *accessFixture) fillA() map[string]string {
	a := f.path(f.a, "")
	lay, spare := f.users["lay"], f.users["spare"]
	invitee := accessEmail("invitee")
	params := f.objects(f.a, "lay", "lead", "A", invitee)
	f.mustPost("lay", a+"/support/me", url.Values{"large_print": {"yes"}, "other": {accessSecret + " about my health"}})
	f.mustPost("lay", a+"/meetings/"+params["meetingID"]+"/reply", url.Values{"attending": {"yes"}})
	f.mustPost("lead", a+"/steps/be-clear/purpose", url.Values{"purpose": {"A purpose"}, "version": {"0"}})
	f.mustPost("lead", a+"/steps/identify/status", url.Values{"status": {"in_progress"}, "version": {"1"}})
	for _, k := range []string{"lead", "fac", "lay", "staff"} {
		f.mustPost("lead", a+"/steps/understand/members/"+itoa(f.users[k].ID), url.Values{"role": {"r"},
			"remit": {"r"}, "relationships": {"r"}, "responsibility": {"r"}, "version": {"0"}})
	}
	// A lead publishes from the preview of what will be public.
	wantRedirect(f.t, f.clients["lead"].open(f.t, a+"/public-preview").form("Publish the public page").submit(), a+"/reports")
	f.mustPost("anon", "/sign-in/link", url.Values{"link_email": {spare.Email}})
	_, slug, err := f.e.store.PublicState(context.Background(), f.a.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	stage, err := f.e.store.Stage(context.Background(), f.a.ID, coproduce.StepIdentify)
	if err != nil {
		f.t.Fatal(err)
	}
	for k, v := range map[string]string{
		"projectID": itoa(f.a.ID), "userID": itoa(lay.ID), "step": "identify", "report": "identify.csv",
		"version": "1", "stageVersion": strconv.Itoa(stage.Version), "slug": slug,
		"emailID":     f.id(`SELECT id FROM emails WHERE to_address = $1`, invitee),
		"inviteToken": strings.TrimPrefix(f.e.lastLink(invitee, "/invitations/"), "/invitations/"),
		"linkToken":   strings.TrimPrefix(f.e.lastLink(spare.Email, "/sign-in/link/"), "/sign-in/link/"),
		// Values the table's forms use.
		"goneID": itoa(f.users["gone"].ID), "adminID": itoa(f.users["admin"].ID),
		"lay": itoa(lay.ID), "staff": itoa(f.users["staff"].ID), "spare": spare.Email, "invitee": invitee,
		"approverID": f.approver(),
		// A travel claim started for the lay partner at the meeting.
		"draftID": f.id(`INSERT INTO claims (project_id, user_id, category, incurred_on, amount_pence, meeting_id, status, drafted_by)
			VALUES ($1, $2, 'public_transport', current_date - 1, 0, $3, 'draft', $4) RETURNING id`,
			f.a.ID, lay.ID, params["meetingID"], f.users["lead"].ID),
		// The lay partner's newest update, and the unsubscribe link of the
		// last email telling them of one.
		"updateID": f.id(`SELECT max(id) FROM updates WHERE user_id = $1`, lay.ID),
		"unsubscribeToken": strings.TrimPrefix(f.text(`SELECT list_unsubscribe FROM emails
			WHERE to_address = $1 AND list_unsubscribe IS NOT NULL ORDER BY id DESC LIMIT 1`, lay.Email), "http://coproduce.test/unsubscribe/"),
		"newEmail": accessEmail("new"), "password": pgtest.Password,
		"yesterday": time.Now().AddDate(0, 0, -1).Format("2006-01-02"),
		"nextWeek":  time.Now().AddDate(0, 0, 7).Format("2006-01-02"),
	} {
		params[k] = v
	}
	return params
}

// fillB makes project B's objects, each carrying accessBSecret, and
// returns their ids under the same names as A's.
func (f *accessFixture) fillB() map[string]string {
	params := f.objects(f.b, "out", "ostaff", accessBSecret, accessEmail("binvitee"))
	params["userID"] = itoa(f.users["out"].ID)
	params["draftID"] = f.id(`INSERT INTO claims (project_id, user_id, category, incurred_on, amount_pence, meeting_id, status, drafted_by)
		VALUES ($1, $2, 'public_transport', current_date - 1, 0, $3, 'draft', $4) RETURNING id`,
		f.b.ID, f.users["out"].ID, params["meetingID"], f.users["ostaff"].ID)
	return params
}

// objects makes one of each object a route takes by id, as the project's
// lay partner and lead, each named with label, and returns their ids.
func (f *accessFixture) objects(p *coproduce.Project, lay, lead, label, invitee string) map[string]string {
	path := f.path(p, "")
	prop := f.mustPost(lay, path+"/proposals", url.Values{"title": {label + " idea"}, "body": {label}})
	comment := f.mustPost(lay, prop+"/comments", url.Values{"body": {label + " comment"}, "form_token": {label}})
	adopted := f.mustPost(lay, path+"/proposals", url.Values{"title": {label + " adopted"}, "body": {label}})
	f.mustPost(lead, adopted+"/respond", url.Values{"response": {"adopted"}, "rationale": {label}})
	f.mustPost(lead, adopted+"/actions", url.Values{"description": {label + " action"}, "owner": {"Lead"},
		"due_on": {"2030-01-01"}, "status": {"not_started"}})
	f.mustPost(lead, path+"/steps/identify/groups", url.Values{"name": {label + " group"}, "affected": {"direct"},
		"included": {"yes"}, "version": {"0"}})
	meeting := f.mustPost(lead, path+"/meetings", url.Values{"title": {label + " meeting"},
		"date": {time.Now().AddDate(0, 0, -1).Format("2006-01-02")}, "start": {"10:00"}, "end": {"12:00"}, "venue": {"Hall"}})
	// The meeting's agenda has one item, discussing the adopted idea, and
	// its minutes are published.
	f.mustPost(lead, meeting+"/agenda", url.Values{"title": {label + " item"}, "ideas": {lastSegment(adopted)}})
	f.mustPost(lead, meeting+"/minutes/publish", nil)
	minuteComment := f.mustPost(lay, meeting+"/minutes/comments", url.Values{"body": {label + " minutes comment"}})
	// A principles check round is open, and the lay partner was at the
	// meeting, so its check is theirs to answer.
	f.mustPost(lead, path+"/evaluate/principles/rounds", url.Values{"title": {label + " round"}})
	res := f.clients[lay].postMultipart(path+"/claims", accessClaimForm(label+" claim"), pngBytes)
	if res.Code != http.StatusSeeOther {
		f.t.Fatalf("claim: %d\n%s", res.Code, res.Body)
	}
	f.mustPost(lead, path+"/steps/select/invitations", url.Values{"name": {label + " invitee"},
		"email": {invitee}, "role": {"lay_partner"}})
	// A change in the impact log, from the adopted idea, that the lay
	// partner contributed to.
	entry := f.mustPost(lead, path+"/evaluate/impact/new", url.Values{"title": {label + " change"}, "what_changed": {label},
		"changed_on": {time.Now().AddDate(0, 0, -1).Format("2006-01-02")}, "ideas": {lastSegment(adopted)},
		"contributors": {itoa(f.users[lay].ID)}})
	// An outcome waiting for an answer, and one agreed, measured and read.
	outcome := f.mustPost(lay, path+"/evaluate/outcomes", url.Values{"title": {label + " outcome"}})
	agreed := f.mustPost(lay, path+"/evaluate/outcomes", url.Values{"title": {label + " agreed outcome"}})
	f.mustPost(lead, agreed+"/decision", url.Values{"decision": {"agreed"}, "reason": {label}})
	f.mustPost(lead, agreed+"/measure", url.Values{"measure": {"number"}, "unit": {"visits"}, "baseline": {"10"}, "target": {"4"}})
	f.mustPost(lay, agreed+"/readings", url.Values{"taken_on": {time.Now().AddDate(0, 0, -2).Format("2006-01-02")},
		"value": {"9"}, "source": {label + " records"}})
	in := func(query string) string { return f.id(query, p.ID) }
	meetingID, _ := strconv.ParseInt(lastSegment(meeting), 10, 64)
	f.id(`INSERT INTO meeting_attendance (meeting_id, user_id) VALUES ($1, $2) RETURNING user_id`, meetingID, f.users[lay].ID)
	paper, err := f.e.store.AddPaper(context.Background(), f.users[lead].ID, p.ID, postgres.NewPaper{
		MeetingID: meetingID, Version: coproduce.PaperStandard, Title: label + " paper",
		FileName: "paper.txt", ContentType: "text/plain; charset=utf-8", Data: []byte(label + " paper")})
	if err != nil {
		f.t.Fatal(err)
	}
	return map[string]string{
		"proposalID": lastSegment(prop), "adoptedID": lastSegment(adopted), "meetingID": lastSegment(meeting),
		"outcomeID": lastSegment(outcome), "agreedOutcomeID": lastSegment(agreed),
		"commentID":       comment[strings.LastIndex(comment, "#comment-")+len("#comment-"):],
		"minuteCommentID": minuteComment[strings.LastIndex(minuteComment, "#minute-comment-")+len("#minute-comment-"):],
		"paperID":         itoa(paper),
		"entryID":         entry[strings.LastIndex(entry, "#entry-")+len("#entry-"):],
		"actionID":        in(`SELECT a.id FROM action_items a JOIN proposals p ON p.id = a.proposal_id WHERE p.project_id = $1`),
		"groupID":         in(`SELECT id FROM stakeholder_groups WHERE project_id = $1`),
		"itemID":          in(`SELECT i.id FROM agenda_items i JOIN meetings m ON m.id = i.meeting_id WHERE m.project_id = $1`),
		"claimID":         in(`SELECT id FROM claims WHERE project_id = $1`),
		"invitationID":    in(`SELECT id FROM invitations WHERE project_id = $1`),
		"roundID":         in(`SELECT id FROM principle_rounds WHERE project_id = $1`),
		// A kept finance export (its file carries the label).
		"exportID": f.id(`INSERT INTO finance_exports (project_id, items, file) VALUES ($1, 1, $2) RETURNING id`,
			p.ID, "claim,person\n1,"+label+" export\n"),
	}
}

// accessEmail is an address no other test run uses.
func accessEmail(who string) string {
	return fmt.Sprintf("%s-%d@example.test", who, time.Now().UnixNano())
}

func accessClaimForm(description string) url.Values {
	return url.Values{"category": {"parking"}, "incurred_on": {time.Now().AddDate(0, 0, -1).Format("2006-01-02")},
		"amount": {"3.50"}, "description": {description}}
}

// mustPost posts a form as kind and returns where it redirected to, less
// any query but with any #fragment.
func (f *accessFixture) mustPost(kind, path string, form url.Values) string {
	f.t.Helper()
	res := f.clients[kind].post(path, form)
	if res.Code != http.StatusSeeOther {
		f.t.Fatalf("%s posting %s: %d\n%s", kind, path, res.Code, res.Body)
	}
	loc := res.Header().Get("Location")
	to, _, _ := strings.Cut(loc, "?")
	if i := strings.LastIndex(loc, "#"); i >= 0 {
		to += loc[i:]
	}
	return to
}

// lastSegment is the id at the end of a path such as /proposals/12.
func lastSegment(path string) string {
	path, _, _ = strings.Cut(path, "#")
	return path[strings.LastIndex(path, "/")+1:]
}

func (f *accessFixture) id(query string, args ...any) string {
	f.t.Helper()
	return strconv.Itoa(f.e.count(query, args...))
}

// text is one value of a query, as text.
func (f *accessFixture) text(query string, args ...any) string {
	f.t.Helper()
	var s string
	if err := f.e.tx.QueryRow(context.Background(), query, args...).Scan(&s); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *accessFixture) path(p *coproduce.Project, suffix string) string {
	return "/projects/" + itoa(p.ID) + suffix
}

// cell is one request as one kind of person, made inside a savepoint that
// is rolled back, so every cell meets the same fixture. It returns the
// response and the tables the request wrote to (sessions and sign-in
// failure counts aside, which any visit may touch).
func (f *accessFixture) cell(kind, method, target, contentType, body string) (*httptest.ResponseRecorder, []string) {
	f.t.Helper()
	var res *httptest.ResponseRecorder
	var wrote []string
	f.inSavepoint(func() {
		before := f.writeCounts()
		res = f.send(kind, method, target, contentType, body)
		for table, n := range f.writeCounts() {
			if n != before[table] {
				wrote = append(wrote, table)
			}
		}
	})
	return res, wrote
}

// inSavepoint runs fn and then undoes everything it wrote.
func (f *accessFixture) inSavepoint(fn func()) {
	f.t.Helper()
	f.e.exec("SAVEPOINT access_cell")
	defer f.e.exec("ROLLBACK TO SAVEPOINT access_cell; RELEASE SAVEPOINT access_cell")
	fn()
}

// send makes a request as kind from a copy of their browser, so that
// signing out in one cell leaves the next one signed in.
func (f *accessFixture) send(kind, method, target, contentType, body string) *httptest.ResponseRecorder {
	f.t.Helper()
	c := f.e.client()
	for k, v := range f.clients[kind].cookies {
		c.cookies[k] = v
	}
	req := httptest.NewRequestWithContext(context.Background(), method, target, strings.NewReader(body))
	if method == http.MethodGet {
		req.Header.Set("Sec-Fetch-Site", "none")
	} else {
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", "http://coproduce.test")
	}
	return c.do(req)
}

// writeCounts is how many rows this transaction has inserted, updated or
// deleted in each table so far, from PostgreSQL's own per-transaction
// statistics: a request that changes anything shows up here.
func (f *accessFixture) writeCounts() map[string]string {
	f.t.Helper()
	counts := map[string]string{}
	for _, pair := range strings.Fields(f.text(`
		SELECT coalesce(string_agg(relname || '=' || (n_tup_ins + n_tup_upd + n_tup_del), ' '), '')
		FROM pg_stat_xact_user_tables WHERE relname NOT IN ('sessions', 'sign_in_failures')`)) {
		table, n, _ := strings.Cut(pair, "=")
		counts[table] = n
	}
	return counts
}

// accessRoutes is every method and pattern in the router; a pattern served
// for every method is listed once, as ANY.
func accessRoutes(s *server.Server) map[string]bool {
	methods := map[string][]string{}
	_ = chi.Walk(s.Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		methods[route] = append(methods[route], method)
		return nil
	})
	out := map[string]bool{}
	for route, ms := range methods {
		if len(ms) >= 9 {
			out["ANY "+route] = true
			continue
		}
		for _, m := range ms {
			out[m+" "+route] = true
		}
	}
	return out
}

// request makes one cell's request and names its outcome as the table does.
func (f *accessFixture) request(kind string, row accessRow, params map[string]string) (*httptest.ResponseRecorder, string, []string) {
	f.t.Helper()
	method := row.method
	if method == "ANY" {
		method = http.MethodGet
	}
	contentType, body := f.body(row.form, params)
	res, wrote := f.cell(kind, method, f.url(row.pattern, params), contentType, body)
	if method == http.MethodGet && res.Code == http.StatusOK {
		for _, table := range wrote {
			// Reading is recorded in the audit trail, and reading a working
			// link in the outbox also for the person to be told.
			if table != "audit_events" && table != "outbox_reads" {
				f.t.Errorf("GET %s as %s changed %s", row.pattern, kind, table)
			}
		}
	}
	for _, p := range f.private {
		if strings.Contains(res.Body.String(), p.text) {
			if !slices.Contains(p.seenBy, kind) {
				f.t.Errorf("%s %s as %s shows %s", row.method, row.pattern, kind, p.what)
			}
			p.shown++
		}
	}
	return res, accessClass(res.Code, res.Header().Get("Location")), wrote
}

func accessClass(code int, location string) string {
	switch {
	case code == http.StatusSeeOther && strings.SplitN(location, "?", 2)[0] == "/sign-in":
		return "in"
	case code >= 200 && code < 300, code == http.StatusSeeOther:
		return "ok"
	}
	return strconv.Itoa(code)
}

// approver names an organisation approver, for the route that removes one.
func (f *accessFixture) approver() string {
	f.t.Helper()
	u := pgtest.User(f.t, f.e.store, coproduce.RoleStaff)
	if _, err := f.e.store.AddApprover(context.Background(), f.users["admin"].ID, u.Email); err != nil {
		f.t.Fatal(err)
	}
	return itoa(u.ID)
}

// url fills a pattern's parameters.
func (f *accessFixture) url(pattern string, params map[string]string) string {
	switch pattern {
	case "/static/*":
		return "/static/app.css"
	case "/assets/*":
		return "/assets/images/favicon.svg"
	}
	for name, param := range accessParamFor[pattern] {
		pattern = strings.ReplaceAll(pattern, "{"+name+"}", params[param])
	}
	filled := accessFill(pattern, params)
	if strings.Contains(filled, "{") {
		f.t.Fatalf("no fixture value for a parameter of %s", filled)
	}
	return filled
}

func accessFill(s string, params map[string]string) string {
	for k, v := range params {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// body encodes a row's form, filling its {names} after parsing so that
// values need no escaping in the table.
func (f *accessFixture) body(form string, params map[string]string) (string, string) {
	f.t.Helper()
	spec, upload := strings.CutPrefix(form, "multipart:")
	values, err := url.ParseQuery(spec)
	if err != nil {
		f.t.Fatal(err)
	}
	for k, vs := range values {
		for i, v := range vs {
			values[k][i] = accessFill(v, params)
		}
	}
	if !upload {
		return "application/x-www-form-urlencoded", values.Encode()
	}
	field := "receipt"
	if name := values.Get("_file"); name != "" {
		field = name
		values.Del("_file")
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range values {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, "receipt.png")
	_, _ = fw.Write(pngBytes)
	_ = mw.Close()
	return mw.FormDataContentType(), b.String()
}
