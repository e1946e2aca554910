package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/web/views"
)

// What changes an idea after it was put: its answer changed, its author
// withdrawing it, a hidden comment shown again. Each keeps its history.

// reportNamer labels a project's members as its reports do: by name only
// where they agreed to be named, otherwise "Lay partner 3".
func (s *Server) reportNamer(ctx context.Context, projectID int64) (*coproduce.Namer, error) {
	members, err := s.store.ReportMembers(ctx, projectID)
	if err != nil {
		return nil, err
	}
	l := i18n.FromContext(ctx)
	n := coproduce.NewNamer(members, func(role coproduce.ProjectRole) string { return l.T("project_role." + string(role)) },
		l.T("report.former"))
	n.Ambiguous = l.T("report.ambiguous_name")
	return n, nil
}

// labelReasons words the reasons given with votes for the idea's page,
// each person labelled as reports label them.
func (s *Server) labelReasons(ctx context.Context, projectID int64, list []coproduce.VoteReason) ([]views.LabelledReason, error) {
	if len(list) == 0 {
		return nil, nil
	}
	namer, err := s.reportNamer(ctx, projectID)
	if err != nil {
		return nil, err
	}
	out := make([]views.LabelledReason, len(list))
	for i, v := range list {
		out[i] = views.LabelledReason{By: namer.Label(v.UserID), Choice: v.Choice, Reason: namer.Scrub(v.Reason)}
	}
	return out, nil
}

// notOpenNotice says why an idea takes no more votes or answers.
func (s *Server) notOpenNotice(r *http.Request, projectID, id int64) string {
	pr, err := s.store.Proposal(r.Context(), projectID, id)
	if err == nil && pr.Withdrawn {
		return "proposal-not-open"
	}
	return "proposal-closed"
}

func (s *Server) changeAnswer(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	pr, err := s.proposalParam(r)
	if err != nil {
		return err
	}
	if pr.Open || pr.Withdrawn {
		return s.noAnswerToChange(w, r, p.ID, pr.ID)
	}
	in := coproduce.ResponseInput{Response: coproduce.Response(r.PostForm.Get("response")),
		Rationale: coproduce.CleanText(r.PostForm.Get("rationale"))}
	if verr := asValidation(in.ValidateRevision(pr.Response, pr.Rationale)); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderProposal(w, r, proposalForms{changeAnswer: &f, status: http.StatusUnprocessableEntity})
	}
	err = s.store.ChangeAnswer(r.Context(), access.User.ID, p.ID, pr.ID, in, mail.AnswerChanged(s.writer(), p, access.User.ID, pr, in))
	if errors.Is(err, coproduce.ErrStale) {
		return s.noAnswerToChange(w, r, p.ID, pr.ID)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, proposalPath(p.ID, pr.ID, "?notice=answer-changed#answer"))
}

// noAnswerToChange answers a change of an answer the idea does not have:
// withdrawn, it says so; still waiting, the page offers its first answer.
func (s *Server) noAnswerToChange(w http.ResponseWriter, r *http.Request, projectID, id int64) error {
	if s.notOpenNotice(r, projectID, id) == "proposal-not-open" {
		return redirect(w, r, proposalPath(projectID, id, "?notice=proposal-not-open"))
	}
	return redirect(w, r, proposalPath(projectID, id, "#answer"))
}

func (s *Server) withdrawProposal(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	prID, err := proposalIDParam(r)
	if err != nil {
		return err
	}
	reason := coproduce.CleanText(r.PostForm.Get("withdraw_reason"))
	if verr := asValidation(coproduce.ValidateWithdrawReason(reason)); verr != nil {
		f := views.NewForm(r.PostForm, verr)
		return s.renderProposal(w, r, proposalForms{withdraw: &f, status: http.StatusUnprocessableEntity})
	}
	err = s.store.WithdrawProposal(r.Context(), access.User.ID, p.ID, prID, reason)
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, proposalPath(p.ID, prID, "?notice=proposal-answered"))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, proposalPath(p.ID, prID, "?notice=proposal-withdrawn"))
}

func (s *Server) showShowComment(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	c, err := s.commentParam(r)
	if err != nil {
		return err
	}
	if !c.Hidden { // shown already: back to it
		return redirect(w, r, s.commentPath(r, p.ID, c.ProposalID, c.ID, "comment-shown"))
	}
	return s.render(w, r, http.StatusOK, views.CommentShowPage(s.page(r, "comment_show.title"), *p, c, views.NewForm(nil, nil)))
}

func (s *Server) showComment(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	c, err := s.commentParam(r)
	if err != nil {
		return err
	}
	reason := coproduce.CleanText(r.PostForm.Get("reason"))
	if verr := asValidation(coproduce.ValidateShowReason(reason)); verr != nil && c.Hidden {
		f := views.NewForm(r.PostForm, verr)
		page := s.page(r, "comment_show.title")
		page.HasErrors = true
		return s.render(w, r, http.StatusUnprocessableEntity, views.CommentShowPage(page, *p, c, f))
	}
	// A comment shown already (by someone else, or the form sent twice)
	// is where the facilitator wanted it.
	if err := s.store.ShowComment(r.Context(), access.User.ID, p.ID, c.ID, reason); err != nil && !errors.Is(err, coproduce.ErrStale) {
		return err
	}
	return redirect(w, r, s.commentPath(r, p.ID, c.ProposalID, c.ID, "comment-shown"))
}
