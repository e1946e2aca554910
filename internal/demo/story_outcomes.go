package demo

import (
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// readinessAndOutcomes is the Evaluate section six weeks in. Aisha took the readiness
// check the week the project started: three answers are still to look at
// again (handing partners the lead, the board's deadline, and carers who
// work in the week). Four
// outcomes, suggested by lay partners and by Priya, were agreed in the
// project's first weeks and have been read since: missed visits are falling
// towards their target, carers' confidence is rising, the Welsh sheets are
// not ready yet (as the overdue action says), and people's stories say
// they feel listened to. Priya's latest suggestion waits for an answer.
func (s *story) readinessAndOutcomes() {
	s.readiness()
	visits := s.outcome(s.margaret, "Fewer visits missed or moved at short notice",
		"Waiting in all day for a visit that does not come is the worst part of coming home.", 34,
		[]vote{{s.david, coproduce.Support, ""}, {s.sian, coproduce.Support, ""}, {s.priya, coproduce.Support, ""}, {s.tom, coproduce.Neutral, ""}},
		"It is what carers raised most when we asked them, and the booking system already counts it.")
	s.measure(visits, coproduce.MeasureValues{Measure: coproduce.MeasureNumber,
		Unit: "visits missed or moved at short notice in four weeks", Baseline: 18, Target: 5})
	s.readings(visits,
		reading{-28, 17, "", "Booking system report, checked by Tom Evans"},
		reading{-14, 12, "", "Booking system report, checked by Tom Evans"},
		reading{-1, 9, "", "Booking system report, checked by Margaret Jones and Tom Evans"})
	confident := s.outcome(s.sian, "Carers feel confident helping with exercises at home",
		"My mother does her exercises when I can help her, and I was never shown how.", 33,
		[]vote{{s.margaret, coproduce.Support, ""}, {s.david, coproduce.Support, ""}, {s.priya, coproduce.Support, ""}},
		"Agreed: the new exercise sheets are meant to do exactly this, so we should know whether they do.")
	s.measure(confident, coproduce.MeasureValues{Measure: coproduce.MeasureScale, Baseline: 2.2, Target: 4})
	s.readings(confident,
		reading{-21, 2.4, "", "Carers' questionnaire at the first workshop (9 carers, average)"},
		reading{-4, 3.1, "", "Carers' questionnaire after trying the picture sheets (11 carers, average)"})
	welsh := s.outcome(s.priya, "Exercise sheets are ready in Welsh",
		"Many people we visit would rather read in Welsh, and we have nothing to give them.", 31,
		[]vote{{s.sian, coproduce.Support, "Diolch!"}, {s.margaret, coproduce.Support, ""}},
		"Agreed: the Welsh Language Standards ask it of us, and partners asked for it.")
	s.measure(welsh, coproduce.MeasureValues{Measure: coproduce.MeasureYesNo, Baseline: 0, Target: 1})
	s.readings(welsh, reading{-6, 0, "", "Welsh language team: five of ten sheets translated"})
	listened := s.outcome(s.david, "People feel listened to by the community team",
		"Numbers will not show whether people feel heard. Their own words will.", 30,
		[]vote{{s.margaret, coproduce.Support, ""}, {s.sian, coproduce.Support, ""}, {s.priya, coproduce.Neutral, "Hard to measure, but it matters."}},
		"Agreed, measured by the stories people tell us, which we will read at each workshop.")
	s.measure(listened, coproduce.MeasureValues{Measure: coproduce.MeasureStories})
	s.readings(listened,
		reading{-20, 0, "When I rang about Mam's arm, the physio rang back the same day and knew who we were.", "Siân Williams, at the first workshop"},
		reading{-3, 0, "They asked me what I wanted to be able to do again. Nobody had asked me that before.", "A stroke club member, told to David Okafor"})
	s.outcome(s.priya, "Fewer people back in hospital in the first twelve weeks",
		"Readmissions are what the board watches. If home rehabilitation works, they should fall.", 3,
		[]vote{{s.david, coproduce.Support, ""}, {s.margaret, coproduce.Neutral, "Only if we count why they went back."}}, "")
}

// readiness is Aisha's readiness check, answered in the project's first
// week.
func (s *story) readiness() {
	s.do(func() error {
		in := coproduce.ReadinessInput{Answers: map[string]string{}, Notes: map[string]string{}}
		for _, st := range coproduce.ReadinessStatements {
			in.Answers[st.Key] = string(coproduce.Agree)
			if !st.Do {
				in.Answers[st.Key] = string(coproduce.Disagree)
			}
		}
		in.Answers["hand_over"] = string(coproduce.NotSure)
		in.Notes["hand_over"] = "Partners will lead the workshops; the budget stays with the trust."
		in.Answers["quickly"] = string(coproduce.NotSure)
		in.Notes["quickly"] = "The board wants the new pathway by April."
		in.Answers["reach"] = string(coproduce.Agree)
		in.Notes["reach"] = "We have not yet reached carers who work in the week."
		items, err := in.Validate()
		if err != nil {
			return err
		}
		id, err := s.store.SaveReadinessCheck(s.ctx, s.aisha, s.project, items)
		if err != nil {
			return err
		}
		return s.store.BackdateReadinessCheck(s.ctx, id, 41)
	})
}

// outcome is suggested by author daysAgo, has the members' views and,
// with a reason, Aisha's agreement a day after it was suggested.
func (s *story) outcome(author int64, title, why string, daysAgo int, views []vote, agreed string) int64 {
	var id int64
	s.do(func() (err error) {
		if id, err = s.store.ProposeOutcome(s.ctx, author, s.project, coproduce.OutcomeInput{Title: title, Why: why}); err != nil {
			return err
		}
		for _, v := range views {
			if err := s.store.SetOutcomeView(s.ctx, s.project, id, v.user, v.choice); err != nil {
				return err
			}
		}
		answered := 0
		if agreed != "" {
			answered = daysAgo - 1
			if err := s.store.DecideOutcome(s.ctx, s.aisha, s.project, id,
				coproduce.OutcomeDecisionInput{Decision: coproduce.OutcomeAgreed, Reason: agreed}); err != nil {
				return err
			}
		}
		return s.store.BackdateOutcome(s.ctx, id, daysAgo, answered)
	})
	return id
}

// measure says how an agreed outcome is measured, as Tom set it up.
func (s *story) measure(id int64, v coproduce.MeasureValues) {
	s.do(func() error { return s.store.SetOutcomeMeasure(s.ctx, s.tom, s.project, id, v) })
}

// reading is one reading: days from today (negative: ago), its figure or
// story, and where it came from.
type reading struct {
	days   int
	value  float64
	story  string
	source string
}

// readings adds an outcome's readings, as Tom recorded them.
func (s *story) readings(id int64, rs ...reading) {
	s.do(func() error {
		o, _, err := s.store.OutcomePage(s.ctx, s.project, id, s.tom)
		if err != nil {
			return err
		}
		for _, r := range rs {
			d := s.day(r.days, 0, 0)
			v := coproduce.ReadingValues{TakenOn: time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC),
				Value: r.value, Story: r.story, Source: r.source}
			if _, err := s.store.AddReading(s.ctx, s.tom, s.project, id, o.Measure, v); err != nil {
				return err
			}
		}
		return nil
	})
}
