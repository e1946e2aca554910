package postgres_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// answerOf is an answer scoring the first principle n and each next one a
// point more (5 going round to 1), so that no two principles' means agree
// by accident, at level l.
func answerOf(n int, l coproduce.PLevel, comment string) coproduce.PrinciplesAnswer {
	a := coproduce.PrinciplesAnswer{Level: l}
	for i := range a.Scores {
		a.Scores[i] = 1 + (n-1+i)%5
	}
	a.Comments[0] = comment
	return a
}

// roundFigures is the round's result, from the results page's query.
func roundFigures(t *testing.T, s *postgres.Store, projectID, roundID int64) coproduce.RoundResult {
	t.Helper()
	results, err := s.PrinciplesResults(context.Background(), projectID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Round.ID == roundID {
			return r
		}
	}
	t.Fatalf("round %d not in the results", roundID)
	return coproduce.RoundResult{}
}

// The principles check: one round open at a time; one answer per member per
// round, changeable while open; a group's figures only from three answers;
// a member reads back only their own answer; a closed round refuses
// answers, in the store and in the database.
func TestPrinciplesCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	db := pgtest.Autocommit(tx)
	s := postgres.NewStore(db)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	var lay, staff []*coproduce.User
	for range 3 {
		lay = append(lay, pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner))
	}
	staff = append(staff, lead,
		pgtest.Member(t, s, p, coproduce.RoleStaff, coproduce.RoleFacilitator),
		pgtest.Member(t, s, p, coproduce.RoleStaff, coproduce.RoleStaffPartner))
	outsider := pgtest.User(t, s, coproduce.RolePartner)

	round, err := s.OpenPrinciplesRound(ctx, lead.ID, p.ID, "Spring review")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OneOpenRoundAtATime", func(t *testing.T) {
		if _, err := s.OpenPrinciplesRound(ctx, lead.ID, p.ID, "Another"); !errors.Is(err, coproduce.ErrConflict) {
			t.Errorf("a second open round: %v, want ErrConflict", err)
		}
	})
	save := func(u *coproduce.User, a coproduce.PrinciplesAnswer) error {
		return s.SavePrinciplesAnswer(ctx, p.ID, round, u.ID, a)
	}
	if err := save(lay[0], answerOf(5, coproduce.LevelTransformation, "first thoughts")); err != nil {
		t.Fatal(err)
	}
	t.Run("FewerThanThreeShowNothing", func(t *testing.T) {
		r := roundFigures(t, s, p.ID, round)
		if r.Lay.Answered != 1 || r.Lay.Shown() || r.Lay.Means != nil || r.Lay.Levels != [3]int{} || r.Lay.Level != 0 {
			t.Errorf("one lay answer gives %+v, want a count and no figures", r.Lay)
		}
	})
	if err := save(lay[0], answerOf(2, coproduce.LevelRecognition, "changed my mind")); err != nil {
		t.Fatal(err)
	}
	if err := save(lay[1], answerOf(2, coproduce.LevelDescription, "")); err != nil {
		t.Fatal(err)
	}
	t.Run("OneAnswerPerMemberPerRound", func(t *testing.T) {
		r := roundFigures(t, s, p.ID, round)
		if r.Lay.Answered != 2 || r.Lay.Shown() {
			t.Errorf("two lay partners, one answering twice: %+v, want 2 answers and no figures", r.Lay)
		}
		// The database itself refuses a second row for the same person.
		_, err := db.Exec(ctx, `INSERT INTO principle_answers (round_id, project_id, user_id, lay, level, assets,
			capabilities, mutuality, networks, blurring_roles, catalysts) VALUES ($1, $2, $3, true, 1, 1, 1, 1, 1, 1, 1)`,
			round, p.ID, lay[0].ID)
		if err == nil {
			t.Error("the database took a second answer from the same member in the same round")
		}
	})
	t.Run("EachReadsOnlyTheirOwnAnswer", func(t *testing.T) {
		mine, err := s.MyPrinciplesAnswer(ctx, round, lay[0].ID)
		if err != nil || mine == nil {
			t.Fatalf("own answer: %v, %v", mine, err)
		}
		if mine.Scores[0] != 2 || mine.Level != coproduce.LevelRecognition || mine.Comments[0] != "changed my mind" {
			t.Errorf("own answer reads back as %+v, want the changed one", *mine)
		}
		for _, u := range []*coproduce.User{lay[2], lead, outsider} {
			if other, err := s.MyPrinciplesAnswer(ctx, round, u.ID); err != nil || other != nil {
				t.Errorf("someone who has not answered reads %+v, %v", other, err)
			}
		}
	})
	if err := save(lay[2], answerOf(3, coproduce.LevelRecognition, "")); err != nil {
		t.Fatal(err)
	}
	for _, u := range staff {
		if err := save(u, answerOf(4, coproduce.LevelTransformation, "")); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("ThreeShowTheGroupsFigures", func(t *testing.T) {
		r := roundFigures(t, s, p.ID, round)
		if !r.Lay.Shown() || r.Lay.Answered != 3 || math.Abs(r.Lay.Means[0]-7.0/3) > 1e-9 {
			t.Errorf("lay figures %+v, want 3 answers averaging 2.33", r.Lay)
		}
		if r.Lay.Levels != [3]int{1, 2, 0} || r.Lay.Level != coproduce.LevelRecognition {
			t.Errorf("lay levels %v, middle %d; want 1, 2, 0 and recognition", r.Lay.Levels, r.Lay.Level)
		}
		if !r.Staff.Shown() || r.Staff.Means[5] != 4 || r.Staff.Level != coproduce.LevelTransformation {
			t.Errorf("staff figures %+v, want 4 and transformation", r.Staff)
		}
		if len(r.Gaps()) != 6 || !r.BelowDeclared(coproduce.DeclaredPLevel(coproduce.LevelCoProduce)) {
			t.Errorf("gaps %v, below co-produce %v; want all six and true", r.Gaps(), r.BelowDeclared(3))
		}
	})
	t.Run("OnlyMembersAnswer", func(t *testing.T) {
		if err := s.SavePrinciplesAnswer(ctx, p.ID, round, outsider.ID, answerOf(1, 1, "")); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("an outsider's answer: %v, want ErrForbidden", err)
		}
	})
	open := roundFigures(t, s, p.ID, round)
	if err := s.ClosePrinciplesRound(ctx, lead.ID, p.ID, round); err != nil {
		t.Fatal(err)
	}
	t.Run("ClosingKeepsTheFigures", func(t *testing.T) {
		// Worked out once by the database as the round closes, they must be
		// the figures the open round showed.
		closed := roundFigures(t, s, p.ID, round)
		if closed.Round.Open() || !reflect.DeepEqual(closed.Lay, open.Lay) || !reflect.DeepEqual(closed.Staff, open.Staff) {
			t.Errorf("open: %+v %+v\nclosed: %+v %+v", open.Lay, open.Staff, closed.Lay, closed.Staff)
		}
		if n := count(t, db, `SELECT count(*) FROM principle_figures WHERE round_id = $1`, round); n != 2 {
			t.Errorf("%d groups' figures kept for the closed round, want 2", n)
		}
	})
	t.Run("AClosedRoundRefusesAnswers", func(t *testing.T) {
		if err := save(lay[0], answerOf(5, 3, "")); !errors.Is(err, coproduce.ErrRoundClosed) {
			t.Errorf("answer to a closed round: %v, want ErrRoundClosed", err)
		}
		if mine, _ := s.MyPrinciplesAnswer(ctx, round, lay[0].ID); mine == nil || mine.Scores[0] != 2 {
			t.Errorf("the closed round's answer changed: %+v", mine)
		}
		// The database refuses too, for a change that forgets to ask.
		if _, err := db.Exec(ctx, `UPDATE principle_answers SET assets = 5 WHERE round_id = $1`, round); err == nil {
			t.Error("the database changed an answer in a closed round")
		}
		if _, err := db.Exec(ctx, `INSERT INTO principle_answers (round_id, project_id, user_id, lay, level, assets,
			capabilities, mutuality, networks, blurring_roles, catalysts) VALUES ($1, $2, $3, true, 1, 1, 1, 1, 1, 1, 1)`,
			round, p.ID, outsider.ID); err == nil {
			t.Error("the database took an answer in a closed round")
		}
		if _, err := s.OpenPrinciplesRound(ctx, lead.ID, p.ID, "Autumn review"); err != nil {
			t.Errorf("a new round once the last closed: %v", err)
		}
	})
	t.Run("AnotherProjectsRoundIsNotFound", func(t *testing.T) {
		other := pgtest.Project(t, s, lead)
		if _, err := s.PrinciplesRound(ctx, other.ID, round); !errors.Is(err, coproduce.ErrNotFound) {
			t.Errorf("round through another project: %v, want ErrNotFound", err)
		}
		if err := s.SavePrinciplesAnswer(ctx, other.ID, round, lead.ID, answerOf(1, 1, "")); !errors.Is(err, coproduce.ErrNotFound) {
			t.Errorf("answer through another project: %v, want ErrNotFound", err)
		}
	})
}

// The check after a meeting: only someone recorded present answers, once
// the meeting has ended; one answer each, changeable; figures from three.
func TestMeetingChecks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tx := pgtest.Tx(t)
	db := pgtest.Autocommit(tx)
	s := postgres.NewStore(db)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)
	var lay []*coproduce.User
	for range 4 {
		lay = append(lay, pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner))
	}
	meeting := func(start time.Time) int64 {
		t.Helper()
		id, err := s.CreateMeeting(ctx, lead.ID, coproduce.Meeting{ProjectID: p.ID, Title: "Workshop", Venue: "Hall",
			StartsAt: start, EndsAt: start.Add(2 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	past, now := meeting(time.Now().Add(-5*time.Hour)), meeting(time.Now().Add(-time.Hour))
	present := []int64{lead.ID, lay[0].ID, lay[1].ID, lay[2].ID}
	for _, m := range []int64{past, now} {
		if err := s.RecordAttendance(ctx, lead.ID, p.ID, m, present, ""); err != nil {
			t.Fatal(err)
		}
	}
	check := func(n int) coproduce.MeetingCheck { return coproduce.MeetingCheck{Scores: [3]int{n, n, n}} }

	t.Run("OnlyThosePresent", func(t *testing.T) {
		if err := s.SaveMeetingCheck(ctx, p.ID, past, lay[3].ID, check(5)); !errors.Is(err, coproduce.ErrNotPresent) {
			t.Errorf("someone absent answering: %v, want ErrNotPresent", err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO meeting_checks (meeting_id, user_id, lay, listened, took_part, difference)
			VALUES ($1, $2, true, 1, 1, 1)`, past, lay[3].ID); err == nil {
			t.Error("the database took a check from someone not recorded present")
		}
	})
	t.Run("OnlyOnceItHasEnded", func(t *testing.T) {
		if err := s.SaveMeetingCheck(ctx, p.ID, now, lay[0].ID, check(5)); !errors.Is(err, coproduce.ErrMeetingNotOver) {
			t.Errorf("answering during the meeting: %v, want ErrMeetingNotOver", err)
		}
	})
	if err := s.SaveMeetingCheck(ctx, p.ID, past, lay[0].ID, check(5)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveMeetingCheck(ctx, p.ID, past, lay[0].ID, check(1)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveMeetingCheck(ctx, p.ID, past, lay[1].ID, check(2)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveMeetingCheck(ctx, p.ID, past, lead.ID, check(4)); err != nil {
		t.Fatal(err)
	}
	results := func() coproduce.MeetingCheckResult {
		t.Helper()
		rs, err := s.MeetingCheckResults(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Meeting.ID == past {
				return r
			}
		}
		t.Fatal("the past meeting is not in the results")
		return coproduce.MeetingCheckResult{}
	}
	t.Run("FewerThanThreeShowNothing", func(t *testing.T) {
		r := results()
		if r.Lay.Answered != 2 || r.Lay.Shown() || r.Staff.Answered != 1 || r.Staff.Shown() {
			t.Errorf("lay %+v, staff %+v: want 2 and 1 answers, no figures", r.Lay, r.Staff)
		}
	})
	t.Run("EachReadsOnlyTheirOwn", func(t *testing.T) {
		here, mine, err := s.MeetingCheckFor(ctx, past, lay[0].ID)
		if err != nil || !here || mine == nil || mine.Scores != [3]int{1, 1, 1} {
			t.Errorf("own check: %v %+v %v, want present with the changed answer", here, mine, err)
		}
		here, other, err := s.MeetingCheckFor(ctx, past, lay[2].ID)
		if err != nil || !here || other != nil {
			t.Errorf("someone who has not answered reads %+v, %v", other, err)
		}
	})
	if err := s.SaveMeetingCheck(ctx, p.ID, past, lay[2].ID, check(3)); err != nil {
		t.Fatal(err)
	}
	t.Run("ThreeShowTheGroupsFigures", func(t *testing.T) {
		r := results()
		if !r.Lay.Shown() || r.Lay.Answered != 3 || r.Lay.Means[0] != 2 {
			t.Errorf("lay %+v, want 3 answers averaging 2", r.Lay)
		}
		if r.Staff.Shown() {
			t.Errorf("one member of staff's answer is shown: %+v", r.Staff)
		}
	})
}

// count is one number a query gives.
func count(t *testing.T, db postgres.DBTX, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
