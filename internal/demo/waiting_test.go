package demo_test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
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
		o, err := l.store.ProjectOverview(l.ctx, p.ID, access, true, 0, 0)
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

// Whoever signs in to the demo finds updates that tell the story: what
// happened to what they said, what changed, and what waits for them, each
// with a link to the thing.
func TestEveryDemoPersonHasUpdates(t *testing.T) {
	t.Parallel()
	l := loadDemo(t)
	want := map[string][]coproduce.NewsKind{
		"Margaret Jones": {coproduce.NewsAnswered, coproduce.NewsComment},
		"Siân Williams":  {coproduce.NewsFourRs, coproduce.NewsAnswered, coproduce.NewsComment, coproduce.NewsSignOff},
		"David Okafor":   {coproduce.NewsPurpose, coproduce.NewsClaimDecided},
		"Aisha Khan":     {coproduce.NewsClaimWaiting, coproduce.NewsIdeaWaiting},
		"Tom Evans":      {coproduce.NewsNewIdea, coproduce.NewsClaimWaiting},
		"Dr Priya Patel": {coproduce.NewsFourRs},
		"Grace Obi":      {coproduce.NewsClaimWaiting},
	}
	for _, p := range demo.People {
		u := l.people[p.Name]
		unseen, err := l.store.UnseenUpdates(l.ctx, u.ID)
		l.must(err)
		updates, _, err := l.store.Updates(l.ctx, u.ID, 1, 100)
		l.must(err)
		if u.IsAdmin() {
			continue // in no project: nothing happens to him
		}
		if unseen == 0 {
			t.Errorf("%s has no unseen update", p.Name)
		}
		kinds := map[coproduce.NewsKind]bool{}
		for _, up := range updates {
			kinds[up.Kind] = true
			if !l.pathExists(up.Path) {
				t.Errorf("%s's update %q links to %s, which is not in the project", p.Name, up.Line, up.Path)
			}
		}
		for _, k := range want[p.Name] {
			if !kinds[k] {
				t.Errorf("%s has no %s update; has %v", p.Name, k, kinds)
			}
		}
	}
	// The story's news is on the Updates pages alone: a server started on
	// the demo does not open with a burst of emails about weeks-old news,
	// nor with a digest of it the next morning.
	emails, err := l.store.Emails(l.ctx, 100)
	l.must(err)
	for _, e := range emails {
		t.Errorf("the demo emails %s: %q", e.To, e.Subject)
	}
	due, err := l.store.DueDigests(l.ctx, time.Now().Add(48*time.Hour))
	l.must(err)
	if len(due) > 0 {
		t.Errorf("%d people have a digest of the demo's news waiting", len(due))
	}
}

// pathExists reports whether an update's link leads to something the demo
// has: a project's idea, meeting, step or claims, or the approvals page.
func (l *loaded) pathExists(path string) bool {
	l.t.Helper()
	u, err := url.Parse(path)
	if err != nil {
		return false
	}
	if u.Path == "/approvals" {
		return true
	}
	parts := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	if len(parts) < 3 || parts[0] != "projects" {
		return false
	}
	project, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !l.hasProject(project) {
		return false
	}
	switch {
	case len(parts) == 3 && parts[2] == "claims":
		return true
	case len(parts) == 4 && parts[2] == "steps":
		_, ok := coproduce.StepBySlug(parts[3])
		return ok
	case len(parts) == 4 && parts[2] == "proposals":
		return l.hasProposal(project, parts[3])
	case len(parts) == 4 && parts[2] == "meetings":
		return l.hasMeeting(project, parts[3])
	case len(parts) == 5 && parts[2] == "meetings" && parts[4] == "minutes":
		return l.hasMeeting(project, parts[3])
	}
	return false
}

func (l *loaded) hasProject(id int64) bool {
	for _, p := range l.projects {
		if p.ID == id {
			return true
		}
	}
	return false
}

func (l *loaded) hasProposal(projectID int64, id string) bool {
	proposals, err := l.store.Proposals(l.ctx, projectID)
	l.must(err)
	for _, p := range proposals {
		if strconv.FormatInt(p.ID, 10) == id {
			return true
		}
	}
	return false
}

func (l *loaded) hasMeeting(projectID int64, id string) bool {
	meetings, err := l.store.Meetings(l.ctx, projectID)
	l.must(err)
	for _, m := range meetings {
		if strconv.FormatInt(m.ID, 10) == id {
			return true
		}
	}
	return false
}
