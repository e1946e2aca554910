package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// pngBytes is the start of a real PNG file: content sniffing sees an image.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)

func (c *client) postMultipart(path string, fields url.Values, file []byte) *httptest.ResponseRecorder {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("receipt", "receipt.png")
		fw.Write(file)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

func TestClaims(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	claims := sp.path("/claims")
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")

	t.Run("MileageIsWorkedOutInPence", func(t *testing.T) {
		res := sp.layC.postMultipart(claims, url.Values{"category": {"mileage_car"}, "incurred_on": {yesterday}, "miles": {"37"}}, pngBytes)
		wantRedirect(t, res, claims)
		if n := e.count(`SELECT amount_pence FROM claims WHERE user_id = $1 AND category = 'mileage_car'`, sp.lay.ID); n != 37*45 {
			t.Errorf("amount %d, want %d", n, 37*45)
		}
	})
	t.Run("BadInputWritesNothing", func(t *testing.T) {
		before := e.count(`SELECT count(*) FROM claims`)
		for name, form := range map[string]url.Values{
			"Future":   {"category": {"parking"}, "incurred_on": {time.Now().AddDate(0, 0, 2).Format("2006-01-02")}, "amount": {"3"}},
			"Negative": {"category": {"parking"}, "incurred_on": {yesterday}, "amount": {"-3"}},
			"Absurd":   {"category": {"parking"}, "incurred_on": {yesterday}, "amount": {"100000"}},
		} {
			if res := sp.layC.postMultipart(claims, form, nil); res.Code != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d", name, res.Code)
			}
		}
		res := sp.layC.postMultipart(claims, url.Values{"category": {"parking"}, "incurred_on": {yesterday}, "amount": {"3"}},
			[]byte("GIF89a? no, just text pretending to be a picture"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if doc(t, res).Find("#receipt-error").Length() != 1 {
			t.Error("no error for a fake receipt")
		}
		big := append(append([]byte{}, pngBytes...), bytes.Repeat([]byte{0}, 5<<20)...)
		res = sp.layC.postMultipart(claims, url.Values{"category": {"parking"}, "incurred_on": {yesterday}, "amount": {"3"}}, big)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if doc(t, res).Find("#receipt-error").Length() != 1 {
			t.Error("no error for a receipt over 5 MB")
		}
		if e.count(`SELECT count(*) FROM claims`) != before {
			t.Error("a claim was written")
		}
	})
	t.Run("ReceiptsAreForTheClaimantAndOrganisersOnly", func(t *testing.T) {
		var id int64
		e.tx.QueryRow(context.Background(), `SELECT id FROM claims WHERE user_id = $1`, sp.lay.ID).Scan(&id)
		receipt := sp.path("/claims/" + itoa(id) + "/receipt")
		wantStatus(t, sp.layC.get(receipt), http.StatusOK)
		wantStatus(t, sp.facC.get(receipt), http.StatusOK)
		res := sp.staffC.get(receipt)
		wantStatus(t, res, http.StatusForbidden)
		if bytes.Contains(res.Body.Bytes(), pngBytes[:8]) {
			t.Error("receipt sent to another member")
		}
		wantStatus(t, sp.outsideC.get(receipt), http.StatusNotFound)
	})
	t.Run("AmountsThatLookLikeFormulasAreRefused", func(t *testing.T) {
		wantStatus(t, sp.leadC.postMultipart(claims, url.Values{"category": {"parking"}, "incurred_on": {yesterday}, "amount": {"=2+2"}}, nil), http.StatusUnprocessableEntity)
	})
	t.Run("LeadsDecideButNotTheirOwn", func(t *testing.T) {
		wantRedirect(t, sp.leadC.postMultipart(claims, url.Values{"category": {"parking"}, "incurred_on": {yesterday}, "amount": {"4.50"}}, nil), claims)
		var own, lay int64
		e.tx.QueryRow(context.Background(), `SELECT id FROM claims WHERE user_id = $1`, sp.lead.ID).Scan(&own)
		e.tx.QueryRow(context.Background(), `SELECT id FROM claims WHERE user_id = $1`, sp.lay.ID).Scan(&lay)
		wantStatus(t, sp.leadC.post(sp.path("/claims/"+itoa(own)+"/decision"), url.Values{"decision": {"approve"}}), http.StatusForbidden)
		wantStatus(t, sp.facC.post(sp.path("/claims/"+itoa(lay)+"/decision"), url.Values{"decision": {"approve"}}), http.StatusForbidden)
		wantStatus(t, sp.layC.post(sp.path("/claims/"+itoa(lay)+"/decision"), url.Values{"decision": {"approve"}, "status": {"approved"}}), http.StatusForbidden)
		wantStatus(t, sp.leadC.post(sp.path("/claims/"+itoa(lay)+"/decision"), url.Values{"decision": {"reject"}}), http.StatusUnprocessableEntity)
		wantRedirect(t, sp.leadC.post(sp.path("/claims/"+itoa(lay)+"/decision"), url.Values{"decision": {"approve"}}), claims)

		// Sending to finance keeps the spreadsheet in a list of exports,
		// where it downloads (again and again, each time audited).
		res := sp.leadC.open(t, claims).form("Send approved items to finance").submit()
		wantRedirect(t, res, sp.path("/claims/exports?notice=claims-exported#export-"))
		list := sp.leadC.follow(t, res)
		if got := cells(list.doc, "[data-testid=exports] tbody td"); !strings.Contains(got, sp.lead.Name+"|1|") {
			t.Fatalf("exports list: %s", got)
		}
		link, _ := list.doc.Find("[data-testid=exports] tbody a").Attr("href")
		for range 2 {
			res = sp.leadC.get(link)
			wantStatus(t, res, http.StatusOK)
			rows, err := readCSV(t, res.Body.Bytes())
			if err != nil || len(rows) != 2 || rows[1][1] != sp.lay.Name || rows[1][6] != "16.65" || rows[1][7] != "no" {
				t.Fatalf("export %q, %v", rows, err)
			}
		}
		if n := e.count(`SELECT count(*) FROM audit_events WHERE action = $1 AND subject LIKE 'finance:%.csv'`, coproduce.AuditExport); n != 2 {
			t.Errorf("%d downloads audited, want 2", n)
		}
		if !strings.Contains(text(sp.leadC.open(t, claims).doc, "[data-testid=past-exports]"), "sent to finance before") {
			t.Error("no link to past exports")
		}
		wantRedirect(t, sp.leadC.open(t, claims).form("Send approved items to finance").submit(), claims+"?notice=nothing-to-export")
		wantStatus(t, sp.facC.post(sp.path("/claims/export"), nil), http.StatusForbidden)
		wantStatus(t, sp.facC.get(link), http.StatusForbidden)
		wantStatus(t, sp.facC.get(sp.path("/claims/exports")), http.StatusForbidden)
		// Another project's export, asked for by id under this project.
		other := pgtest.Project(t, e.store, sp.lead)
		theirs := e.count(`INSERT INTO finance_exports (project_id, items, file) VALUES ($1, 1, 'claim\n9,THEIRS\n') RETURNING id`, other.ID)
		res = sp.leadC.get(sp.path("/claims/exports/" + itoa(int64(theirs))))
		wantStatus(t, res, http.StatusNotFound)
		if strings.Contains(res.Body.String(), "THEIRS") {
			t.Error("another project's export was sent")
		}
	})
}

func TestPaymentChoiceAndRates(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	claims := sp.path("/claims")
	if doc(t, sp.layC.get(claims)).Find("[data-testid=expenses-only]").Length() != 1 {
		t.Error("level 1 offered payments")
	}
	wantStatus(t, sp.layC.post(sp.path("/payments/level"), url.Values{"member": {itoa(sp.lay.ID)}, "level": {"4"}}), http.StatusForbidden)
	wantRedirect(t, sp.leadC.post(sp.path("/payments/level"), url.Values{"member": {itoa(sp.lay.ID)}, "level": {"4"}}), claims)
	d := doc(t, sp.layC.get(claims))
	if !strings.Contains(text(d, "[data-testid=benefits-warning]"), "benefits") {
		t.Error("no benefits warning before choosing")
	}
	wantRedirect(t, sp.layC.post(sp.path("/payments/choice"), url.Values{"payment_choice": {"decline"}}), claims)

	admin := sp.e.signedIn(sp.admin)
	wantStatus(t, admin.get("/admin/rates"), http.StatusOK)
	wantStatus(t, admin.post("/admin/rates", url.Values{"mileage_car": {"-1"}}), http.StatusUnprocessableEntity)
	wantRedirect(t, admin.post("/admin/rates", url.Values{"mileage_car": {"0.50"}, "mileage_passenger": {"0.05"},
		"mileage_bicycle": {"0.20"}, "payment_short": {"80"}, "payment_long": {"160"}}), "/admin/rates")
	if n := sp.e.count(`SELECT pence FROM rates WHERE key = 'mileage_car'`); n != 50 {
		t.Errorf("car rate %d", n)
	}
	wantStatus(t, sp.leadC.get("/admin/rates"), http.StatusForbidden)
}
