package demo

import (
	"errors"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// impact is the impact log and the reflection: what changed because
// partners took part, each change linked to the idea (and action) it came
// from, and the reflection Margaret started and Aisha added to. It follows
// the answers of build: the texts the day before are sent (that action is
// done), the picture sheets are being written with partners, and evening
// visits came instead of weekend ones.
func (s *story) impact() {
	s.do(func() error {
		ideas, err := s.store.Proposals(s.ctx, s.project)
		if err != nil {
			return err
		}
		actions, err := s.store.Actions(s.ctx, s.project)
		if err != nil {
			return err
		}
		idea := func(title string) (int64, error) {
			for _, p := range ideas {
				if p.Title == title {
					return p.ID, nil
				}
			}
			return 0, errors.New("demo: no idea " + title)
		}
		action := func(ideaID int64, what string) []int64 {
			for _, a := range actions[ideaID] {
				if a.Description == what {
					return []int64{a.ID}
				}
			}
			return nil
		}
		visits, err := idea("Tell us the time of each visit the day before")
		if err != nil {
			return err
		}
		sheets, err := idea("Exercise sheets with pictures, in English and Welsh")
		if err != nil {
			return err
		}
		weekend, err := idea("Visits at weekends")
		if err != nil {
			return err
		}
		for _, e := range []coproduce.ImpactValues{
			{Title: "Families are told the day before whether a visit is in the morning or the afternoon",
				WhatChanged: "Every family now gets a text the day before each visit. Margaret told us what it is like to wait in all day; David and Siân said the same for carers who work. The team had not known how much the waiting cost people.",
				ChangedOn:   s.day(-14, 0, 0), Ideas: []int64{visits},
				Actions:      action(visits, "Text everyone the day before a visit: morning or afternoon"),
				Contributors: []int64{s.margaret, s.david, s.sian, s.priya}},
			{Title: "Exercise sheets are now written with partners, in English and Welsh",
				WhatChanged: "The team used to write the sheets alone. Now Priya writes them with Margaret and David, each sheet is tried by a partner before it is used, and the Welsh language team translates them with Siân checking.",
				ChangedOn:   s.day(-10, 0, 0), Ideas: []int64{sheets},
				Actions:      action(sheets, "Write and test ten picture exercise sheets"),
				Contributors: []int64{s.david, s.margaret, s.sian, s.priya}},
			{Title: "Evening visits on two days a week",
				WhatChanged: "There are no staff for weekend visits this year, so the team now offers visits until 7pm on two evenings a week, which Siân's idea showed carers who work need.",
				ChangedOn:   s.day(-3, 0, 0), Ideas: []int64{weekend}, Contributors: []int64{s.sian}},
		} {
			// The day as the UK has it, stored as a date.
			e.ChangedOn = time.Date(e.ChangedOn.Year(), e.ChangedOn.Month(), e.ChangedOn.Day(), 0, 0, 0, 0, time.UTC)
			if _, err := s.store.AddImpactEntry(s.ctx, s.aisha, s.project, e); err != nil {
				return err
			}
		}
		if err := s.store.SaveReflection(s.ctx, s.margaret, s.project, coproduce.ReflectionInput{BaseVersion: 0,
			Body: "Meeting at the community centre made it easy to come, and being paid for our time made us feel our time mattered.\n\nThe first workshop started at 10:30, which was too early for those of us who need help to get ready."}); err != nil {
			return err
		}
		return s.store.SaveReflection(s.ctx, s.aisha, s.project, coproduce.ReflectionInput{BaseVersion: 1,
			Body: "Meeting at the community centre made it easy to come, and being paid for our time made us feel our time mattered.\n\nThe first workshop started at 10:30, which was too early for those of us who need help to get ready.\n\nWe answered the first ideas within a month. Saying no to weekend visits was hard: we should have explained the staffing sooner. Next time we will ask partners what time suits them before we book rooms."})
	})
}

// impactOutcomes links two changes of the impact log to the outcomes
// partners defined afterwards, as Aisha did once they were agreed: the
// texts the day before help "Fewer visits missed or moved at short
// notice", and the sheets written with partners help "Exercise sheets are
// ready in Welsh".
func (s *story) impactOutcomes() {
	s.do(func() error {
		entries, err := s.store.ImpactEntries(s.ctx, s.project)
		if err != nil {
			return err
		}
		outcomes, err := s.store.Outcomes(s.ctx, s.project)
		if err != nil {
			return err
		}
		helped := map[string]string{
			"Families are told the day before whether a visit is in the morning or the afternoon": "Fewer visits missed or moved at short notice",
			"Exercise sheets are now written with partners, in English and Welsh":                 "Exercise sheets are ready in Welsh",
		}
		for _, e := range entries {
			want, ok := helped[e.Title]
			if !ok {
				continue
			}
			v := impactValues(e)
			for _, o := range outcomes {
				if o.Title == want {
					v.Outcomes = append(v.Outcomes, o.ID)
				}
			}
			if len(v.Outcomes) == 0 {
				return errors.New("demo: no outcome " + want)
			}
			if err := s.store.UpdateImpactEntry(s.ctx, s.aisha, s.project, e.ID, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// impactValues are a stored entry's values, to save it again.
func impactValues(e coproduce.ImpactEntry) coproduce.ImpactValues {
	v := coproduce.ImpactValues{Title: e.Title, WhatChanged: e.WhatChanged, ChangedOn: e.ChangedOn}
	for _, i := range e.Ideas {
		v.Ideas = append(v.Ideas, i.ID)
	}
	for _, a := range e.Actions {
		v.Actions = append(v.Actions, a.ID)
	}
	for _, o := range e.Outcomes {
		v.Outcomes = append(v.Outcomes, o.ID)
	}
	for _, c := range e.Contributors {
		v.Contributors = append(v.Contributors, c.UserID)
	}
	return v
}
