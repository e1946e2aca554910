package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/csvsafe"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/web/views"
)

// maxReceipt is the largest receipt accepted: 5 MB.
const maxReceipt = 5 << 20

// maxClaimReason is the database's limit on why a claim was decided so.
const maxClaimReason = 1000

// showClaims lists the viewer's claims (everyone's for leads and
// facilitators), with the form for a new one and the payment choice.
func (s *Server) showClaims(w http.ResponseWriter, r *http.Request) error {
	return s.renderClaims(w, r, http.StatusOK, views.NewForm(nil, nil))
}

func (s *Server) renderClaims(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	ctx := r.Context()
	p, access := projectFrom(ctx)
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	f.Values.Set("form_token", token)
	v := views.ClaimsView{Project: *p, Access: access, Form: f}
	if v.Claims, err = s.store.ProjectClaims(ctx, p.ID, access.User.ID, access.CanFacilitate()); err != nil {
		return err
	}
	if v.Plans, err = s.store.PaymentPlans(ctx, p.ID); err != nil {
		return err
	}
	if v.Meetings, err = s.store.Meetings(ctx, p.ID); err != nil {
		return err
	}
	if v.Rates, err = s.store.Rates(ctx); err != nil {
		return err
	}
	page := s.page(r, "claims.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.ClaimsPage(page, v))
}

// createClaim takes a claim with an optional receipt, checked by its
// content (not its name) to be a JPEG, PNG or PDF of up to 5 MB.
func (s *Server) createClaim(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, access := projectFrom(ctx)
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
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
	f := r.PostForm
	in := coproduce.ClaimInput{Category: coproduce.Category(f.Get("category")), IncurredOn: f.Get("incurred_on"),
		Miles: f.Get("miles"), Amount: f.Get("amount"), Description: coproduce.CleanText(f.Get("description"))}
	if m := f.Get("meeting"); m != "" {
		id, err := strconv.ParseInt(m, 10, 64)
		if err != nil {
			return errBadRequest
		}
		in.MeetingID = id
	}
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
		return s.renderClaims(w, r, http.StatusUnprocessableEntity, views.NewForm(f, v))
	}
	_, err = s.store.CreateClaim(ctx, p.ID, access.User.ID, postgres.NewClaim{Category: in.Category, IncurredOn: day,
		Miles: miles, Amount: amount, Description: in.Description, MeetingID: in.MeetingID, ReceiptType: contentType, Receipt: receipt, FormToken: f.Get("form_token")},
		mail.ClaimWaiting(s.writer(), p, access.User, amount))
	if errors.Is(err, postgres.ErrNotAttended) {
		v.Add("meeting", "error.claim.not_attended")
		return s.renderClaims(w, r, http.StatusUnprocessableEntity, views.NewForm(f, v))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "/claims?notice=claim-submitted"))
}

// readReceipt reads the uploaded receipt, if any, adding a field error when
// it is too big or not really an image or PDF.
func (s *Server) readReceipt(r *http.Request, v *coproduce.ValidationError) ([]byte, string) {
	file, _, err := r.FormFile("receipt")
	if errors.Is(err, http.ErrMissingFile) {
		return nil, ""
	}
	if err != nil {
		v.Add("receipt", "error.claim.receipt_type")
		return nil, ""
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxReceipt+1))
	switch {
	case err != nil:
		v.Add("receipt", "error.claim.receipt_type")
	case len(data) > maxReceipt:
		v.Add("receipt", "error.claim.receipt_size")
	case len(data) == 0:
		return nil, ""
	}
	ct := http.DetectContentType(data)
	switch ct {
	case "image/jpeg", "image/png", "application/pdf":
		return data, ct
	}
	v.Add("receipt", "error.claim.receipt_type")
	return nil, ""
}

func claimParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "claimID"), 10, 64)
	if err != nil {
		return 0, coproduce.ErrNotFound
	}
	return id, nil
}

// downloadReceipt gives a receipt to its claimant, to the project's leads
// and facilitators, and to anyone who may decide the claim.
func (s *Server) downloadReceipt(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	id, err := claimParam(r)
	if err != nil {
		return err
	}
	owner, ct, data, err := s.store.ClaimReceipt(r.Context(), p.ID, id)
	if err != nil {
		return err
	}
	if owner != access.User.ID && !access.CanFacilitate() {
		// An approver who is a member sees the receipts of the claims
		// they may decide.
		if err := s.store.MayDecideClaim(r.Context(), access.User.ID, p.ID, id); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="receipt-`+strconv.FormatInt(id, 10)+receiptExt(ct)+`"`)
	_, _ = w.Write(data)
	return nil
}

func receiptExt(ct string) string {
	switch ct {
	case "image/png":
		return ".png"
	case "application/pdf":
		return ".pdf"
	}
	return ".jpg"
}

// decideClaim approves or rejects a claim from the project's claims page.
// Who may is the store's rule (approvers for staff claims, leads or
// approvers for lay partners', never the claimant nor anyone they invited):
// anyone else gets 403.
func (s *Server) decideClaim(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	return s.decide(w, r, p.ID, projectPath(p.ID, "/claims"), func(f views.Form) error {
		return s.renderClaims(w, r, http.StatusUnprocessableEntity, f)
	})
}

// decide reads a decision form (the decision, and the reason in the field
// "reason-<claim id>" that the page renders) and records it, or shows the
// form again with its error.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, projectID int64, back string, again func(views.Form) error) error {
	id, err := claimParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	field := "reason-" + strconv.FormatInt(id, 10)
	decision := r.PostForm.Get("decision")
	reason := coproduce.OneLine(r.PostForm.Get(field))
	if decision != "approve" && decision != "reject" {
		return errBadRequest
	}
	if decision == "approve" {
		reason = ""
	}
	v := &coproduce.ValidationError{}
	if decision == "reject" && reason == "" {
		v.Add(field, "error.claim.reason_required")
	} else if len([]rune(reason)) > maxClaimReason {
		v.Add(field, coproduce.TooLong(maxClaimReason))
	}
	if v.Err() != nil {
		// Only someone who may decide sees the form again.
		if err := s.store.MayDecideClaim(r.Context(), userFrom(r.Context()).ID, projectID, id); err != nil {
			return err
		}
		return again(views.NewForm(r.PostForm, v))
	}
	news, err := s.claimDecidedNews(r, id, decision == "approve", reason)
	if err != nil {
		return err
	}
	err = s.store.DecideClaim(r.Context(), userFrom(r.Context()).ID, projectID, id, decision == "approve", reason, news...)
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, back+"?notice=claim-decided-already")
	}
	if err != nil {
		return err
	}
	return redirect(w, r, back+"?notice=claim-decided")
}

// showApprovals lists the claims, across every project, that the signed-in
// person may decide: how approvers who are not members of a project find
// the claims waiting for them.
func (s *Server) showApprovals(w http.ResponseWriter, r *http.Request) error {
	return s.renderApprovals(w, r, http.StatusOK, views.NewForm(nil, nil))
}

func (s *Server) renderApprovals(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	u := userFrom(r.Context())
	claims, err := s.store.ClaimsAwaiting(r.Context(), u.ID)
	if err != nil {
		return err
	}
	approver, err := s.store.IsApprover(r.Context(), u.ID)
	if err != nil {
		return err
	}
	page := s.page(r, "approvals.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.ApprovalsPage(page, views.ApprovalsView{Claims: claims, Approver: approver, Form: f}))
}

// decideApproval is the decision from the approvals list.
func (s *Server) decideApproval(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, 0, "/approvals", func(f views.Form) error {
		return s.renderApprovals(w, r, http.StatusUnprocessableEntity, f)
	})
}

// downloadApprovalReceipt gives a receipt to someone who may decide its
// claim, wherever the claim is.
func (s *Server) downloadApprovalReceipt(w http.ResponseWriter, r *http.Request) error {
	id, err := claimParam(r)
	if err != nil {
		return err
	}
	c, err := s.store.ClaimFor(r.Context(), userFrom(r.Context()).ID, id)
	if errors.Is(err, coproduce.ErrNotFound) {
		return coproduce.ErrForbidden
	}
	if err != nil {
		return err
	}
	if c.UserID == userFrom(r.Context()).ID {
		return coproduce.ErrForbidden
	}
	_, ct, data, err := s.store.ClaimReceipt(r.Context(), c.ProjectID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="receipt-`+strconv.FormatInt(id, 10)+receiptExt(ct)+`"`)
	_, _ = w.Write(data)
	return nil
}

// mayExportClaims says who may send claims to finance and download the
// files of past exports: the project's leads.
func mayExportClaims(a coproduce.Access) bool { return a.Role == coproduce.RoleLead }

// exportClaims marks every approved item as exported and keeps the CSV
// for finance (person, project, item, amount, taxable) as a new export,
// in one transaction, then shows the list of exports, where the new file
// is downloaded. A download that drops loses nothing: the file is kept.
func (s *Server) exportClaims(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !mayExportClaims(access) {
		return coproduce.ErrForbidden
	}
	id, n, err := s.store.ExportClaims(r.Context(), access.User.ID, p.ID, financeCSV(r, p))
	if err != nil {
		return err
	}
	if n == 0 {
		return redirect(w, r, projectPath(p.ID, "/claims?notice=nothing-to-export"))
	}
	return redirect(w, r, projectPath(p.ID, "/claims/exports?notice=claims-exported#export-"+strconv.FormatInt(id, 10)))
}

// financeCSV writes a finance export's spreadsheet: person, project, item,
// amount, taxable.
func financeCSV(r *http.Request, p *coproduce.Project) func([]coproduce.Claim) (string, error) {
	l := i18n.FromContext(r.Context())
	return func(claims []coproduce.Claim) (string, error) {
		var b strings.Builder
		out := csvsafe.NewWriter(&b)
		if err := out.Write("claim", "person", "project", "date", "item", "miles", "amount", "taxable"); err != nil {
			return "", err
		}
		for _, c := range claims {
			miles := ""
			if c.Miles > 0 {
				miles = strconv.Itoa(c.Miles)
			}
			if err := out.Write(strconv.FormatInt(c.ID, 10), c.UserName, p.Title, c.IncurredOn.Format("2006-01-02"),
				l.T("category."+string(c.Category)), miles, strings.TrimPrefix(c.Amount.String(), "£"),
				map[bool]string{true: "yes", false: "no"}[c.Category.Taxable()]); err != nil {
				return "", err
			}
		}
		err := out.Flush()
		return b.String(), err
	}
}

// showFinanceExports lists the project's exports to finance, each with its
// file to download (again).
func (s *Server) showFinanceExports(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !mayExportClaims(access) {
		return coproduce.ErrForbidden
	}
	list, err := s.store.FinanceExports(r.Context(), p.ID)
	if err != nil {
		return err
	}
	page := s.page(r, "exports.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	return s.render(w, r, http.StatusOK, views.FinanceExportsPage(page, *p, list))
}

// downloadFinanceExport sends one export's file, as it was first written;
// every download is audited.
func (s *Server) downloadFinanceExport(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !mayExportClaims(access) {
		return coproduce.ErrForbidden
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "exportID"), 10, 64)
	if err != nil || id <= 0 {
		return coproduce.ErrNotFound
	}
	f, err := s.store.DownloadFinanceExport(r.Context(), access.User.ID, p.ID, id, financeCSV(r, p))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="finance-export-`+strconv.FormatInt(f.ID, 10)+`.csv"`)
	_, _ = io.WriteString(w, f.File)
	return nil
}

func (s *Server) setPaymentChoice(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	c := coproduce.PaymentChoice(r.PostForm.Get("payment_choice"))
	if c != coproduce.PaymentAccept && c != coproduce.PaymentDecline {
		v := &coproduce.ValidationError{}
		v.Add("payment_choice", "error.payment.choice_required")
		return s.renderClaims(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, v))
	}
	if err := s.store.SetPaymentChoice(r.Context(), p.ID, access.User.ID, c); err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "/claims?notice=payment-choice-saved"))
}

func (s *Server) setPaymentLevel(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	userID, err1 := strconv.ParseInt(r.PostForm.Get("member"), 10, 64)
	level, err2 := strconv.Atoi(r.PostForm.Get("level"))
	if err1 != nil || err2 != nil || level < 1 || level > 4 {
		return errBadRequest
	}
	if err := s.store.SetPaymentLevel(r.Context(), access.User.ID, p.ID, userID, level); err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "/claims?notice=payment-level-saved"))
}

// showRates lets an administrator keep the rate table.
func (s *Server) showRates(w http.ResponseWriter, r *http.Request) error {
	rates, err := s.store.Rates(r.Context())
	if err != nil {
		return err
	}
	f := views.NewForm(nil, nil)
	for k, p := range rates {
		f.Values.Set(string(k), strings.TrimPrefix(p.String(), "£"))
	}
	return s.renderRates(w, r, http.StatusOK, f)
}

func (s *Server) renderRates(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	page := s.page(r, "rates.title")
	page.Nav = "admin"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.RatesPage(page, f))
}

func (s *Server) saveRates(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	rates := map[coproduce.Category]coproduce.Pence{}
	v := &coproduce.ValidationError{}
	for _, k := range coproduce.RateKeys {
		p, ok := coproduce.ParsePounds(r.PostForm.Get(string(k)))
		if !ok || p > 100000 {
			v.Add(string(k), "error.rate.invalid")
			continue
		}
		rates[k] = p
	}
	if v.Err() != nil {
		return s.renderRates(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, v))
	}
	if err := s.store.SetRates(r.Context(), userFrom(r.Context()).ID, rates); err != nil {
		return err
	}
	return redirect(w, r, "/admin/rates?notice=rates-saved")
}
