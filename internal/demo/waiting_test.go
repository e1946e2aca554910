package demo_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/demo"
)

// Whoever signs in to the demo finds something real to do, read through
// the queries the pages use.
func TestEveryDemoPersonHasSomethingWaiting(t *testing.T) {
	t.Parallel()
	l := loadDemo(t)
	for _, p := range demo.People {
		u := l.people[p.Name]
		waiting := l.waitingFor(u)
		t.Logf("%s: %v", p.Name, waiting)
		// The administrator is in no project: the accounts, rates and
		// outbox pages are his, and nothing in a project waits for him.
		if len(waiting) == 0 && !u.IsAdmin() {
			t.Errorf("nothing waits for %s (%s)", p.Name, p.Shows)
		}
	}
	// The newest lay partner has the most to do.
	if n := len(l.waitingFor(l.people["Siân Williams"])); n < 4 {
		t.Errorf("%d things wait for Siân, want her 4Rs, the purpose statement, an idea and the next workshop", n)
	}
}

// waitingFor lists what waits for the person, in words for the test's log.
func (l *loaded) waitingFor(u *coproduce.User) []string {
	l.t.Helper()
	var out []string
	projects, err := l.store.ProjectsForUser(l.ctx, u)
	l.must(err)
	for _, p := range projects {
		if p.Role == "" {
			continue
		}
		access := coproduce.Access{User: u, Role: p.Role}
		o, err := l.store.ProjectOverview(l.ctx, p.ID, access, false, 0, 0)
		l.must(err)
		if o.YouNeedToReadPurpose {
			out = append(out, "read the new purpose statement")
		}
		if o.YouNeedToConfirmFourRs {
			out = append(out, "agree their 4Rs")
		}
		for _, st := range o.Stages {
			if p.Role == coproduce.RoleLayPartner && st.HasSignOff(coproduce.RoleLead) && st.CanSignOff(access) {
				out = append(out, fmt.Sprintf("co-sign step %d", st.Step))
			}
		}
		out = append(out, l.unvoted(p.ID, u.ID)...)
		out = append(out, l.unanswered(p.ID, u.ID)...)
	}
	claims, err := l.store.ClaimsAwaiting(l.ctx, u.ID)
	l.must(err)
	for _, c := range claims {
		out = append(out, fmt.Sprintf("decide %s's %s claim", c.UserName, c.Category))
	}
	return out
}

// unvoted lists the open ideas of others the person has not voted on.
func (l *loaded) unvoted(projectID, userID int64) []string {
	var out []string
	proposals, err := l.store.Proposals(l.ctx, projectID)
	l.must(err)
	for _, p := range proposals {
		if !p.Open || p.AuthorID == userID {
			continue
		}
		page, err := l.store.ProposalPage(l.ctx, projectID, p.ID, userID, 1, 10)
		l.must(err)
		if page.Vote == "" {
			out = append(out, "vote on "+p.Title)
		}
	}
	return out
}

// unanswered lists the meetings to come the person has not replied to.
func (l *loaded) unanswered(projectID, userID int64) []string {
	var out []string
	meetings, err := l.store.Meetings(l.ctx, projectID)
	l.must(err)
	for _, m := range meetings {
		if m.Started(time.Now()) {
			continue
		}
		attendees, err := l.store.Attendees(l.ctx, userID, m, false)
		l.must(err)
		for _, a := range attendees {
			if a.UserID == userID && a.Attending == nil {
				out = append(out, "say whether coming to "+m.Title)
			}
		}
	}
	return out
}
