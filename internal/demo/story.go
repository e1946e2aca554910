package demo

import (
	"context"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// tellStory fills a new stroke project with the work of its first months,
// so that every page and report has something real to show: groups, a
// purpose statement, an approach, support needs, a meeting, ideas with
// votes, comments and answers, and role descriptions. It runs only when
// the project is first made.
func tellStory(ctx context.Context, store *postgres.Store, projectID int64, ids map[string]int64) error {
	lead, facilitator := ids["aisha.khan@example.org"], ids["tom.evans@example.org"]
	priya, margaret := ids["priya.patel@example.org"], ids["margaret.jones@example.org"]
	david, sian := ids["david.okafor@example.org"], ids["sian.williams@example.org"]
	s := &story{ctx: ctx, store: store, project: projectID}

	s.do(func() error {
		for _, g := range []coproduce.GroupInput{
			{Name: "People who have had a stroke", Description: "Adults home from hospital in the last twelve weeks.",
				Affected: coproduce.AffectedDirectly, Reach: "Through the ward and the stroke club.", Included: "yes"},
			{Name: "Carers and families", Description: "The people who help with exercises and daily life.",
				Affected: coproduce.AffectedDirectly, Reach: "Through the carers' centre.", Included: "yes"},
			{Name: "Welsh speakers", Description: "People who would rather take part in Welsh.",
				Affected: coproduce.AffectedDirectly, Reach: "Through Siân's community group.", Included: "yes"},
			{Name: "GP practices", Description: "They refer people and see them afterwards.",
				Affected: coproduce.AffectedIndirectly, Included: "no",
				ExclusionReason: "We will share what we learn with them instead; they have told us they cannot give time this year."},
		} {
			if _, err := store.CreateGroup(ctx, lead, projectID, g); err != nil {
				return err
			}
		}
		return nil
	})
	s.signOff(coproduce.StepIdentify, lead, margaret)
	s.signOff(coproduce.StepSelect, lead, david)

	s.do(func() error {
		version, err := store.CreatePurposeVersion(ctx, lead, projectID, coproduce.PurposeInput{
			Purpose:          "To redesign rehabilitation at home in the first twelve weeks after a stroke, with the people who use it.",
			Expectations:     "One two-hour meeting a month for six months, at the stroke club or online, and reading between meetings.",
			Fixed:            "The budget for the community stroke team stays the same, and visits must meet national guidance.",
			OpenToChange:     "When and how visits happen, how exercises are explained, and what help carers get.",
			ContributionsUse: "Every idea is answered in writing within four weeks, with what we will do and why.",
			ExpensesPolicy:   "Travel, parking and carer costs are paid back, and lay partners can be paid for their time.",
		})
		if err != nil {
			return err
		}
		for _, id := range []int64{margaret, david} {
			if err := store.AcknowledgePurpose(ctx, projectID, id, version); err != nil {
				return err
			}
		}
		return nil
	})
	s.signOff(coproduce.StepBeClear, lead, margaret)

	s.do(func() error {
		return store.SaveApproach(ctx, lead, projectID, coproduce.ApproachInput{
			Level: coproduce.LevelCoDesign, LevelRationale: "Partners design the new visits with the team; the board funds them.",
			Stage: "co_design", StageRationale: "The service exists; we are changing how it works.",
			Scope: "system", ScopeRationale: "It is about how the whole home service runs.",
			Methods: map[coproduce.Method]string{
				"workshop":          "Hands-on sessions suit people who find long meetings tiring.",
				"online_discussion": "People can join in between meetings, at their own pace.",
			},
		})
	})
	s.signOff(coproduce.StepChoose, lead, david)

	s.support(lead, margaret, david)
	s.build(lead, facilitator, priya, margaret, david, sian)

	s.do(func() error {
		if err := store.SaveFourRs(ctx, lead, projectID, margaret, coproduce.FourRsInput{
			Role:           "Lay partner, bringing the experience of recovering from a stroke at home.",
			Remit:          "Shaping how exercises are explained and how visits are booked.",
			Relationships:  "Works with Dr Priya Patel on the exercise sheets; buddied with Siân.",
			Responsibility: "Comes to the monthly meetings when well enough, and tells the group what she hears at the stroke club.",
		}); err != nil {
			return err
		}
		if err := store.AcknowledgeFourRs(ctx, projectID, margaret, 1); err != nil {
			return err
		}
		// Margaret is happy to be named in reports; the others are not asked yet.
		return store.SetNamedInReports(ctx, projectID, margaret, true)
	})
	return s.err
}

// story runs steps until the first error, which it keeps.
type story struct {
	ctx     context.Context
	store   *postgres.Store
	project int64
	err     error
}

func (s *story) do(step func() error) {
	if s.err == nil {
		s.err = step()
	}
}

// signOff completes a step with the lead's and a lay partner's sign-off.
func (s *story) signOff(step coproduce.Step, leadID, layID int64) {
	s.do(func() error {
		st, err := s.store.Stage(s.ctx, s.project, step)
		if err != nil {
			return err
		}
		if err := s.store.SetStageStatus(s.ctx, leadID, s.project, step, coproduce.StageInProgress, st.Version); err != nil {
			return err
		}
		for id, role := range map[int64]coproduce.ProjectRole{leadID: coproduce.RoleLead, layID: coproduce.RoleLayPartner} {
			u, err := s.store.UserByID(s.ctx, id)
			if err != nil {
				return err
			}
			if err := s.store.SignOffStage(s.ctx, coproduce.Access{User: u, Role: role}, s.project, step); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *story) support(lead, margaret, david int64) {
	ctx, store := s.ctx, s.store
	s.do(func() error {
		if err := store.SaveSupportProfile(ctx, coproduce.SupportProfile{ProjectID: s.project, UserID: margaret, LargePrint: true, StepFree: true,
			Breaks: true, GoodTimes: "Late mornings."}); err != nil {
			return err
		}
		return store.SaveSupportProfile(ctx, coproduce.SupportProfile{ProjectID: s.project, UserID: david, HearingLoop: true, CarerAttending: true})
	})
	s.do(func() error {
		start := time.Date(2026, 10, 14, 10, 30, 0, 0, coproduce.UK)
		id, err := store.CreateMeeting(ctx, lead, coproduce.Meeting{ProjectID: s.project, Title: "First workshop: a day at home after a stroke",
			StartsAt: start, EndsAt: start.Add(2 * time.Hour), Venue: "Stroke club, Church Street community centre",
			StepFree: true, HearingLoop: true, AccessibleToilet: true, Parking: true})
		if err != nil {
			return err
		}
		if err := store.RecordAttendance(ctx, lead, s.project, id, []int64{lead, margaret, david}, ""); err != nil {
			return err
		}
		claim, err := store.CreateClaim(ctx, s.project, david, postgres.NewClaim{Category: coproduce.MileageCar,
			IncurredOn: start, Miles: 12, Amount: 12 * 45, Description: "Drove to the first workshop and back", MeetingID: id})
		if err != nil {
			return err
		}
		return store.DecideClaim(ctx, lead, s.project, claim, true, "")
	})
	s.do(func() error {
		st, err := store.Stage(ctx, s.project, coproduce.StepSupport)
		if err != nil {
			return err
		}
		return store.SetStageStatus(ctx, lead, s.project, coproduce.StepSupport, coproduce.StageInProgress, st.Version)
	})
}

func (s *story) build(lead, facilitator, priya, margaret, david, sian int64) {
	ctx, store, project := s.ctx, s.store, s.project
	var visits, sheets, weekend int64
	s.do(func() error {
		st, err := store.Stage(ctx, project, coproduce.StepBuild)
		if err != nil {
			return err
		}
		return store.SetStageStatus(ctx, lead, project, coproduce.StepBuild, coproduce.StageInProgress, st.Version)
	})
	s.do(func() (err error) {
		visits, err = store.CreateProposal(ctx, margaret, project, coproduce.ProposalInput{Title: "Tell us the time of each visit the day before",
			Body: "Waiting in all day for a visit that may not come is exhausting. A text the day before with a two-hour window would help."})
		return err
	})
	s.do(func() (err error) {
		sheets, err = store.CreateProposal(ctx, david, project, coproduce.ProposalInput{Title: "Exercise sheets with pictures, in English and Welsh",
			Body: "Large print, one exercise per page, with photographs. Many people here would rather read them in Welsh."})
		return err
	})
	s.do(func() (err error) {
		weekend, err = store.CreateProposal(ctx, sian, project, coproduce.ProposalInput{Title: "Visits at weekends",
			Body: "Carers who work in the week cannot be there to learn the exercises."})
		return err
	})
	s.do(func() error {
		votes := []struct {
			proposal, user int64
			choice         coproduce.Choice
		}{
			{visits, margaret, coproduce.Support}, {visits, david, coproduce.Support}, {visits, sian, coproduce.Support},
			{visits, priya, coproduce.Neutral}, {sheets, margaret, coproduce.Support}, {sheets, sian, coproduce.Support},
			{sheets, priya, coproduce.Support}, {weekend, david, coproduce.Support}, {weekend, priya, coproduce.Object},
		}
		for _, v := range votes {
			if err := store.CastVote(ctx, project, v.proposal, v.user, v.choice, ""); err != nil {
				return err
			}
		}
		return nil
	})
	s.do(func() error {
		first, _, err := store.AddComment(ctx, project, visits, priya, 0,
			"We can send a text from the booking system; the two-hour window is the hard part.", "demo-1")
		if err != nil {
			return err
		}
		comments := []struct {
			proposal, author, parent int64
			body                     string
		}{
			{visits, margaret, first, "Even a morning or afternoon would be better than nothing."},
			{sheets, sian, 0, "Byddai taflenni yn Gymraeg yn help mawr. Gallwn ni helpu gyda'r cyfieithu: ŵyr a ŷd, popeth!"},
			{sheets, facilitator, 0, "The trust's Welsh language team can check translations."},
			{weekend, priya, 0, "We have no staff at weekends this year; could an evening visit work instead?"},
		}
		for i, c := range comments {
			if _, _, err := store.AddComment(ctx, project, c.proposal, c.author, c.parent, c.body, "demo-"+string(rune('2'+i))); err != nil {
				return err
			}
		}
		return nil
	})
	s.do(func() error {
		if err := store.RespondToProposal(ctx, lead, project, sheets, coproduce.ResponseInput{Response: coproduce.Adopted,
			Rationale: "Priya will write the new sheets with Margaret and David, and the Welsh language team will translate them."}); err != nil {
			return err
		}
		if err := store.AddAction(ctx, lead, project, sheets, coproduce.ActionInput{Description: "Write and test ten picture exercise sheets",
			Owner: "Dr Priya Patel", Status: "in_progress"}, time.Date(2027, 1, 29, 0, 0, 0, 0, time.UTC)); err != nil {
			return err
		}
		return store.RespondToProposal(ctx, lead, project, weekend, coproduce.ResponseInput{Response: coproduce.NotAdopted,
			Rationale: "There is no weekend staff this year. We will offer visits until 7pm on two evenings a week from February."})
	})
}
