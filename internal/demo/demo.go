// Package demo loads a small, realistic demonstration: an organisation's
// engagement lead, facilitator, staff partner and lay partners, and a stroke
// rehabilitation project with a member in each role. Loading it twice
// changes nothing.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
)

// Password is every demo account's password. Demo data is for trying the
// app on one machine, never for a real installation.
const Password = "coproduce-demo"

// Person is one demo account and what it shows.
type Person struct {
	Name  string
	Email string
	Role  coproduce.SystemRole
	// Shows names the catalogue message of this person's line in the demo
	// command's sign-in list: their address, name and what they can try.
	Shows string
}

// People are the demo accounts, in the order they are printed.
var People = []Person{
	{"Aisha Khan", "aisha.khan@example.org", coproduce.RoleStaff, "cli.demo.person.aisha_khan"},
	{"Tom Evans", "tom.evans@example.org", coproduce.RoleStaff, "cli.demo.person.tom_evans"},
	{"Dr Priya Patel", "priya.patel@example.org", coproduce.RoleStaff, "cli.demo.person.priya_patel"},
	{"Margaret Jones", "margaret.jones@example.org", coproduce.RolePartner, "cli.demo.person.margaret_jones"},
	{"David Okafor", "david.okafor@example.org", coproduce.RolePartner, "cli.demo.person.david_okafor"},
	{"Siân Williams", "sian.williams@example.org", coproduce.RolePartner, "cli.demo.person.sian_williams"},
	{"Alex Morgan", "admin@example.org", coproduce.RoleAdmin, "cli.demo.person.alex_morgan"},
	{"Grace Obi", "grace.obi@example.org", coproduce.RoleStaff, "cli.demo.person.grace_obi"},
}

// approvers are the demo accounts named approvers by the administrator.
var approvers = []string{"grace.obi@example.org"}

type projectPlan struct {
	input   coproduce.ProjectInput
	lead    string
	members map[string]coproduce.ProjectRole
	// story, if set, fills the project with work once its members are in.
	story func(*story) error
}

var projects = []projectPlan{
	{
		input: coproduce.ProjectInput{
			Title: "Improving stroke rehabilitation at home",
			Summary: "People who have had a stroke, their carers and the community stroke team will redesign " +
				"how rehabilitation at home works in the first twelve weeks after leaving hospital.\n\n" +
				"We want fewer missed visits, exercises that fit daily life, and carers who feel supported.",
			// Written in Welsh too, as a project in Wales would be.
			TitleCy: "Gwella adsefydlu gartref ar ôl strôc",
			SummaryCy: "Bydd pobl sydd wedi cael strôc, eu gofalwyr a'r tîm strôc cymunedol yn ailgynllunio sut mae " +
				"adsefydlu gartref yn gweithio yn ystod y deuddeg wythnos gyntaf ar ôl gadael yr ysbyty.\n\n" +
				"Rydyn ni eisiau i lai o ymweliadau gael eu colli, ymarferion sy'n ffitio bywyd bob dydd, a gofalwyr sy'n teimlo bod rhywun yn eu cefnogi.",
			Status: coproduce.ProjectActive,
		},
		lead: "aisha.khan@example.org",
		members: map[string]coproduce.ProjectRole{
			"tom.evans@example.org":      coproduce.RoleFacilitator,
			"priya.patel@example.org":    coproduce.RoleStaffPartner,
			"margaret.jones@example.org": coproduce.RoleLayPartner,
			"david.okafor@example.org":   coproduce.RoleLayPartner,
			"sian.williams@example.org":  coproduce.RoleLayPartner,
		},
		story: tellStory,
	},
	{
		input: coproduce.ProjectInput{
			Title:   "Better discharge from hospital for carers",
			Summary: "Carers and ward staff will agree what carers need to know and have before someone comes home.",
			Status:  coproduce.ProjectDraft,
		},
		lead: "tom.evans@example.org",
		members: map[string]coproduce.ProjectRole{
			"david.okafor@example.org": coproduce.RoleLayPartner,
		},
		story: tellDischargeStory,
	},
}

// Load creates whatever part of the demo is missing. The story tells its
// members what happened as the app does, written by news: each demo
// person finds updates on their Updates page. Nobody is emailed: the
// story's news is weeks old, and a server started on the demo would
// otherwise open with a burst of emails.
func Load(ctx context.Context, store *postgres.Store, passwords *coproduce.Passwords, news mail.Writer) error {
	news.AppOnly = true
	ids := map[string]int64{}
	users := map[int64]*coproduce.User{}
	for _, p := range People {
		u, err := ensureUser(ctx, store, passwords, p)
		if err != nil {
			return fmt.Errorf("demo user %s: %w", p.Email, err)
		}
		ids[p.Email], users[u.ID] = u.ID, u
	}
	for _, email := range approvers {
		if _, err := store.AddApprover(ctx, ids["admin@example.org"], email); err != nil && !errors.Is(err, coproduce.ErrConflict) {
			return fmt.Errorf("demo approver %s: %w", email, err)
		}
	}
	for _, plan := range projects {
		if err := ensureProject(ctx, store, news, plan, ids, users); err != nil {
			return fmt.Errorf("demo project %q: %w", plan.input.Title, err)
		}
	}
	// The leads hear of ideas waiting 21 days, as the periodic job tells
	// them (once only, so the job does not tell them again).
	_, err := store.TellOfWaitingIdeas(ctx, time.Now(), func(idea postgres.WaitingIdea) coproduce.News {
		return mail.IdeaWaiting(news, idea)
	})
	return err
}

func ensureUser(ctx context.Context, store *postgres.Store, passwords *coproduce.Passwords, p Person) (*coproduce.User, error) {
	u, err := store.UserByEmail(ctx, p.Email)
	if !errors.Is(err, coproduce.ErrNotFound) {
		return u, err
	}
	hash, err := passwords.Hash(Password)
	if err != nil {
		return nil, err
	}
	u, err = store.CreateUser(ctx, coproduce.NewUser{Email: p.Email, Name: p.Name, Role: p.Role}, hash)
	if err != nil {
		return nil, err
	}
	// The demo's people have been in their projects for weeks: they were
	// asked which language we should write to them in, and chose English.
	// (Anyone new, invited in the demo, is asked when they first sign in.)
	if err := store.SetUserLanguage(ctx, u.ID, "en"); err != nil {
		return nil, err
	}
	u.Language = "en"
	return u, nil
}

func ensureProject(ctx context.Context, store *postgres.Store, news mail.Writer, plan projectPlan,
	ids map[string]int64, users map[int64]*coproduce.User) error {
	leadID := ids[plan.lead]
	projectID, err := store.ProjectIDByTitle(ctx, plan.input.Title)
	isNew := errors.Is(err, coproduce.ErrNotFound)
	if isNew {
		p, err := store.CreateProject(ctx, leadID, plan.input)
		if err != nil {
			return err
		}
		projectID = p.ID
	} else if err != nil {
		return err
	}
	for email, role := range plan.members {
		err := store.AddMember(ctx, leadID, projectID, ids[email], role)
		if err != nil && !errors.Is(err, coproduce.ErrConflict) {
			return err
		}
	}
	if !isNew {
		return nil
	}
	// The story began six weeks ago, when the members joined.
	if err := store.BackdateMemberships(ctx, projectID, 42); err != nil {
		return err
	}
	if plan.story != nil {
		s := &story{ctx: ctx, store: store, news: news, now: time.Now(), cast: castOf(ids), users: users,
			project: projectID, inProject: &coproduce.Project{ID: projectID, Title: plan.input.Title, TitleCy: plan.input.TitleCy}}
		return plan.story(s)
	}
	return nil
}
