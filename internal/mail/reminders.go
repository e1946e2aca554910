package mail

import (
	"context"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

type remindArgs struct{}

func (remindArgs) Kind() string { return "send_reminders" }

type remindWorker struct {
	river.WorkerDefaults[remindArgs]
	store *postgres.Store
	cfg   Digests
}

// Work tells members of tomorrow's meetings and leads of ideas waiting 21
// days for an answer. Like the digests, River's leader schedules it, and
// each meeting or idea is claimed on its row, so nothing is told twice.
func (w *remindWorker) Work(ctx context.Context, job *river.Job[remindArgs]) error {
	wr := w.cfg.writer()
	now := time.Now()
	if _, err := w.store.RemindOfMeetings(ctx, now, func(m coproduce.Meeting, project coproduce.Project,
		needs map[int64]coproduce.SupportProfile, booked map[int64]coproduce.Arrangement, papers []coproduce.Paper) coproduce.News {
		return MeetingReminder(wr, m, project, needs, booked, papers...)
	}); err != nil {
		return err
	}
	_, err := w.store.TellOfWaitingIdeas(ctx, now, func(idea postgres.WaitingIdea) coproduce.News {
		return IdeaWaiting(wr, idea)
	})
	return err
}

// MeetingReminder is the news, to every member, that a meeting is the next
// day. Each person's email says what has been arranged for their own needs
// (needs, by account: what they told the project; booked: what the
// organisers arranged for them), and nobody else's.
// A meeting moved after its reminder is reminded of again (the once key
// names the meeting's version). The email links the meeting's papers, each
// in the version its reader needs (large print, easy read) when it has one,
// and names the project in its reader's language.
func MeetingReminder(w Writer, m coproduce.Meeting, project coproduce.Project, needs map[int64]coproduce.SupportProfile,
	booked map[int64]coproduce.Arrangement, papers ...coproduce.Paper) coproduce.News {
	where := m.Venue // a meeting has a place, a link, or both
	if where == "" {
		where = m.OnlineLink
	}
	data := map[string]any{"Title": m.Title, "Project": InLanguages{En: project.Title, Cy: project.TitleCy}, "When": MeetingAt(m.StartsAt),
		"Where": where}
	return coproduce.News{Kind: coproduce.NewsMeeting, ProjectID: m.ProjectID, Audience: coproduce.Audience{Members: true},
		AppOnly: w.AppOnly,
		Path:    meetingPath(m.ProjectID, m.ID),
		Once:    "meeting_reminder:" + strconv.FormatInt(m.ID, 10) + ":" + strconv.Itoa(m.Sequence),
		Write: func(rc coproduce.Recipient, path string) coproduce.Notice {
			extra := append(w.arranged(m, needs[rc.UserID], booked[rc.UserID]), w.papers(m, papers, needs[rc.UserID])...)
			return w.Write(coproduce.NewsMeeting, "meeting_reminder", data, extra...)(rc, path)
		}}
}

// arranged is a reminder's paragraphs on what has been arranged for one
// person's needs, what the venue lacks, which needs they may want to
// check with the organisers, and what else the organisers arranged (a
// taxi); none for someone who told of none and has nothing arranged.
func (w Writer) arranged(m coproduce.Meeting, p coproduce.SupportProfile, a coproduce.Arrangement) []any {
	done, missing, check := coproduce.ReminderArrangements(m, p, a)
	var out []any
	for _, part := range []struct {
		heading string
		needs   []string
	}{{"email.reminder.arranged", done}, {"email.reminder.missing", missing}, {"email.reminder.to_check", check}} {
		if len(part.needs) == 0 {
			continue
		}
		out = append(out, Msg(part.heading))
		for _, k := range part.needs {
			out = append(out, Bullet("need."+k))
		}
	}
	if a.Note != "" {
		out = append(out, MsgWith{"email.reminder.also_arranged", map[string]any{"Note": a.Note}})
	}
	return out
}

// papers is a reminder's paragraphs linking the meeting's papers, each in
// the version the person needs when the paper has it (acting on their
// communication needs), else the paper itself.
func (w Writer) papers(m coproduce.Meeting, papers []coproduce.Paper, p coproduce.SupportProfile) []any {
	if len(papers) == 0 {
		return nil
	}
	want := coproduce.PaperVersionFor(p)
	out := []any{Msg("comms.email.papers")}
	for _, paper := range papers {
		file, _ := coproduce.PaperFor(paper, want)
		url := w.URL(meetingPath(m.ProjectID, m.ID) + "/papers/" + strconv.FormatInt(file.ID, 10))
		if file.Version == coproduce.PaperStandard {
			out = append(out, MsgWith{"comms.email.paper", map[string]any{"Title": paper.Title, "URL": url}})
			continue
		}
		out = append(out, MsgWith{"comms.email.paper_version", map[string]any{"Title": paper.Title,
			"Version": Msg("paper.version." + string(file.Version)), "URL": url}})
	}
	return out
}

// IdeaWaiting is the news, to a project's leads and facilitators, that an
// idea has waited too long for an answer, naming the project in each
// reader's language.
func IdeaWaiting(w Writer, idea postgres.WaitingIdea) coproduce.News {
	data := map[string]any{"Title": idea.Title, "Project": InLanguages{En: idea.Project, Cy: idea.ProjectCy}, "Days": idea.Days}
	return coproduce.News{Kind: coproduce.NewsIdeaWaiting, ProjectID: idea.ProjectID, Audience: coproduce.Audience{Leads: true},
		AppOnly: w.AppOnly,
		Path:    proposalPath(idea.ProjectID, idea.ID, ""),
		Once:    "idea_waiting:" + strconv.FormatInt(idea.ID, 10),
		Write:   w.Write(coproduce.NewsIdeaWaiting, "idea_waiting", data)}
}
