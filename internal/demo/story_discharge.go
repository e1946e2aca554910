package demo

import (
	"context"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// tellDischargeStory is the discharge project's beginning: still a draft,
// but David has met the ward sister with Tom, and his parking for that day
// waits for Tom, the project's lead, to approve it.
func tellDischargeStory(ctx context.Context, store *postgres.Store, projectID int64, ids map[string]int64) error {
	s := &story{now: time.Now()}
	_, err := store.CreateClaim(ctx, projectID, ids["david.okafor@example.org"], postgres.NewClaim{
		Category: coproduce.Parking, IncurredOn: s.day(-6, 0, 0), Amount: 640,
		Description: "Parking at the hospital, to meet the ward sister with Tom"})
	return err
}
