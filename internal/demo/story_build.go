package demo

import (
	"strconv"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
)

// idea is one idea of the story: who put it forward and how many days ago,
// and the votes it has had.
type idea struct {
	author  int64
	daysAgo int
	in      coproduce.ProposalInput
	votes   []vote
	id      int64
}

// proposal is the idea as news names it.
func (i *idea) proposal() coproduce.Proposal {
	return coproduce.Proposal{ID: i.id, Title: i.in.Title}
}

type vote struct {
	user   int64
	choice coproduce.Choice
	reason string
}

// build is step 6. The first three ideas have answers: one
// adapted and one adopted, each with actions (the exercise sheets are past
// their due date), and one not adopted, with the reason. David's idea of a
// named contact has waited 24 days: four days are left to answer it.
// Priya's idea from two days ago has no votes yet.
func (s *story) build() {
	visits := &idea{author: s.margaret, daysAgo: 35, in: coproduce.ProposalInput{
		Title: "Tell us the time of each visit the day before",
		Body:  "Waiting in all day for a visit that may not come is exhausting. A text the day before with a two-hour window would help."},
		votes: []vote{{s.david, coproduce.Support, ""}, {s.sian, coproduce.Support, ""},
			{s.priya, coproduce.Neutral, "The text is easy. A two-hour window depends on the rota."}}}
	sheets := &idea{author: s.david, daysAgo: 33, in: coproduce.ProposalInput{
		Title: "Exercise sheets with pictures, in English and Welsh",
		Body:  "Large print, one exercise per page, with photographs. Many people here would rather read them in Welsh."},
		votes: []vote{{s.margaret, coproduce.Support, "I cannot read the small print on the sheets we have now."},
			{s.sian, coproduce.Support, ""}, {s.priya, coproduce.Support, ""}}}
	weekend := &idea{author: s.sian, daysAgo: 30, in: coproduce.ProposalInput{
		Title: "Visits at weekends",
		Body:  "Carers who work in the week cannot be there to learn the exercises."},
		votes: []vote{{s.david, coproduce.Support, ""}, {s.priya, coproduce.Object, "We have no staff at weekends this year."}}}
	contact := &idea{author: s.david, daysAgo: 24, in: coproduce.ProposalInput{
		Title: "One named person to call at the community team",
		Body:  "When something goes wrong at home we ring the main number and get someone new every time, who does not know us."},
		votes: []vote{{s.margaret, coproduce.Support, ""}, {s.priya, coproduce.Support, ""}}}
	videos := &idea{author: s.priya, daysAgo: 2, in: coproduce.ProposalInput{
		Title: "A short video of each exercise",
		Body:  "Filmed at the stroke club, so that people and carers can watch how each exercise is done, as often as they like."}}
	for _, i := range []*idea{visits, sheets, weekend, contact, videos} {
		s.propose(i)
	}
	s.discuss(visits, sheets, weekend)
	s.answer(visits, sheets, weekend)
}

// propose puts an idea forward on the day the story says, with its votes.
func (s *story) propose(i *idea) {
	s.do(func() (err error) {
		i.id, err = s.store.CreateProposal(s.ctx, i.author, s.project, i.in,
			mail.NewIdea(s.news, s.inProject, s.user(i.author), i.in.Title))
		if err != nil {
			return err
		}
		if err := s.store.BackdateProposal(s.ctx, s.project, i.id, i.daysAgo); err != nil {
			return err
		}
		for _, v := range i.votes {
			if err := s.store.CastVote(s.ctx, s.project, i.id, v.user, v.choice, v.reason); err != nil {
				return err
			}
		}
		return nil
	})
}

// discuss adds the comments, with replies to Margaret and to Siân.
func (s *story) discuss(visits, sheets, weekend *idea) {
	s.do(func() error {
		n := 0
		comment := func(on *idea, author, parent int64, body string) (int64, error) {
			n++
			id, _, err := s.store.AddComment(s.ctx, s.project, on.id, author, parent, body, "demo-"+strconv.Itoa(n),
				mail.Comment(s.news, s.inProject, s.user(author), on.proposal(), parent))
			return id, err
		}
		text, err := comment(visits, s.priya, 0, "We can send a text from the booking system; the two-hour window is the hard part.")
		if err != nil {
			return err
		}
		if _, err := comment(visits, s.margaret, text, "Even a morning or afternoon would be better than nothing."); err != nil {
			return err
		}
		welsh, err := comment(sheets, s.sian, 0, "Byddai taflenni yn Gymraeg yn help mawr. Gallwn ni helpu gyda'r cyfieithu: ŵyr a ŷd, popeth!")
		if err != nil {
			return err
		}
		if _, err := comment(sheets, s.tom, welsh, "Diolch, Siân. The trust's Welsh language team will translate the sheets, and would like you to check them."); err != nil {
			return err
		}
		_, err = comment(weekend, s.priya, 0, "We have no staff at weekends this year; could an evening visit work instead?")
		return err
	})
}

// answer gives the three oldest ideas their answers and actions.
func (s *story) answer(visits, sheets, weekend *idea) {
	s.do(func() error {
		if err := s.respond(visits, coproduce.ResponseInput{Response: coproduce.Adapted,
			Rationale: "From now on we text the day before to say morning or afternoon. A two-hour window needs a new rota: we are trying it with ten families first."}); err != nil {
			return err
		}
		if err := s.action(visits, "Text everyone the day before a visit: morning or afternoon", "Tom Evans", -14, "done"); err != nil {
			return err
		}
		if err := s.action(visits, "Try two-hour visit windows with ten families", "Community stroke team manager", 28, "in_progress"); err != nil {
			return err
		}
		if err := s.respond(sheets, coproduce.ResponseInput{Response: coproduce.Adopted,
			Rationale: "Priya will write the new sheets with Margaret and David, and the Welsh language team will translate them."}); err != nil {
			return err
		}
		if err := s.action(sheets, "Write and test ten picture exercise sheets", "Dr Priya Patel", -5, "in_progress"); err != nil {
			return err
		}
		return s.respond(weekend, coproduce.ResponseInput{Response: coproduce.NotAdopted,
			Rationale: "There is no weekend staff this year. We will offer visits until 7pm on two evenings a week from February."})
	})
}

// respond gives an idea Aisha's answer, and tells its author.
func (s *story) respond(to *idea, in coproduce.ResponseInput) error {
	return s.store.RespondToProposal(s.ctx, s.aisha, s.project, to.id, in, mail.Answered(s.news, s.inProject, s.aisha, to.proposal(), in))
}

// action adds an action due days from today (negative: days ago).
func (s *story) action(on *idea, what, owner string, days int, status coproduce.ActionStatus) error {
	due := s.day(days, 0, 0)
	return s.store.AddAction(s.ctx, s.aisha, s.project, on.id, coproduce.ActionInput{Description: what, Owner: owner,
		DueOn: due.Format(time.DateOnly), Status: status}, time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, time.UTC))
}
