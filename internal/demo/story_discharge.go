package demo

import (
	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
)

// tellDischargeStory is the discharge project's beginning: still a draft,
// but David has met the ward sister with Tom, and his parking for that day
// waits for Tom, the project's lead, to approve it.
func tellDischargeStory(s *story) error {
	amount := coproduce.Pence(640)
	_, err := s.store.CreateClaim(s.ctx, s.project, s.david, postgres.NewClaim{
		Category: coproduce.Parking, IncurredOn: s.day(-6, 0, 0), Amount: amount,
		Description: "Parking at the hospital, to meet the ward sister with Tom"},
		mail.ClaimWaiting(s.news, s.inProject, s.user(s.david), amount))
	return err
}
