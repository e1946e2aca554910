package postgres_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// payments keeps the involvement payments of a list of claims (attendance
// also starts travel claims, as drafts).
func payments(claims []coproduce.Claim, err error) []coproduce.Claim {
	var out []coproduce.Claim
	for _, c := range claims {
		if c.Category == coproduce.PaymentShort || c.Category == coproduce.PaymentLong {
			out = append(out, c)
		}
	}
	return out
}

func meetingAt(t *testing.T, s *postgres.Store, f claimFixture, title string, start time.Time) coproduce.Meeting {
	t.Helper()
	id, err := s.CreateMeeting(context.Background(), f.lead.ID, coproduce.Meeting{ProjectID: f.p.ID, Title: title,
		Venue: "Hall", StartsAt: start, EndsAt: start.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Meeting(context.Background(), f.p.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Each edit raises the meeting's sequence (its calendar file's SEQUENCE);
// an edit from a form older than the last change is ErrStale, and a
// meeting moved to another time is due its reminder again.
func TestEditingAMeetingRaisesItsSequence(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	f := newClaimFixture(t, s)
	m := meetingAt(t, s, f, "Planning", time.Now().Add(48*time.Hour))
	if m.Sequence != 0 {
		t.Fatalf("a new meeting's sequence is %d", m.Sequence)
	}
	if _, err := tx.Exec(ctx, `UPDATE meetings SET reminded_at = now() WHERE id = $1`, m.ID); err != nil {
		t.Fatal(err)
	}
	reminded := func() bool {
		var b bool
		if err := tx.QueryRow(ctx, `SELECT reminded_at IS NOT NULL FROM meetings WHERE id = $1`, m.ID).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return b
	}

	renamed := m
	renamed.Title = "Planning day"
	if _, err := s.UpdateMeeting(ctx, f.lead.ID, renamed); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Meeting(ctx, f.p.ID, m.ID)
	if got.Sequence != 1 || got.Title != "Planning day" {
		t.Errorf("after renaming: sequence %d, title %q", got.Sequence, got.Title)
	}
	if !reminded() {
		t.Error("renaming made the reminder due again; only a move should")
	}

	if _, err := s.UpdateMeeting(ctx, f.lead.ID, renamed); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("an edit from the form before the last change: %v, want ErrStale", err)
	}

	moved := got
	moved.StartsAt, moved.EndsAt = m.StartsAt.Add(time.Hour), m.EndsAt.Add(time.Hour)
	if _, err := s.UpdateMeeting(ctx, f.lead.ID, moved); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Meeting(ctx, f.p.ID, m.ID)
	if got.Sequence != 2 || !got.StartsAt.Equal(moved.StartsAt) {
		t.Errorf("after moving: sequence %d, starts %v", got.Sequence, got.StartsAt)
	}
	if reminded() {
		t.Error("a moved meeting is not due its reminder again")
	}
	var audited int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'meeting.update' AND subject = $1`,
		"meeting:"+itoa(m.ID)).Scan(&audited); err != nil || audited != 2 {
		t.Errorf("%d edits audited (%v), want 2", audited, err)
	}
}

// A cancelled meeting is kept, with its reason and a higher sequence, and
// closed: no more edits, replies or register. A meeting that has started
// can be neither edited nor cancelled.
func TestACancelledMeetingIsKeptAndClosed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	f := newClaimFixture(t, s)
	m := meetingAt(t, s, f, "Planning", time.Now().Add(48*time.Hour))
	if err := s.ReplyToMeeting(ctx, m.ID, f.partner.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.CancelMeeting(ctx, f.lead.ID, f.p.ID, m.ID, 0, "The room flooded"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Meeting(ctx, f.p.ID, m.ID)
	if err != nil {
		t.Fatalf("a cancelled meeting is gone: %v", err)
	}
	if !got.Cancelled() || got.CancelReason != "The room flooded" || got.Sequence != 1 {
		t.Errorf("cancelled meeting: %+v", got)
	}
	if err := s.ReplyToMeeting(ctx, m.ID, f.partner.ID, false); err == nil {
		t.Error("a reply to a cancelled meeting was saved")
	}
	if _, err := s.UpdateMeeting(ctx, f.lead.ID, got); !errors.Is(err, coproduce.ErrMeetingCancelled) {
		t.Errorf("editing a cancelled meeting: %v", err)
	}
	if err := s.CancelMeeting(ctx, f.lead.ID, f.p.ID, m.ID, 1, ""); !errors.Is(err, coproduce.ErrMeetingCancelled) {
		t.Errorf("cancelling twice: %v", err)
	}
	// Moved into the past (as if the day came), the register stays shut.
	if _, err := tx.Exec(ctx, `UPDATE meetings SET starts_at = now() - interval '2 hours', ends_at = now() WHERE id = $1`, m.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAttendance(ctx, f.lead.ID, f.p.ID, m.ID, []int64{f.partner.ID}, ""); !errors.Is(err, coproduce.ErrMeetingCancelled) {
		t.Errorf("a register for a cancelled meeting: %v", err)
	}

	past := meetingAt(t, s, f, "Last week", time.Now().AddDate(0, 0, -7))
	if err := s.CancelMeeting(ctx, f.lead.ID, f.p.ID, past.ID, 0, ""); !errors.Is(err, coproduce.ErrMeetingStarted) {
		t.Errorf("cancelling a meeting that has happened: %v", err)
	}
	past.Title = "Renamed"
	if _, err := s.UpdateMeeting(ctx, f.lead.ID, past); !errors.Is(err, coproduce.ErrMeetingStarted) {
		t.Errorf("editing a meeting that has happened: %v", err)
	}
}

// Recording a lay partner as present starts a draft travel claim for them
// (once, however often the register is saved; none for staff), which
// nobody can decide until it is sent; the next meeting's draft starts from
// their last journey; a facilitator may send it for them, recorded as so.
func TestAttendanceDraftsATravelClaim(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	f := newClaimFixture(t, s)
	first := meetingAt(t, s, f, "Workshop", time.Now().AddDate(0, 0, -14))
	for range 2 {
		if err := s.RecordAttendance(ctx, f.lead.ID, f.p.ID, first.ID, []int64{f.partner.ID, f.lead.ID}, ""); err != nil {
			t.Fatal(err)
		}
	}
	drafts := func() []coproduce.Claim {
		t.Helper()
		claims, err := s.Claims(ctx, f.p.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []coproduce.Claim
		for _, c := range claims {
			if c.Status == coproduce.ClaimDraft {
				out = append(out, c)
			}
		}
		return out
	}
	d := drafts()
	if len(d) != 1 || d[0].UserID != f.partner.ID || d[0].MeetingID != first.ID ||
		!d[0].IncurredOn.Equal(time.Date(first.StartsAt.In(coproduce.UK).Year(), first.StartsAt.In(coproduce.UK).Month(),
			first.StartsAt.In(coproduce.UK).Day(), 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("drafts %+v, want one for the lay partner dated the meeting's day", d)
	}
	if err := s.DecideClaim(ctx, f.lead.ID, f.p.ID, d[0].ID, true, ""); err == nil {
		t.Error("a draft was approved before it was sent")
	}
	if n, _ := s.CountClaimsAwaiting(ctx, f.lead.ID); n != 0 {
		t.Errorf("%d claims wait for the lead, want none (a draft is not sent)", n)
	}
	// Someone else, not sending for them, cannot send it.
	if err := s.SendDraftClaim(ctx, f.lead.ID, f.p.ID, d[0].ID, false, postgres.NewClaim{}); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("sending another's draft without being their facilitator: %v", err)
	}
	car := postgres.NewClaim{Category: coproduce.MileageCar, IncurredOn: d[0].IncurredOn, Miles: 12, Amount: 540}
	if err := s.SendDraftClaim(ctx, f.partner.ID, f.p.ID, d[0].ID, false, car); err != nil {
		t.Fatal(err)
	}
	if err := s.SendDraftClaim(ctx, f.partner.ID, f.p.ID, d[0].ID, false, car); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("sending it twice: %v", err)
	}
	if n, _ := s.CountClaimsAwaiting(ctx, f.lead.ID); n != 1 {
		t.Errorf("%d claims wait for the lead once sent, want 1", n)
	}

	second := meetingAt(t, s, f, "Review", time.Now().AddDate(0, 0, -1))
	if err := s.RecordAttendance(ctx, f.lead.ID, f.p.ID, second.ID, []int64{f.partner.ID}, ""); err != nil {
		t.Fatal(err)
	}
	d = drafts()
	if len(d) != 1 || d[0].Category != coproduce.MileageCar || d[0].Miles != 12 || d[0].Amount != 540 {
		t.Fatalf("second draft %+v, want it started from the last journey (12 miles by car)", d)
	}
	if err := s.SendDraftClaim(ctx, f.lead.ID, f.p.ID, d[0].ID, true, car); err != nil {
		t.Fatalf("a facilitator sending it for them: %v", err)
	}
	var status string
	var by int64
	if err := tx.QueryRow(ctx, `SELECT status, submitted_by FROM claims WHERE id = $1`, d[0].ID).Scan(&status, &by); err != nil {
		t.Fatal(err)
	}
	if status != "submitted" || by != f.lead.ID {
		t.Errorf("sent for them: status %s, submitted by %d, want submitted by %d", status, by, f.lead.ID)
	}

	// Taken off the register, a person's unsent draft goes.
	third := meetingAt(t, s, f, "Third", time.Now().AddDate(0, 0, -2))
	if err := s.RecordAttendance(ctx, f.lead.ID, f.p.ID, third.ID, []int64{f.partner.ID}, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAttendance(ctx, f.lead.ID, f.p.ID, third.ID, nil, ""); err != nil {
		t.Fatal(err)
	}
	if d := drafts(); len(d) != 0 {
		t.Errorf("drafts %+v after taking the person off the register", d)
	}
}

// The reminder job hands the news writer each member's needs, so each
// reminder can say what is arranged for its reader; a meeting moved after
// its reminder is reminded of again, with a new once key; a cancelled one
// is not reminded of.
func TestRemindersComeAgainAfterAMove(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	s := postgres.NewStore(pgtest.Autocommit(tx))
	f := newClaimFixture(t, s)
	if err := s.SaveSupportProfile(ctx, coproduce.SupportProfile{ProjectID: f.p.ID, UserID: f.partner.ID,
		HearingLoop: true, NotAfter: "15:00"}); err != nil {
		t.Fatal(err)
	}
	m := meetingAt(t, s, f, "Tomorrow", time.Now().Add(20*time.Hour))
	cancelled := meetingAt(t, s, f, "Off", time.Now().Add(21*time.Hour))
	if err := s.CancelMeeting(ctx, f.lead.ID, f.p.ID, cancelled.ID, 0, ""); err != nil {
		t.Fatal(err)
	}
	var seen []string
	remind := func() int {
		t.Helper()
		n, err := s.RemindOfMeetings(ctx, time.Now(), func(m coproduce.Meeting, _ coproduce.Project, needs map[int64]coproduce.SupportProfile, _ map[int64]coproduce.Arrangement, _ []coproduce.Paper) coproduce.News {
			p := needs[f.partner.ID]
			if !p.HearingLoop || p.NotAfter != "15:00" {
				t.Errorf("the partner's needs reached the reminder as %+v", p)
			}
			seen = append(seen, m.Title)
			return coproduce.News{Kind: coproduce.NewsMeeting, ProjectID: m.ProjectID, Audience: coproduce.Audience{Members: true},
				Path: "/m", Once: "r:" + itoa(m.ID) + ":" + itoa(int64(m.Sequence)),
				Write: func(coproduce.Recipient, string) coproduce.Notice { return coproduce.Notice{Line: "x", Link: "/m"} }}
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := remind(); n != 1 || len(seen) != 1 || seen[0] != "Tomorrow" {
		t.Fatalf("reminded of %d meetings (%v), want only the one not cancelled", n, seen)
	}
	if n := remind(); n != 0 {
		t.Errorf("reminded again without a change: %d", n)
	}
	m.StartsAt, m.EndsAt = m.StartsAt.Add(time.Hour), m.EndsAt.Add(time.Hour)
	if _, err := s.UpdateMeeting(ctx, f.lead.ID, m); err != nil {
		t.Fatal(err)
	}
	if n := remind(); n != 1 {
		t.Errorf("after the move, reminded of %d meetings, want 1", n)
	}
	var updates int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM updates WHERE user_id = $1 AND once_key LIKE 'r:%'`, f.partner.ID).Scan(&updates); err != nil || updates != 2 {
		t.Errorf("the partner has %d reminders (%v), want 2", updates, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
