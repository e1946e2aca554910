package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/web/views"
)

// A draft claim is the travel claim started for a lay partner recorded as
// present at a meeting: they check it and send it, or a facilitator sends
// it for them (after a phone call, say), or either says there was nothing
// to claim.

// errDraftGone is a draft its claimant (or a facilitator) may see that
// has been sent or removed already: they are told so on the claims page.
var errDraftGone = errors.New("the draft claim has been sent or removed")

// draftParam loads the draft claim of the route for its claimant or a
// facilitator; anyone else gets 404.
func (s *Server) draftParam(r *http.Request) (coproduce.Claim, error) {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.Claim{}, coproduce.ErrForbidden
	}
	id, err := claimParam(r)
	if err != nil {
		return coproduce.Claim{}, err
	}
	c, err := s.store.DraftClaim(r.Context(), p.ID, access.User.ID, id, access.CanFacilitate())
	if !errors.Is(err, coproduce.ErrNotFound) {
		return c, err
	}
	// A claim of theirs (or, for a facilitator, of the project's) that is
	// no longer a draft: sent from another tab, or by someone else.
	claims, lerr := s.store.ProjectClaims(r.Context(), p.ID, access.User.ID, access.CanFacilitate())
	if lerr != nil {
		return c, lerr
	}
	for _, c := range claims {
		if c.ID == id && (c.UserID == access.User.ID || access.CanFacilitate()) {
			return c, errDraftGone
		}
	}
	return c, err
}

// showDraftClaim shows a draft claim's form, filled in as far as it was
// started.
func (s *Server) showDraftClaim(w http.ResponseWriter, r *http.Request) error {
	c, err := s.draftParam(r)
	if errors.Is(err, errDraftGone) {
		p, _ := projectFrom(r.Context())
		return redirect(w, r, projectPath(p.ID, "/claims?notice=claim-draft-gone"))
	}
	if err != nil {
		return err
	}
	v := url.Values{"category": {string(c.Category)}, "incurred_on": {c.IncurredOn.Format("2006-01-02")},
		"description": {c.Description}}
	if c.Miles > 0 {
		v.Set("miles", strconv.Itoa(c.Miles))
	}
	if c.Amount > 0 && !c.Category.ByMile() {
		v.Set("amount", strings.TrimPrefix(c.Amount.String(), "£"))
	}
	return s.renderDraftClaim(w, r, http.StatusOK, c, views.NewForm(v, nil))
}

func (s *Server) renderDraftClaim(w http.ResponseWriter, r *http.Request, status int, c coproduce.Claim, f views.Form) error {
	p, access := projectFrom(r.Context())
	rates, err := s.store.Rates(r.Context())
	if err != nil {
		return err
	}
	page := s.page(r, "claim_draft.title")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.DraftClaimPage(page, views.DraftClaimView{Project: *p, Access: access, Claim: c,
		Rates: rates, Form: f}))
}

// sendDraftClaim checks the draft as filled in and sends it for a
// decision, as createClaim checks a new claim.
func (s *Server) sendDraftClaim(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, access := projectFrom(ctx)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return errBadRequest
	}
	if err := cleanFormText(r.PostForm); err != nil {
		return err
	}
	c, err := s.draftParam(r)
	if errors.Is(err, errDraftGone) {
		return redirect(w, r, projectPath(p.ID, "/claims?notice=claim-draft-gone"))
	}
	if err != nil {
		return err
	}
	f := r.PostForm
	in := coproduce.ClaimInput{Category: coproduce.Category(f.Get("category")), IncurredOn: f.Get("incurred_on"),
		Miles: f.Get("miles"), Amount: f.Get("amount"), Description: coproduce.CleanText(f.Get("description")),
		MeetingID: c.MeetingID}
	rates, err := s.store.Rates(ctx)
	if err != nil {
		return err
	}
	day, miles, amount, err := in.Validate(time.Now().In(london), rates)
	v := asValidation(err)
	if v == nil {
		v = &coproduce.ValidationError{}
	}
	receipt, contentType := s.readReceipt(r, v)
	if v.Err() != nil {
		return s.renderDraftClaim(w, r, http.StatusUnprocessableEntity, c, views.NewForm(f, v))
	}
	claimant := &coproduce.User{ID: c.UserID, Name: c.UserName}
	err = s.store.SendDraftClaim(ctx, access.User.ID, p.ID, c.ID, access.CanFacilitate(), postgres.NewClaim{
		Category: in.Category, IncurredOn: day, Miles: miles, Amount: amount, Description: in.Description,
		ReceiptType: contentType, Receipt: receipt}, mail.ClaimWaiting(s.writer(), p, claimant, amount))
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, projectPath(p.ID, "/claims?notice=claim-draft-gone"))
	}
	if err != nil {
		return err
	}
	if c.UserID != access.User.ID {
		return redirect(w, r, projectPath(p.ID, "/claims?notice=claim-sent-for"))
	}
	return redirect(w, r, projectPath(p.ID, "/claims?notice=claim-sent"))
}

// discardDraftClaim removes a draft nobody needs: there was nothing to
// claim.
func (s *Server) discardDraftClaim(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	c, err := s.draftParam(r)
	if errors.Is(err, errDraftGone) {
		return redirect(w, r, projectPath(p.ID, "/claims?notice=claim-draft-gone"))
	}
	if err != nil {
		return err
	}
	err = s.store.DiscardDraftClaim(r.Context(), access.User.ID, p.ID, c.ID, access.CanFacilitate())
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, projectPath(p.ID, "/claims?notice=claim-draft-gone"))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "/claims?notice=claim-discarded"))
}
