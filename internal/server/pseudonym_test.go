package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/internal/report"
)

// rename gives a fixture person a real-looking name.
func (sp *stepProject) rename(t *testing.T, u *coproduce.User, name string) {
	t.Helper()
	if _, err := sp.e.tx.Exec(context.Background(), `UPDATE users SET name = $2 WHERE id = $1`, u.ID, name); err != nil {
		t.Fatal(err)
	}
	u.Name = name
}

// suggest suggests an idea through the build page's form.
func (sp *stepProject) suggest(t *testing.T, c *client, title, body string) string {
	t.Helper()
	res := c.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", title).fill("Tell us more", body).submit()
	wantRedirect(t, res, sp.path("/proposals/"))
	return strings.SplitN(res.Header().Get("Location"), "?", 2)[0]
}

// labelsIn reads who wrote each idea, and whose the 4Rs "Role 1" and
// "Role 2" are, in a JSON report.
func labelsIn(t *testing.T, c *client, path string) (ideas map[string]string, fourRs []string) {
	t.Helper()
	res := c.get(path)
	wantStatus(t, res, http.StatusOK)
	var r report.Report
	if err := json.Unmarshal(res.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	ideas = map[string]string{}
	for _, p := range r.Proposals {
		ideas[p.Title] = p.By
	}
	fourRs = make([]string, 2)
	for _, s := range r.Steps {
		for _, f := range s.FourRs {
			if f.Role == "Role 1" {
				fourRs[0] = f.Member
			} else {
				fourRs[1] = f.Member
			}
		}
	}
	return ideas, fourRs
}

// The finding: "Lay partner N" was counted afresh in each report, in the
// order people appeared, so one person had two labels a minute apart. Each
// membership now has one pseudonym for the life of the project.
func TestEachMemberKeepsOnePseudonym(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	second := pgtest.Member(t, sp.e.store, sp.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	secondC := sp.e.signedIn(second)
	// The second lay partner speaks first; the lead writes both 4Rs, the
	// first lay partner's first.
	sp.suggest(t, secondC, "Second's idea", "Why")
	for i, u := range []*coproduce.User{sp.lay, second} {
		res := sp.leadC.open(t, sp.path("/steps/understand/members/"+itoa(u.ID))).form("Save 4Rs").
			fill("Role", "Role "+itoa(int64(i+1))).fill("Remit", "Ideas").fill("Relationships", "All").fill("Responsibility", "Share").submit()
		wantRedirect(t, res, sp.path("/steps/understand"))
	}
	const first, other = "Lay partner 1", "Lay partner 2"
	ideas, _ := labelsIn(t, sp.leadC, sp.path("/reports/build.json"))
	if ideas["Second's idea"] != other {
		t.Errorf("build report: the second lay partner is %q, want %q", ideas["Second's idea"], other)
	}
	_, fourRs := labelsIn(t, sp.leadC, sp.path("/reports/understand.json"))
	if fourRs[0] != first || fourRs[1] != other {
		t.Errorf("understand report: 4Rs of %q, want [%s %s]", fourRs, first, other)
	}
	// Later, the first lay partner speaks too: nobody's label moves.
	sp.suggest(t, sp.layC, "First's idea", "Why")
	ideas, fourRs = labelsIn(t, sp.leadC, sp.path("/reports/project.json"))
	if ideas["Second's idea"] != other || ideas["First's idea"] != first || fourRs[0] != first || fourRs[1] != other {
		t.Errorf("project report: ideas %v, 4Rs %v", ideas, fourRs)
	}
	csv := sp.leadC.get(sp.path("/reports/build.csv")).Body.String()
	if !strings.Contains(csv, "Second's idea") || !strings.Contains(csv, other) {
		t.Errorf("build CSV:\n%s", csv)
	}

	// Erased: "Former participant"; the number is never given again.
	admin := sp.e.signedIn(sp.admin)
	wantRedirect(t, admin.open(t, "/admin/users/"+itoa(second.ID)+"/erase").form("Erase their personal data").submit(), "/admin/users")
	ideas, fourRs = labelsIn(t, sp.leadC, sp.path("/reports/project.json"))
	if ideas["Second's idea"] != "Former participant" || fourRs[1] != "Former participant" || ideas["First's idea"] != first {
		t.Errorf("after erasure: ideas %v, 4Rs %v", ideas, fourRs)
	}
	third := pgtest.Member(t, sp.e.store, sp.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	sp.suggest(t, sp.e.signedIn(third), "Third's idea", "Why")
	if ideas, _ = labelsIn(t, sp.leadC, sp.path("/reports/build.json")); ideas["Third's idea"] != "Lay partner 3" {
		t.Errorf("a newcomer is %q, want Lay partner 3 (2 is never given again)", ideas["Third's idea"])
	}
	// A lay partner made a facilitator (and still not named) keeps their
	// pseudonym.
	if _, err := sp.e.tx.Exec(context.Background(), `UPDATE memberships SET role = 'facilitator', named_in_reports = false WHERE user_id = $1`, sp.lay.ID); err != nil {
		t.Fatal(err)
	}
	if ideas, _ = labelsIn(t, sp.leadC, sp.path("/reports/build.json")); ideas["First's idea"] != first {
		t.Errorf("after a change of role: %q", ideas["First's idea"])
	}
}

// The finding: "Priya will write the new sheets with Margaret and David"
// was shown verbatim in "anonymous" reports and on the public page. A
// member's name inside free text now shows as their label.
func TestNamesInsideFreeTextBecomePseudonyms(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	sp.rename(t, sp.staff, "Dr Priya Patel")
	sp.rename(t, sp.lay, "Margaret O'Brien")
	david := pgtest.Member(t, sp.e.store, sp.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	sp.rename(t, david, "David Okafor")
	davidC := sp.e.signedIn(david)
	sp.e.store.CreatePurposeVersion(context.Background(), sp.lead.ID, sp.p.ID, coproduce.PurposeInput{Purpose: "Margaret and David asked for this"})

	idea := sp.suggest(t, davidC, "Sheets with pictures, as Mrs O'Brien said", "margaret o'brien and I both struggled")
	res := sp.leadC.open(t, idea).form("Save the answer").check("Adopted").fill("Why?", "David is right").submit()
	wantRedirect(t, res, idea)
	res = sp.leadC.open(t, idea).form("Add action").
		fill("What will be done", "Priya will write the new sheets with Margaret and David").
		fill("Who will do it", "Dr Patel").fill("By when", "2030-01-31").check("Not started").submit()
	wantRedirect(t, res, idea)
	res = sp.layC.open(t, idea).form("Send comment").fill("Your comment", "Thank you David Okafor").submit()
	wantRedirect(t, res, idea)

	names := []string{"Margaret", "O'Brien", "O&#39;Brien", "Okafor", "David"}
	t.Run("Reports", func(t *testing.T) {
		for _, path := range []string{"/reports/build.json", "/reports/build.csv", "/reports/build.html", "/reports/project.json", "/reports/be-clear.json"} {
			body := sp.leadC.get(sp.path(path)).Body.String()
			wantNone(t, path, body, names)
		}
		body := sp.leadC.get(sp.path("/reports/build.json")).Body.String()
		for _, want := range []string{"Priya will write the new sheets with Lay partner 1 and Lay partner 2",
			"Sheets with pictures, as Lay partner 1 said", "Lay partner 1 and I both struggled", "Lay partner 2 is right",
			"Thank you Lay partner 2", `"owner":"Dr Patel"`} {
			if !strings.Contains(body, want) {
				t.Errorf("build.json lacks %q:\n%s", want, body)
			}
		}
		// Priya opts out of being named: her name goes too.
		wantRedirect(t, sp.staffC.open(t, sp.path("/reports")).form("Save").uncheck("Use my name in this project's reports").submit(), sp.path(""))
		body = sp.leadC.get(sp.path("/reports/build.json")).Body.String()
		if !strings.Contains(body, "Staff partner 1 will write the new sheets") || strings.Contains(body, "Priya") || strings.Contains(body, "Patel") {
			t.Errorf("after opting out:\n%s", body)
		}
	})
	t.Run("PublicPagePreviewedThenPublished", func(t *testing.T) {
		preview := sp.leadC.open(t, sp.path("/reports")).doc.Find("[data-testid=preview-public]").AttrOr("href", "")
		if preview == "" || sp.leadC.open(t, sp.path("/reports")).has("Publish the public page") {
			t.Fatalf("publishing does not start with a preview (link %q)", preview)
		}
		wantStatus(t, sp.layC.get(preview), http.StatusForbidden)
		p := sp.leadC.open(t, preview)
		shown, _ := p.doc.Find("[data-testid=public-preview]").Html()
		wantNone(t, "preview", shown, append(names, "Priya", "Patel", "Aisha"))
		if !strings.Contains(shown, "Staff partner 1 will write the new sheets with Lay partner 1 and Lay partner 2") {
			t.Errorf("preview:\n%s", shown)
		}
		res := p.form("Publish the public page").submit()
		wantRedirect(t, res, sp.path("/reports"))
		href, _ := sp.leadC.open(t, sp.path("/reports")).doc.Find("[data-testid=public-link]").Attr("href")
		public := sp.e.client().open(t, href)
		published, _ := public.doc.Find("main").Html()
		if !strings.Contains(published, shown) {
			t.Errorf("the public page is not what the preview showed:\npreview:\n%s\npublic:\n%s", shown, published)
		}
		// Taking it down stays one step.
		wantRedirect(t, sp.leadC.open(t, sp.path("/reports")).form("Take the public page down").submit(), sp.path("/reports"))
		wantStatus(t, sp.e.client().get(href), http.StatusNotFound)
	})
}
