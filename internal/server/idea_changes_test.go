package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// vote votes on an idea through its page's form.
func vote(t *testing.T, c *client, idea, choice, reason string) {
	t.Helper()
	res := c.open(t, idea).form("Save my vote").check(choice).fill("Why? (optional)", reason).submit()
	wantRedirect(t, res, idea+"?notice=vote-saved")
}

// auditCount is how many times the project's history records action.
func (sp *stepProject) auditCount(action string) int {
	return sp.e.count(`SELECT count(*) FROM audit_events WHERE project_id = $1 AND action = $2`, sp.p.ID, action)
}

// TestVoteReasonsAreShownAsReportsNamePeople: reasons given with votes were
// stored and shown to nobody. Now the idea's page and the reports show
// each, with the vote, naming the voter only where they agreed to be named.
func TestVoteReasonsAreShownAsReportsNamePeople(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	idea := sp.suggest(t, sp.layC, "Evening drop-in sessions", "Because it would help.")
	vote(t, sp.layC, idea, "Object", "Evenings are hard for carers")
	vote(t, sp.staffC, idea, "Support", "Clinics are empty after six")
	vote(t, sp.leadC, idea, "Neutral", "")

	reasons := func(c *client) string { return text(c.open(t, idea).doc, "[data-testid=vote-reasons]") }
	got := reasons(sp.facC)
	for _, want := range []string{"Lay partner 1 (objects): Evenings are hard for carers",
		sp.staff.Name + " (supports): Clinics are empty after six"} {
		if !strings.Contains(got, want) {
			t.Errorf("reasons %q lack %q", got, want)
		}
	}
	// Who gave each reason, compared whole: the fixture's names are
	// numbered, and "Person 1" is in "Person 12".
	items := sp.facC.open(t, idea).doc.Find("[data-testid=vote-reasons] li")
	items.Each(func(_ int, li *goquery.Selection) {
		who, _, _ := strings.Cut(strings.TrimSpace(li.Text()), " (")
		if who == sp.lay.Name || who == sp.lead.Name {
			t.Errorf("reasons %q name the lay partner, who did not agree, or list a vote without a reason", got)
		}
	})
	if n := items.Length(); n != 2 {
		t.Errorf("%d reasons listed, want 2", n)
	}

	t.Run("NamedOnceTheyAgree", func(t *testing.T) {
		res := sp.layC.open(t, sp.path("/reports")).form("Save").check("Use my name in this project's reports").submit()
		wantRedirect(t, res, sp.path("/reports"))
		if got := reasons(sp.staffC); !strings.Contains(got, sp.lay.Name+" (objects): Evenings are hard for carers") {
			t.Errorf("after agreeing to be named, reasons read %q", got)
		}
		sp.layC.open(t, sp.path("/reports")).form("Save").uncheck("Use my name in this project's reports").submit()
	})
	t.Run("InTheReports", func(t *testing.T) {
		pdf := sp.layC.get(sp.path("/reports/build.pdf"))
		wantStatus(t, pdf, http.StatusOK)
		if !strings.HasPrefix(pdf.Body.String(), "%PDF") {
			t.Error("the PDF report with vote reasons is not a PDF")
		}
		html := text(sp.layC.open(t, sp.path("/reports/build.html")).doc, "[data-testid=report-vote-reasons]")
		if !strings.Contains(html, "Lay partner 1") || !strings.Contains(html, "Evenings are hard for carers") || !strings.Contains(html, "objects") {
			t.Errorf("the HTML report's reasons read %q", html)
		}
		res := sp.leadC.get(sp.path("/reports/build.csv"))
		wantStatus(t, res, http.StatusOK)
		rows, err := readCSV(t, res.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		var found []string
		for _, row := range rows {
			if row[0] == "Reason for a vote" {
				found = append(found, strings.Join(row, "|"))
			}
		}
		if len(found) != 2 || !strings.Contains(strings.Join(found, "\n"), "Evening drop-in sessions|Lay partner 1|||objects|Evenings are hard for carers") {
			t.Errorf("the CSV's reasons: %q", found)
		}
		res = sp.leadC.get(sp.path("/reports/project.json"))
		wantStatus(t, res, http.StatusOK)
		var rep struct {
			Proposals []struct {
				VoteReasons []struct{ By, Vote, Reason string } `json:"vote_reasons"`
			} `json:"proposals"`
		}
		if err := json.Unmarshal(res.Body.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Proposals) != 1 || len(rep.Proposals[0].VoteReasons) != 2 || rep.Proposals[0].VoteReasons[0].By != "Lay partner 1" ||
			rep.Proposals[0].VoteReasons[0].Vote != "object" {
			t.Errorf("the JSON's reasons: %+v", rep.Proposals)
		}
	})
	// Each idea's page shows its own reasons, not its project's (it
	// reads them by the idea's index).
	t.Run("EachIdeaItsOwn", func(t *testing.T) {
		other := sp.suggest(t, sp.staffC, "Text reminders", "Because people forget.")
		vote(t, sp.layC, other, "Support", "A text the day before helps")
		if got := reasons(sp.facC); strings.Contains(got, "A text the day before helps") {
			t.Errorf("the first idea's reasons read %q", got)
		}
		if got := text(sp.facC.open(t, other).doc, "[data-testid=vote-reasons]"); !strings.Contains(got, "A text the day before helps") ||
			strings.Contains(got, "Evenings are hard for carers") {
			t.Errorf("the other idea's reasons read %q", got)
		}
	})
}

// TestAnswerCanBeChangedWithItsHistory: an answer once given could not be
// revised. A lead or facilitator changes it through the idea's page; the
// earlier answer stays there as its history, the author is told, and the
// change is audited and reads as a sentence.
func TestAnswerCanBeChangedWithItsHistory(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	idea := sp.suggest(t, sp.layC, "Parking refunds on the day", "Because it would help.")
	if sp.facC.open(t, idea).has("Save the changed answer") {
		t.Error("an idea with no answer offers to change its answer")
	}
	// Sent by hand for an idea with no answer: the page offers the first.
	wantRedirect(t, sp.facC.post(idea+"/answer", url.Values{"response": {"adopted"}}), idea+"#answer")
	res := sp.facC.open(t, idea).form("Save the answer").check("Not adopted").fill("Why?", "The trust cannot pay cash").submit()
	wantRedirect(t, res, idea+"?notice=response-saved")

	t.Run("OnlyThoseWhoRunTheProject", func(t *testing.T) {
		for _, c := range []*client{sp.layC, sp.staffC} {
			if c.open(t, idea).has("Save the changed answer") {
				t.Error("a partner is offered to change the answer")
			}
		}
		// An attack: the form posted by hand.
		before := sp.auditCount(coproduce.AuditProposalAnswerChange)
		res := sp.layC.post(idea+"/answer", url.Values{"response": {"adopted"}, "rationale": {"Mine"}})
		wantStatus(t, res, http.StatusForbidden)
		if sp.auditCount(coproduce.AuditProposalAnswerChange) != before {
			t.Error("a refused change was recorded")
		}
	})
	t.Run("UnchangedOrUnexplainedIsRefused", func(t *testing.T) {
		res := sp.leadC.open(t, idea).form("Save the changed answer").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		page := sp.leadC.pageOf(t, idea, res)
		if !strings.Contains(text(page.doc, "[data-testid=error-summary]"), "Change the answer or its reason") {
			t.Errorf("error summary %q", text(page.doc, "[data-testid=error-summary]"))
		}
		res = page.form("Save the changed answer").fill("Why?", " ").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if sp.leadC.pageOf(t, idea, res).doc.Find("#rationale-error").Length() != 1 {
			t.Error("not adopted without a reason: no error at the reason")
		}
	})
	res = sp.leadC.open(t, idea).form("Save the changed answer").check("Adapted").
		fill("Why?", "We can refund by bank transfer within a week").submit()
	wantRedirect(t, res, idea+"?notice=answer-changed")
	page := sp.layC.follow(t, res)
	if got := text(page.doc, "[data-testid=notice]"); !strings.Contains(got, "The answer has been changed") {
		t.Errorf("notice %q", got)
	}
	if got := text(page.doc, "[data-testid=response]"); !strings.Contains(got, "Adapted") || !strings.Contains(got, "bank transfer") {
		t.Errorf("the answer now reads %q", got)
	}
	history := text(page.doc, "[data-testid=answer-history]")
	if !strings.Contains(history, "by "+sp.lead.Name+": it was Not adopted.") || !strings.Contains(history, "The trust cannot pay cash") {
		t.Errorf("answer history %q", history)
	}
	// Told on their Updates page, and by email or (having just been
	// emailed the first answer) in the next email that gathers news.
	if !strings.Contains(updatesOf(t, sp.layC), "has changed: it was Not adopted, it is now Adapted") {
		t.Error("the author's Updates page does not say the answer changed")
	}
	told := sp.e.count(`SELECT count(*) FROM emails WHERE to_address = $1 AND kind = 'news_answered' AND subject LIKE 'The answer to your idea has changed%'`, sp.lay.Email) +
		sp.e.count(`SELECT count(*) FROM digest_items WHERE user_id = $1 AND line LIKE 'The answer to your idea%has changed%it is now Adapted.'`, sp.lay.ID)
	if told != 1 {
		t.Errorf("the author was told %d times", told)
	}
	if n := sp.auditCount(coproduce.AuditProposalAnswerChange); n != 1 {
		t.Errorf("%d changes audited", n)
	}
	said := text(sp.leadC.open(t, sp.path("/history")).doc, ".app-changes")
	if !strings.Contains(said, "Answer changed from “Not adopted” to “Adapted”.") {
		t.Errorf("the history says %q", said)
	}
}

// TestHiddenCommentCanBeShownAgain: a comment once hidden stayed hidden. A
// facilitator shows it again with a reason; the thread shows it as before,
// and those who run the project see when it was hidden and shown, and why.
func TestHiddenCommentCanBeShownAgain(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	idea := sp.suggest(t, sp.layC, "A quiet room at the hospital", "Because it would help.")
	res := sp.layC.open(t, idea).form("Send comment").fill("Your comment", "The chapel is often empty").submit()
	wantRedirect(t, res, idea)
	hidePath, ok := sp.facC.open(t, idea).doc.Find(`[data-testid=comment] a[href$="/hide"]`).Attr("href")
	if !ok {
		t.Fatal("no link to hide the comment")
	}
	wantRedirect(t, sp.facC.open(t, hidePath).form("Hide comment").fill("Why are you hiding it?", "Thought it named a chaplain").submit(), idea)
	showPath, ok := sp.facC.open(t, idea).doc.Find(`[data-testid=comment] a[href$="/show"]`).Attr("href")
	if !ok {
		t.Fatal("a facilitator is not offered to show the hidden comment again")
	}
	if sp.layC.open(t, idea).doc.Find(`a[href$="/show"]`).Length() != 0 {
		t.Error("a lay partner is offered to show a hidden comment")
	}
	wantStatus(t, sp.layC.get(showPath), http.StatusForbidden)

	showPage := sp.facC.open(t, showPath)
	if got := text(showPage.doc, "[data-testid=hidden-words]"); got != "The chapel is often empty" {
		t.Errorf("the facilitator deciding reads %q", got)
	}
	res = showPage.form("Show comment again").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := sp.facC.pageOf(t, showPath, res)
	if again.doc.Find("#reason-error").Length() != 1 {
		t.Error("no error for a missing reason")
	}
	res = again.form("Show comment again").fill("Why are you showing it again?", "It named no one; my mistake").submit()
	wantRedirect(t, res, idea)
	page := sp.layC.follow(t, res)
	if page.doc.Find("[data-testid=hidden-comment]").Length() != 0 || !strings.Contains(text(page.doc, "[data-testid=comment]"), "The chapel is often empty") {
		t.Errorf("the thread still shows the comment hidden: %q", text(page.doc, "[data-testid=comments]"))
	}
	if !strings.Contains(text(page.doc, "#discussion"), "1 comment") {
		t.Errorf("discussion heading %q", text(page.doc, "#discussion"))
	}
	if page.doc.Find("[data-testid=moderation-history]").Length() != 0 {
		t.Error("a lay partner sees the moderation history")
	}
	for _, c := range []*client{sp.facC, sp.leadC} {
		got := text(c.open(t, idea).doc, "[data-testid=moderation-history]")
		for _, want := range []string{"by " + sp.facilitator.Name + ": Thought it named a chaplain", "Shown again on", "It named no one; my mistake"} {
			if !strings.Contains(got, want) {
				t.Errorf("moderation history %q lacks %q", got, want)
			}
		}
	}
	if n := sp.auditCount(coproduce.AuditCommentShow); n != 1 {
		t.Errorf("%d showings audited", n)
	}
}

// TestAuthorCanWithdrawTheirIdea: an idea could not be withdrawn. Its
// author withdraws it while it has no answer; it stays, marked as
// withdrawn, with votes closed, and no longer waits for an answer.
func TestAuthorCanWithdrawTheirIdea(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	idea := sp.suggest(t, sp.layC, "Bring back the paper newsletter", "Because it would help.")
	waiting := sp.suggest(t, sp.layC, "Longer visiting hours", "Because it would help.")
	// Both have waited more than 28 days.
	sp.e.exec(`UPDATE proposals SET created_at = now() - interval '30 days' WHERE project_id = $1`, sp.p.ID)
	for _, c := range []*client{sp.staffC, sp.leadC} {
		if c.open(t, idea).has("Withdraw this idea") {
			t.Error("someone other than the author is offered to withdraw the idea")
		}
	}
	wantStatus(t, sp.staffC.post(idea+"/withdraw", url.Values{"withdraw_reason": {"Not yours"}}), http.StatusForbidden)

	res := sp.layC.open(t, idea).form("Withdraw this idea").
		fill("Why are you withdrawing it? (optional)", "The newsletter is coming back anyway").submit()
	wantRedirect(t, res, idea+"?notice=proposal-withdrawn")
	page := sp.staffC.follow(t, res)
	got := text(page.doc, "[data-testid=withdrawn]")
	if !strings.Contains(got, "Withdrawn by its author") || !strings.Contains(got, "The newsletter is coming back anyway") {
		t.Errorf("the idea's page says %q", got)
	}
	if page.has("Save my vote") || page.doc.Find("[data-testid=withdrawn-no-answer]").Length() != 1 {
		t.Error("a withdrawn idea still takes votes, or does not say it will not be answered")
	}
	if sp.facC.open(t, idea).has("Save the answer") {
		t.Error("a withdrawn idea can still be answered")
	}
	res = sp.staffC.post(idea+"/vote", url.Values{"choice": {"support"}})
	wantRedirect(t, res, idea+"?notice=proposal-not-open")
	if n := sp.auditCount(coproduce.AuditProposalWithdraw); n != 1 {
		t.Errorf("%d withdrawals audited", n)
	}

	t.Run("NoLongerWaitsForAnAnswer", func(t *testing.T) {
		// A lead finds the ideas waiting too long in her work list.
		project := sp.leadC.open(t, sp.path("/"))
		overdue := cells(project.doc, "li:has([data-testid=work-idea])")
		if !strings.Contains(overdue, "Longer visiting hours") || strings.Contains(overdue, "paper newsletter") {
			t.Errorf("the project page's ideas waiting too long: %q", overdue)
		}
		build := sp.leadC.open(t, sp.path("/steps/build"))
		if strings.Contains(text(build.doc, "[data-testid=open-proposals]"), "paper newsletter") {
			t.Error("the build step lists the withdrawn idea among those waiting for an answer")
		}
		listed := build.doc.Find("[data-testid=withdrawn-proposals]")
		if !strings.Contains(text(build.doc, "[data-testid=withdrawn-proposals]"), "paper newsletter") ||
			listed.Find("[data-testid=overdue]").Length() != 0 || listed.Find("[data-testid=withdrawn-tag]").Length() != 1 {
			t.Errorf("the build step's withdrawn ideas: %q", text(build.doc, "[data-testid=withdrawn-proposals]"))
		}
		if strings.Contains(text(build.doc, "[data-testid=you-said-we-did]"), "paper newsletter") {
			t.Error("a withdrawn idea is listed as answered")
		}
	})
	t.Run("InTheReports", func(t *testing.T) {
		res := sp.leadC.get(sp.path("/reports/build.csv"))
		wantStatus(t, res, http.StatusOK)
		rows, err := readCSV(t, res.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, row := range rows {
			if row[1] == "Bring back the paper newsletter" {
				found = true
				if !strings.Contains(strings.Join(row, "|"), "Withdrawn by its author") || !strings.Contains(strings.Join(row, "|"), "coming back anyway") {
					t.Errorf("the CSV's row %q", row)
				}
			}
		}
		if !found {
			t.Error("the withdrawn idea is not in the CSV")
		}
		html := text(sp.layC.open(t, sp.path("/reports/build.html")).doc, "[data-testid=report-proposals]")
		if !strings.Contains(html, "Withdrawn by its author") {
			t.Errorf("the HTML report's ideas read %q", html)
		}
	})
	t.Run("NotOnceAnswered", func(t *testing.T) {
		wantRedirect(t, sp.facC.open(t, waiting).form("Save the answer").check("Adopted").submit(), waiting)
		if sp.layC.open(t, waiting).has("Withdraw this idea") {
			t.Error("an answered idea offers to be withdrawn")
		}
		// The form, kept open in another tab, sent after the answer.
		res := sp.layC.post(waiting+"/withdraw", url.Values{"withdraw_reason": {""}})
		wantRedirect(t, res, waiting+"?notice=proposal-answered")
		if n := sp.auditCount(coproduce.AuditProposalWithdraw); n != 1 {
			t.Errorf("%d withdrawals audited", n)
		}
	})
}
