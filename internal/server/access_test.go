package server_test

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// What a kind of person gets from a route, in the access table:
//
//	ok   the page, file or redirect onwards (2xx, or 303 anywhere but sign-in)
//	in   sent to the sign-in page
//	403  refused; 404 not found (how a project hides from outsiders)
//	422  allowed, but refused by a rule of the project (shown as a form error)
//
// Each row names every kind, through these shorthands, later words winning.
const (
	accessPublic    = "all:ok "
	accessSignedIn  = "anon:in gone:in users:ok "
	accessInProject = "anon:in gone:in outsiders:404 "
	accessAdminOnly = "anon:in gone:in users:403 admin:ok "
)

// accessRow is one route: its method and pattern exactly as the router has
// them, the form a post sends ({name} takes a fixture value; "multipart:"
// sends it as an upload with a receipt, or in the field _file names), and
// what each kind gets.
type accessRow struct {
	method, pattern, form, expect string
}

// accessTable lists every route the server has. A route missing from it,
// or a row for a route that has gone, fails TestAccessMatrix.
var accessTable = []accessRow{
	{"GET", "/healthz", "", accessPublic},
	{"GET", "/readyz", "", accessPublic},
	{"ANY", "/metrics", "", accessPublic},
	{"ANY", "/static/*", "", accessPublic},
	{"ANY", "/assets/*", "", accessPublic},
	{"GET", "/", "", "all:ok anon:in gone:in"},
	{"GET", "/sign-in", "", accessPublic},
	{"POST", "/sign-in", "email={spare}&password={password}", accessPublic},
	{"POST", "/sign-out", "", "all:in"},
	{"POST", "/text-size", "size=larger&back=/projects", accessPublic},
	{"POST", "/easy-read", "reading=easy_read&back=/projects", accessPublic},
	{"POST", "/sign-in/link", "link_email={spare}", accessPublic},
	{"GET", "/sign-in/link-sent", "", accessPublic},
	{"GET", "/sign-in/link/{token}", "", accessPublic},
	{"POST", "/sign-in/link/{token}", "", accessPublic},
	{"GET", "/p/{slug}", "", accessPublic},
	{"GET", "/invitations/{token}", "", accessPublic},
	{"POST", "/invitations/{token}/accept", "name=Invitee", accessPublic},
	{"POST", "/invitations/{token}/decline", "", accessPublic},
	// A letter's code: the fixture has none, so an empty one is refused
	// (before the attempt is counted, so the matrix is not throttled).
	{"GET", "/join", "", accessPublic},
	{"POST", "/join", "code=", "all:422"},
	{"POST", "/join/account", "code=&email={spare}&password={password}", "all:422"},

	{"GET", "/account", "", accessSignedIn},
	{"GET", "/account/session", "", accessSignedIn},
	{"GET", "/account/link-read", "", accessSignedIn},
	{"POST", "/account/session", "", accessSignedIn},
	{"POST", "/account/sign-out-everywhere", "", "all:in"},
	{"GET", "/account/notifications", "", accessSignedIn},
	{"POST", "/account/notifications", "notify-new_idea=daily&notify-comment=daily&notify-answered=daily&notify-action=daily&notify-purpose=daily&notify-fourrs=daily&notify-claim_decided=daily&notify-meeting=daily&notify-signoff=daily&notify-claim_waiting=daily&notify-idea_waiting=daily", accessSignedIn},
	{"GET", "/updates", "", accessSignedIn},
	{"GET", "/updates/{updateID}", "", "anon:in gone:in users:404 lay:ok"},
	{"POST", "/updates", "up_to={updateID}", accessSignedIn},
	{"GET", "/unsubscribe/{token}", "", accessPublic},
	{"POST", "/unsubscribe/{token}", "List-Unsubscribe=One-Click", accessPublic},
	{"GET", "/language", "lang=cy&return=/projects", accessPublic},
	{"POST", "/account/language", "language=cy", accessSignedIn},
	{"POST", "/account/password", "current_password={password}&new_password=Another+long+passphrase+7&confirm_password=Another+long+passphrase+7", accessSignedIn},
	{"GET", "/me/data", "", accessSignedIn},
	{"GET", "/projects", "", accessSignedIn},
	{"GET", "/approvals", "", accessSignedIn},
	{"POST", "/approvals/{claimID}/decision", "decision=approve", "anon:in gone:in users:403 lead:ok"},
	{"GET", "/approvals/{claimID}/receipt", "", "anon:in gone:in users:403 lead:ok"},
	{"GET", "/projects/new", "", accessSignedIn + "out:403 lay:403"},
	{"POST", "/projects/new", "title=New&summary=S&status=draft", accessSignedIn + "out:403 lay:403"},

	{"GET", "/projects/{projectID}/", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/steps", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/meetings", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/edit", "", accessInProject + "members:403 lead:ok admin:ok"},
	{"POST", "/projects/{projectID}/edit", "title=Renamed&summary=S&status=active", accessInProject + "members:403 lead:ok admin:ok"},
	{"GET", "/projects/{projectID}/members", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/members", "email={spare}&role=lay_partner", accessInProject + "members:403 lead:ok admin:ok"},
	{"GET", "/projects/{projectID}/members/{userID}/role", "", accessInProject + "members:403 lead:ok admin:ok"},
	{"POST", "/projects/{projectID}/members/{userID}/role", "role=staff_partner", accessInProject + "members:403 lead:ok admin:ok"},
	{"GET", "/projects/{projectID}/members/{userID}/remove", "", accessInProject + "members:403 lead:ok admin:ok"},
	{"POST", "/projects/{projectID}/members/{userID}/remove", "", accessInProject + "members:403 lead:ok admin:ok"},
	{"GET", "/projects/{projectID}/members/{userID}/record", "", accessInProject + "members:403 runners:ok admin:403"},
	{"POST", "/projects/{projectID}/members/{userID}/record", "how=phone&agreed=yes", accessInProject + "members:403 runners:ok admin:403"},
	// How to reach a member: those who run the project, and the person
	// ({userID} is the lay partner). Their letter: those who run it (the
	// lay partner has an email, so no code is made and they are sent back).
	{"GET", "/projects/{projectID}/members/offline", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/members/offline", "name=Dorothy+Price&contact_way=phone&phone=01632+960+001&role=lay_partner&agreed=phone&confirm=yes", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/members/{userID}/contact", "", accessInProject + "runners:ok lay:ok staff:403 admin:403"},
	{"POST", "/projects/{projectID}/members/{userID}/contact/letter", "call_phone=01632+960+002", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/leave", "", accessInProject + "members:ok admin:403"},
	// The fixture's lead is the project's only lead, who may not leave.
	{"POST", "/projects/{projectID}/leave", "", accessInProject + "members:ok lead:422 admin:403"},
	{"GET", "/projects/{projectID}/history", "", accessInProject + "runners:ok partners:403 admin:ok"},
	{"POST", "/projects/{projectID}/publish", "published=yes", accessInProject + "members:403 lead:ok admin:ok"},
	{"GET", "/projects/{projectID}/public-preview", "", accessInProject + "members:403 lead:ok admin:ok"},
	{"GET", "/projects/{projectID}/reports", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/reports/{report}", "", accessInProject + "runners:ok partners:403 admin:ok"},
	{"POST", "/projects/{projectID}/naming", "named=yes", accessInProject + "members:ok admin:403"},
	{"GET", "/projects/{projectID}/steps/{step}", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/steps/{step}/status", "status=not_started&version={stageVersion}", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/{step}/sign-off", "", accessInProject + "lead:ok lay:ok fac:403 staff:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/{step}/notes", "notes=x&version={stageVersion}", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/select/invitations", "name=New+person&email={newEmail}&role=lay_partner", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/select/invitations/{invitationID}/resend", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/select/invitations/{invitationID}/withdraw", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/select/invitations/{invitationID}/accept-by-phone", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/communication-needs", "", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/communication-needs", "has_needs=no", accessInProject + "members:ok admin:403"},
	{"GET", "/projects/{projectID}/support/me", "", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/support/me", "large_print=yes", accessInProject + "members:ok admin:403"},
	{"GET", "/projects/{projectID}/support/me/copy", "", accessInProject + "members:ok admin:403"},
	// Nobody in the fixture has needs from before they were kept per
	// project, so asking to copy them finds nothing; TestSupportCopy copies.
	{"POST", "/projects/{projectID}/support/me/copy", "from=earlier", accessInProject + "members:404 admin:403"},
	{"GET", "/projects/{projectID}/support/members/{userID}", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/support/buddies", "partner={lay}&buddy={staff}", accessInProject + "members:403 lead:ok admin:ok"},
	{"GET", "/projects/{projectID}/claims", "", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/claims", "multipart:category=parking&incurred_on={yesterday}&amount=2", accessInProject + "members:ok admin:403"},
	{"GET", "/projects/{projectID}/claims/{claimID}/receipt", "", accessInProject + "runners:ok lay:ok staff:403 admin:403"},
	{"POST", "/projects/{projectID}/claims/{claimID}/decision", "decision=approve", accessInProject + "members:403 lead:ok admin:403"},
	{"POST", "/projects/{projectID}/claims/export", "", accessInProject + "members:403 lead:ok admin:403"},
	{"GET", "/projects/{projectID}/claims/exports", "", accessInProject + "members:403 lead:ok admin:403"},
	{"GET", "/projects/{projectID}/claims/exports/{exportID}", "", accessInProject + "members:403 lead:ok admin:403"},
	{"POST", "/projects/{projectID}/payments/choice", "payment_choice=accept", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/payments/level", "member={lay}&level=2", accessInProject + "members:403 lead:ok admin:ok"},
	{"POST", "/projects/{projectID}/meetings", "title=Talk&date={nextWeek}&start=10:00&end=11:00&venue=Hall", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/calendar.ics", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/reply", "attending=yes", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/attendance", "present={lay}", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/papers", "multipart:_file=paper_file&paper_title=Agenda", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/papers-due", "papers_due_days=5", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/papers/{paperID}", "", accessInProject + "members:ok admin:403"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/papers/{paperID}/remove", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/papers/{paperID}/remove", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/edit", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/edit", "title=Talk&date={nextWeek}&start=10:00&end=11:00&venue=Hall&sequence=0", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/cancel", "sequence=0&reason=Ill", accessInProject + "runners:ok partners:403 admin:403"},
	// what has been arranged for each person coming ({userID} is the lay partner)
	{"GET", "/projects/{projectID}/meetings/{meetingID}/arrangements", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/arrangements/{userID}", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/arrangements/{userID}", "note=Taxi", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/claims/{claimID}/send", "", accessInProject + "runners:ok lay:ok staff:404 admin:403"},
	{"POST", "/projects/{projectID}/claims/{claimID}/send", "multipart:category=parking&incurred_on={yesterday}&amount=2", accessInProject + "runners:ok lay:ok staff:404 admin:403"},
	{"POST", "/projects/{projectID}/claims/{claimID}/discard", "", accessInProject + "runners:ok lay:ok staff:404 admin:403"},
	// agenda and minutes (the fixture's meeting has one item, discussing the adopted idea, and published minutes)
	{"GET", "/projects/{projectID}/meetings/{meetingID}/agenda", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/agenda", "title=Item&time=10:30&led_by={lay}&ideas={adoptedID}", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/agenda/{itemID}", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/agenda/{itemID}", "title=Renamed", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/agenda/{itemID}/move", "direction=down", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/agenda/{itemID}/remove", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/minutes", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/minutes/publish", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/minutes/comments", "body=Thank+you", accessInProject + "members:ok admin:403"},
	// A lead or facilitator hides a comment on the minutes and shows it again.
	{"GET", "/projects/{projectID}/meetings/{meetingID}/minutes/comments/{commentID}/hide", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/minutes/comments/{commentID}/hide", "reason=Off+topic", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/minutes/comments/{commentID}/show", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/minutes/comments/{commentID}/show", "reason=Hidden+by+mistake", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/minutes/{itemID}", "discussion=D&decisions=X", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/minutes/{itemID}/decision", "idea={adoptedID}&response=adapted&rationale=R", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/minutes/{itemID}/actions", "idea={adoptedID}&description=D&owner=O&due_on=2030-02-01", accessInProject + "runners:ok partners:403 admin:403"},
	// the impact log (the fixture's has one entry, from the adopted idea) and the reflection
	{"GET", "/projects/{projectID}/evaluate/impact", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/evaluate/impact/new", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/evaluate/impact/new", "title=Change&what_changed=W&changed_on={yesterday}&ideas={adoptedID}&contributors={lay}", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/evaluate/impact/{entryID}", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/evaluate/impact/{entryID}", "title=Renamed&what_changed=W&changed_on={yesterday}", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/evaluate/impact/{entryID}/remove", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/evaluate/reflection", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/evaluate/reflection", "reflection=Ours&version=0", accessInProject + "members:ok admin:403"},
	// the principles check (the fixture's round is open) and the check after
	// the fixture's meeting, at which only the lay partner was recorded
	{"GET", "/projects/{projectID}/evaluate/principles", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/evaluate/principles/rounds", "title=Another", accessInProject + "members:403 lead:422 admin:403"},
	{"GET", "/projects/{projectID}/evaluate/principles/rounds/{roundID}", "", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/evaluate/principles/rounds/{roundID}", "score_assets=3&score_capabilities=3&score_mutuality=3&score_networks=3&score_blurring_roles=3&score_catalysts=3&level=2", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/evaluate/principles/rounds/{roundID}/close", "", accessInProject + "members:403 lead:ok admin:403"},
	{"GET", "/projects/{projectID}/evaluate/meetings", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/check", "", accessInProject + "members:403 lay:ok admin:403"},
	{"POST", "/projects/{projectID}/meetings/{meetingID}/check", "q_listened=4&q_took_part=4&q_difference=4", accessInProject + "members:403 lay:ok admin:403"},
	{"POST", "/projects/{projectID}/steps/build/acknowledge", "", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/proposals", "title=Another&body=Why", accessInProject + "members:ok admin:403"},
	{"GET", "/projects/{projectID}/proposals/{proposalID}", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/proposals/{proposalID}/vote", "choice=support", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/proposals/{proposalID}/comments", "body=Hello&form_token=m1", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/proposals/{proposalID}/respond", "response=adopted&rationale=Yes", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/proposals/{proposalID}/actions", "description=Do&owner=Me&due_on=2030-02-01&status=not_started", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/proposals/{proposalID}/answer", "response=adapted&rationale=Changed", accessInProject + "runners:ok partners:403 admin:403"},
	// Only the idea's author, the lay partner, may withdraw it.
	{"POST", "/projects/{projectID}/proposals/{proposalID}/withdraw", "withdraw_reason=Changed+my+mind", accessInProject + "members:403 lay:ok admin:403"},
	{"POST", "/projects/{projectID}/actions/{actionID}/status", "status=done", accessInProject + "runners:ok partners:403 admin:403"},
	// Only the comment's author, the lay partner, may edit it.
	{"GET", "/projects/{projectID}/comments/{commentID}/edit", "", accessInProject + "members:403 lay:ok admin:403"},
	{"POST", "/projects/{projectID}/comments/{commentID}/edit", "body=Edited", accessInProject + "members:403 lay:ok admin:403"},
	{"GET", "/projects/{projectID}/comments/{commentID}/hide", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/comments/{commentID}/hide", "reason=Off+topic", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/comments/{commentID}/show", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/comments/{commentID}/show", "reason=Hidden+by+mistake", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/identify/groups", "name=Carers&affected=indirect&included=yes&version=0", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/steps/identify/groups/{groupID}", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/identify/groups/{groupID}", "name=Renamed&affected=direct&included=yes&version=1", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/identify/groups/{groupID}/remove", "version=1", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/steps/be-clear/purpose", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/be-clear/purpose", "purpose=Ours&version=1", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/steps/be-clear/versions/{version}", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/steps/be-clear/acknowledge", "version=1", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/steps/choose/approach", "level=inform&stage=co_design&scope=system&methods=forum&rationale_forum=x&version=0", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/choose/involvement", "my_level=inform", accessInProject + "members:ok admin:403"},
	{"GET", "/projects/{projectID}/steps/understand/members/{userID}", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/understand/members/{userID}", "role=a&remit=b&relationships=c&responsibility=d&version=1", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/steps/understand/acknowledge", "version=1", accessInProject + "members:ok admin:403"},
	{"GET", "/projects/{projectID}/steps/be-clear/print", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/steps/be-clear/print.pdf", "", accessInProject + "members:ok admin:ok"},
	// The lay partner's own 4Rs: theirs, and for those who write them.
	{"GET", "/projects/{projectID}/steps/understand/members/{userID}/print", "", accessInProject + "runners:ok lay:ok staff:403 admin:403"},
	{"GET", "/projects/{projectID}/steps/understand/members/{userID}/print.pdf", "", accessInProject + "runners:ok lay:ok staff:403 admin:403"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/print", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/meetings/{meetingID}/print.pdf", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/steps/build/print", "", accessInProject + "runners:ok partners:403 admin:403"},
	{"GET", "/projects/{projectID}/steps/build/print.pdf", "", accessInProject + "runners:ok partners:403 admin:403"},
	// the Evaluate section: the fixture has an outcome waiting for an
	// answer (outcomeID) and one agreed, measured and read (agreedOutcomeID)
	{"GET", "/projects/{projectID}/evaluate", "", accessInProject + "members:ok admin:ok"},
	{"GET", "/projects/{projectID}/evaluate/readiness", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/evaluate/readiness", accessReadinessForm(), accessInProject + "members:403 lead:ok admin:403"},
	{"GET", "/projects/{projectID}/evaluate/outcomes", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/evaluate/outcomes", "title=Fewer+missed+visits", accessInProject + "members:ok admin:403"},
	{"GET", "/projects/{projectID}/evaluate/outcomes/{outcomeID}", "", accessInProject + "members:ok admin:ok"},
	{"POST", "/projects/{projectID}/evaluate/outcomes/{outcomeID}/view", "choice=support", accessInProject + "members:ok admin:403"},
	{"POST", "/projects/{projectID}/evaluate/outcomes/{outcomeID}/decision", "decision=agreed&reason=It+matters", accessInProject + "members:403 lead:ok admin:403"},
	{"POST", "/projects/{projectID}/evaluate/outcomes/{outcomeID}/measure", "measure=number&unit=visits&baseline=10&target=4", accessInProject + "runners:ok partners:403 admin:403"},
	{"POST", "/projects/{projectID}/evaluate/outcomes/{outcomeID}/readings", "taken_on={yesterday}&value=8&source=Ward+records", accessInProject + "members:ok admin:403"},
	// the outcome waiting for an answer was suggested by the lay partner
	{"POST", "/projects/{projectID}/evaluate/outcomes/{outcomeID}/change", "title=Fewer+visits+missed", accessInProject + "runners:ok lay:ok staff:403 admin:403"},
	{"POST", "/projects/{projectID}/evaluate/outcomes/{outcomeID}/withdraw", "withdraw_reason=Covered", accessInProject + "runners:ok lay:ok staff:403 admin:403"},

	{"GET", "/admin/users", "", accessAdminOnly},
	{"GET", "/admin/audit", "", accessAdminOnly},
	{"GET", "/admin/audit.csv", "", accessAdminOnly},
	{"GET", "/admin/rates", "", accessAdminOnly},
	{"POST", "/admin/rates", "mileage_car=0.45&mileage_passenger=0.05&mileage_bicycle=0.20&payment_short=25&payment_long=50", accessAdminOnly},
	{"GET", "/admin/outbox", "", accessAdminOnly},
	{"GET", "/admin/outbox/{emailID}", "", accessAdminOnly},
	{"GET", "/admin/approvers", "", accessAdminOnly},
	{"POST", "/admin/approvers", "email={spare}", accessAdminOnly},
	{"POST", "/admin/approvers/{userID}/remove", "", accessAdminOnly},
	{"POST", "/admin/users/{userID}/disable", "", accessAdminOnly},
	{"POST", "/admin/users/{userID}/enable", "", accessAdminOnly},
	{"POST", "/admin/users/{userID}/role", "role=staff", accessAdminOnly},
	{"GET", "/admin/users/{userID}/erase", "", accessAdminOnly},
	{"POST", "/admin/users/{userID}/erase", "", accessAdminOnly},
}

// accessParamFor names the fixture value a route's parameter takes where
// its name alone does not say: actions are added to an adopted idea.
var accessParamFor = map[string]map[string]string{
	"/projects/{projectID}/meetings/{meetingID}/minutes/comments/{commentID}/hide": {"commentID": "minuteCommentID"},
	"/projects/{projectID}/meetings/{meetingID}/minutes/comments/{commentID}/show": {"commentID": "minuteCommentID"},
	"/sign-in/link/{token}":                                        {"token": "linkToken"},
	"/invitations/{token}":                                         {"token": "inviteToken"},
	"/invitations/{token}/accept":                                  {"token": "inviteToken"},
	"/invitations/{token}/decline":                                 {"token": "inviteToken"},
	"/unsubscribe/{token}":                                         {"token": "unsubscribeToken"},
	"/projects/{projectID}/proposals/{proposalID}/actions":         {"proposalID": "adoptedID"},
	"/projects/{projectID}/proposals/{proposalID}/answer":          {"proposalID": "adoptedID"},
	"/admin/approvers/{userID}/remove":                             {"userID": "approverID"},
	"/projects/{projectID}/claims/{claimID}/send":                  {"claimID": "draftID"},
	"/projects/{projectID}/claims/{claimID}/discard":               {"claimID": "draftID"},
	"/projects/{projectID}/evaluate/outcomes/{outcomeID}/measure":  {"outcomeID": "agreedOutcomeID"},
	"/projects/{projectID}/evaluate/outcomes/{outcomeID}/readings": {"outcomeID": "agreedOutcomeID"},
}

// accessReadinessForm answers every statement of the readiness check.
func accessReadinessForm() string {
	v := url.Values{}
	for _, st := range coproduce.ReadinessStatements {
		v.Set(coproduce.ReadinessAnswerField(st.Key), string(coproduce.NotSure))
	}
	return v.Encode()
}

// TestAccessMatrix requests every route as every kind of person and checks
// each answer against the table; refusals must also write nothing, and a
// lay partner's support needs must reach nobody but them and those who run
// the project.
func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	routes := accessRoutes(f.e.server)
	cells, refused := 0, 0
	for _, row := range accessTable {
		key := row.method + " " + row.pattern
		if !routes[key] {
			t.Errorf("the access table has a row for %s, which the router does not have", key)
			continue
		}
		delete(routes, key)
		want := accessExpect(t, row)
		for _, kind := range accessKinds {
			cells++
			_, got, wrote := f.request(kind, row, f.params)
			if got != want[kind] {
				t.Errorf("%s as %s: got %s, want %s", key, kind, got, want[kind])
			}
			if got != "ok" && len(wrote) > 0 {
				t.Errorf("%s as %s was refused (%s) but wrote to %v", key, kind, got, wrote)
			}
			if got != "ok" {
				refused++
			}
		}
	}
	for _, p := range f.private {
		if p.shown == 0 {
			t.Errorf("no page showed %s to anyone, so the check that it reaches only %v proves nothing", p.what, p.seenBy)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(routes)) {
		t.Errorf("route %s is not in the access table: add a row saying who may use it", key)
	}
	t.Logf("%d routes × %d kinds: %d cells, %d refused", len(accessTable), len(accessKinds), cells, refused)
}

// accessExpect reads a row's expectations, failing on a kind left out.
func accessExpect(t *testing.T, row accessRow) map[string]string {
	t.Helper()
	want := map[string]string{}
	for _, word := range strings.Fields(row.expect) {
		who, class, ok := strings.Cut(word, ":")
		kinds := accessGroups[who]
		if kinds == nil {
			kinds = []string{who}
		}
		if !ok || !accessKnown(kinds) || !slices.Contains([]string{"ok", "in", "403", "404", "422"}, class) {
			t.Fatalf("%s %s: cannot read %q", row.method, row.pattern, word)
		}
		for _, k := range kinds {
			want[k] = class
		}
	}
	for _, k := range accessKinds {
		if want[k] == "" {
			t.Fatalf("%s %s says nothing about %s", row.method, row.pattern, k)
		}
	}
	return want
}

func accessKnown(kinds []string) bool {
	for _, k := range kinds {
		if !slices.Contains(accessKinds, k) {
			return false
		}
	}
	return true
}

// TestAccessMethods: a route that only shows a page refuses a post, and a
// route that changes things refuses a plain visit, with 405 and no change,
// even for an administrator who may use both.
func TestAccessMethods(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	routes := accessRoutes(f.e.server)
	checked := 0
	for _, row := range accessTable {
		other := map[string]string{"GET": "POST", "POST": "GET"}[row.method]
		if other == "" || !routes[row.method+" "+row.pattern] || routes[other+" "+row.pattern] {
			continue
		}
		checked++
		res, wrote := f.cell("admin", other, f.url(row.pattern, f.params), "application/x-www-form-urlencoded", "")
		if res.Code != http.StatusMethodNotAllowed || len(wrote) > 0 {
			t.Errorf("%s %s: %d, wrote to %v; want 405 and nothing written", other, row.pattern, res.Code, wrote)
		}
	}
	t.Logf("%d routes refuse the other method", checked)
}

// TestAccessOtherProjectsObjects: members of project A (and an
// administrator) ask A's addresses for project B's idea, comment, action,
// group, meeting, claim, receipt, invitation and member by id. Each is
// refused as not found or forbidden, nothing is written and nothing of B's
// is shown. (B's own pages refuse A's members: the matrix's outsiders.)
func TestAccessOtherProjectsObjects(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	mixed := maps.Clone(f.params)
	maps.Copy(mixed, f.bParams)
	checked := 0
	for _, row := range accessTable {
		if !strings.HasPrefix(row.pattern, "/projects/") || !accessTakesObject(row.pattern, f.bParams) {
			continue
		}
		for _, kind := range []string{"lead", "fac", "lay", "staff", "admin"} {
			checked++
			res, class, wrote := f.request(kind, row, mixed)
			if class != "403" && class != "404" || len(wrote) > 0 {
				t.Errorf("%s %s with B's ids as %s: %s, wrote to %v; want 403 or 404 and nothing written",
					row.method, row.pattern, kind, class, wrote)
			}
			if strings.Contains(res.Body.String(), accessBSecret) {
				t.Errorf("%s %s with B's ids as %s shows B's data", row.method, row.pattern, kind)
			}
		}
	}
	if checked < 60 {
		t.Errorf("only %d requests for another project's objects", checked)
	}
	t.Logf("%d requests for another project's objects", checked)
}

// accessTakesObject reports whether a route takes one of B's objects.
func accessTakesObject(pattern string, objects map[string]string) bool {
	for name := range objects {
		if strings.Contains(pattern, "{"+name+"}") {
			return true
		}
	}
	for _, param := range accessParamFor[pattern] {
		if _, ok := objects[param]; ok {
			return true
		}
	}
	return false
}

// TestAccessForbiddenFields posts fields a person may not set: each post is
// refused and writes nothing, or is taken without the field.
func TestAccessForbiddenFields(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	a := "/projects/{projectID}"
	for _, c := range []struct {
		kind, path, form string
		want             int
	}{
		{"lay", a + "/members", "email={spare}&role=lead", 403},
		{"fac", a + "/members", "email={spare}&role=lead", 403},
		{"fac", a + "/steps/select/invitations", "name=Boss&email={newEmail}&role=lead", 403},
		{"staff", a + "/steps/select/invitations", "name=Boss&email={newEmail}&role=lead", 403},
		{"fac", a + "/steps/{step}/status", "status=complete&version={stageVersion}", 400},
		{"lay", a + "/steps/{step}/status", "status=in_progress&version={stageVersion}", 403},
		{"lay", a + "/claims/{claimID}/decision", "decision=approve", 403},
		{"fac", a + "/claims/{claimID}/decision", "decision=approve", 403},
		{"lay", a + "/edit", "title=Mine&summary=S&status=closed", 403},
		{"fac", a + "/edit", "title=Mine&summary=S&status=closed", 403},
		{"lay", a + "/payments/level", "member={lay}&level=4", 403},
		{"fac", a + "/payments/level", "member={lay}&level=4", 403},
		{"lay", "/projects/new", "title=Mine&summary=S&status=active", 403},
		{"lead", "/admin/users/{goneID}/enable", "", 403},
		{"admin", "/admin/users/{adminID}/disable", "", 403},
		// Another project's people and objects, named in a form.
		{"lead", a + "/payments/level", "member={outID}&level=2", 404},
		{"lead", a + "/support/buddies", "partner={outID}&buddy={staff}", 422},
		{"lead", a + "/steps/select/invitations", "name=X&email={newEmail}&role=lay_partner&group={bGroupID}", 422},
		{"lay", a + "/proposals/{proposalID}/comments", "body=Hi&form_token=x9&parent={bCommentID}", 404},
		{"out", a + "/claims", "multipart:category=parking&incurred_on={yesterday}&amount=2&meeting={bMeetingID}", 404},
		{"lay", a + "/claims", "multipart:category=parking&incurred_on={yesterday}&amount=2&meeting={bMeetingID}", 422},
	} {
		contentType, body := f.body(c.form, f.params)
		res, wrote := f.cell(c.kind, "POST", f.url(c.path, f.params), contentType, body)
		if res.Code != c.want || len(wrote) > 0 {
			t.Errorf("%s posting %s to %s: %d, wrote to %v; want %d and nothing written", c.kind, c.form, c.path, res.Code, wrote, c.want)
		}
	}
	t.Run("LeadsMayInviteLeads", func(t *testing.T) {
		_, body := f.body("name=Boss&email={newEmail}&role=lead", f.params)
		res, _ := f.cell("lead", "POST", f.url(a+"/steps/select/invitations", f.params), "application/x-www-form-urlencoded", body)
		wantStatus(t, res, http.StatusSeeOther)
		for kind, want := range map[string]int{"lead": 1, "fac": 0} {
			page := doc(t, f.send(kind, "GET", f.url(a+"/steps/select", f.params), "", ""))
			if n := page.Find(`input[name=role][value=lead]`).Length(); n != want {
				t.Errorf("the invitation form offers %s %d lead choices, want %d", kind, n, want)
			}
		}
	})
	t.Run("ClaimantCannotApproveTheirClaim", func(t *testing.T) {
		f.inSavepoint(func() {
			form := accessClaimForm("Taxi")
			form.Set("status", "approved")
			form.Set("decision", "approve")
			form.Set("user_id", f.params["staff"])
			wantStatus(t, f.clients["lay"].postMultipart(f.url(a+"/claims", f.params), form, nil), http.StatusSeeOther)
			got := f.text(`SELECT status || ' ' || user_id FROM claims WHERE description = 'Taxi'`)
			if got != "submitted "+f.params["lay"] {
				t.Errorf("claim is %q, want submitted by the lay partner", got)
			}
			wantStatus(t, f.clients["lead"].postMultipart(f.url(a+"/claims", f.params), accessClaimForm("Lead taxi"), nil), http.StatusSeeOther)
			own := f.id(`SELECT id FROM claims WHERE description = 'Lead taxi'`)
			wantStatus(t, f.clients["lead"].post(f.url(a+"/claims/"+own+"/decision", f.params), url.Values{"decision": {"approve"}}), http.StatusForbidden)
			if got := f.text(`SELECT status FROM claims WHERE id = $1`, own); got != "submitted" {
				t.Errorf("a lead approved their own claim: %s", got)
			}
		})
	})
	t.Run("OwnChoiceOnly", func(t *testing.T) {
		f.inSavepoint(func() {
			form := url.Values{"payment_choice": {"decline"}, "member": {f.params["staff"]}, "user_id": {f.params["staff"]}}
			wantStatus(t, f.clients["lay"].post(f.url(a+"/payments/choice", f.params), form), http.StatusSeeOther)
			got := f.text(`SELECT string_agg(user_id || '=' || payment_choice, ' ' ORDER BY user_id) FROM memberships
				WHERE project_id = $1 AND user_id IN ($2, $3)`, f.a.ID, f.users["lay"].ID, f.users["staff"].ID)
			want := f.params["lay"] + "=decline " + f.params["staff"] + "=undecided"
			if got != want {
				t.Errorf("payment choices %q, want %q", got, want)
			}
		})
	})
	t.Run("AttendanceOnlyOfMembers", func(t *testing.T) {
		f.inSavepoint(func() {
			form := url.Values{"present": {f.params["lay"], f.params["outID"]}}
			wantStatus(t, f.clients["lead"].post(f.url(a+"/meetings/{meetingID}/attendance", f.params), form), http.StatusSeeOther)
			got := f.text(`SELECT string_agg(user_id::text, ' ') FROM meeting_attendance WHERE meeting_id = $1`, f.params["meetingID"])
			if got != f.params["lay"] {
				t.Errorf("attendance recorded for %q, want only the lay partner %s", got, f.params["lay"])
			}
		})
	})
	t.Run("InviteeCannotChooseTheirRole", func(t *testing.T) {
		f.inSavepoint(func() {
			form := url.Values{"name": {"Invitee"}, "role": {"lead"}}
			wantRedirect(t, f.clients["anon"].post("/invitations/"+f.params["inviteToken"]+"/accept", form), "/projects/")
			got := f.text(`SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`, f.params["invitee"])
			if got != "lay_partner" {
				t.Errorf("invitee joined as %q, want lay_partner", got)
			}
		})
	})
}

// TestAccessDisabledAccount: once an administrator disables an account, its
// old session no longer works, its password no longer signs in, and no
// sign-in link is sent to it.
func TestAccessDisabledAccount(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	gone := f.users["gone"]
	wantRedirect(t, f.send("gone", "GET", f.path(f.a, ""), "", ""), "/sign-in")
	signIn := url.Values{"email": {gone.Email}, "password": {pgtest.Password}}
	c := f.e.client()
	wantStatus(t, c.post("/sign-in", signIn), http.StatusUnprocessableEntity)
	if c.sessionCookie() != "" {
		t.Error("a disabled account got a session")
	}
	emails := f.e.count(`SELECT count(*) FROM emails WHERE to_address = $1`, gone.Email)
	wantRedirect(t, c.post("/sign-in/link", url.Values{"link_email": {gone.Email}}), "/sign-in/link-sent")
	if n := f.e.count(`SELECT count(*) FROM emails WHERE to_address = $1`, gone.Email); n != emails {
		t.Error("a sign-in link was sent to a disabled account")
	}
	f.mustPost("admin", "/admin/users/"+itoa(gone.ID)+"/enable", nil)
	wantRedirect(t, c.post("/sign-in", signIn), "/projects")
}
