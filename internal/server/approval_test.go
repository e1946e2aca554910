package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// claimThroughForm makes a parking claim on the claims page as its
// claimant would, and returns its id.
func claimThroughForm(t *testing.T, sp *stepProject, c *client, who *coproduce.User, amount string) int64 {
	t.Helper()
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	res := c.open(t, sp.path("/claims")).form("Send claim").check("Parking").
		fill("Date", yesterday).fill("Amount in pounds", amount).submit()
	wantRedirect(t, res, sp.path("/claims"))
	var id int64
	if err := sp.e.tx.QueryRow(context.Background(), `SELECT max(id) FROM claims WHERE user_id = $1`, who.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func claimStatus(t *testing.T, sp *stepProject, id int64) string {
	t.Helper()
	var s string
	if err := sp.e.tx.QueryRow(context.Background(), `SELECT status FROM claims WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestALeadCannotApproveTheirOwnClaimThroughASecondAccount reproduces the
// finding: a lead invites a second address of their own as a lead, accepts
// the invitation from the email as that second account, and tries to
// approve the first account's claim. It is not offered, and a forged post
// is refused. An approver named by an administrator decides it instead.
func TestALeadCannotApproveTheirOwnClaimThroughASecondAccount(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	second := "second-" + itoa(sp.lead.ID) + "@example.test"

	res := sp.leadC.open(t, sp.path("/steps/select")).form("Send invitation").
		fill("Their name", "My other self").fill("Their email address", second).check("Engagement lead").submit()
	wantRedirect(t, res, sp.path("/steps/select"))
	link := e.lastLink(second, "/invitations/")
	alt := e.client()
	res = alt.open(t, link).form("Yes, I will take part").submit()
	wantRedirect(t, res, sp.path(""))
	if n := e.count(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = $1 AND u.email = $2 AND m.role = 'lead'`, sp.p.ID, second); n != 1 {
		t.Fatalf("the second address is not a lead (%d)", n)
	}

	id := claimThroughForm(t, sp, sp.leadC, sp.lead, "12.50")

	claims := alt.open(t, sp.path("/claims"))
	if claims.has("Approve " + sp.lead.Name) {
		t.Error("the lead's second account is offered the lead's claim")
	}
	wantStatus(t, alt.post(sp.path("/claims/"+itoa(id)+"/decision"), url.Values{"decision": {"approve"}}), http.StatusForbidden)
	wantStatus(t, alt.post("/approvals/"+itoa(id)+"/decision", url.Values{"decision": {"approve"}}), http.StatusForbidden)
	// Nor can the lead, another lead of the project, or an administrator.
	wantStatus(t, sp.leadC.post(sp.path("/claims/"+itoa(id)+"/decision"), url.Values{"decision": {"approve"}}), http.StatusForbidden)
	admin := e.signedIn(sp.admin)
	wantStatus(t, admin.post("/approvals/"+itoa(id)+"/decision", url.Values{"decision": {"approve"}}), http.StatusForbidden)
	if got := claimStatus(t, sp, id); got != "submitted" {
		t.Fatalf("status %s after refused decisions", got)
	}

	// The invitation made the second address a partner account, which
	// cannot be an approver. Even made staff by an administrator and named
	// an approver, it may not decide a claim of the account that invited it.
	res = admin.open(t, "/admin/approvers").form("Add approver").fill("Email address of a staff account", second).submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res = admin.open(t, "/admin/users").form("Make staff My other self").submit()
	if res.Code != http.StatusSeeOther {
		t.Fatalf("making the second account staff: %d", res.Code)
	}
	res = admin.open(t, "/admin/approvers").form("Add approver").fill("Email address of a staff account", second).submit()
	wantRedirect(t, res, "/admin/approvers")
	if alt.open(t, "/approvals").has("Approve " + sp.lead.Name) {
		t.Error("an approver invited by the claimant is offered the claim")
	}
	wantStatus(t, alt.post("/approvals/"+itoa(id)+"/decision", url.Values{"decision": {"approve"}}), http.StatusForbidden)

	// A real approver, who is no member of the project, finds it in the list
	// of claims waiting and approves it.
	grace := pgtest.User(t, e.store, coproduce.RoleStaff)
	res = admin.open(t, "/admin/approvers").form("Add approver").fill("Email address of a staff account", grace.Email).submit()
	page := admin.follow(t, res)
	if !strings.Contains(text(page.doc, "[data-testid=approvers]"), grace.Name) {
		t.Errorf("approvers list: %q", text(page.doc, "[data-testid=approvers]"))
	}
	graceC := e.signedIn(grace)
	if got := text(graceC.open(t, "/projects").doc, "[data-testid=approvals-link]"); !strings.Contains(got, "1") {
		t.Errorf("the approver's projects page says %q", got)
	}
	res = graceC.open(t, "/approvals").form("Approve " + sp.lead.Name).submit()
	wantRedirect(t, res, "/approvals")
	if got := claimStatus(t, sp, id); got != "approved" {
		t.Errorf("status %s, want approved", got)
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'approver.add'`); n < 2 {
		t.Errorf("%d approver.add events", n)
	}
}

// TestWhoDecidesWhichClaim: a lay partner's claim is decided by a lead
// of the project (through the rendered form) but not by a facilitator or
// a staff partner; a staff partner's claim only by an approver.
func TestWhoDecidesWhichClaim(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	lay := claimThroughForm(t, sp, sp.layC, sp.lay, "3")
	staff := claimThroughForm(t, sp, sp.staffC, sp.staff, "4")

	for name, c := range map[string]*client{"facilitator": sp.facC, "staff partner": sp.staffC} {
		if c.open(t, sp.path("/claims")).has("Approve " + sp.lay.Name) {
			t.Errorf("the %s is offered the lay partner's claim", name)
		}
		wantStatus(t, c.post(sp.path("/claims/"+itoa(lay)+"/decision"), url.Values{"decision": {"approve"}}), http.StatusForbidden)
	}
	lead := sp.leadC.open(t, sp.path("/claims"))
	if lead.has("Approve " + sp.staff.Name) {
		t.Error("the lead is offered a staff partner's claim")
	}
	wantStatus(t, sp.leadC.post(sp.path("/claims/"+itoa(staff)+"/decision"), url.Values{"decision": {"approve"}}), http.StatusForbidden)
	wantRedirect(t, lead.form("Approve "+sp.lay.Name).submit(), sp.path("/claims"))
	if got := claimStatus(t, sp, lay); got != "approved" {
		t.Errorf("lay partner's claim %s", got)
	}
	if got := claimStatus(t, sp, staff); got != "submitted" {
		t.Errorf("staff claim %s", got)
	}
	// The database refuses it too, whatever the application asks.
	sp.e.exec("SAVEPOINT d")
	if _, err := sp.e.tx.Exec(context.Background(), `UPDATE claims SET status = 'approved', decided_by = $1 WHERE id = $2`,
		sp.lead.ID, staff); err == nil {
		t.Error("the database let a lead approve a staff claim")
	}
	sp.e.exec("ROLLBACK TO SAVEPOINT d")
}

// TestRejectingAClaimFromTheClaimsPage (issue 15): rejecting with a reason
// typed into the rendered form rejects the claim with that reason; with
// none, the page says why and keeps the form.
func TestRejectingAClaimFromTheClaimsPage(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	id := claimThroughForm(t, sp, sp.layC, sp.lay, "3")
	claims := sp.path("/claims")

	res := sp.leadC.open(t, claims).form("Reject " + sp.lay.Name).submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := sp.leadC.pageOf(t, claims, res)
	if !strings.Contains(text(again.doc, "[data-testid=error-summary]"), "Say why you are rejecting the claim") {
		t.Error("no error for a rejection without a reason")
	}
	res = again.form("Reject "+sp.lay.Name).fill("Reason, if rejecting", "No receipt for the taxi").submit()
	wantRedirect(t, res, claims)
	after := sp.leadC.follow(t, res)
	if got := text(after.doc, "[data-claim-id='"+itoa(id)+"']"); !strings.Contains(got, "No receipt for the taxi") {
		t.Errorf("the claim row says %q", got)
	}
	if got := claimStatus(t, sp, id); got != "rejected" {
		t.Errorf("status %s", got)
	}
}

// TestAnApproverWhoIsAMemberSeesTheReceipt: a staff partner named an
// approver is offered the lay partner's claim on the claims page and can
// open its receipt there, which other staff partners cannot.
func TestAnApproverWhoIsAMemberSeesTheReceipt(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	res := sp.layC.open(t, sp.path("/claims")).form("Send claim").check("Parking").
		fill("Date", yesterday).fill("Amount in pounds", "2").attach("Receipt (optional)", "r.png", pngBytes).submit()
	wantRedirect(t, res, sp.path("/claims"))
	other := pgtest.Member(t, sp.e.store, sp.p, coproduce.RoleStaff, coproduce.RoleStaffPartner)
	admin := sp.e.signedIn(sp.admin)
	admin.open(t, "/admin/approvers").form("Add approver").fill("Email address of a staff account", sp.staff.Email).submit()

	page := sp.staffC.open(t, sp.path("/claims"))
	if !page.has("Approve " + sp.lay.Name) {
		t.Fatal("an approver who is a member is not offered the lay partner's claim")
	}
	receipt, ok := page.doc.Find("a[href$='/receipt']").Attr("href")
	if !ok {
		t.Fatal("no receipt link")
	}
	wantStatus(t, sp.staffC.get(receipt), http.StatusOK)
	wantStatus(t, sp.e.signedIn(other).get(receipt), http.StatusForbidden)
}
