package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func TestParsePounds(t *testing.T) {
	for in, want := range map[string]coproduce.Pence{"12": 1200, "12.5": 1250, "£12.05": 1205, "0.99": 99, " 3.10 ": 310} {
		if got, ok := coproduce.ParsePounds(in); !ok || got != want {
			t.Errorf("%q = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "-1", "1.234", "1e3", "abc", "12.", ".5", "1,000", "+5", "99999999"} {
		if _, ok := coproduce.ParsePounds(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestMileageIsExactFromTheRate(t *testing.T) {
	rates := map[coproduce.Category]coproduce.Pence{coproduce.MileageCar: 45}
	today := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	_, miles, amount, err := coproduce.ClaimInput{Category: coproduce.MileageCar, IncurredOn: "2026-11-20", Miles: "37"}.Validate(today, rates)
	if err != nil || miles != 37 || amount != 1665 {
		t.Errorf("37 miles at 45p = %d (%v), want 1665", amount, err)
	}
	for name, in := range map[string]coproduce.ClaimInput{
		"Future":   {Category: coproduce.Parking, IncurredOn: "2026-11-23", Amount: "3"},
		"Negative": {Category: coproduce.Parking, IncurredOn: "2026-11-20", Amount: "-3"},
		"Absurd":   {Category: coproduce.Parking, IncurredOn: "2026-11-20", Amount: "5000"},
		"NoMiles":  {Category: coproduce.MileageCar, IncurredOn: "2026-11-20", Miles: "0"},
	} {
		if _, _, _, err := in.Validate(today, rates); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

type claimFixture struct {
	s       *postgres.Store
	p       *coproduce.Project
	lead    *coproduce.User
	partner *coproduce.User
}

func newClaimFixture(t *testing.T, s *postgres.Store) claimFixture {
	t.Helper()
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	return claimFixture{s: s, p: p, lead: lead, partner: pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)}
}

func (f claimFixture) claim(t *testing.T, amount coproduce.Pence) int64 {
	t.Helper()
	id, err := f.s.CreateClaim(context.Background(), f.p.ID, f.partner.ID, postgres.NewClaim{Category: coproduce.Parking,
		IncurredOn: time.Now().AddDate(0, 0, -1), Amount: amount})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestClaimDecisions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newClaimFixture(t, pgtest.Store(t))
	id := f.claim(t, 450)
	if err := f.s.DecideClaim(ctx, f.partner.ID, f.p.ID, id, true, ""); !errors.Is(err, coproduce.ErrForbidden) {
		t.Errorf("self-approval: %v", err)
	}
	if err := f.s.DecideClaim(ctx, f.lead.ID, f.p.ID, id, false, ""); err == nil {
		t.Error("rejected without a reason")
	}
	if err := f.s.DecideClaim(ctx, f.lead.ID, f.p.ID, id, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DecideClaim(ctx, f.lead.ID, f.p.ID, id, false, "Changed my mind"); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("deciding twice: %v", err)
	}
}

func TestClaimOnAMeetingNotAttended(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newClaimFixture(t, pgtest.Store(t))
	mid, err := f.s.CreateMeeting(ctx, f.lead.ID, coproduce.Meeting{ProjectID: f.p.ID, Title: "M", Venue: "Hall",
		StartsAt: time.Now().Add(-3 * time.Hour), EndsAt: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.s.CreateClaim(ctx, f.p.ID, f.partner.ID, postgres.NewClaim{Category: coproduce.Parking,
		IncurredOn: time.Now(), Amount: 300, MeetingID: mid})
	if !errors.Is(err, postgres.ErrNotAttended) {
		t.Errorf("err = %v", err)
	}
}

func TestAttendanceCreatesInvolvementPaymentsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newClaimFixture(t, pgtest.Store(t))
	decliner := pgtest.Member(t, f.s, f.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	unpaid := pgtest.Member(t, f.s, f.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	for _, u := range []*coproduce.User{f.partner, decliner} {
		if err := f.s.SetPaymentLevel(ctx, f.lead.ID, f.p.ID, u.ID, 4); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.SetPaymentChoice(ctx, f.p.ID, decliner.ID, coproduce.PaymentDecline); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	mid, _ := f.s.CreateMeeting(ctx, f.lead.ID, coproduce.Meeting{ProjectID: f.p.ID, Title: "Long", Venue: "Hall",
		StartsAt: start, EndsAt: start.Add(4 * time.Hour)})
	all := []int64{f.partner.ID, decliner.ID, unpaid.ID}
	for range 2 {
		if err := f.s.RecordAttendance(ctx, f.lead.ID, f.p.ID, mid, all, ""); err != nil {
			t.Fatal(err)
		}
	}
	claims := payments(f.s.Claims(ctx, f.p.ID, 0))
	if len(claims) != 1 || claims[0].UserID != f.partner.ID || claims[0].Category != coproduce.PaymentLong || claims[0].Amount != 15000 {
		t.Errorf("claims %+v", claims)
	}
}

func TestTwoExportsAtOnceNeverExportAnItemTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t, pgtest.Clone(t))
	f := newClaimFixture(t, postgres.NewStore(pool))
	var want coproduce.Pence
	for i := range 20 {
		id := f.claim(t, coproduce.Pence(100+i))
		if err := f.s.DecideClaim(ctx, f.lead.ID, f.p.ID, id, true, ""); err != nil {
			t.Fatal(err)
		}
		want += coproduce.Pence(100 + i)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var total coproduce.Pence
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			_, _, err := postgres.NewStore(pool).ExportClaims(ctx, f.lead.ID, f.p.ID, func(cs []coproduce.Claim) (string, error) {
				mu.Lock()
				defer mu.Unlock()
				for _, c := range cs {
					seen[c.ID]++
					total += c.Amount
				}
				return "", nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(seen) != 20 || total != want {
		t.Errorf("exported %d items for %v, want 20 for %v", len(seen), total, want)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("claim %d exported %d times", id, n)
		}
	}
	_, n, _ := f.s.ExportClaims(ctx, f.lead.ID, f.p.ID, func([]coproduce.Claim) (string, error) { return "", nil })
	if n != 0 {
		t.Errorf("a third export found %d items", n)
	}
}

// An export made before files were kept (the migration leaves its file
// empty) downloads with its claims, written again.
func TestAnExportFromBeforeFilesWereKeptDownloads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	f := newClaimFixture(t, postgres.NewStore(pgtest.Autocommit(tx)))
	id := f.claim(t, 250)
	if err := f.s.DecideClaim(ctx, f.lead.ID, f.p.ID, id, true, ""); err != nil {
		t.Fatal(err)
	}
	var exportID int64
	if err := tx.QueryRow(ctx, `INSERT INTO finance_exports (project_id, created_by, items) VALUES ($1, $2, 1) RETURNING id`,
		f.p.ID, f.lead.ID).Scan(&exportID); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE claims SET status = 'exported', export_id = $2 WHERE id = $1`, id, exportID); err != nil {
		t.Fatal(err)
	}
	list, err := f.s.FinanceExports(ctx, f.p.ID)
	if err != nil || len(list) != 1 || list[0].Items != 1 {
		t.Fatalf("listed %+v, %v", list, err)
	}
	got, err := f.s.DownloadFinanceExport(ctx, f.lead.ID, f.p.ID, exportID, func(cs []coproduce.Claim) (string, error) {
		return fmt.Sprint(len(cs), cs[0].ID, cs[0].Amount), nil
	})
	if want := fmt.Sprint(1, id, coproduce.Pence(250)); err != nil || got.File != want {
		t.Errorf("file %q, %v; want %q", got.File, err, want)
	}
	if _, err := f.s.DownloadFinanceExport(ctx, f.lead.ID, pgtest.Project(t, f.s, f.lead).ID, exportID, nil); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("another project's export: %v", err)
	}
}
