package mail

import "github.com/coproduce/coproduce/internal/coproduce"

// MinutesPublished tells every member that a meeting's minutes can be read.
func MinutesPublished(w Writer, p *coproduce.Project, actorID int64, m coproduce.Meeting) coproduce.News {
	n := w.News(coproduce.NewsMeeting, "minutes_published", p, actorID, coproduce.Audience{Members: true},
		map[string]any{"Title": m.Title, "When": MeetingAt(m.StartsAt)})
	n.Path = meetingPath(p.ID, m.ID) + "/minutes"
	return n
}
