package mail

import (
	"strconv"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// The news each change in a project writes, for the people it concerns
// (never the person who made it). The web handlers pass one of these to
// the storage method that makes the change, which writes it in the same
// transaction; the demo tells its story the same way, so its updates read
// as the app's own.

// News is a change in project p for the people in aud, written with the
// catalogue's "news.KEY.*" messages; the caller sets its Path (or PathFor).
func (w Writer) News(kind coproduce.NewsKind, key string, p *coproduce.Project, actorID int64, aud coproduce.Audience,
	data map[string]any, extra ...any) coproduce.News {
	if data == nil {
		data = map[string]any{}
	}
	data["Project"] = InLanguages{En: p.Title, Cy: p.TitleCy}
	return coproduce.News{Kind: kind, ProjectID: p.ID, ActorID: actorID, Audience: aud, AppOnly: w.AppOnly,
		Write: w.Write(kind, key, data, extra...)}
}

// NewIdea tells the members of an idea put forward.
func NewIdea(w Writer, p *coproduce.Project, author *coproduce.User, title string) coproduce.News {
	n := w.News(coproduce.NewsNewIdea, "new_idea", p, author.ID, coproduce.Audience{Members: true},
		map[string]any{"Author": author.Name, "Title": title})
	n.PathFor = func(id int64) string { return proposalPath(p.ID, id, "") }
	return n
}

// Comment tells an idea's author of a comment on it, and the author of the
// comment replied to (parent, 0 for none) of the reply.
func Comment(w Writer, p *coproduce.Project, author *coproduce.User, pr coproduce.Proposal, parent int64) coproduce.News {
	n := w.News(coproduce.NewsComment, "comment", p, author.ID, coproduce.Audience{IdeaAuthor: pr.ID, Commenter: parent},
		map[string]any{"Author": author.Name, "Title": pr.Title})
	n.PathFor = func(id int64) string {
		return proposalPath(p.ID, pr.ID, "?comment="+strconv.FormatInt(id, 10)+"#comment-"+strconv.FormatInt(id, 10))
	}
	return n
}

// Answered tells an idea's author of its answer.
func Answered(w Writer, p *coproduce.Project, actorID int64, pr coproduce.Proposal, in coproduce.ResponseInput) coproduce.News {
	n := w.News(coproduce.NewsAnswered, "answered", p, actorID, coproduce.Audience{IdeaAuthor: pr.ID},
		map[string]any{"Title": pr.Title, "Response": Msg("response." + string(in.Response))}, w.because(in)...)
	n.Path = proposalPath(p.ID, pr.ID, "")
	return n
}

// AnswerChanged tells an idea's author that its answer has changed.
func AnswerChanged(w Writer, p *coproduce.Project, actorID int64, pr coproduce.Proposal, in coproduce.ResponseInput) coproduce.News {
	n := w.News(coproduce.NewsAnswered, "answer_changed", p, actorID, coproduce.Audience{IdeaAuthor: pr.ID},
		map[string]any{"Title": pr.Title, "Was": Msg("response." + string(pr.Response)),
			"Response": Msg("response." + string(in.Response))}, w.because(in)...)
	n.Path = proposalPath(p.ID, pr.ID, "")
	return n
}

// because is the answer's reason, as the email's paragraphs after the news.
func (w Writer) because(in coproduce.ResponseInput) []any {
	if in.Rationale == "" {
		return nil
	}
	return []any{Msg("email.response.because"), in.Rationale}
}

// ActionMoved tells an idea's author and voters that one of its actions
// moved to status to.
func ActionMoved(w Writer, p *coproduce.Project, actorID int64, a coproduce.Action, idea string, to coproduce.ActionStatus) coproduce.News {
	n := w.News(coproduce.NewsAction, "action", p, actorID, coproduce.Audience{IdeaAuthor: a.ProposalID, IdeaVoters: a.ProposalID},
		map[string]any{"Title": idea, "Action": a.Description, "Status": Msg("action_status." + string(to))})
	n.Path = proposalPath(p.ID, a.ProposalID, "")
	return n
}

// PurposeChanged tells the members of a new purpose statement.
func PurposeChanged(w Writer, p *coproduce.Project, actor *coproduce.User) coproduce.News {
	n := w.News(coproduce.NewsPurpose, "purpose", p, actor.ID, coproduce.Audience{Members: true},
		map[string]any{"Author": actor.Name})
	n.Path = stepPath(p.ID, coproduce.StepBeClear)
	return n
}

// FourRsWritten tells a member their 4Rs were written or changed.
func FourRsWritten(w Writer, p *coproduce.Project, actor *coproduce.User, memberID int64) coproduce.News {
	n := w.News(coproduce.NewsFourRs, "fourrs", p, actor.ID, coproduce.Audience{Users: []int64{memberID}},
		map[string]any{"Author": actor.Name})
	n.Path = stepPath(p.ID, coproduce.StepUnderstand)
	return n
}

// SignOffWaiting asks the other side to sign a step: a lead's sign-off
// waits for a lay partner's, and a lay partner's for a lead's.
func SignOffWaiting(w Writer, p *coproduce.Project, a coproduce.Access, step coproduce.Step) coproduce.News {
	other := coproduce.RoleLead
	if a.Role == coproduce.RoleLead {
		other = coproduce.RoleLayPartner
	}
	n := w.News(coproduce.NewsSignOff, "signoff", p, a.User.ID, coproduce.Audience{Role: other},
		map[string]any{"Author": a.User.Name, "Step": Msg("step." + step.Slug())})
	n.Path = stepPath(p.ID, step)
	return n
}

// ClaimWaiting tells whoever may decide a new claim that it waits for them.
func ClaimWaiting(w Writer, p *coproduce.Project, claimant *coproduce.User, amount coproduce.Pence) coproduce.News {
	n := w.News(coproduce.NewsClaimWaiting, "claim_waiting", p, claimant.ID, coproduce.Audience{NewClaimDeciders: true},
		map[string]any{"Author": claimant.Name, "Amount": amount.String()})
	n.Path = "/approvals"
	return n
}

// ClaimDecided tells the claimant their claim c was approved or rejected
// (with the reason).
func ClaimDecided(w Writer, c coproduce.Claim, actorID int64, approve bool, reason string) coproduce.News {
	key, extra := "claim_approved", []any(nil)
	if !approve {
		key, extra = "claim_rejected", []any{Msg("news.claim_rejected.because")}
	}
	p := &coproduce.Project{ID: c.ProjectID, Title: c.ProjectTitle, TitleCy: c.ProjectTitleCy}
	n := w.News(coproduce.NewsClaimDecided, key, p, actorID, coproduce.Audience{Users: []int64{c.UserID}},
		map[string]any{"Amount": c.Amount.String(), "Reason": reason}, extra...)
	n.Path = projectPath(c.ProjectID, "/claims")
	return n
}

// MeetingChanged is the news, to every member, that a meeting was arranged
// (key "meeting_arranged"), changed ("meeting_changed") or cancelled
// ("meeting_cancelled"); a meeting not yet made (ID 0) gets its address
// from the new row. A change or cancellation's email links the calendar
// file, which replaces (or removes) the one a person saved, and says why
// a meeting was cancelled when a reason was given.
func MeetingChanged(w Writer, p *coproduce.Project, actorID int64, m coproduce.Meeting, key string) coproduce.News {
	var extra []any
	if key == "meeting_cancelled" && m.CancelReason != "" {
		extra = append(extra, Msg("email.meeting.because"), m.CancelReason)
	}
	if key != "meeting_arranged" {
		where := m.Venue
		if where == "" {
			where = m.OnlineLink
		}
		if key == "meeting_changed" {
			extra = append(extra, MsgWith{"email.meeting.now", map[string]any{"When": MeetingAt(m.StartsAt),
				"Ends": m.EndsAt.In(coproduce.UK).Format("15:04"), "Where": coproduce.OneLine(where)}})
		}
		extra = append(extra, Msg("email.meeting.calendar"), w.URL(meetingPath(p.ID, m.ID)+"/calendar.ics"))
	}
	n := w.News(coproduce.NewsMeeting, key, p, actorID, coproduce.Audience{Members: true},
		map[string]any{"Title": m.Title, "When": MeetingAt(m.StartsAt)}, extra...)
	n.Path = meetingPath(p.ID, m.ID)
	if m.ID == 0 {
		n.PathFor = func(id int64) string { return meetingPath(p.ID, id) }
	}
	return n
}

// ClaimDrafted tells the people recorded at a meeting that a claim for
// their travel has been started for them to check and send.
func ClaimDrafted(w Writer, p *coproduce.Project, actorID int64, m coproduce.Meeting) func([]int64) coproduce.News {
	return func(users []int64) coproduce.News {
		n := w.News(coproduce.NewsClaimDecided, "claim_drafted", p, actorID, coproduce.Audience{Users: users},
			map[string]any{"Title": m.Title})
		n.Path = projectPath(p.ID, "/claims")
		return n
	}
}

// The addresses news links to, as the web routes have them.

func projectPath(id int64, suffix string) string {
	return "/projects/" + strconv.FormatInt(id, 10) + suffix
}

func proposalPath(projectID, id int64, suffix string) string {
	return projectPath(projectID, "/proposals/"+strconv.FormatInt(id, 10)+suffix)
}

func stepPath(projectID int64, step coproduce.Step) string {
	return projectPath(projectID, "/steps/"+step.Slug())
}

func meetingPath(projectID, id int64) string {
	return projectPath(projectID, "/meetings/"+strconv.FormatInt(id, 10))
}
