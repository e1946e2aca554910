package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/demo"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// loaded is the demo in a fresh database, read back through the store.
type loaded struct {
	t        *testing.T
	ctx      context.Context
	store    *postgres.Store
	projects []coproduce.ProjectSummary
	people   map[string]*coproduce.User
}

func loadDemo(t *testing.T) *loaded {
	t.Helper()
	ctx := context.Background()
	store := postgres.NewStore(pgtest.Pool(t, pgtest.Clone(t)))
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	catalog.Strict = true // a message the news names but the catalogue lacks fails the test
	news := mail.Writer{L: catalog.Localizer(""), BaseURL: "http://localhost:8080", OrgName: "Test trust"}
	if err := demo.Load(ctx, store, pgtest.Passwords(t), news); err != nil {
		t.Fatal(err)
	}
	l := &loaded{t: t, ctx: ctx, store: store, people: map[string]*coproduce.User{}}
	for _, p := range demo.People {
		u, err := store.UserByEmail(ctx, p.Email)
		l.must(err)
		l.people[p.Name] = u
	}
	projects, err := store.ProjectsForUser(ctx, l.people["Alex Morgan"])
	l.must(err)
	l.projects = projects
	if len(projects) != 2 {
		t.Fatalf("%d demo projects, want 2", len(projects))
	}
	return l
}

func (l *loaded) must(err error) {
	l.t.Helper()
	if err != nil {
		l.t.Fatal(err)
	}
}

// stroke is the demo's main project.
func (l *loaded) stroke() int64 {
	id, err := l.store.ProjectIDByTitle(l.ctx, "Improving stroke rehabilitation at home")
	l.must(err)
	return id
}

// The demo is one story: what one page says, no other page contradicts.
func TestDemoTellsOneStory(t *testing.T) {
	t.Parallel()
	l := loadDemo(t)
	now := time.Now()

	t.Run("CompleteStepsAreSignedOff", func(t *testing.T) {
		for _, p := range l.projects {
			stages, err := l.store.Stages(l.ctx, p.ID)
			l.must(err)
			for _, st := range stages {
				if st.Status == coproduce.StageComplete && (st.Provisional || !st.HasSignOff(coproduce.RoleLead) || !st.HasSignOff(coproduce.RoleLayPartner)) {
					t.Errorf("%s: step %d complete without a lead's and a lay partner's sign-off", p.Title, st.Step)
				}
				if st.Status != coproduce.StageComplete && st.HasSignOff(coproduce.RoleLayPartner) {
					t.Errorf("%s: step %d signed by a lay partner but not complete", p.Title, st.Step)
				}
			}
		}
	})

	t.Run("StepTwoReachedEveryIncludedGroup", func(t *testing.T) {
		st, err := l.store.Stage(l.ctx, l.stroke(), coproduce.StepSelect)
		l.must(err)
		if st.Status != coproduce.StageComplete {
			t.Fatalf("step 2 is %s, the story has it signed off", st.Status)
		}
		coverage, err := l.store.Coverage(l.ctx, l.stroke())
		l.must(err)
		for _, g := range coverage {
			if g.Included && g.Accepted == 0 {
				t.Errorf("step 2 is complete, but nobody came from the group %q", g.Name)
			}
		}
	})

	t.Run("MeetingsAreInTheirTime", func(t *testing.T) {
		var past, future int
		for _, p := range l.projects {
			meetings, err := l.store.Meetings(l.ctx, p.ID)
			l.must(err)
			for _, m := range meetings {
				attendees, err := l.store.Attendees(l.ctx, l.people["Aisha Khan"].ID, m, false)
				l.must(err)
				came := 0
				for _, a := range attendees {
					if a.Attended {
						came++
					}
				}
				if m.Started(now) {
					past++
					if !m.AttendanceTaken || came == 0 {
						t.Errorf("%q took place but has no register", m.Title)
					}
				} else {
					future++
					if m.AttendanceTaken || came > 0 {
						t.Errorf("%q is still to come but has attendance", m.Title)
					}
				}
			}
			claims, err := l.store.Claims(l.ctx, p.ID, 0)
			l.must(err)
			for _, c := range claims {
				if c.IncurredOn.After(now) {
					t.Errorf("%s's %s is dated in the future: %s", c.UserName, c.Category, c.IncurredOn)
				}
			}
		}
		if past == 0 || future == 0 {
			t.Errorf("%d past and %d future meetings, want a past one with its register and a next one", past, future)
		}
	})

	t.Run("PaymentsAreAsThePurposeSays", func(t *testing.T) {
		purpose, err := l.store.CurrentPurpose(l.ctx, l.stroke())
		l.must(err)
		rates, err := l.store.Rates(l.ctx)
		l.must(err)
		if !strings.Contains(purpose.ExpensesPolicy, rates[coproduce.PaymentShort].String()) {
			t.Errorf("the purpose statement does not say what a workshop pays (%s): %q", rates[coproduce.PaymentShort], purpose.ExpensesPolicy)
		}
		plans, err := l.store.PaymentPlans(l.ctx, l.stroke())
		l.must(err)
		for _, p := range plans {
			if p.Role == coproduce.RoleLayPartner && !coproduce.PaidLevel(p.Level) {
				t.Errorf("the purpose says lay partners are paid for their time, but %s's level %d pays expenses only", p.Name, p.Level)
			}
		}
		claims, err := l.store.Claims(l.ctx, l.stroke(), l.people["Margaret Jones"].ID)
		l.must(err)
		if !hasCategory(claims, coproduce.PaymentShort) {
			t.Error("Margaret came to the first workshop and chose to be paid, but has no involvement payment")
		}
	})

	t.Run("BuddiesAreTheOnesThe4RsName", func(t *testing.T) {
		buddies, err := l.store.Buddies(l.ctx, l.stroke())
		l.must(err)
		members, err := l.store.Members(l.ctx, l.stroke())
		l.must(err)
		for _, b := range buddies {
			f, err := l.store.FourRsFor(l.ctx, l.stroke(), b.PartnerID)
			l.must(err)
			sentence := buddySentence(f.Relationships)
			if !strings.Contains(sentence, firstName(b.BuddyName)) {
				t.Errorf("%s's buddy is %s, but their 4Rs say %q", b.PartnerName, b.BuddyName, f.Relationships)
			}
			for _, m := range members {
				if m.UserID != b.BuddyID && m.UserID != b.PartnerID && strings.Contains(sentence, firstName(m.Name)) {
					t.Errorf("%s's 4Rs name %s as a buddy; their buddy is %s", b.PartnerName, m.Name, b.BuddyName)
				}
			}
		}
		if !hasBuddy(buddies, l.people["Margaret Jones"].ID) {
			t.Error("Margaret has no buddy")
		}
	})

	t.Run("IdeasHaveAnswersAndDeadlines", func(t *testing.T) {
		o, err := l.store.ProjectOverview(l.ctx, l.stroke(), coproduce.Access{User: l.people["Aisha Khan"], Role: coproduce.RoleLead}, true, 10, 10)
		l.must(err)
		if len(o.OverdueActions) == 0 {
			t.Error("no action past its due date")
		}
		if len(o.Overdue) != 0 {
			t.Errorf("%d ideas already past 28 days without an answer; the story keeps its promise", len(o.Overdue))
		}
		proposals, err := l.store.Proposals(l.ctx, l.stroke())
		l.must(err)
		var nearing, answered bool
		for _, p := range proposals {
			age := now.Sub(p.CreatedAt)
			nearing = nearing || (p.Open && p.AuthorRole == coproduce.RoleLayPartner && age > 21*24*time.Hour && age < 28*24*time.Hour)
			answered = answered || (!p.Open && p.AuthorRole == coproduce.RoleLayPartner)
		}
		if !nearing || !answered {
			t.Errorf("want a lay partner's idea answered (%v) and one nearing 28 days without an answer (%v)", answered, nearing)
		}
	})
}

func hasCategory(claims []coproduce.Claim, c coproduce.Category) bool {
	for _, x := range claims {
		if x.Category == c {
			return true
		}
	}
	return false
}

func hasBuddy(buddies []coproduce.Buddy, partner int64) bool {
	for _, b := range buddies {
		if b.PartnerID == partner {
			return true
		}
	}
	return false
}

// buddySentence is the part of a 4Rs text that says who the buddy is.
func buddySentence(text string) string {
	for _, s := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '.' }) {
		if strings.Contains(strings.ToLower(s), "buddy") {
			return s
		}
	}
	return ""
}

// firstName skips a title: "Dr Priya Patel" is Priya.
func firstName(name string) string {
	f := strings.Fields(strings.TrimPrefix(name, "Dr "))
	return f[0]
}
