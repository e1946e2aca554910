package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/web/views"
)

// loadBuild fills the "build" page: the working agreement, the proposals
// with their tallies, and "you said, we did".
func (s *Server) loadBuild(r *http.Request, v *views.StepView, forms stepForms) error {
	ctx := r.Context()
	var err error
	if v.Proposals, err = s.store.Proposals(ctx, v.Project.ID); err != nil {
		return err
	}
	if v.Actions, err = s.store.Actions(ctx, v.Project.ID); err != nil {
		return err
	}
	if v.Access.IsMember() {
		if v.AgreementAcknowledged, err = s.store.AgreementAcknowledged(ctx, v.Project.ID, v.Access.User.ID); err != nil {
			return err
		}
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	v.ProposalForm = formOr(forms.proposal, nil)
	v.ProposalForm.Values.Set("form_token", token)
	return nil
}

// How fast one person may post by default (docs/operations.md, "Posting
// limits"): far more than anyone writes by hand, few enough that a slip or
// a script cannot fill a project or everyone's inbox. Over it, the form
// comes back with the words kept and a message to wait a minute; nothing
// is saved.
const (
	defaultIdeasPerMinute    = 5
	defaultCommentsPerMinute = 10
)

// postingTooFast counts one more post of kind ("idea" or "comment") by a
// person and reports whether it goes over the limit for the minute. The
// count is one atomic statement, so posts sent at once cannot slip past it.
func (s *Server) postingTooFast(ctx context.Context, kind string, userID int64) (bool, error) {
	limit, def := s.cfg.IdeasPerMinute, defaultIdeasPerMinute
	if kind == "comment" {
		limit, def = s.cfg.CommentsPerMinute, defaultCommentsPerMinute
	}
	switch {
	case limit < 0:
		return false, nil
	case limit == 0:
		limit = def
	}
	n, err := s.store.CountAttempt(ctx, "post:"+kind+":"+strconv.FormatInt(userID, 10), time.Now().Add(-time.Minute))
	return n > limit, err
}

func proposalPath(projectID, id int64, suffix string) string {
	return projectPath(projectID, "/proposals/"+strconv.FormatInt(id, 10)+suffix)
}

func (s *Server) createProposal(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.ProposalInput{Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body"),
		GroundRule: r.PostForm.Get("ground_rule") == "yes", FormToken: r.PostForm.Get("form_token")}
	in.Normalize()
	if verr := asValidation(in.Validate()); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderStep(w, r, http.StatusUnprocessableEntity, coproduce.StepBuild, stepForms{proposal: &f})
	}
	if fast, err := s.postingTooFast(r.Context(), "idea", access.User.ID); err != nil {
		return err
	} else if fast {
		v := &coproduce.ValidationError{}
		v.Add("title", "limits.ideas_too_fast")
		f := views.NewForm(r.PostForm, v)
		return s.renderStep(w, r, http.StatusTooManyRequests, coproduce.StepBuild, stepForms{proposal: &f})
	}
	id, err := s.store.CreateProposal(r.Context(), access.User.ID, p.ID, in, mail.NewIdea(s.writer(), p, access.User, in.Title))
	if err != nil {
		return err
	}
	return redirect(w, r, proposalPath(p.ID, id, "?notice=proposal-made"))
}

// proposalParam loads the proposal in the URL, within the project.
func (s *Server) proposalParam(r *http.Request) (coproduce.Proposal, error) {
	p, _ := projectFrom(r.Context())
	id, err := proposalIDParam(r)
	if err != nil {
		return coproduce.Proposal{}, err
	}
	return s.store.Proposal(r.Context(), p.ID, id)
}

// proposalIDParam is the proposal's id from the address, for posts whose
// storage call checks the proposal itself.
func proposalIDParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "proposalID"), 10, 64)
	if err != nil || id <= 0 {
		return 0, coproduce.ErrNotFound
	}
	return id, nil
}

// proposalForms carries forms that failed on the proposal page.
type proposalForms struct {
	vote, comment, respond, action *views.Form
	changeAnswer, withdraw         *views.Form
	status                         int
}

func (s *Server) showProposal(w http.ResponseWriter, r *http.Request) error {
	return s.renderProposal(w, r, proposalForms{status: http.StatusOK})
}

func (s *Server) renderProposal(w http.ResponseWriter, r *http.Request, forms proposalForms) error {
	ctx := r.Context()
	p, access := projectFrom(ctx)
	prID, err := proposalIDParam(r)
	if err != nil {
		return err
	}
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("page"))
	data, err := s.store.ProposalPage(ctx, p.ID, prID, access.User.ID, pageNo, views.CommentsPerPage)
	if err != nil {
		return err
	}
	pr := data.Proposal
	v := views.ProposalView{Project: *p, Access: access, Proposal: pr, Actions: data.Actions, DecidedAt: data.DecidedAt,
		Comments: data.Comments, Page: data.Page, Pages: data.Pages,
		AnswerChanges: data.AnswerChanges, Moderations: data.Moderations, Impact: data.Impact}
	if v.VoteReasons, err = s.labelReasons(ctx, p.ID, data.VoteReasons); err != nil {
		return err
	}
	choice, reason := data.Vote, data.VoteReason
	token, err := newToken()
	if err != nil {
		return err
	}
	v.Vote = formOr(forms.vote, nil)
	if forms.vote == nil {
		v.Vote.Values.Set("choice", string(choice))
		v.Vote.Values.Set("reason", reason)
	}
	v.Comment = formOr(forms.comment, nil)
	v.Comment.Values.Set("form_token", token)
	v.Respond = formOr(forms.respond, nil)
	v.Action = formOr(forms.action, nil)
	v.Action.Values.Set("form_token", token)
	v.Withdraw = formOr(forms.withdraw, nil)
	v.ChangeAnswer = formOr(forms.changeAnswer, nil)
	if forms.changeAnswer == nil { // start from the answer as it is
		v.ChangeAnswer.Values.Set("response", string(pr.Response))
		v.ChangeAnswer.Values.Set("rationale", pr.Rationale)
	}
	if forms.action == nil {
		v.Action.Values.Set("status", "not_started")
	}
	page := s.page(r, "")
	page.TitleText = pr.Title + " – " + titleFor(r.Context(), p)
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = forms.status == http.StatusUnprocessableEntity
	return s.render(w, r, forms.status, views.ProposalPage(page, v))
}

func (s *Server) castVote(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	prID, err := proposalIDParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	choice := coproduce.Choice(r.PostForm.Get("choice"))
	reason := coproduce.CleanText(r.PostForm.Get("reason"))
	v := &coproduce.ValidationError{}
	if !coproduce.ValidChoice(choice) {
		v.Add("choice", "error.vote.choice_required")
	}
	if len([]rune(reason)) > coproduce.MaxVoteReason {
		v.Add("reason", coproduce.TooLong(coproduce.MaxVoteReason))
	}
	if v.Err() != nil {
		f := views.NewForm(r.PostForm, v)
		return s.renderProposal(w, r, proposalForms{vote: &f, status: http.StatusUnprocessableEntity})
	}
	err = s.store.CastVote(r.Context(), p.ID, prID, access.User.ID, choice, reason)
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, proposalPath(p.ID, prID, "?notice="+s.notOpenNotice(r, p.ID, prID)))
	}
	if err != nil {
		return err
	}
	return s.afterUpdate(w, r, proposalPath(p.ID, prID, "?notice=vote-saved#tally"))
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	prID, err := proposalIDParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	body := coproduce.CleanText(r.PostForm.Get("body"))
	token := r.PostForm.Get("form_token")
	if token == "" || len(token) > 100 {
		return errBadRequest
	}
	var parent int64
	if ps := r.PostForm.Get("parent"); ps != "" {
		if parent, err = strconv.ParseInt(ps, 10, 64); err != nil {
			return errBadRequest
		}
	}
	if verr := asValidation(coproduce.ValidateComment(body)); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderProposal(w, r, proposalForms{comment: &f, status: http.StatusUnprocessableEntity})
	}
	if fast, err := s.postingTooFast(r.Context(), "comment", access.User.ID); err != nil {
		return err
	} else if fast {
		v := &coproduce.ValidationError{}
		v.Add("body", "limits.comments_too_fast")
		f := views.NewForm(r.PostForm, v)
		return s.renderProposal(w, r, proposalForms{comment: &f, status: http.StatusTooManyRequests})
	}
	title, err := s.store.ProposalTitle(r.Context(), p.ID, prID)
	if err != nil {
		return err
	}
	id, thread, err := s.store.AddComment(r.Context(), p.ID, prID, access.User.ID, parent, body, token,
		mail.Comment(s.writer(), p, access.User, coproduce.Proposal{ID: prID, Title: title}, parent))
	if err != nil {
		return err
	}
	return s.afterUpdate(w, r, commentAt(p.ID, prID, id, (thread-1)/views.CommentsPerPage+1, "comment-added"))
}

// commentPath is the address of a comment on its page of the discussion,
// with a notice.
func (s *Server) commentPath(r *http.Request, projectID, proposalID, commentID int64, notice string) string {
	page, err := s.store.CommentPage(r.Context(), proposalID, commentID, views.CommentsPerPage)
	if err != nil {
		page = 1 // the comment is saved; only where to show it is unknown
	}
	return commentAt(projectID, proposalID, commentID, page, notice)
}

// commentAt is the address of a comment on page page of the discussion.
func commentAt(projectID, proposalID, commentID int64, page int, notice string) string {
	return proposalPath(projectID, proposalID, "?page="+strconv.Itoa(page)+"&notice="+notice+"#comment-"+strconv.FormatInt(commentID, 10))
}

// afterUpdate answers a post: a redirect, or for the in-page script (which
// sends X-Requested-With) a 204 with the address to reload from.
func (s *Server) afterUpdate(w http.ResponseWriter, r *http.Request, to string) error {
	if r.Header.Get("X-Requested-With") == "coproduce" {
		w.Header().Set("X-Location", to)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return redirect(w, r, to)
}

func (s *Server) respondToProposal(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	pr, err := s.proposalParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.ResponseInput{Response: coproduce.Response(r.PostForm.Get("response")),
		Rationale: coproduce.CleanText(r.PostForm.Get("rationale"))}
	if verr := asValidation(in.Validate()); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderProposal(w, r, proposalForms{respond: &f, status: http.StatusUnprocessableEntity})
	}
	err = s.store.RespondToProposal(r.Context(), access.User.ID, p.ID, pr.ID, in, mail.Answered(s.writer(), p, access.User.ID, pr, in))
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, proposalPath(p.ID, pr.ID, "?notice="+s.notOpenNotice(r, p.ID, pr.ID)))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, proposalPath(p.ID, pr.ID, "?notice=response-saved"))
}

func (s *Server) addAction(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	pr, err := s.proposalParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := coproduce.ActionInput{Description: r.PostForm.Get("description"),
		Owner: r.PostForm.Get("owner"), DueOn: r.PostForm.Get("due_on"),
		Status: coproduce.ActionStatus(r.PostForm.Get("status")), FormToken: r.PostForm.Get("form_token")}
	in.Normalize()
	due, err := in.Validate()
	if verr := asValidation(err); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderProposal(w, r, proposalForms{action: &f, status: http.StatusUnprocessableEntity})
	}
	if err := s.store.AddAction(r.Context(), access.User.ID, p.ID, pr.ID, in, due); err != nil {
		return err
	}
	return redirect(w, r, proposalPath(p.ID, pr.ID, "?notice=action-added#actions"))
}

func (s *Server) setActionStatus(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "actionID"), 10, 64)
	if err != nil {
		return coproduce.ErrNotFound
	}
	if err := parseForm(r); err != nil {
		return err
	}
	status := coproduce.ActionStatus(r.PostForm.Get("status"))
	if !validActionStatus(status) {
		return errBadRequest
	}
	a, idea, err := s.store.ActionAbout(r.Context(), p.ID, id)
	if err != nil {
		return err
	}
	if err := s.store.SetActionStatus(r.Context(), access.User.ID, p.ID, id, status, mail.ActionMoved(s.writer(), p, access.User.ID, a, idea, status)); err != nil {
		return err
	}
	back := r.PostForm.Get("back")
	if !strings.HasPrefix(back, projectPath(p.ID, "/")) {
		back = stepPath(p.ID, coproduce.StepBuild, "")
	}
	return redirect(w, r, back)
}

func validActionStatus(s coproduce.ActionStatus) bool {
	for _, x := range coproduce.ActionStatuses {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Server) acknowledgeAgreement(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := s.store.AcknowledgeAgreement(r.Context(), p.ID, access.User.ID); err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepBuild, "?notice=agreement-acknowledged"))
}
