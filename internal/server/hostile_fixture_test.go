package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// hostileMarkup tries every way out of text: closing an attribute, new
// elements (one with a made-up name, so any element of that name can only
// have come from here), event handlers and script.
const hostileMarkup = hostileShort + `<svg onload=alert(1)><iframe src="javascript:alert(1)"></iframe>' data-hostile='1`

// hostileShort is the part of hostileMarkup that fits in a name or title.
const hostileShort = `"><hostile-tag data-hostile=1></hostile-tag><img src=x onerror=alert(1)><script>alert(1)</script>`

// hostileLinks tries to get a javascript: or data: link, or an attribute,
// out of the renderer that turns web addresses into links.
const hostileLinks = `javascript:alert(1) <a href="javascript:alert(1)">x</a> ` +
	`http://ok.example/a"onmouseover="alert(1) https://ok.example/<b>x</b> ` +
	`data:text/html,<script>alert(1)</script> jAvAsCrIpT://x.example/%0aalert(1)`

// rlo is the right-to-left override, left open as an attacker would.
const rlo = "\u202E"

// longWord is 10,000 characters with nowhere to break a line.
var longWord = strings.Repeat("W", 10000)

// hostile is a one-line value for the field named key: it starts with "="
// (a spreadsheet formula), carries the markup, and ends with an open
// right-to-left override, all under 200 characters. extra goes before the
// override.
func hostile(key string, extra ...string) string {
	return "=" + key + " " + hostileShort + strings.Join(extra, "") + " " + rlo + "evil"
}

// hostileLong is a multi-line value for a free-text field.
func hostileLong(key string) string {
	return "=" + key + " " + hostileShort + "\n" + hostileMarkup + "\n" + hostileLinks + "\n" + rlo + "evil"
}

// shown is the text a reader should see for a field: the markup as text.
func shown(key string) string {
	return "=" + key + " " + hostileShort
}

// hostileProject is a project where every free-text field, every name and
// every email address was filled in with hostile content through the forms.
type hostileProject struct {
	e                               *env
	lead, fac, staff, admin         *coproduce.User
	layName, layEmail               string
	leadC, facC, staffC, layC, admC *client
	id                              int64
	proposal, meeting               string // paths
	item                            int64  // the meeting's agenda item
	changed, withdrawn              string // ideas whose answer changed, and withdrawn (paths)
	outcome, storyOutcome           string // a measured outcome and one measured by stories (paths)
	comment, reply, claim           int64
	minuteComment                   int64 // a member's comment on the minutes
	groupID                         int64
	impact                          int64 // the impact log's entry
	slug                            string
	inviteToken                     string
}

func (hp *hostileProject) path(suffix string) string { return "/projects/" + itoa(hp.id) + suffix }

// hostileUser creates an account whose name and email are hostile. An email
// address may hold ', &, =, +, { and } and still be valid.
func hostileUser(t *testing.T, e *env, role coproduce.SystemRole, key string) *coproduce.User {
	t.Helper()
	hash, err := pgtest.Passwords(t).Hash(pgtest.Password)
	if err != nil {
		t.Fatal(err)
	}
	n := coproduce.NewUser{Email: hostileEmail(key), Name: hostile(key), Role: role}
	n.Normalize() // as the command that creates accounts does
	u, err := e.store.CreateUser(context.Background(), n, hash)
	if err != nil {
		t.Fatalf("create %s: %v", key, err)
	}
	return u
}

func hostileEmail(key string) string {
	return fmt.Sprintf("=%s+o'hara&{%s}@example.test", strings.ToLower(key), e2eSuffix())
}

// e2eSuffix keeps addresses unique between parallel tests and processes.
func e2eSuffix() string { return fmt.Sprint(time.Now().UnixNano()) }

// mustRedirect posts a form and fails unless it was accepted.
func mustRedirect(t *testing.T, c *client, path string, form url.Values) string {
	t.Helper()
	res := c.post(path, form)
	if res.Code != http.StatusSeeOther {
		t.Fatalf("POST %s: %d\n%s", path, res.Code, res.Body)
	}
	return res.Header().Get("Location")
}

// newHostileProject builds the project through the real forms.
func newHostileProject(t *testing.T) *hostileProject {
	t.Helper()
	e := newEnv(t)
	hp := &hostileProject{e: e}
	hp.lead = hostileUser(t, e, coproduce.RoleStaff, "LEADNAME")
	hp.fac = hostileUser(t, e, coproduce.RoleStaff, "FACNAME")
	hp.staff = hostileUser(t, e, coproduce.RoleStaff, "STAFFNAME")
	hp.admin = hostileUser(t, e, coproduce.RoleAdmin, "ADMINNAME")
	hp.leadC, hp.facC, hp.staffC, hp.admC = e.signedIn(hp.lead), e.signedIn(hp.fac), e.signedIn(hp.staff), e.signedIn(hp.admin)

	loc := mustRedirect(t, hp.leadC, "/projects/new", url.Values{"title": {hostile("TITLE", "\r\nBcc: evil@example.test "+strings.Repeat("Y", 61))}, "summary": {hostileLong("SUMMARY")}, "status": {"active"}})
	if _, err := fmt.Sscanf(loc, "/projects/%d", &hp.id); err != nil {
		t.Fatalf("new project went to %q", loc)
	}
	hp.fillSteps(t)
	// Adding an account from the members page invites it; each accepts.
	for _, m := range []struct {
		c     *client
		email string
		role  string
	}{{hp.facC, hp.fac.Email, "facilitator"}, {hp.staffC, hp.staff.Email, "staff_partner"}} {
		mustRedirect(t, hp.leadC, hp.path("/members"), url.Values{"email": {m.email}, "role": {m.role}})
		mustRedirect(t, m.c, e.lastLink(m.email, "/invitations/")+"/accept", nil)
	}
	hp.inviteLayPartner(t)
	hp.fillSupport(t)
	hp.fillIdeas(t)
	hp.fillClaims(t)
	hp.fillImpact(t)
	hp.fillEvaluate(t)
	wantRedirect(t, hp.leadC.open(t, hp.path("/public-preview")).form("Publish the public page").submit(), hp.path("/reports"))
	href, _ := doc(t, hp.leadC.get(hp.path("/reports"))).Find("[data-testid=public-link]").Attr("href")
	hp.slug = strings.TrimPrefix(href, "/p/")
	if hp.slug == "" {
		t.Fatal("no public page link")
	}
	return hp
}

func (hp *hostileProject) fillSteps(t *testing.T) {
	t.Helper()
	c := hp.leadC
	for _, step := range []string{"identify", "select", "be-clear", "choose", "support", "build", "understand"} {
		mustRedirect(t, c, hp.path("/steps/"+step+"/notes"), url.Values{"notes": {longWord + "\n" + hostileLong("NOTES"+strings.ToUpper(step[:2]))}, "version": {"1"}})
	}
	mustRedirect(t, c, hp.path("/steps/identify/groups"), url.Values{"name": {hostile("GROUPNAME")}, "description": {hostileLong("GROUPDESC")},
		"affected": {"direct"}, "reach": {hostileLong("GROUPREACH")}, "included": {"no"}, "exclusion_reason": {hostileLong("GROUPWHY")}, "version": {"0"}})
	if err := hp.e.tx.QueryRow(context.Background(), `SELECT id FROM stakeholder_groups WHERE project_id = $1 AND starts_with(name, '=GROUPNAME ')`,
		hp.id).Scan(&hp.groupID); err != nil {
		t.Fatal(err)
	}
	purpose := url.Values{"version": {"0"}}
	for _, f := range []string{"purpose", "expectations", "fixed", "open_to_change", "contributions_use", "expenses_policy"} {
		purpose.Set(f, hostileLong("PURPOSE"+strings.ToUpper(f[:4])))
	}
	mustRedirect(t, c, hp.path("/steps/be-clear/purpose"), purpose)
	mustRedirect(t, c, hp.path("/steps/choose/approach"), url.Values{"level": {"co_design"}, "level_rationale": {hostileLong("LEVELWHY")},
		"stage": {"co_design"}, "stage_rationale": {hostileLong("STAGEWHY")}, "scope": {"system"}, "scope_rationale": {hostileLong("SCOPEWHY")},
		"methods": {"workshop"}, "rationale_workshop": {hostileLong("METHODWHY")}, "version": {"0"}})
}

// inviteLayPartner invites a lay partner, who accepts and gives their
// (hostile) name on the invitation page.
func (hp *hostileProject) inviteLayPartner(t *testing.T) {
	t.Helper()
	hp.layEmail, hp.layName = hostileEmail("LAYNAME"), hostile("LAYNAME")
	mustRedirect(t, hp.leadC, hp.path("/steps/select/invitations"), url.Values{"name": {hostile("INVITENAME")}, "email": {hp.layEmail},
		"group": {itoa(hp.groupID)}, "role": {"lay_partner"}, "message": {hostileLong("INVITEMSG")}})
	link := hp.e.lastLink(hp.layEmail, "/invitations/")
	hp.inviteToken = strings.TrimPrefix(link, "/invitations/")
	hp.layC = hp.e.client()
	wantStatus(t, hp.layC.get(link), http.StatusOK)
	mustRedirect(t, hp.layC, link+"/accept", url.Values{"name": {hp.layName}})
	lay := hp.layID(t)
	mustRedirect(t, hp.leadC, hp.path("/steps/understand/members/"+itoa(lay)), url.Values{"role": {hostileLong("FOURRSROLE")},
		"remit": {hostileLong("FOURRSREMIT")}, "relationships": {hostileLong("FOURRSREL")}, "responsibility": {hostileLong("FOURRSRESP")}, "version": {"0"}})
}

func (hp *hostileProject) layID(t *testing.T) int64 {
	t.Helper()
	u, err := hp.e.store.UserByEmail(context.Background(), hp.layEmail)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func (hp *hostileProject) fillSupport(t *testing.T) {
	t.Helper()
	mustRedirect(t, hp.layC, hp.path("/support/me"), url.Values{"hearing_loop": {"yes"}, "language_interpreter": {`=INTERPRETER "><img src=x onerror=alert(1)>` + rlo},
		"good_times": {hostileLong("GOODTIMES")}, "bad_times": {hostileLong("BADTIMES")}, "dietary": {hostileLong("DIETARY")}, "other": {hostileLong("OTHERNEEDS")}})
	mustRedirect(t, hp.leadC, hp.path("/support/buddies"), url.Values{"partner": {itoa(hp.layID(t))}, "buddy": {itoa(hp.staff.ID)}})
	yesterday := time.Now().AddDate(0, 0, -1).In(coproduce.UK)
	loc := mustRedirect(t, hp.facC, hp.path("/meetings"), url.Values{"title": {hostile("MEETINGTITLE", "\r\nX-INJECTED:1")},
		"date": {yesterday.Format("2006-01-02")}, "start": {"10:00"}, "end": {"12:00"},
		"venue": {hostile("VENUE", "\r\nATTENDEE:mailto:evil@example.test")}, "online_link": {`https://ok.example/a"><script>alert(1)</script>`}})
	hp.meeting = strings.SplitN(loc, "?", 2)[0]
	mustRedirect(t, hp.layC, hp.meeting+"/reply", url.Values{"attending": {"yes"}})
	mustRedirect(t, hp.facC, hp.meeting+"/attendance", url.Values{"present": {itoa(hp.layID(t))}, "notes": {longWord + "\n" + hostileLong("ATTENDNOTES")}})
	// Its agenda and published minutes, with a member's comment.
	mustRedirect(t, hp.facC, hp.meeting+"/agenda", url.Values{"title": {hostile("AGENDATITLE")}})
	var item int64
	if err := hp.e.tx.QueryRow(context.Background(), `SELECT max(id) FROM agenda_items`).Scan(&item); err != nil {
		t.Fatal(err)
	}
	hp.item = item
	mustRedirect(t, hp.facC, hp.meeting+"/minutes/"+itoa(item), url.Values{"discussion": {longWord + "\n" + hostileLong("MINUTESTALK")},
		"decisions": {hostileLong("MINUTESDECIDED")}})
	mustRedirect(t, hp.facC, hp.meeting+"/minutes/publish", nil)
	loc = mustRedirect(t, hp.layC, hp.meeting+"/minutes/comments", url.Values{"body": {hostileLong("MINUTECOMMENT")}})
	id, err := strconv.ParseInt(loc[strings.LastIndex(loc, "#minute-comment-")+len("#minute-comment-"):], 10, 64)
	if err != nil {
		t.Fatalf("no comment in %s", loc)
	}
	hp.minuteComment = id
	// A second comment, hidden and shown again, with hostile reasons.
	loc = mustRedirect(t, hp.layC, hp.meeting+"/minutes/comments", url.Values{"body": {hostileLong("MINUTETOHIDE")}})
	hidden := hp.meeting + "/minutes/comments/" + loc[strings.LastIndex(loc, "#minute-comment-")+len("#minute-comment-"):]
	mustRedirect(t, hp.leadC, hidden+"/hide", url.Values{"reason": {hostileLong("MINUTEHIDEWHY")}})
	mustRedirect(t, hp.facC, hidden+"/show", url.Values{"reason": {hostileLong("MINUTESHOWWHY")}})
	mustRedirect(t, hp.facC, hidden+"/hide", url.Values{"reason": {hostileLong("MINUTEHIDEAGAIN")}})
}

func (hp *hostileProject) fillIdeas(t *testing.T) {
	t.Helper()
	loc := mustRedirect(t, hp.layC, hp.path("/proposals"), url.Values{"title": {hostile("IDEATITLE", " "+strings.Repeat("X", 70))}, "body": {hostileLong("IDEABODY")}})
	hp.proposal = strings.SplitN(loc, "?", 2)[0]
	mustRedirect(t, hp.layC, hp.proposal+"/vote", url.Values{"choice": {"object"}, "reason": {hostileLong("VOTEWHY")}})
	mustRedirect(t, hp.layC, hp.proposal+"/comments", url.Values{"body": {hostileLong("COMMENT")}, "form_token": {"h1"}})
	hp.comment = hp.commentSent(t, "h1")
	mustRedirect(t, hp.staffC, hp.proposal+"/comments", url.Values{"body": {hostileLong("REPLY")}, "form_token": {"h2"}, "parent": {itoa(hp.comment)}})
	hp.reply = hp.commentSent(t, "h2")
	mustRedirect(t, hp.layC, hp.path("/comments/"+itoa(hp.comment)+"/edit"), url.Values{"body": {hostileLong("EDITED")}})
	mustRedirect(t, hp.staffC, hp.proposal+"/comments", url.Values{"body": {hostileLong("TOHIDE")}, "form_token": {"h3"}})
	mustRedirect(t, hp.leadC, hp.path("/comments/"+itoa(hp.commentSent(t, "h3"))+"/hide"), url.Values{"reason": {hostileLong("HIDEWHY")}})
	mustRedirect(t, hp.leadC, hp.proposal+"/respond", url.Values{"response": {"adopted"}, "rationale": {hostileLong("RESPONSE")}})
	mustRedirect(t, hp.leadC, hp.proposal+"/actions", url.Values{"description": {hostileLong("ACTION")}, "owner": {hostile("OWNER")},
		"due_on": {"2027-03-01"}, "status": {"in_progress"}})
	hp.fillIdeaChanges(t)
}

// fillIdeaChanges shows a hidden comment again, changes an answer and
// withdraws an idea, each with hostile reasons.
func (hp *hostileProject) fillIdeaChanges(t *testing.T) {
	t.Helper()
	mustRedirect(t, hp.staffC, hp.proposal+"/comments", url.Values{"body": {hostileLong("TOSHOW")}, "form_token": {"h4"}})
	shown := hp.path("/comments/" + itoa(hp.commentSent(t, "h4")))
	mustRedirect(t, hp.facC, shown+"/hide", url.Values{"reason": {hostileLong("HIDEAGAINWHY")}})
	mustRedirect(t, hp.facC, shown+"/show", url.Values{"reason": {hostileLong("SHOWWHY")}})
	loc := mustRedirect(t, hp.layC, hp.path("/proposals"), url.Values{"title": {hostile("CHANGEDIDEA")}, "body": {hostileLong("CHANGEDBODY")}})
	hp.changed = strings.SplitN(loc, "?", 2)[0]
	mustRedirect(t, hp.leadC, hp.changed+"/respond", url.Values{"response": {"not_adopted"}, "rationale": {hostileLong("FIRSTANSWER")}})
	mustRedirect(t, hp.facC, hp.changed+"/answer", url.Values{"response": {"adapted"}, "rationale": {hostileLong("NEWANSWER")}})
	loc = mustRedirect(t, hp.layC, hp.path("/proposals"), url.Values{"title": {hostile("WITHDRAWNIDEA")}, "body": {hostileLong("WITHDRAWNBODY")}})
	hp.withdrawn = strings.SplitN(loc, "?", 2)[0]
	mustRedirect(t, hp.layC, hp.withdrawn+"/withdraw", url.Values{"withdraw_reason": {hostileLong("WITHDRAWWHY")}})
}

// commentSent finds the project's comment sent with the form token token.
// Rows are found by what the fixture wrote, never by the order of their
// ids: identities are shared with the tests running at the same time.
func (hp *hostileProject) commentSent(t *testing.T, token string) int64 {
	t.Helper()
	var id int64
	if err := hp.e.tx.QueryRow(context.Background(), `
		SELECT c.id FROM comments c JOIN proposals p ON p.id = c.proposal_id
		WHERE p.project_id = $1 AND c.form_token = $2`, hp.id, token).Scan(&id); err != nil {
		t.Fatalf("the comment sent with %q: %v", token, err)
	}
	return id
}

// claimFor finds the project's claim whose description starts with key.
func (hp *hostileProject) claimFor(t *testing.T, key string) int64 {
	t.Helper()
	var id int64
	if err := hp.e.tx.QueryRow(context.Background(), `SELECT id FROM claims WHERE project_id = $1 AND starts_with(description, $2)`,
		hp.id, "="+key+" ").Scan(&id); err != nil {
		t.Fatalf("the claim %s: %v", key, err)
	}
	return id
}

func (hp *hostileProject) fillClaims(t *testing.T) {
	t.Helper()
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	for _, key := range []string{"CLAIMDESC", "CLAIMREJECTED"} {
		res := hp.layC.postMultipart(hp.path("/claims"), url.Values{"category": {"other"}, "incurred_on": {yesterday}, "amount": {"3"},
			"description": {hostileLong(key)}}, nil)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("claim: %d\n%s", res.Code, res.Body)
		}
	}
	first := hp.claimFor(t, "CLAIMDESC")
	hp.claim = hp.claimFor(t, "CLAIMREJECTED")
	mustRedirect(t, hp.leadC, hp.path("/claims/"+itoa(first)+"/decision"), url.Values{"decision": {"approve"}})
	mustRedirect(t, hp.leadC, hp.path("/claims/"+itoa(hp.claim)+"/decision"), url.Values{"decision": {"reject"}, "reason-" + itoa(hp.claim): {hostileLong("CLAIMWHY")}})
	if _, err := hp.e.store.AddApprover(context.Background(), hp.admin.ID, hp.staff.Email); err != nil {
		t.Fatal(err)
	}
}

// hostilePage is a page that shows the hostile content, read as c.
type hostilePage struct {
	c     *client
	path  string
	shows []string // keys whose text must be shown
}

// pages are every page that shows the project's content.
func (hp *hostileProject) pages(t *testing.T) []hostilePage {
	t.Helper()
	lay := itoa(hp.layID(t))
	p := hp.path
	return []hostilePage{
		{hp.leadC, "/projects", []string{"TITLE"}},
		{hp.leadC, p(""), []string{"TITLE", "IDEATITLE"}},
		{hp.layC, p(""), []string{"TITLE", "STAFFNAME"}},
		{hp.leadC, p("/edit"), []string{"SUMMARY"}},
		{hp.leadC, p("/members"), []string{"LEADNAME", "FACNAME", "STAFFNAME", "LAYNAME"}},
		{hp.leadC, p("/history"), nil},
		{hp.leadC, p("/reports"), nil},
		{hp.leadC, p("/steps/identify"), []string{"NOTESID", "GROUPNAME", "GROUPWHY"}},
		{hp.leadC, p("/steps/identify/groups/" + itoa(hp.groupID)), []string{"GROUPDESC"}},
		{hp.leadC, p("/steps/select"), []string{"NOTESSE"}},
		{hp.leadC, p("/steps/be-clear"), []string{"NOTESBE", "PURPOSEPURP", "PURPOSEFIXE"}},
		{hp.leadC, p("/steps/be-clear/purpose"), []string{"PURPOSEEXPE"}},
		{hp.leadC, p("/steps/be-clear/versions/1"), []string{"PURPOSEPURP"}},
		{hp.leadC, p("/steps/choose"), []string{"NOTESCH", "LEVELWHY", "METHODWHY"}},
		{hp.leadC, p("/steps/support"), []string{"NOTESSU", "MEETINGTITLE"}},
		{hp.leadC, p("/steps/build"), []string{"NOTESBU", "IDEATITLE"}},
		{hp.layC, p("/steps/understand"), []string{"NOTESUN", "FOURRSROLE"}},
		{hp.leadC, p("/steps/understand/members/" + lay), []string{"FOURRSREMIT"}},
		{hp.layC, p("/support/me"), []string{"GOODTIMES", "OTHERNEEDS"}},
		{hp.leadC, p("/support/members/" + lay), []string{"GOODTIMES", "DIETARY"}},
		{hp.leadC, p("/claims"), []string{"CLAIMWHY", "LAYNAME"}},
		{hp.layC, p("/claims"), []string{"CLAIMWHY"}},
		{hp.leadC, hp.meeting, []string{"MEETINGTITLE", "VENUE", "AGENDATITLE"}},
		{hp.layC, hp.meeting + "/minutes", []string{"AGENDATITLE", "MINUTESTALK", "MINUTESDECIDED", "MINUTECOMMENT", "LAYNAME", "MINUTEHIDEAGAIN"}},
		{hp.leadC, hp.meeting + "/minutes", []string{"MINUTECOMMENT", "MINUTEHIDEWHY", "MINUTESHOWWHY", "MINUTEHIDEAGAIN"}},
		{hp.leadC, hp.meeting + "/minutes/comments/" + itoa(hp.minuteComment) + "/hide", []string{"MINUTECOMMENT"}},
		{hp.leadC, hp.meeting + "/agenda", []string{"AGENDATITLE"}},
		{hp.leadC, hp.meeting + "/agenda/" + itoa(hp.item), []string{"AGENDATITLE"}},
		{hp.layC, hp.proposal, []string{"IDEATITLE", "IDEABODY", "EDITED", "REPLY", "RESPONSE", "ACTION", "OWNER", "LAYNAME", "VOTEWHY", "TOSHOW"}},
		{hp.leadC, hp.proposal, []string{"HIDEWHY", "HIDEAGAINWHY", "SHOWWHY"}},
		{hp.layC, hp.changed, []string{"CHANGEDIDEA", "FIRSTANSWER", "NEWANSWER"}},
		{hp.layC, hp.withdrawn, []string{"WITHDRAWNIDEA", "WITHDRAWWHY"}},
		{hp.layC, p("/comments/" + itoa(hp.comment) + "/edit"), []string{"EDITED"}},
		{hp.layC, p("/evaluate/impact"), []string{"IMPACTTITLE", "IMPACTWHAT", "IDEATITLE", "LAYNAME", "REFLECTION"}},
		{hp.leadC, p("/evaluate/impact/" + itoa(hp.impact)), []string{"IMPACTTITLE", "IMPACTWHAT", "IDEATITLE", "LAYNAME"}},
		{hp.layC, p("/evaluate/reflection"), []string{"REFLECTION", "LAYNAME"}},
		{hp.leadC, p("/comments/" + itoa(hp.reply) + "/hide"), []string{"REPLY"}},
		{hp.e.client(), "/p/" + hp.slug, []string{"TITLE", "IDEATITLE", "RESPONSE", "ACTION"}},
		{hp.layC, "/account", nil},
		{hp.admC, "/admin/users", []string{"LAYNAME", "ADMINNAME"}},
		{hp.admC, "/admin/users/" + lay + "/erase", []string{"LAYNAME"}},
		{hp.admC, "/admin/audit", nil},
		{hp.admC, "/admin/outbox", nil},
		{hp.admC, "/admin/approvers", []string{"STAFFNAME"}},
		{hp.staffC, "/approvals", nil},
		{hp.admC, "/invitations/" + hp.inviteToken, nil},
		{hp.leadC, p(""), []string{"READINESSNOTE"}},
		{hp.layC, p("/evaluate/readiness"), []string{"READINESSNOTE"}},
		{hp.layC, p("/evaluate/outcomes"), []string{"OUTCOMETITLE", "NOTAGREEDTITLE", "NOTAGREEDWHY"}},
		{hp.layC, hp.outcome, []string{"OUTCOMETITLE", "OUTCOMEWHY", "OUTCOMEREASON", "READINGSOURCE", "LAYNAME"}},
		{hp.staffC, hp.storyOutcome, []string{"STORYTITLE", "STORYTEXT", "STORYSOURCE"}},
	}
}
