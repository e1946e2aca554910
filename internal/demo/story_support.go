package demo

import (
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
)

// support is step 5's standing arrangements: the lay partners are paid for
// their time (level 3, as the purpose statement says) unless they said no,
// the needs two of them gave, and a staff buddy for each lay partner (the
// buddies their 4Rs name).
func (s *story) support() {
	s.do(func() error {
		for _, id := range []int64{s.margaret, s.david, s.sian} {
			if err := s.store.SetPaymentLevel(s.ctx, s.aisha, s.project, id, 3); err != nil {
				return err
			}
		}
		if err := s.store.SetPaymentChoice(s.ctx, s.project, s.margaret, coproduce.PaymentAccept); err != nil {
			return err
		}
		// David's Carer's Allowance could be cut by payments: he claims
		// expenses only. Siân has not chosen yet.
		return s.store.SetPaymentChoice(s.ctx, s.project, s.david, coproduce.PaymentDecline)
	})
	s.do(func() error {
		if err := s.store.SaveSupportProfile(s.ctx, coproduce.SupportProfile{ProjectID: s.project, UserID: s.margaret,
			LargePrint: true, StepFree: true, AccessibleToilet: true, Breaks: true,
			GoodTimes: "Late mornings: I tire in the afternoon.",
			// She lets the leads see "Large print" beside her name, so that
			// her papers come in large print (the next workshop's have no
			// large print version yet: they are warned).
			ShareFlags: true}); err != nil {
			return err
		}
		return s.store.SaveSupportProfile(s.ctx, coproduce.SupportProfile{ProjectID: s.project, UserID: s.david,
			HearingLoop: true, BadTimes: "Before 10am: I help my wife get ready."})
	})
	s.do(func() error {
		for _, pair := range [][2]int64{{s.margaret, s.priya}, {s.david, s.tom}, {s.sian, s.tom}} {
			if err := s.store.SetBuddy(s.ctx, s.aisha, s.project, pair[0], pair[1]); err != nil {
				return err
			}
		}
		return nil
	})
}

// firstWorkshop took place three weeks ago. Everyone but Siân came; the
// register made Margaret's involvement payment (David declined his), and
// the claims from that day are an approved one and two still waiting.
func (s *story) firstWorkshop() {
	start := s.day(-21, 10, 30)
	s.do(func() error {
		id, err := s.store.CreateMeeting(s.ctx, s.aisha, coproduce.Meeting{ProjectID: s.project,
			Title: "First workshop: a day at home after a stroke", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			Venue:    "Stroke club, Church Street community centre",
			StepFree: true, HearingLoop: true, AccessibleToilet: true, Parking: true})
		s.firstMeeting = id
		return err
	})
	came := []int64{s.aisha, s.tom, s.priya, s.margaret, s.david}
	s.do(func() error {
		for _, id := range came {
			if err := s.store.ReplyToMeeting(s.ctx, s.firstMeeting, id, true); err != nil {
				return err
			}
		}
		if err := s.store.ReplyToMeeting(s.ctx, s.firstMeeting, s.sian, false); err != nil {
			return err
		}
		return s.store.RecordAttendance(s.ctx, s.tom, s.project, s.firstMeeting, came,
			"We walked through a day at home. Waiting in for visits and exercise sheets that are hard to read came up most.")
	})
	s.do(func() error {
		rates, err := s.store.Rates(s.ctx)
		if err != nil {
			return err
		}
		day := s.day(-21, 0, 0)
		// Recording who came started David's and Margaret's travel claims:
		// each checks theirs and sends it.
		mileage, err := s.sendDraft(s.david, postgres.NewClaim{Category: coproduce.MileageCar,
			IncurredOn: day, Miles: 12, Amount: 12 * rates[coproduce.MileageCar],
			Description: "Drove to the first workshop and back", MeetingID: s.firstMeeting})
		if err != nil {
			return err
		}
		c, err := s.store.ClaimFor(s.ctx, s.aisha, mileage)
		if err != nil {
			return err
		}
		if err := s.store.DecideClaim(s.ctx, s.aisha, s.project, mileage, true, "",
			mail.ClaimDecided(s.news, c, s.aisha, true, "")); err != nil {
			return err
		}
		if _, err := s.sendDraft(s.margaret, postgres.NewClaim{Category: coproduce.PublicTransport,
			IncurredOn: day, Amount: 1800, Description: "Taxi to the first workshop and back: I no longer drive.",
			MeetingID: s.firstMeeting}); err != nil {
			return err
		}
		// A staff member's claim goes to the finance approver, Grace.
		_, err = s.claim(s.priya, postgres.NewClaim{Category: coproduce.Parking,
			IncurredOn: day, Amount: 450, Description: "Parking at the community centre", MeetingID: s.firstMeeting})
		return err
	})
}

// sendDraft sends, as the claimant, the travel claim that recording them at
// c's meeting started, and tells whoever may decide it.
func (s *story) sendDraft(claimant int64, c postgres.NewClaim) (int64, error) {
	claims, err := s.store.Claims(s.ctx, s.project, claimant)
	if err != nil {
		return 0, err
	}
	for _, d := range claims {
		if d.Status == coproduce.ClaimDraft && d.MeetingID == c.MeetingID {
			return d.ID, s.store.SendDraftClaim(s.ctx, claimant, s.project, d.ID, false, c,
				mail.ClaimWaiting(s.news, s.inProject, s.user(claimant), c.Amount))
		}
	}
	return s.claim(claimant, c)
}

// claim makes a claim, and tells whoever may decide it.
func (s *story) claim(claimant int64, c postgres.NewClaim) (int64, error) {
	return s.store.CreateClaim(s.ctx, s.project, claimant, c, mail.ClaimWaiting(s.news, s.inProject, s.user(claimant), c.Amount))
}

// nextWorkshop is next week, in a library without a hearing loop (which
// David needs: Aisha has to arrange one). Aisha, Priya and David have said
// they are coming; Margaret, Siân and Tom have not answered.
func (s *story) nextWorkshop() {
	start := s.day(9, 11, 0)
	s.do(func() error {
		m := coproduce.Meeting{ProjectID: s.project,
			Title: "Second workshop: exercise sheets you can follow", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			Venue:    "Llanfair library, community room, Bridge Street",
			StepFree: true, AccessibleToilet: true, Parking: true}
		id, err := s.store.CreateMeeting(s.ctx, s.aisha, m, mail.MeetingChanged(s.news, s.inProject, s.aisha, m, "meeting_arranged"))
		if err != nil {
			return err
		}
		for _, who := range []int64{s.aisha, s.priya, s.david} {
			if err := s.store.ReplyToMeeting(s.ctx, id, who, true); err != nil {
				return err
			}
		}
		return s.workshopPapers(id)
	})
}
