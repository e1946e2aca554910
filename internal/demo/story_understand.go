package demo

import (
	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
)

// understand is step 7: everyone's 4Rs as Aisha wrote them. Margaret and
// David have agreed theirs; Siân's and Priya's wait for them, and their
// updates say so. The buddies named are the ones step 5 paired.
func (s *story) understand() {
	fourRs := []struct {
		member int64
		in     coproduce.FourRsInput
		agreed bool
	}{
		{s.margaret, coproduce.FourRsInput{
			Role:           "Lay partner, bringing the experience of recovering from a stroke at home.",
			Remit:          "Shaping how exercises are explained and how visits are booked.",
			Relationships:  "Works with Dr Priya Patel on the exercise sheets; Priya is also her buddy.",
			Responsibility: "Comes to the monthly workshops when well enough, and tells the group what she hears at the stroke club.",
		}, true},
		{s.david, coproduce.FourRsInput{
			Role:           "Lay partner, bringing the experience of caring for his wife since her stroke.",
			Remit:          "What carers need to know and have, and when visits happen.",
			Relationships:  "Tom Evans is his buddy; works with Priya and Margaret on the exercise sheets.",
			Responsibility: "Comes to the workshops, and asks the carers' centre what other carers think.",
		}, true},
		{s.sian, coproduce.FourRsInput{
			Role:           "Lay partner, bringing the voice of Welsh speakers in the community.",
			Remit:          "Making sure everything the project makes works in Welsh as well as English.",
			Relationships:  "Tom Evans is her buddy; checks the Welsh sheets with the trust's Welsh language team.",
			Responsibility: "Comes to the workshops when she can, and shares news with her community group.",
		}, false},
		{s.priya, coproduce.FourRsInput{
			Role:           "Staff partner: physiotherapist in the community stroke team.",
			Remit:          "What the team can change in visits and exercises, within national guidance.",
			Relationships:  "Buddy to Margaret Jones; writes the exercise sheets with Margaret and David.",
			Responsibility: "Comes to every workshop and reports back to the team.",
		}, false},
	}
	for _, f := range fourRs {
		s.do(func() error {
			if f.agreed {
				// Agreed weeks ago: the news asking them to agree would
				// be out of date.
				if err := s.store.SaveFourRs(s.ctx, s.aisha, s.project, f.member, f.in); err != nil {
					return err
				}
				return s.store.AcknowledgeFourRs(s.ctx, s.project, f.member, 1)
			}
			return s.store.SaveFourRs(s.ctx, s.aisha, s.project, f.member, f.in,
				mail.FourRsWritten(s.news, s.inProject, s.user(s.aisha), f.member))
		})
	}
	// Margaret is happy to be named in reports; the others are not asked yet.
	s.do(func() error { return s.store.SetNamedInReports(s.ctx, s.project, s.margaret, true) })
}
