package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// A printed agenda lists a meeting's items in order, with their time, who
// leads each and the ideas each discusses; asked through another project,
// the meeting has no agenda.
func TestAgendaLinesForThePrintedPack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	f := newClaimFixture(t, s)
	start := time.Now().Add(48 * time.Hour)
	mid, err := s.CreateMeeting(ctx, f.lead.ID, coproduce.Meeting{ProjectID: f.p.ID, Title: "Workshop", Venue: "Hall",
		StartsAt: start, EndsAt: start.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	idea, err := s.CreateProposal(ctx, f.partner.ID, f.p.ID, coproduce.ProposalInput{Title: "Large print", Body: "Please"})
	if err != nil {
		t.Fatal(err)
	}
	var item int64
	if err := tx.QueryRow(ctx, `INSERT INTO agenda_items (meeting_id, position, title, starts_at, led_by)
		VALUES ($1, 2, 'Ideas', '10:30', $2) RETURNING id`, mid, f.partner.ID).Scan(&item); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO agenda_items (meeting_id, position, title) VALUES ($1, 1, 'Welcome')`, mid); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO agenda_item_ideas (agenda_item_id, proposal_id) VALUES ($1, $2)`, item, idea); err != nil {
		t.Fatal(err)
	}
	got, err := s.AgendaLines(ctx, f.p.ID, mid)
	if err != nil {
		t.Fatal(err)
	}
	want := []coproduce.AgendaLine{
		{Position: 1, Title: "Welcome", Ideas: []string{}},
		{Position: 2, Title: "Ideas", StartsAt: "10:30", LeadName: f.partner.Name, Ideas: []string{"Large print"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("agenda %+v, want %+v", got, want)
	}
	other := pgtest.Project(t, s, f.lead)
	if got, err := s.AgendaLines(ctx, other.ID, mid); err != nil || len(got) != 0 {
		t.Errorf("through another project: %v, %v", got, err)
	}
}
