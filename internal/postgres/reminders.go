package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// RemindOfMeetings tells the members of each project with a meeting in the
// next day that it is coming, once per meeting and time (a meeting moved
// is due again; a cancelled one is not): the meeting's row is claimed in
// the same transaction as the news, so two instances (or two runs) cannot
// both tell. news writes the reminder for one meeting, its project (its
// ID and its titles, English and Welsh, so each reminder names it in its
// reader's language) and what each member told the project they need (so each reminder can
// say what has been arranged for its reader), with what the organisers
// booked for each, and the meeting's papers with their versions (so each
// reminder links the version its reader needs). It returns how many
// meetings were reminded of.
func (s *Store) RemindOfMeetings(ctx context.Context, now time.Time,
	news func(m coproduce.Meeting, project coproduce.Project, needs map[int64]coproduce.SupportProfile,
		booked map[int64]coproduce.Arrangement, papers []coproduce.Paper) coproduce.News) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE meetings m SET reminded_at = now() FROM projects p
			WHERE p.id = m.project_id AND m.reminded_at IS NULL AND m.cancelled_at IS NULL
			  AND m.starts_at > $1 AND m.starts_at <= $1::timestamptz + interval '1 day'
			RETURNING m.id, m.project_id, m.title, m.starts_at, m.ends_at, m.venue, m.online_link, m.step_free,
			          m.hearing_loop, m.accessible_toilet, m.parking, m.sequence, p.title, p.title_cy`, now)
		if err != nil {
			return err
		}
		type due struct {
			m       coproduce.Meeting
			project coproduce.Project
		}
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (due, error) {
			var d due
			err := r.Scan(&d.m.ID, &d.m.ProjectID, &d.m.Title, &d.m.StartsAt, &d.m.EndsAt, &d.m.Venue, &d.m.OnlineLink,
				&d.m.StepFree, &d.m.HearingLoop, &d.m.AccessibleToilet, &d.m.Parking, &d.m.Sequence, &d.project.Title, &d.project.TitleCy)
			d.project.ID = d.m.ProjectID
			return d, err
		})
		if err != nil {
			return err
		}
		for _, d := range list {
			needs, err := meetingNeeds(ctx, tx, d.m.ProjectID)
			if err != nil {
				return err
			}
			booked, err := meetingArrangements(ctx, tx, d.m.ID, 0)
			if err != nil {
				return err
			}
			papers, err := meetingPaperList(ctx, tx, d.m.ID)
			if err != nil {
				return err
			}
			if err := s.announce(ctx, tx, d.m.ID, []coproduce.News{news(d.m, d.project, needs, booked, papers)}); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	return n, err
}

// WaitingIdea is an idea that has waited too long for an answer.
type WaitingIdea struct {
	ID, ProjectID int64
	Title         string
	// Project and ProjectCy are its project's English and Welsh titles
	// (ProjectCy empty until written), for the reader's language.
	Project, ProjectCy string
	Days               int
}

// TellOfWaitingIdeas tells each project's leads of every open idea that has
// waited coproduce.IdeaWaitingDays for an answer, once per idea (claimed
// on its row, as RemindOfMeetings does). It returns how many ideas.
//
// It works through them waitingBatch at a time, each batch its own short
// transaction, and passes over an idea someone is voting on at that moment
// (SKIP LOCKED; the next run tells of it). One transaction over them all
// held every waiting idea's row while it wrote the news: on a trust with
// thousands of old ideas, votes on them waited until the query timeout.
func (s *Store) TellOfWaitingIdeas(ctx context.Context, now time.Time, news func(WaitingIdea) coproduce.News) (int, error) {
	total := 0
	for {
		n, err := s.tellOfWaitingBatch(ctx, now, news)
		total += n
		if err != nil || n < waitingBatch {
			return total, err
		}
	}
}

// waitingBatch is how many waiting ideas one transaction tells of.
const waitingBatch = 50

func (s *Store) tellOfWaitingBatch(ctx context.Context, now time.Time, news func(WaitingIdea) coproduce.News) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE proposals pr SET waiting_told_at = now() FROM projects p
			WHERE p.id = pr.project_id AND pr.id IN (
				SELECT id FROM proposals
				WHERE status = 'open' AND waiting_told_at IS NULL
				  AND created_at <= $1::timestamptz - make_interval(days => $2)
				ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
			RETURNING pr.id, pr.project_id, pr.title, p.title, p.title_cy, extract(day FROM $1::timestamptz - pr.created_at)::int`,
			now, coproduce.IdeaWaitingDays, waitingBatch)
		if err != nil {
			return err
		}
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (WaitingIdea, error) {
			var w WaitingIdea
			err := r.Scan(&w.ID, &w.ProjectID, &w.Title, &w.Project, &w.ProjectCy, &w.Days)
			return w, err
		})
		if err != nil {
			return err
		}
		for _, w := range list {
			if err := s.announce(ctx, tx, w.ID, []coproduce.News{news(w)}); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	return n, err
}
