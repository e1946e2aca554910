package demo

import (
	"github.com/coproduce/coproduce/internal/coproduce"
)

// demoAnswer is one person's answer in the demo's principles check: scores
// for assets, capabilities, mutuality, networks, blurring roles and
// catalysts, the level, and a comment on any principle.
type demoAnswer struct {
	who      int64
	scores   [6]int
	level    coproduce.PLevel
	comments [6]string
}

// evaluate tells how the project has been evaluated so far:
//
//   - Aisha ran a first round of the principles check after the first
//     workshop, from ten days ago to three days ago. Margaret, David and
//     Siân answered, and so did Aisha, Tom and Priya, so both groups'
//     figures show. Partners and staff agree on most principles, but not
//     on blurring roles (partners 2.0, staff 3.7): staff still chair and
//     set the agenda. Step 4 chose co-design, which promises
//     transformation; two of the three partners place the project at
//     recognition, so the page flags it.
//   - After the first workshop, Aisha, Tom, Priya and David said how it
//     went; Margaret has not yet, so it waits on her project page. With one
//     lay partner's answer, partners' figures are not shown.
func (s *story) evaluate() {
	s.do(func() error {
		round, err := s.store.OpenPrinciplesRound(s.ctx, s.aisha, s.project, "First review, after the first workshop")
		if err != nil {
			return err
		}
		for _, a := range []demoAnswer{
			{who: s.margaret, scores: [6]int{4, 4, 3, 2, 2, 3}, level: coproduce.LevelRecognition,
				comments: [6]string{4: "Staff still run the meetings and decide what goes on the agenda."}},
			{who: s.david, scores: [6]int{4, 3, 3, 2, 2, 3}, level: coproduce.LevelRecognition,
				comments: [6]string{3: "Nobody has asked the stroke club what its members think yet."}},
			{who: s.sian, scores: [6]int{4, 4, 4, 3, 2, 4}, level: coproduce.LevelTransformation},
			{who: s.aisha, scores: [6]int{4, 4, 4, 3, 4, 4}, level: coproduce.LevelTransformation},
			{who: s.tom, scores: [6]int{4, 4, 3, 3, 4, 3}, level: coproduce.LevelTransformation},
			{who: s.priya, scores: [6]int{4, 3, 4, 2, 3, 4}, level: coproduce.LevelRecognition},
		} {
			if err := s.store.SavePrinciplesAnswer(s.ctx, s.project, round, a.who, coproduce.PrinciplesAnswer{
				Scores: a.scores, Comments: a.comments, Level: a.level}); err != nil {
				return err
			}
		}
		if err := s.store.ClosePrinciplesRound(s.ctx, s.aisha, s.project, round); err != nil {
			return err
		}
		return s.store.BackdatePrinciplesRound(s.ctx, round, s.day(-10, 9, 0), s.day(-3, 17, 0))
	})
	s.do(func() error {
		for who, scores := range map[int64][3]int{
			s.aisha: {5, 4, 4}, s.tom: {4, 4, 4}, s.priya: {4, 5, 3}, s.david: {3, 3, 4},
		} {
			if err := s.store.SaveMeetingCheck(s.ctx, s.project, s.firstMeeting, who,
				coproduce.MeetingCheck{Scores: scores}); err != nil {
				return err
			}
		}
		return nil
	})
}
