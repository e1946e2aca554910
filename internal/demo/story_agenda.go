package demo

import (
	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
)

// agendas gives the first workshop the agenda it followed and its
// published minutes, and the next workshop its agenda of four items, two
// of them discussing ideas.
func (s *story) agendas() {
	s.do(func() error {
		meetings, err := s.store.Meetings(s.ctx, s.project)
		if err != nil {
			return err
		}
		ideas, err := s.store.Proposals(s.ctx, s.project)
		if err != nil {
			return err
		}
		idea := func(title string) []int64 {
			for _, p := range ideas {
				if p.Title == title {
					return []int64{p.ID}
				}
			}
			return nil
		}
		var first, next coproduce.Meeting
		for _, m := range meetings {
			switch {
			case m.ID == s.firstMeeting:
				first = m
			case m.StartsAt.After(s.now) && next.ID == 0:
				next = m
			}
		}
		add := func(m coproduce.Meeting, items []coproduce.AgendaItemValues) ([]int64, error) {
			var ids []int64
			for _, it := range items {
				id, err := s.store.AddAgendaItem(s.ctx, s.tom, s.project, m.ID, it)
				if err != nil {
					return nil, err
				}
				ids = append(ids, id)
			}
			return ids, nil
		}
		done, err := add(first, []coproduce.AgendaItemValues{
			{Title: "Welcome and introductions", Time: "10:30", LedBy: s.aisha},
			{Title: "A day at home after a stroke", Time: "10:45", LedBy: s.tom},
			{Title: "What we do next", Time: "12:15", LedBy: s.aisha},
		})
		if err != nil {
			return err
		}
		notes := []coproduce.ItemMinutesInput{
			{Discussion: "Everyone said who they are and why they came. Siân sent her apologies."},
			{Discussion: "We walked through a day at home, hour by hour. Waiting in all day for visits came up most, then exercise sheets that are hard to read.",
				Decisions: "Bring ideas about visits and exercise sheets to the next workshop."},
			{Discussion: "Priya will bring the current exercise sheets to the next workshop.",
				Decisions: "The next workshop is about exercise sheets."},
		}
		for i, id := range done {
			if err := s.store.SaveItemMinutes(s.ctx, s.tom, s.project, first.ID, id, notes[i]); err != nil {
				return err
			}
		}
		if err := s.store.PublishMinutes(s.ctx, s.tom, s.project, first.ID,
			mail.MinutesPublished(s.news, s.inProject, s.tom, first)); err != nil {
			return err
		}
		// Tom shared them two days after the workshop.
		if err := s.store.BackdateMinutes(s.ctx, first.ID, first.StartsAt.AddDate(0, 0, 2)); err != nil {
			return err
		}
		if next.ID == 0 {
			return nil
		}
		_, err = add(next, []coproduce.AgendaItemValues{
			{Title: "Welcome, and what we agreed last time", Time: "11:00", LedBy: s.tom},
			{Title: "Exercise sheets you can follow", Time: "11:15", LedBy: s.priya,
				Ideas: idea("Exercise sheets with pictures, in English and Welsh")},
			{Title: "Videos of the exercises", Time: "12:00", LedBy: s.margaret,
				Ideas: idea("A short video of each exercise")},
			{Title: "Anything else, and the next meeting", Time: "12:45"},
		})
		return err
	})
}
