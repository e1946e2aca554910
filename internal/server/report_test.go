package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/report"
)

func TestReports(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	sp.layC.post(sp.path("/support/me"), url.Values{"hearing_loop": {"yes"}, "other": {"Secret detail about me"}})
	path := sp.propose(t, sp.layC, "Text reminders")
	sp.layC.post(path+"/vote", url.Values{"choice": {"support"}})
	sp.leadC.post(path+"/respond", url.Values{"response": {"adopted"}, "rationale": {"Asked for"}})
	sp.leadC.post(sp.path("/steps/identify/groups"), validGroup)

	t.Run("LayPartnersAreNotNamedWithoutConsent", func(t *testing.T) {
		res := sp.leadC.get(sp.path("/reports/project.json"))
		wantStatus(t, res, http.StatusOK)
		var r report.Report
		if err := json.Unmarshal(res.Body.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Proposals) != 1 || r.Proposals[0].By != "Lay partner 1" {
			t.Errorf("proposal by %q", r.Proposals[0].By)
		}
		body := res.Body.String()
		if strings.Contains(body, sp.lay.Name) || strings.Contains(body, sp.lay.Email) {
			t.Error("lay partner named without consent")
		}
		if r.SupportNeeds["hearing_loop"] != 1 || strings.Contains(body, "Secret detail") {
			t.Errorf("support needs %v (only counts may appear)", r.SupportNeeds)
		}
		if r.Participation == nil || r.Participation.Proposals != 1 || r.Participation.ProposalsFromLay != 1 || r.Participation.Answered != 1 {
			t.Errorf("participation %+v", r.Participation)
		}
		if len(r.Steps) != 7 || len(r.Steps[0].Groups) != 1 {
			t.Errorf("steps %d, groups %d", len(r.Steps), len(r.Steps[0].Groups))
		}
	})
	t.Run("ConsentNamesThem", func(t *testing.T) {
		wantRedirect(t, sp.layC.post(sp.path("/naming"), url.Values{"named": {"yes"}}), sp.path(""))
		body := sp.leadC.get(sp.path("/reports/build.html")).Body.String()
		if !strings.Contains(body, sp.lay.Name) {
			t.Error("not named after consenting")
		}
	})
	t.Run("AccessByRole", func(t *testing.T) {
		wantStatus(t, sp.layC.get(sp.path("/reports/identify.html")), http.StatusOK)
		wantStatus(t, sp.layC.get(sp.path("/reports/project.json")), http.StatusForbidden)
		wantStatus(t, sp.facC.get(sp.path("/reports/project.json")), http.StatusOK)
		wantStatus(t, sp.outsideC.get(sp.path("/reports/project.html")), http.StatusNotFound)
		wantStatus(t, sp.leadC.get(sp.path("/reports/nine.html")), http.StatusNotFound)
		wantStatus(t, sp.leadC.get(sp.path("/reports/project.exe")), http.StatusNotFound)
		if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'audit.export' AND subject LIKE 'report:%'`); n < 4 {
			t.Errorf("%d report downloads audited", n)
		}
	})
}
