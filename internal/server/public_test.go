package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func TestPublicPage(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	ctx := context.Background()
	e.store.CreatePurposeVersion(ctx, sp.lead.ID, sp.p.ID, coproduce.PurposeInput{Purpose: "Better rehab at home"})
	path := sp.propose(t, sp.layC, "Text reminders")
	sp.leadC.post(path+"/respond", url.Values{"response": {"adopted"}, "rationale": {"Asked for by many"}})
	sp.leadC.post(path+"/actions", url.Values{"description": {"Set up texts"}, "owner": {sp.staff.Name}, "due_on": {"2027-03-01"}, "status": {"in_progress"}})

	wantStatus(t, sp.layC.post(sp.path("/publish"), url.Values{"published": {"yes"}}), http.StatusForbidden)
	// Publishing without looking at the preview shows the preview.
	wantRedirect(t, sp.leadC.post(sp.path("/publish"), url.Values{"published": {"yes"}}), sp.path("/public-preview?notice=public-changed"))
	preview := sp.leadC.open(t, sp.path("/public-preview"))
	// An idea answered after the lead looked changes the page: the old
	// preview's button shows the new preview instead of publishing.
	later := sp.propose(t, sp.layC, "Later idea")
	wantRedirect(t, sp.leadC.open(t, later).form("Save the answer").check("Adopted").submit(), later)
	res := preview.form("Publish the public page").submit()
	wantRedirect(t, res, sp.path("/public-preview?notice=public-changed"))
	again := sp.leadC.follow(t, res)
	if got := text(again.doc, "[data-testid=notice]"); !strings.Contains(got, "changed since you last looked") {
		t.Errorf("notice %q", got)
	}
	if href, _ := doc(t, sp.leadC.get(sp.path("/reports"))).Find("[data-testid=public-link]").Attr("href"); href != "" {
		t.Fatalf("published without the lead seeing what is public: %q", href)
	}
	wantRedirect(t, again.form("Publish the public page").submit(), sp.path("/reports"))
	href, _ := doc(t, sp.leadC.get(sp.path("/reports"))).Find("[data-testid=public-link]").Attr("href")
	if !strings.HasPrefix(href, "/p/") {
		t.Fatalf("public link %q", href)
	}

	res = e.client().get(href) // anyone, signed in or not
	wantStatus(t, res, http.StatusOK)
	body := res.Body.String()
	for _, want := range []string{"Better rehab at home", "Text reminders", "Adopted", "Asked for by many", "Set up texts"} {
		if !strings.Contains(body, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	for _, u := range []*coproduce.User{sp.lead, sp.facilitator, sp.lay, sp.staff} {
		if strings.Contains(body, u.Name) || strings.Contains(body, u.Email) {
			t.Errorf("public page shows personal data of %s", u.Name)
		}
	}
	if doc(t, res).Find("[data-testid=tracker] circle").Length() != 7 {
		t.Error("no tracker")
	}

	wantRedirect(t, sp.leadC.post(sp.path("/publish"), url.Values{"published": {"no"}}), sp.path(""))
	wantStatus(t, e.client().get(href), http.StatusNotFound)
	wantStatus(t, e.client().get("/p/no-such-project"), http.StatusNotFound)
}
