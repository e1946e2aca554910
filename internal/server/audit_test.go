package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func TestProjectHistory(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	sp.leadC.post(sp.path("/steps/identify/groups"), validGroup)
	for _, c := range []*client{sp.leadC, sp.facC} {
		res := c.get(sp.path("/history"))
		wantStatus(t, res, http.StatusOK)
		got := text(doc(t, res), "[data-testid=audit]")
		for _, want := range []string{"Created the project", "Added a group", "Carers", sp.lead.Name} {
			if !strings.Contains(got, want) {
				t.Errorf("history lacks %q", want)
			}
		}
	}
	for _, c := range []*client{sp.layC, sp.staffC} {
		wantStatus(t, c.get(sp.path("/history")), http.StatusForbidden)
	}
	wantStatus(t, sp.outsideC.get(sp.path("/history")), http.StatusNotFound)
	wantStatus(t, sp.e.signedIn(sp.admin).get(sp.path("/history")), http.StatusOK)
}

func TestAdminAudit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := pgtest.User(t, e.store, coproduce.RoleAdmin)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	other := pgtest.User(t, e.store, coproduce.RoleStaff)
	_, err := e.store.CreateProject(context.Background(), lead.ID, coproduce.ProjectInput{Title: `=HYPERLINK("http://x")`, Status: coproduce.ProjectDraft})
	if err != nil {
		t.Fatal(err)
	}
	plain := pgtest.Project(t, e.store, other)
	c := e.signedIn(admin)
	list := func(q url.Values) string {
		t.Helper()
		res := c.get("/admin/audit?" + q.Encode())
		wantStatus(t, res, http.StatusOK)
		return text(doc(t, res), "[data-testid=audit]")
	}

	t.Run("FiltersByProject", func(t *testing.T) {
		got := list(url.Values{"project": {itoa(plain.ID)}})
		if !strings.Contains(got, plain.Title) || strings.Contains(got, "HYPERLINK") {
			t.Errorf("got %s", got)
		}
	})
	t.Run("FiltersByPerson", func(t *testing.T) {
		got := list(url.Values{"person": {itoa(lead.ID)}})
		if !strings.Contains(got, "HYPERLINK") || strings.Contains(got, plain.Title) {
			t.Errorf("got %s", got)
		}
	})
	t.Run("FiltersByDate", func(t *testing.T) {
		tomorrow := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
		if got := list(url.Values{"project": {itoa(plain.ID)}, "from": {tomorrow}}); strings.Contains(got, plain.Title) {
			t.Errorf("future filter shows %s", got)
		}
		today := time.Now().UTC().Format("2006-01-02")
		if got := list(url.Values{"project": {itoa(plain.ID)}, "from": {today}, "to": {today}}); !strings.Contains(got, plain.Title) {
			t.Errorf("today's filter misses the project: %s", got)
		}
		res := c.get("/admin/audit?from=2026-13-40")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if doc(t, res).Find("#from-error").Length() != 1 {
			t.Error("no date error")
		}
	})
	t.Run("CSVIsSafeAndAudited", func(t *testing.T) {
		res := c.get("/admin/audit.csv?person=" + itoa(lead.ID))
		wantStatus(t, res, http.StatusOK)
		if ct := res.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		rows, err := readCSV(t, res.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0][0] != "time" {
			t.Fatalf("rows %q", rows)
		}
		if rows[1][2] != `'=HYPERLINK("http://x")` {
			t.Errorf("project cell %q not neutralised", rows[1][2])
		}
		if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'audit.export' AND actor_id = $1`, admin.ID); n != 1 {
			t.Errorf("%d export events", n)
		}
	})
	t.Run("OnlyAdministrators", func(t *testing.T) {
		lc := e.signedIn(lead)
		wantStatus(t, lc.get("/admin/audit"), http.StatusForbidden)
		wantStatus(t, lc.get("/admin/audit.csv"), http.StatusForbidden)
	})
}
