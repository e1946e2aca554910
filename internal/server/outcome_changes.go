package server

import (
	"errors"
	"net/http"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// What changes an outcome while it waits for an answer: its proposer, a
// lead or a facilitator changes its wording or withdraws it, as an idea's
// author withdraws an idea. The storage keeps each earlier wording and
// refuses anyone else (ErrForbidden) and an outcome answered or withdrawn
// meanwhile (ErrStale).

// changeableOutcome is the route's outcome, if the person may change it.
func (s *Server) changeableOutcome(r *http.Request) (coproduce.Outcome, error) {
	p, access := projectFrom(r.Context())
	id, err := outcomeIDParam(r)
	if err != nil {
		return coproduce.Outcome{}, err
	}
	o, _, err := s.store.OutcomePage(r.Context(), p.ID, id, access.User.ID)
	if err != nil {
		return o, err
	}
	if !access.IsMember() || !(access.CanFacilitate() || o.ProposedByID == access.User.ID) {
		return o, coproduce.ErrForbidden
	}
	return o, nil
}

// outcomeNotOpen sends the person back to an outcome answered or
// withdrawn since they opened its page.
func outcomeNotOpen(w http.ResponseWriter, r *http.Request, projectID, id int64) error {
	return redirect(w, r, outcomePath(projectID, id, "?notice=outcome-not-open#answer"))
}

func (s *Server) changeOutcome(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	o, err := s.changeableOutcome(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if !o.Open() {
		return outcomeNotOpen(w, r, p.ID, o.ID)
	}
	in := coproduce.OutcomeInput{Title: r.PostForm.Get("title"), Why: r.PostForm.Get("why")}
	in.Normalize()
	if verr := asValidation(in.Validate()); verr != nil {
		return s.failedOutcomeForm(w, r, verr, func(f *outcomeForms, form *views.Form) { f.change = form })
	}
	err = s.store.ChangeOutcome(r.Context(), access.User.ID, p.ID, o.ID, in)
	if errors.Is(err, coproduce.ErrStale) {
		return outcomeNotOpen(w, r, p.ID, o.ID)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, outcomePath(p.ID, o.ID, "?notice=outcome-changed"))
}

func (s *Server) withdrawOutcome(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	o, err := s.changeableOutcome(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if !o.Open() {
		return outcomeNotOpen(w, r, p.ID, o.ID)
	}
	reason := coproduce.CleanText(r.PostForm.Get("withdraw_reason"))
	if verr := asValidation(coproduce.ValidateOutcomeWithdrawReason(reason)); verr != nil {
		return s.failedOutcomeForm(w, r, verr, func(f *outcomeForms, form *views.Form) { f.withdraw = form })
	}
	err = s.store.WithdrawOutcome(r.Context(), access.User.ID, p.ID, o.ID, reason)
	if errors.Is(err, coproduce.ErrStale) {
		return outcomeNotOpen(w, r, p.ID, o.ID)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, outcomePath(p.ID, o.ID, "?notice=outcome-withdrawn"))
}
