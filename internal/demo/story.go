package demo

import (
	"context"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
)

// tellStory fills a new stroke project with its first six weeks, told so
// that every fact agrees with every other and something real waits for
// each person when the demo is opened (all dates are counted from the day
// it is loaded):
//
//   - steps 1, 2 and 4 are signed off by Aisha and a lay partner; each
//     group step 2 reached has someone who came from it;
//   - the purpose statement was changed after the first workshop to say
//     plainly what partners are paid (as the rates and the partners'
//     payment levels say), so step 3 waits for a lay partner to co-sign,
//     and most members have still to read the new version;
//   - the first workshop took place three weeks ago: its register is
//     taken, and Margaret's involvement payment, her taxi and Priya's
//     parking wait for approval; the second is next week, and Margaret,
//     Siân and Tom have not said whether they are coming;
//   - ideas have answers and actions (one past its due date), David's
//     latest idea is four days from the 28 days within which every idea
//     is answered, and Priya's new idea has no votes yet;
//   - Margaret's and David's 4Rs are agreed; Siân's and Priya's are
//     written and wait for them;
//   - three changes are in the impact log, each from an answered idea,
//     and Margaret and Aisha have written the reflection.
//   - a first round of the principles check is closed: partners and staff
//     differ on blurring roles, and partners experience recognition where
//     step 4 chose co-design; four of the five at the first workshop have
//     said how it went, and Margaret's check waits for her
//     (story_evaluate.go).
//   - Aisha's readiness check has three answers to look at again, and four
//     outcomes partners suggested are agreed and read (story_outcomes.go).
//
// Each change tells the people it concerns, with the news the app writes
// for it, so that everyone has updates to read.
func tellStory(s *story) error {
	s.identifyAndSelect()
	s.beClear()
	s.choose()
	s.support()
	s.firstWorkshop()
	s.nextWorkshop()
	s.build()
	s.agendas()
	s.understand()
	s.impact()
	s.purposeChanged()
	s.offlineMembers()
	s.readinessAndOutcomes()
	s.impactOutcomes()
	s.evaluate()
	return s.err
}

// cast is the stroke project's people, by their account ids.
type cast struct {
	aisha, tom, priya, margaret, david, sian int64
}

func castOf(ids map[string]int64) cast {
	return cast{aisha: ids["aisha.khan@example.org"], tom: ids["tom.evans@example.org"],
		priya: ids["priya.patel@example.org"], margaret: ids["margaret.jones@example.org"],
		david: ids["david.okafor@example.org"], sian: ids["sian.williams@example.org"]}
}

// story runs steps until the first error, which it keeps.
type story struct {
	ctx     context.Context
	store   *postgres.Store
	project int64
	// inProject is the project as news names it.
	inProject *coproduce.Project
	news      mail.Writer
	users     map[int64]*coproduce.User // the demo's people, by id
	now       time.Time
	cast
	err error
	// set as the story goes, for the parts that follow
	firstMeeting int64
}

func (s *story) do(step func() error) {
	if s.err == nil {
		s.err = step()
	}
}

// day is the clock time in the UK n days from the day the demo is loaded
// (n < 0: days ago).
func (s *story) day(n, hour, minute int) time.Time {
	t := s.now.In(coproduce.UK)
	return time.Date(t.Year(), t.Month(), t.Day()+n, hour, minute, 0, 0, coproduce.UK)
}

// signOff starts a step if it is not started, and signs it off, daysAgo,
// as the lead and then each lay partner given: with one, the step is
// complete; with none, it waits for a lay partner to co-sign, and the lay
// partners are asked to.
func (s *story) signOff(step coproduce.Step, daysAgo int, leadID int64, lay ...int64) {
	s.do(func() error {
		st, err := s.store.Stage(s.ctx, s.project, step)
		if err != nil {
			return err
		}
		if err := s.store.SetStageStatus(s.ctx, leadID, s.project, step, coproduce.StageInProgress, st.Version); err != nil {
			return err
		}
		if err := s.signAs(step, leadID, coproduce.RoleLead, len(lay) == 0); err != nil {
			return err
		}
		for _, id := range lay {
			if err := s.signAs(step, id, coproduce.RoleLayPartner, false); err != nil {
				return err
			}
		}
		return s.store.BackdateSignOffs(s.ctx, s.project, step, daysAgo)
	})
}

// user is the person news names as the one who made a change.
func (s *story) user(id int64) *coproduce.User { return s.users[id] }

// signAs signs a step off as the person in role; ask tells the other
// side that the step waits for them.
func (s *story) signAs(step coproduce.Step, userID int64, role coproduce.ProjectRole, ask bool) error {
	a := coproduce.Access{User: s.user(userID), Role: role}
	var news []coproduce.News
	if ask {
		news = append(news, mail.SignOffWaiting(s.news, s.inProject, a, step))
	}
	return s.store.SignOffStage(s.ctx, a, s.project, step, news...)
}
