package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
)

// The news each change writes, for the people it concerns (never the
// person who made it). Each handler passes one of these to the storage
// method that makes the change, which writes it in the same transaction.

func (s *Server) newIdeaNews(p *coproduce.Project, author *coproduce.User, title string) coproduce.News {
	n := s.news(coproduce.NewsNewIdea, "new_idea", p, author.ID, coproduce.Audience{Members: true},
		map[string]any{"Author": author.Name, "Title": title})
	n.PathFor = func(id int64) string { return proposalPath(p.ID, id, "") }
	return n
}

func (s *Server) commentNews(p *coproduce.Project, author *coproduce.User, pr coproduce.Proposal, parent int64) coproduce.News {
	n := s.news(coproduce.NewsComment, "comment", p, author.ID, coproduce.Audience{IdeaAuthor: pr.ID, Commenter: parent},
		map[string]any{"Author": author.Name, "Title": pr.Title})
	n.PathFor = func(id int64) string {
		return proposalPath(p.ID, pr.ID, "?comment="+strconv.FormatInt(id, 10)+"#comment-"+strconv.FormatInt(id, 10))
	}
	return n
}

func (s *Server) answeredNews(p *coproduce.Project, actorID int64, pr coproduce.Proposal, in coproduce.ResponseInput) coproduce.News {
	l := s.writer().L
	var extra []string
	if in.Rationale != "" {
		extra = []string{l.T("email.response.because"), in.Rationale}
	}
	n := s.news(coproduce.NewsAnswered, "answered", p, actorID, coproduce.Audience{IdeaAuthor: pr.ID},
		map[string]any{"Title": pr.Title, "Response": l.T("response." + string(in.Response))}, extra...)
	n.Path = proposalPath(p.ID, pr.ID, "")
	return n
}

// answerChangedNews tells an idea's author that its answer has changed.
func (s *Server) answerChangedNews(p *coproduce.Project, actorID int64, pr coproduce.Proposal, in coproduce.ResponseInput) coproduce.News {
	l := s.writer().L
	var extra []string
	if in.Rationale != "" {
		extra = []string{l.T("email.response.because"), in.Rationale}
	}
	n := s.news(coproduce.NewsAnswered, "answer_changed", p, actorID, coproduce.Audience{IdeaAuthor: pr.ID},
		map[string]any{"Title": pr.Title, "Was": l.T("response." + string(pr.Response)),
			"Response": l.T("response." + string(in.Response))}, extra...)
	n.Path = proposalPath(p.ID, pr.ID, "")
	return n
}

func (s *Server) actionNews(p *coproduce.Project, actorID int64, a coproduce.Action, idea string, to coproduce.ActionStatus) coproduce.News {
	n := s.news(coproduce.NewsAction, "action", p, actorID, coproduce.Audience{IdeaAuthor: a.ProposalID, IdeaVoters: a.ProposalID},
		map[string]any{"Title": idea, "Action": a.Description, "Status": s.writer().L.T("action_status." + string(to))})
	n.Path = proposalPath(p.ID, a.ProposalID, "")
	return n
}

func (s *Server) purposeNews(p *coproduce.Project, actor *coproduce.User) coproduce.News {
	n := s.news(coproduce.NewsPurpose, "purpose", p, actor.ID, coproduce.Audience{Members: true},
		map[string]any{"Author": actor.Name})
	n.Path = stepPath(p.ID, coproduce.StepBeClear, "")
	return n
}

func (s *Server) fourRsNews(p *coproduce.Project, actor *coproduce.User, memberID int64) coproduce.News {
	n := s.news(coproduce.NewsFourRs, "fourrs", p, actor.ID, coproduce.Audience{Users: []int64{memberID}},
		map[string]any{"Author": actor.Name})
	n.Path = stepPath(p.ID, coproduce.StepUnderstand, "")
	return n
}

// signOffNews asks the other side to sign a step: a lead's sign-off waits
// for a lay partner's, and a lay partner's for a lead's.
func (s *Server) signOffNews(p *coproduce.Project, a coproduce.Access, step coproduce.Step) coproduce.News {
	other := coproduce.RoleLead
	if a.Role == coproduce.RoleLead {
		other = coproduce.RoleLayPartner
	}
	l := s.writer().L
	n := s.news(coproduce.NewsSignOff, "signoff", p, a.User.ID, coproduce.Audience{Role: other},
		map[string]any{"Author": a.User.Name, "Step": l.T("step." + step.Slug())})
	n.Path = stepPath(p.ID, step, "")
	return n
}

func (s *Server) claimWaitingNews(p *coproduce.Project, claimant *coproduce.User, amount coproduce.Pence) coproduce.News {
	n := s.news(coproduce.NewsClaimWaiting, "claim_waiting", p, claimant.ID, coproduce.Audience{NewClaimDeciders: true},
		map[string]any{"Author": claimant.Name, "Amount": amount.String()})
	n.Path = "/approvals"
	return n
}

// claimDecidedNews tells the claimant; a claim the person may not decide
// (or none) gets no news, and DecideClaim refuses it.
func (s *Server) claimDecidedNews(r *http.Request, claimID int64, approve bool, reason string) ([]coproduce.News, error) {
	actorID := userFrom(r.Context()).ID
	c, err := s.store.ClaimFor(r.Context(), actorID, claimID)
	if errors.Is(err, coproduce.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	key, extra := "claim_approved", []string(nil)
	if !approve {
		key, extra = "claim_rejected", []string{s.writer().L.T("news.claim_rejected.because")}
	}
	p := &coproduce.Project{ID: c.ProjectID, Title: c.ProjectTitle}
	n := s.news(coproduce.NewsClaimDecided, key, p, actorID, coproduce.Audience{Users: []int64{c.UserID}},
		map[string]any{"Amount": c.Amount.String(), "Reason": reason}, extra...)
	n.Path = projectPath(c.ProjectID, "/claims")
	return []coproduce.News{n}, nil
}

// meetingNews is the news, to every member, that a meeting was arranged
// (key "meeting_arranged"), changed ("meeting_changed") or cancelled
// ("meeting_cancelled"). Editing and cancelling meetings pass it to their
// storage methods as createMeeting does; a meeting not yet made (ID 0)
// gets its address from the new row.
func (s *Server) meetingNews(p *coproduce.Project, actorID int64, m coproduce.Meeting, key string) coproduce.News {
	n := s.news(coproduce.NewsMeeting, key, p, actorID, coproduce.Audience{Members: true},
		map[string]any{"Title": m.Title, "When": mail.MeetingTime(m.StartsAt)})
	n.Path = meetingPath(p.ID, m.ID, "")
	if m.ID == 0 {
		n.PathFor = func(id int64) string { return meetingPath(p.ID, id, "") }
	}
	return n
}
