package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Attendance opens when the meeting starts: who came cannot be known
// before, and an involvement payment would be dated in the future.
func TestAttendanceWaitsForTheMeetingToStart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	f := newClaimFixture(t, s)
	if err := s.SetPaymentLevel(ctx, f.lead.ID, f.p.ID, f.partner.ID, 4); err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(26 * time.Hour)
	mid, err := s.CreateMeeting(ctx, f.lead.ID, coproduce.Meeting{ProjectID: f.p.ID, Title: "Tomorrow", Venue: "Hall",
		StartsAt: start, EndsAt: start.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	err = s.RecordAttendance(ctx, f.lead.ID, f.p.ID, mid, []int64{f.partner.ID}, "Went well")
	if !errors.Is(err, coproduce.ErrMeetingNotStarted) {
		t.Errorf("recording a meeting that has not started: %v, want ErrMeetingNotStarted", err)
	}
	m, err := s.Meeting(ctx, f.p.ID, mid)
	if err != nil {
		t.Fatal(err)
	}
	if m.AttendanceTaken || m.Notes != "" {
		t.Errorf("meeting written: taken %v, notes %q", m.AttendanceTaken, m.Notes)
	}
	if claims, _ := s.Claims(ctx, f.p.ID, 0); len(claims) != 0 {
		t.Errorf("payments made for a meeting that has not started: %+v", claims)
	}

	// The database refuses it too, should a later change forget to ask.
	for name, query := range map[string]string{
		"Attendance": `INSERT INTO meeting_attendance (meeting_id, user_id) VALUES ($1, $2)`,
		"Taken":      `UPDATE meetings SET attendance_taken = true WHERE id = $1 AND $2 > 0`,
		"Payment": `INSERT INTO claims (project_id, user_id, category, incurred_on, amount_pence)
			SELECT project_id, $2, 'payment_short', (starts_at AT TIME ZONE 'Europe/London')::date, 2000 FROM meetings WHERE id = $1`,
	} {
		if _, err := tx.Exec(ctx, "SAVEPOINT refused"); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, query, mid, f.partner.ID); err == nil {
			t.Errorf("%s: the database accepted it", name)
		}
		if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT refused"); err != nil {
			t.Fatal(err)
		}
	}

	// Once it has started, attendance is recorded, and the payment is
	// dated the day it started.
	if _, err := tx.Exec(ctx, `UPDATE meetings SET starts_at = now() - interval '1 hour', ends_at = now() WHERE id = $1`, mid); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAttendance(ctx, f.lead.ID, f.p.ID, mid, []int64{f.partner.ID}, "Went well"); err != nil {
		t.Fatalf("recording a meeting that has started: %v", err)
	}
	if claims := payments(s.Claims(ctx, f.p.ID, 0)); len(claims) != 1 || claims[0].IncurredOn.After(time.Now()) {
		t.Errorf("payments %+v, want one dated no later than today", claims)
	}
}
