package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// A member with an email address who asked a project to contact them by
// phone, text, letter or in person hears of that project's news on their
// Updates page only, whatever they chose for its kind: nothing is emailed
// or gathered for a digest. Another member of the project is emailed, and
// the same person is still emailed the news of a project they asked to
// email them.
func TestNewsToAMemberWhoAskedNotToBeEmailedGoesToTheirUpdatesOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	other := pgtest.Project(t, s, lead)
	emailed := pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	contacts := map[coproduce.ContactWay]coproduce.MemberContact{
		coproduce.ContactPhone:    {Way: coproduce.ContactPhone, Phone: "01632 960 001"},
		coproduce.ContactText:     {Way: coproduce.ContactText, Phone: "07700 900 982"},
		coproduce.ContactPost:     {Way: coproduce.ContactPost, Address: "1 High Street\nCardiff"},
		coproduce.ContactInPerson: {Way: coproduce.ContactInPerson},
	}
	quiet := map[int64]coproduce.ContactWay{}
	for _, way := range coproduce.ContactWays {
		if way == coproduce.ContactEmail {
			continue
		}
		u := pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)
		if err := s.AddMember(ctx, lead.ID, other.ID, u.ID, coproduce.RoleLayPartner); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveSupportProfile(ctx, coproduce.SupportProfile{ProjectID: p.ID, UserID: u.ID, Contact: contacts[way]}); err != nil {
			t.Fatalf("%s: %v", way, err)
		}
		// Daily for one kind, at once for the rest: neither sends.
		if err := s.SetNotify(ctx, u.ID, coproduce.NotifyImmediate); err != nil {
			t.Fatal(err)
		}
		if err := s.SetNotifyPreferences(ctx, u.ID, map[coproduce.NewsKind]coproduce.Notify{coproduce.NewsMeeting: coproduce.NotifyDaily}); err != nil {
			t.Fatal(err)
		}
		quiet[u.ID] = way
	}
	if err := s.SetNotify(ctx, emailed.ID, coproduce.NotifyImmediate); err != nil {
		t.Fatal(err)
	}
	news := func(project *coproduce.Project, kind coproduce.NewsKind, subject string) coproduce.News {
		return coproduce.News{Kind: kind, ProjectID: project.ID, ActorID: lead.ID, Path: "/projects",
			Audience: coproduce.Audience{Members: true},
			Write: func(rc coproduce.Recipient, path string) coproduce.Notice {
				return coproduce.Notice{Line: subject + " for " + rc.Name, Link: path,
					Email: coproduce.Email{To: rc.Email, ToName: rc.Name, Subject: subject, Text: "news"}}
			}}
	}
	if err := s.Announce(ctx, news(p, coproduce.NewsNewIdea, "New idea"), news(p, coproduce.NewsMeeting, "Meeting moved")); err != nil {
		t.Fatal(err)
	}
	emailedTo := func(subject string) map[int64]bool {
		t.Helper()
		rows, err := tx.Query(ctx, `SELECT u.id FROM emails e JOIN users u ON lower(u.email) = lower(e.to_address) WHERE e.subject = $1`, subject)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out[id] = true
		}
		return out
	}
	if to := emailedTo("New idea"); !to[emailed.ID] {
		t.Errorf("the member who chose email was not emailed the news: %v", to)
	}
	for id, way := range quiet {
		if emailedTo("New idea")[id] {
			t.Errorf("emailed a member who asked to be contacted %s", way)
		}
		updates, _, err := s.Updates(ctx, id, 1, 10)
		if err != nil || len(updates) != 2 {
			t.Errorf("%s: updates = %v, %v; want both pieces of news on their Updates page", way, updates, err)
		}
		var waiting int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM digest_items WHERE user_id = $1`, id).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting != 0 {
			t.Errorf("%s: %d items wait for a digest", way, waiting)
		}
	}
	due, err := s.DueDigests(ctx, time.Now().Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range due {
		if way, ok := quiet[rc.UserID]; ok {
			t.Errorf("a digest is due to a member who asked to be contacted %s", way)
		}
	}

	// In the project they left at email, the same people are emailed.
	if _, err := tx.Exec(ctx, `UPDATE users SET last_notice_at = NULL`); err != nil {
		t.Fatal(err)
	}
	if err := s.Announce(ctx, news(other, coproduce.NewsNewIdea, "Other project's idea")); err != nil {
		t.Fatal(err)
	}
	to := emailedTo("Other project's idea")
	for id, way := range quiet {
		if !to[id] {
			t.Errorf("a member who asked one project to contact them %s was not emailed another project's news", way)
		}
	}
}

// A member who asked to be contacted by letter is not emailed that their
// role changed; the change is made and audited as for anyone.
func TestARoleChangeIsNotEmailedToAMemberWhoAskedForLetters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	ann := pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	bob := pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	if err := s.SaveSupportProfile(ctx, coproduce.SupportProfile{ProjectID: p.ID, UserID: ann.ID,
		Contact: coproduce.MemberContact{Way: coproduce.ContactPost, Address: "1 High Street"}}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*coproduce.User{ann, bob} {
		email := coproduce.Email{To: u.Email, ToName: u.Name, Subject: "Your role changed", Text: "role", Kind: "role_change"}
		if err := s.ChangeMemberRole(ctx, lead.ID, p.ID, u.ID, coproduce.RoleFacilitator, email); err != nil {
			t.Fatal(err)
		}
	}
	var toAnn, toBob int
	if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE to_address = $1), count(*) FILTER (WHERE to_address = $2)
		FROM emails WHERE kind = 'role_change'`, ann.Email, bob.Email).Scan(&toAnn, &toBob); err != nil {
		t.Fatal(err)
	}
	if toAnn != 0 || toBob != 1 {
		t.Errorf("role change emails: %d to the member who asked for letters (want 0), %d to the other (want 1)", toAnn, toBob)
	}
	if role, err := s.ProjectRoleOf(ctx, p.ID, ann.ID); err != nil || role != coproduce.RoleFacilitator {
		t.Errorf("her role is %q (%v), want facilitator", role, err)
	}
}
