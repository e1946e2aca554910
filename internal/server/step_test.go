package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// stepProject is a project with one member in each role, plus outsiders.
type stepProject struct {
	e                                   *env
	p                                   *coproduce.Project
	lead, facilitator, lay, staff       *coproduce.User
	outsider, admin                     *coproduce.User
	leadC, facC, layC, staffC, outsideC *client
}

func newStepProject(t *testing.T) *stepProject {
	t.Helper()
	e := newEnv(t)
	sp := &stepProject{e: e}
	sp.lead = pgtest.User(t, e.store, coproduce.RoleStaff)
	sp.p = pgtest.Project(t, e.store, sp.lead)
	sp.facilitator = pgtest.Member(t, e.store, sp.p, coproduce.RoleStaff, coproduce.RoleFacilitator)
	sp.lay = pgtest.Member(t, e.store, sp.p, coproduce.RolePartner, coproduce.RoleLayPartner)
	sp.staff = pgtest.Member(t, e.store, sp.p, coproduce.RoleStaff, coproduce.RoleStaffPartner)
	sp.outsider = pgtest.User(t, e.store, coproduce.RolePartner)
	sp.admin = pgtest.User(t, e.store, coproduce.RoleAdmin)
	sp.leadC, sp.facC = e.signedIn(sp.lead), e.signedIn(sp.facilitator)
	sp.layC, sp.staffC, sp.outsideC = e.signedIn(sp.lay), e.signedIn(sp.staff), e.signedIn(sp.outsider)
	return sp
}

func (sp *stepProject) path(suffix string) string { return "/projects/" + itoa(sp.p.ID) + suffix }

func (sp *stepProject) stage(t *testing.T, step coproduce.Step) coproduce.Stage {
	t.Helper()
	st, err := sp.e.store.Stage(context.Background(), sp.p.ID, step)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

var validGroup = url.Values{"name": {"Carers"}, "affected": {"indirect"}, "included": {"yes"}, "version": {"0"}}

func TestStepPermissions(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	g, err := sp.e.store.CreateGroup(context.Background(), sp.lead.ID, sp.p.ID, coproduce.GroupInput{Name: "Patients", Affected: "direct", Included: "yes"})
	if err != nil {
		t.Fatal(err)
	}
	gp := "/steps/identify/groups/" + itoa(g.ID)
	lay := "/steps/understand/members/" + itoa(sp.lay.ID)
	writes := []struct {
		path string
		form url.Values
	}{
		{"/steps/identify/status", url.Values{"status": {"in_progress"}, "version": {"1"}}},
		{"/steps/identify/notes", url.Values{"notes": {"x"}, "version": {"1"}}},
		{"/steps/identify/groups", validGroup},
		{gp, url.Values{"name": {"Taken"}, "affected": {"direct"}, "included": {"yes"}, "version": {"1"}}},
		{gp + "/remove", url.Values{"version": {"1"}}},
		{"/steps/be-clear/purpose", url.Values{"purpose": {"Mine now"}, "version": {"0"}}},
		{"/steps/choose/approach", url.Values{"level": {"inform"}, "stage": {"co_design"}, "scope": {"system"}, "methods": {"forum"}, "rationale_forum": {"x"}, "version": {"0"}}},
		{lay, url.Values{"role": {"a"}, "remit": {"b"}, "relationships": {"c"}, "responsibility": {"d"}, "version": {"0"}}},
	}
	reads := []string{"/steps/identify", "/steps/select", "/steps/be-clear", "/steps/choose", "/steps/support", "/steps/build", "/steps/understand"}
	editPages := []string{gp, "/steps/be-clear/purpose", lay}
	audits := sp.e.count(`SELECT count(*) FROM audit_events WHERE project_id = $1`, sp.p.ID)

	t.Run("EveryMemberReadsEveryStep", func(t *testing.T) {
		for _, c := range []*client{sp.leadC, sp.facC, sp.layC, sp.staffC} {
			for _, r := range reads {
				wantStatus(t, c.get(sp.path(r)), http.StatusOK)
			}
		}
	})
	t.Run("OutsidersSeeNothing", func(t *testing.T) {
		for _, r := range append(reads, editPages...) {
			wantStatus(t, sp.outsideC.get(sp.path(r)), http.StatusNotFound)
		}
		for _, w := range writes {
			wantStatus(t, sp.outsideC.post(sp.path(w.path), w.form), http.StatusNotFound)
		}
		wantRedirect(t, sp.e.client().get(sp.path("/steps/identify")), "/sign-in")
	})
	t.Run("PartnersCannotEditStepData", func(t *testing.T) {
		for _, c := range []*client{sp.layC, sp.staffC} {
			for _, p := range editPages {
				wantStatus(t, c.get(sp.path(p)), http.StatusForbidden)
			}
			for _, w := range writes {
				wantStatus(t, c.post(sp.path(w.path), w.form), http.StatusForbidden)
			}
		}
	})
	t.Run("NothingWasWrittenByRefusedRequests", func(t *testing.T) {
		if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE project_id = $1`, sp.p.ID); n != audits {
			t.Errorf("audit events went from %d to %d", audits, n)
		}
		got, _ := sp.e.store.Group(context.Background(), sp.p.ID, g.ID)
		if got.Name != "Patients" {
			t.Errorf("group changed to %q", got.Name)
		}
	})
	t.Run("FacilitatorEditsStepData", func(t *testing.T) {
		for _, p := range editPages {
			wantStatus(t, sp.facC.get(sp.path(p)), http.StatusOK)
		}
		wantRedirect(t, sp.facC.post(sp.path("/steps/identify/groups"), validGroup), sp.path("/steps/identify"))
	})
	t.Run("StaffPartnerAndFacilitatorCannotSignOff", func(t *testing.T) {
		for _, c := range []*client{sp.facC, sp.staffC} {
			wantStatus(t, c.post(sp.path("/steps/identify/sign-off"), nil), http.StatusForbidden)
		}
	})
	t.Run("UnknownStepAndOtherProjectsGroupAre404", func(t *testing.T) {
		wantStatus(t, sp.leadC.get(sp.path("/steps/eight")), http.StatusNotFound)
		other := pgtest.Project(t, sp.e.store, sp.lead)
		og, _ := sp.e.store.CreateGroup(context.Background(), sp.lead.ID, other.ID, coproduce.GroupInput{Name: "Other", Affected: "direct", Included: "yes"})
		wantStatus(t, sp.leadC.get(sp.path("/steps/identify/groups/"+itoa(og.ID))), http.StatusNotFound)
		wantStatus(t, sp.leadC.post(sp.path("/steps/identify/groups/"+itoa(og.ID)+"/remove"), url.Values{"version": {"1"}}), http.StatusNotFound)
		wantStatus(t, sp.leadC.get(sp.path("/steps/understand/members/"+itoa(sp.outsider.ID))), http.StatusNotFound)
	})
}

func TestCoSignedCompletionThroughTheForms(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	step := sp.path("/steps/choose")
	wantRedirect(t, sp.leadC.post(step+"/status", url.Values{"status": {"in_progress"}, "version": {"1"}}), step)
	wantRedirect(t, sp.leadC.post(step+"/sign-off", nil), step)
	d := doc(t, sp.leadC.get(step))
	if !strings.Contains(text(d, "[data-testid=stage-waiting]"), "lay partner") {
		t.Errorf("waiting: %q", text(d, "[data-testid=stage-waiting]"))
	}
	if d.Find("[data-testid=sign-off]").Length() != 0 {
		t.Error("lead offered a second sign-off")
	}
	if doc(t, sp.layC.get(step)).Find("[data-testid=sign-off]").Length() != 1 {
		t.Fatal("lay partner not offered a sign-off")
	}
	wantRedirect(t, sp.layC.post(step+"/sign-off", nil), step)
	if st := sp.stage(t, coproduce.StepChoose); st.Status != coproduce.StageComplete {
		t.Errorf("status %s", st.Status)
	}
	d = doc(t, sp.layC.get(step))
	if got := text(d, "[data-testid=sign-offs]"); !strings.Contains(got, sp.lead.Name) || !strings.Contains(got, sp.lay.Name) {
		t.Errorf("sign-offs %q", got)
	}
	tracker := doc(t, sp.layC.get(sp.path("")))
	if tracker.Find("[data-step=choose][data-status=complete]").Length() != 1 {
		t.Error("tracker does not show the step complete")
	}
}

func TestProvisionalStepIsOfferedToNewLayPartners(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lead := pgtest.User(t, e.store, coproduce.RoleStaff)
	p := pgtest.Project(t, e.store, lead)
	c := e.signedIn(lead)
	step := "/projects/" + itoa(p.ID) + "/steps/identify"
	c.post(step+"/status", url.Values{"status": {"in_progress"}, "version": {"1"}})
	wantRedirect(t, c.post(step+"/sign-off", nil), step)
	if !strings.Contains(text(doc(t, c.get(step)), "[data-testid=stage-status]"), "Provisional") {
		t.Error("not shown as provisional")
	}
	lay := pgtest.Member(t, e.store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	lc := e.signedIn(lay)
	d := doc(t, lc.get("/projects/"+itoa(p.ID)))
	if d.Find("[data-testid=prompt-co-sign]").Length() != 1 {
		t.Fatal("lay partner not asked to co-sign")
	}
	wantRedirect(t, lc.post(step+"/sign-off", nil), step)
	st, _ := e.store.Stage(context.Background(), p.ID, coproduce.StepIdentify)
	if st.Status != coproduce.StageComplete || st.Provisional {
		t.Errorf("stage %+v", st)
	}
	if doc(t, lc.get("/projects/"+itoa(p.ID))).Find("[data-testid=prompt-co-sign]").Length() != 0 {
		t.Error("still asked to co-sign")
	}
}

func TestIdentifyForms(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	step := sp.path("/steps/identify")

	t.Run("ExcludedGroupNeedsAReason", func(t *testing.T) {
		form := url.Values{"name": {"Young carers"}, "affected": {"indirect"}, "included": {"no"}, "reach": {"Schools"}, "version": {"0"}}
		res := sp.leadC.post(step+"/groups", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if d.Find("#exclusion_reason-error").Length() != 1 {
			t.Error("no error beside the reason")
		}
		if v, _ := d.Find("input#name").Attr("value"); v != "Young carers" {
			t.Errorf("name not kept: %q", v)
		}
		if text(d, "textarea#reach") != "Schools" {
			t.Error("reach not kept")
		}
		if n := sp.e.count(`SELECT count(*) FROM stakeholder_groups WHERE project_id = $1`, sp.p.ID); n != 0 {
			t.Errorf("%d groups written", n)
		}
		form.Set("exclusion_reason", "Reached through their schools' own project instead")
		wantRedirect(t, sp.leadC.post(step+"/groups", form), step)
		if !strings.Contains(text(doc(t, sp.layC.get(step)), "[data-testid=groups]"), "Why not: Reached through") {
			t.Error("reason not shown")
		}
	})

	t.Run("SecondEditorIsToldAndSeesTheNewerVersion", func(t *testing.T) {
		g, _ := sp.e.store.CreateGroup(context.Background(), sp.lead.ID, sp.p.ID, coproduce.GroupInput{Name: "Stroke survivors", Affected: "direct", Included: "yes"})
		gp := step + "/groups/" + itoa(g.ID)
		base := itoa(int64(g.Version))
		wantRedirect(t, sp.facC.post(gp, url.Values{"name": {"Stroke survivors at home"}, "affected": {"direct"}, "included": {"yes"}, "version": {base}}), step)
		res := sp.leadC.post(gp, url.Values{"name": {"People after a stroke"}, "affected": {"direct"}, "included": {"yes"}, "version": {base}})
		wantStatus(t, res, http.StatusConflict)
		d := doc(t, res)
		if !strings.Contains(text(d, "[data-testid=latest-version]"), "Stroke survivors at home") {
			t.Errorf("newer version not shown: %q", text(d, "[data-testid=latest-version]"))
		}
		if v, _ := d.Find("input#name").Attr("value"); v != "People after a stroke" {
			t.Errorf("the editor's text was lost: %q", v)
		}
		if d.Find("[data-testid=error-summary]").Length() != 1 {
			t.Error("no error summary")
		}
		got, _ := sp.e.store.Group(context.Background(), sp.p.ID, g.ID)
		if got.Name != "Stroke survivors at home" {
			t.Errorf("overwritten: %q", got.Name)
		}
		// Saving again from the form as shown now succeeds.
		next, _ := d.Find("input[name=version]").Attr("value")
		wantRedirect(t, sp.leadC.post(gp, url.Values{"name": {"People after a stroke"}, "affected": {"direct"}, "included": {"yes"}, "version": {next}}), step)
	})
}

func TestEditingACompleteStepWarnsAndReopens(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	step := sp.path("/steps/understand")
	sp.leadC.post(step+"/status", url.Values{"status": {"in_progress"}, "version": {"1"}})
	sp.leadC.post(step+"/sign-off", nil)
	sp.layC.post(step+"/sign-off", nil)
	if sp.stage(t, coproduce.StepUnderstand).Status != coproduce.StageComplete {
		t.Fatal("not complete")
	}
	edit := step + "/members/" + itoa(sp.lay.ID)
	if doc(t, sp.leadC.get(edit)).Find("[data-testid=complete-warning]").Length() != 1 {
		t.Error("no warning before saving a complete step")
	}
	wantRedirect(t, sp.leadC.post(edit, url.Values{"role": {"Lay partner"}, "remit": {"Visits"}, "relationships": {"Buddy"}, "responsibility": {"Monthly"}, "version": {"0"}}), step)
	st := sp.stage(t, coproduce.StepUnderstand)
	if st.Status != coproduce.StageInProgress || len(st.SignOffs) != 0 {
		t.Errorf("after edit %+v", st)
	}
}

func TestPurposeAcknowledgementJourney(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	step := sp.path("/steps/be-clear")
	res := sp.leadC.post(step+"/purpose", url.Values{"purpose": {""}, "version": {"0"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantRedirect(t, sp.leadC.post(step+"/purpose", url.Values{"purpose": {"Better rehab at home"}, "fixed": {"The budget"}, "version": {"0"}}), step)

	d := doc(t, sp.layC.get(sp.path("")))
	if d.Find("[data-testid=prompt-purpose]").Length() != 1 {
		t.Error("lay partner not prompted to read the purpose")
	}
	d = doc(t, sp.leadC.get(step))
	if got := text(d, "[data-testid=not-acknowledged]"); !strings.Contains(got, sp.lay.Name) {
		t.Errorf("lead does not see who has not read it: %q", got)
	}
	if !strings.Contains(text(doc(t, sp.leadC.get(sp.path(""))), "[data-step=be-clear] [data-testid=reading]"), "4 members have not read") {
		t.Error("tracker does not say how many have not read it")
	}
	wantRedirect(t, sp.layC.post(step+"/acknowledge", url.Values{"version": {"1"}}), step)
	if doc(t, sp.layC.get(step)).Find("[data-testid=acknowledged]").Length() != 1 {
		t.Error("acknowledgement not shown")
	}
	if doc(t, sp.layC.get(sp.path(""))).Find("[data-testid=prompt-purpose]").Length() != 0 {
		t.Error("still prompted")
	}
	// A new version asks everyone again, and the old one stays readable.
	wantRedirect(t, sp.leadC.post(step+"/purpose", url.Values{"purpose": {"Better rehab at home, version two"}, "version": {"1"}}), step)
	if doc(t, sp.layC.get(sp.path(""))).Find("[data-testid=prompt-purpose]").Length() != 1 {
		t.Error("not prompted for the new version")
	}
	old := sp.layC.get(step + "/versions/1")
	wantStatus(t, old, http.StatusOK)
	if !strings.Contains(text(doc(t, old), "[data-testid=purpose]"), "The budget") {
		t.Error("old version not readable")
	}
	// Acknowledging a stale version is refused with a clear notice.
	wantRedirect(t, sp.staffC.post(step+"/acknowledge", url.Values{"version": {"1"}}), step+"?notice=purpose-changed")
}

func TestChooseAndFourRsForms(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	step := sp.path("/steps/choose")

	t.Run("MethodWithoutAReason", func(t *testing.T) {
		res := sp.leadC.post(step+"/approach", url.Values{"level": {"co_design"}, "stage": {"co_design"}, "scope": {"system"}, "methods": {"workshop"}, "version": {"0"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if d.Find("#rationale_workshop-error").Length() != 1 {
			t.Error("no error beside the workshop reason")
		}
		if _, ok := d.Find("input[name=level][value=co_design]").Attr("checked"); !ok {
			t.Error("level not kept")
		}
	})
	t.Run("SavedAndShown", func(t *testing.T) {
		wantRedirect(t, sp.leadC.post(step+"/approach", url.Values{"level": {"co_design"}, "stage": {"co_design"}, "scope": {"system"},
			"methods": {"workshop", "interview"}, "rationale_workshop": {"Hands-on"}, "rationale_interview": {"For people at home"}, "version": {"0"}}), step)
		got := text(doc(t, sp.layC.get(step)), "[data-testid=approach]")
		for _, want := range []string{"Co-design", "Workshops", "For people at home"} {
			if !strings.Contains(got, want) {
				t.Errorf("approach lacks %q: %s", want, got)
			}
		}
	})
	t.Run("EachMemberChoosesTheirLevel", func(t *testing.T) {
		wantRedirect(t, sp.layC.post(step+"/involvement", url.Values{"my_level": {"co_produce"}}), step)
		wantRedirect(t, sp.staffC.post(step+"/involvement", url.Values{"my_level": {"co_produce"}}), step)
		wantStatus(t, sp.staffC.post(step+"/involvement", url.Values{"my_level": {"boss"}}), http.StatusUnprocessableEntity)
		d := doc(t, sp.leadC.get(step))
		if got := text(d, "[data-testid=involvement-spread] [data-level=co_produce] td:last-child"); got != "2" {
			t.Errorf("co-produce count %q", got)
		}
	})
	t.Run("FourRsWrittenAndAcknowledged", func(t *testing.T) {
		u := sp.path("/steps/understand")
		res := sp.leadC.post(u+"/members/"+itoa(sp.lay.ID), url.Values{"role": {"Lay partner"}, "version": {"0"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if doc(t, res).Find("#remit-error").Length() != 1 {
			t.Error("no remit error")
		}
		wantRedirect(t, sp.leadC.post(u+"/members/"+itoa(sp.lay.ID), url.Values{"role": {"Lay partner"}, "remit": {"Home visits"}, "relationships": {"Buddy: Priya"}, "responsibility": {"Monthly meetings"}, "version": {"0"}}), u)
		d := doc(t, sp.layC.get(u))
		if !strings.Contains(text(d, "[data-testid=my-four-rs]"), "Buddy: Priya") {
			t.Error("member does not see their 4Rs")
		}
		wantRedirect(t, sp.layC.post(u+"/acknowledge", url.Values{"version": {"1"}}), u)
		if doc(t, sp.layC.get(u)).Find("[data-testid=four-rs-acknowledged]").Length() != 1 {
			t.Error("acknowledgement not shown")
		}
	})
}

func TestStepChangesAreInTheAuditTrail(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	step := sp.path("/steps/identify")
	sp.leadC.post(step+"/groups", validGroup)
	sp.leadC.post(step+"/notes", url.Values{"notes": {"Met the stroke club"}, "version": {itoa(int64(sp.stage(t, coproduce.StepIdentify).Version))}})
	sp.leadC.post(step+"/sign-off", nil)
	for _, action := range []string{coproduce.AuditGroupAdd, coproduce.AuditStageStatus, coproduce.AuditStageNotes, coproduce.AuditStageSignOff} {
		if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE project_id = $1 AND action = $2 AND actor_id = $3`, sp.p.ID, action, sp.lead.ID); n != 1 {
			t.Errorf("%s: %d events", action, n)
		}
	}
}
