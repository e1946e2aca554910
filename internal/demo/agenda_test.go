package demo_test

import (
	"testing"
	"time"
)

// The stroke project's next workshop has an agenda of four items, some
// discussing ideas, and its first workshop has published minutes that
// follow the agenda it had.
func TestDemoMeetingsHaveAgendasAndMinutes(t *testing.T) {
	t.Parallel()
	l := loadDemo(t)
	for _, p := range l.projects {
		if p.Title != "Improving stroke rehabilitation at home" {
			continue
		}
		meetings, err := l.store.Meetings(l.ctx, p.ID)
		l.must(err)
		var sawNext, sawMinutes bool
		for _, m := range meetings {
			min, err := l.store.Minutes(l.ctx, m.ID)
			l.must(err)
			if m.StartsAt.After(time.Now()) {
				ideas := 0
				for _, it := range min.Items {
					ideas += len(it.Ideas)
				}
				if len(min.Items) < 3 || len(min.Items) > 4 || ideas == 0 {
					t.Errorf("the next workshop's agenda has %d items discussing %d ideas, want 3 or 4 with ideas", len(min.Items), ideas)
				}
				sawNext = true
			} else if min.Published() && len(min.Items) > 1 && min.Items[1].Discussion != "" {
				sawMinutes = true
			}
		}
		if !sawNext || !sawMinutes {
			t.Errorf("next workshop with an agenda: %v; past workshop with published minutes: %v", sawNext, sawMinutes)
		}
		return
	}
	t.Fatal("no stroke project in the demo")
}
