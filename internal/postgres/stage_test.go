package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

type stageFixture struct {
	s       *postgres.Store
	p       *coproduce.Project
	lead    coproduce.Access
	partner coproduce.Access
}

func newStageFixture(t *testing.T, withPartner bool) stageFixture {
	t.Helper()
	s := pgtest.Store(t)
	leadUser := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, leadUser)
	f := stageFixture{s: s, p: p, lead: coproduce.Access{User: leadUser, Role: coproduce.RoleLead}}
	if withPartner {
		u := pgtest.Member(t, s, p, coproduce.RolePartner, coproduce.RoleLayPartner)
		f.partner = coproduce.Access{User: u, Role: coproduce.RoleLayPartner}
	}
	return f
}

func (f stageFixture) stage(t *testing.T, step coproduce.Step) coproduce.Stage {
	t.Helper()
	st, err := f.s.Stage(context.Background(), f.p.ID, step)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func (f stageFixture) start(t *testing.T, step coproduce.Step) {
	t.Helper()
	st := f.stage(t, step)
	if err := f.s.SetStageStatus(context.Background(), f.lead.User.ID, f.p.ID, step, coproduce.StageInProgress, st.Version); err != nil {
		t.Fatal(err)
	}
}

func TestSignOffRule(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("LeadAloneIsNotComplete", func(t *testing.T) {
		f := newStageFixture(t, true)
		f.start(t, coproduce.StepIdentify)
		if err := f.s.SignOffStage(ctx, f.lead, f.p.ID, coproduce.StepIdentify); err != nil {
			t.Fatal(err)
		}
		st := f.stage(t, coproduce.StepIdentify)
		if st.Status != coproduce.StageInProgress || st.Waiting() != "waiting.lay_sign_off" {
			t.Errorf("status %s waiting %s", st.Status, st.Waiting())
		}
	})

	t.Run("LeadAndLayPartnerIsComplete", func(t *testing.T) {
		f := newStageFixture(t, true)
		f.start(t, coproduce.StepIdentify)
		// Order does not matter: the lay partner may sign first.
		if err := f.s.SignOffStage(ctx, f.partner, f.p.ID, coproduce.StepIdentify); err != nil {
			t.Fatal(err)
		}
		if f.stage(t, coproduce.StepIdentify).Status == coproduce.StageComplete {
			t.Fatal("complete with only a lay partner")
		}
		if err := f.s.SignOffStage(ctx, f.lead, f.p.ID, coproduce.StepIdentify); err != nil {
			t.Fatal(err)
		}
		st := f.stage(t, coproduce.StepIdentify)
		if st.Status != coproduce.StageComplete || st.Provisional || len(st.SignOffs) != 2 {
			t.Errorf("stage = %+v", st)
		}
	})

	t.Run("ProvisionalThenCoSigned", func(t *testing.T) {
		f := newStageFixture(t, false)
		f.start(t, coproduce.StepBeClear)
		v, err := f.s.CreatePurposeVersion(ctx, f.lead.User.ID, f.p.ID, coproduce.PurposeInput{Purpose: "Better rehab at home"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.SignOffStage(ctx, f.lead, f.p.ID, coproduce.StepBeClear); err != nil {
			t.Fatal(err)
		}
		st := f.stage(t, coproduce.StepBeClear)
		if st.Status != coproduce.StageComplete || !st.Provisional {
			t.Fatalf("want provisional completion, got %+v", st)
		}
		partner := pgtest.Member(t, f.s, f.p, coproduce.RolePartner, coproduce.RoleLayPartner)
		pa := coproduce.Access{User: partner, Role: coproduce.RoleLayPartner}
		// A lay partner signs step 3 off only after reading the purpose
		// statement as it stands.
		if err := f.s.SignOffStage(ctx, pa, f.p.ID, coproduce.StepBeClear); !errors.Is(err, coproduce.ErrPurposeNotRead) {
			t.Fatalf("sign-off before reading: %v", err)
		}
		if err := f.s.AcknowledgePurpose(ctx, f.p.ID, partner.ID, v); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SignOffStage(ctx, pa, f.p.ID, coproduce.StepBeClear); err != nil {
			t.Fatal(err)
		}
		st = f.stage(t, coproduce.StepBeClear)
		if st.Status != coproduce.StageComplete || st.Provisional {
			t.Errorf("want complete and co-signed, got %+v", st)
		}
	})

	t.Run("OthersCannotSignOff", func(t *testing.T) {
		f := newStageFixture(t, true)
		f.start(t, coproduce.StepChoose)
		fac := pgtest.Member(t, f.s, f.p, coproduce.RoleStaff, coproduce.RoleFacilitator)
		staff := pgtest.Member(t, f.s, f.p, coproduce.RoleStaff, coproduce.RoleStaffPartner)
		for _, a := range []coproduce.Access{{User: fac, Role: coproduce.RoleFacilitator}, {User: staff, Role: coproduce.RoleStaffPartner}} {
			if err := f.s.SignOffStage(ctx, a, f.p.ID, coproduce.StepChoose); !errors.Is(err, coproduce.ErrForbidden) {
				t.Errorf("%s: err = %v, want ErrForbidden", a.Role, err)
			}
		}
		if err := f.s.SignOffStage(ctx, f.lead, f.p.ID, coproduce.StepChoose); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SignOffStage(ctx, f.lead, f.p.ID, coproduce.StepChoose); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("signing twice: err = %v", err)
		}
	})

	t.Run("NotStartedCannotBeSignedOff", func(t *testing.T) {
		f := newStageFixture(t, true)
		if err := f.s.SignOffStage(ctx, f.lead, f.p.ID, coproduce.StepSupport); !errors.Is(err, coproduce.ErrForbidden) {
			t.Errorf("err = %v", err)
		}
	})
}

func completeStep(t *testing.T, f stageFixture, step coproduce.Step) {
	t.Helper()
	ctx := context.Background()
	if f.stage(t, step).Status == coproduce.StageNotStarted {
		f.start(t, step)
	}
	for _, a := range []coproduce.Access{f.lead, f.partner} {
		if err := f.s.SignOffStage(ctx, a, f.p.ID, step); err != nil {
			t.Fatal(err)
		}
	}
	if f.stage(t, step).Status != coproduce.StageComplete {
		t.Fatal("not complete")
	}
}

func TestEditingACompleteStepReopensIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newStageFixture(t, true)
	g, err := f.s.CreateGroup(ctx, f.lead.User.ID, f.p.ID, coproduce.GroupInput{Name: "Carers", Affected: "indirect", Included: "yes"})
	if err != nil {
		t.Fatal(err)
	}
	if f.stage(t, coproduce.StepIdentify).Status != coproduce.StageInProgress {
		t.Error("adding data did not start the step")
	}
	completeStep(t, f, coproduce.StepIdentify)

	in := coproduce.GroupInput{Name: "Carers and families", Affected: "indirect", Included: "yes", BaseVersion: g.Version}
	if err := f.s.UpdateGroup(ctx, f.lead.User.ID, f.p.ID, g.ID, in); err != nil {
		t.Fatal(err)
	}
	st := f.stage(t, coproduce.StepIdentify)
	if st.Status != coproduce.StageInProgress || len(st.SignOffs) != 0 {
		t.Errorf("after edit: %+v", st)
	}
	events, _ := f.s.AuditEventsForProject(ctx, f.p.ID, 50)
	var reset bool
	for _, e := range events {
		reset = reset || e.Action == coproduce.AuditStageReset
	}
	if !reset {
		t.Error("reset not audited")
	}
}

func TestConcurrentEditsDoNotOverwrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newStageFixture(t, true)

	t.Run("Group", func(t *testing.T) {
		g, _ := f.s.CreateGroup(ctx, f.lead.User.ID, f.p.ID, coproduce.GroupInput{Name: "Patients", Affected: "direct", Included: "yes"})
		first := coproduce.GroupInput{Name: "Patients at home", Affected: "direct", Included: "yes", BaseVersion: g.Version}
		second := coproduce.GroupInput{Name: "Stroke patients", Affected: "direct", Included: "yes", BaseVersion: g.Version}
		if err := f.s.UpdateGroup(ctx, f.lead.User.ID, f.p.ID, g.ID, first); err != nil {
			t.Fatal(err)
		}
		if err := f.s.UpdateGroup(ctx, f.lead.User.ID, f.p.ID, g.ID, second); !errors.Is(err, coproduce.ErrStale) {
			t.Errorf("second save: err = %v, want ErrStale", err)
		}
		got, _ := f.s.Group(ctx, f.p.ID, g.ID)
		if got.Name != "Patients at home" {
			t.Errorf("name = %q", got.Name)
		}
	})

	t.Run("Notes", func(t *testing.T) {
		v := f.stage(t, coproduce.StepChoose).Version
		if err := f.s.UpdateStageNotes(ctx, f.lead.User.ID, f.p.ID, coproduce.StepChoose, coproduce.NotesInput{Notes: "one", BaseVersion: v}); err != nil {
			t.Fatal(err)
		}
		err := f.s.UpdateStageNotes(ctx, f.lead.User.ID, f.p.ID, coproduce.StepChoose, coproduce.NotesInput{Notes: "two", BaseVersion: v})
		if !errors.Is(err, coproduce.ErrStale) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("Purpose", func(t *testing.T) {
		if _, err := f.s.CreatePurposeVersion(ctx, f.lead.User.ID, f.p.ID, coproduce.PurposeInput{Purpose: "A", BaseVersion: 0}); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.CreatePurposeVersion(ctx, f.lead.User.ID, f.p.ID, coproduce.PurposeInput{Purpose: "B", BaseVersion: 0})
		if !errors.Is(err, coproduce.ErrStale) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("GroupOfAnotherProjectIsNotFound", func(t *testing.T) {
		other := newStageFixture(t, false)
		g, _ := other.s.CreateGroup(ctx, other.lead.User.ID, other.p.ID, coproduce.GroupInput{Name: "X", Affected: "direct", Included: "yes"})
		_, err := f.s.Group(ctx, f.p.ID, g.ID)
		if !errors.Is(err, coproduce.ErrNotFound) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestPurposeVersionsAndAcknowledgement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newStageFixture(t, true)
	v1, err := f.s.CreatePurposeVersion(ctx, f.lead.User.ID, f.p.ID, coproduce.PurposeInput{Purpose: "First"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.AcknowledgePurpose(ctx, f.p.ID, f.partner.User.ID, v1); err != nil {
		t.Fatal(err)
	}
	acks, _ := f.s.PurposeAcknowledgements(ctx, f.p.ID)
	if n := countAcknowledged(acks); n != 1 {
		t.Fatalf("%d acknowledged, want 1", n)
	}
	v2, err := f.s.CreatePurposeVersion(ctx, f.lead.User.ID, f.p.ID, coproduce.PurposeInput{Purpose: "Second", BaseVersion: v1})
	if err != nil || v2 != 2 {
		t.Fatalf("v2 = %d, %v", v2, err)
	}
	acks, _ = f.s.PurposeAcknowledgements(ctx, f.p.ID)
	if n := countAcknowledged(acks); n != 0 {
		t.Errorf("%d acknowledged the new version, want 0", n)
	}
	if err := f.s.AcknowledgePurpose(ctx, f.p.ID, f.partner.User.ID, v1); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("acknowledging the old version: %v", err)
	}
	old, err := f.s.PurposeVersion(ctx, f.p.ID, v1)
	if err != nil || old.Purpose != "First" {
		t.Errorf("old version %+v, %v", old, err)
	}
	cur, _ := f.s.CurrentPurpose(ctx, f.p.ID)
	if cur.Purpose != "Second" {
		t.Errorf("current %+v", cur)
	}
}

func countAcknowledged(acks []coproduce.Acknowledgement) int {
	n := 0
	for _, a := range acks {
		if a.AcknowledgedAt != nil {
			n++
		}
	}
	return n
}

func TestApproachAndInvolvement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newStageFixture(t, true)
	in := coproduce.ApproachInput{Level: coproduce.LevelCoDesign, Stage: "co_design", Scope: "system",
		Methods: map[coproduce.Method]string{"workshop": "Hands-on", "interview": "For people who cannot travel"}}
	if err := f.s.SaveApproach(ctx, f.lead.User.ID, f.p.ID, in); err != nil {
		t.Fatal(err)
	}
	a, err := f.s.Approach(ctx, f.p.ID)
	if err != nil || a.Level != coproduce.LevelCoDesign || len(a.Methods) != 2 || a.Methods["interview"] != "For people who cannot travel" {
		t.Fatalf("approach %+v, %v", a, err)
	}
	in.Methods = map[coproduce.Method]string{"forum": "Existing group"}
	if err := f.s.SaveApproach(ctx, f.lead.User.ID, f.p.ID, in); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("save from version 0 again: %v", err)
	}
	in.BaseVersion = a.Version
	if err := f.s.SaveApproach(ctx, f.lead.User.ID, f.p.ID, in); err != nil {
		t.Fatal(err)
	}
	a, _ = f.s.Approach(ctx, f.p.ID)
	if len(a.Methods) != 1 {
		t.Errorf("methods not replaced: %v", a.Methods)
	}
	if err := f.s.SetInvolvement(ctx, f.p.ID, f.partner.User.ID, coproduce.LevelCoProduce); err != nil {
		t.Fatal(err)
	}
	list, _ := f.s.Involvements(ctx, f.p.ID)
	var got coproduce.Level
	for _, i := range list {
		if i.UserID == f.partner.User.ID {
			got = i.Level
		}
	}
	if got != coproduce.LevelCoProduce {
		t.Errorf("partner level %q", got)
	}
}

func TestFourRs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newStageFixture(t, true)
	who := f.partner.User.ID
	in := coproduce.FourRsInput{Role: "Lay partner", Remit: "Redesign visits", Relationships: "Buddy: Priya", Responsibility: "Attend monthly"}
	if err := f.s.SaveFourRs(ctx, f.lead.User.ID, f.p.ID, who, in); err != nil {
		t.Fatal(err)
	}
	got, _ := f.s.FourRsFor(ctx, f.p.ID, who)
	if !got.Written() || got.Acknowledged() {
		t.Fatalf("%+v", got)
	}
	if err := f.s.AcknowledgeFourRs(ctx, f.p.ID, who, got.Version); err != nil {
		t.Fatal(err)
	}
	got, _ = f.s.FourRsFor(ctx, f.p.ID, who)
	if !got.Acknowledged() {
		t.Error("not acknowledged")
	}
	in.BaseVersion = got.Version
	in.Remit = "Redesign visits and exercises"
	if err := f.s.SaveFourRs(ctx, f.lead.User.ID, f.p.ID, who, in); err != nil {
		t.Fatal(err)
	}
	got, _ = f.s.FourRsFor(ctx, f.p.ID, who)
	if got.Acknowledged() {
		t.Error("a changed 4Rs is still acknowledged")
	}
	if err := f.s.AcknowledgeFourRs(ctx, f.p.ID, who, got.Version-1); !errors.Is(err, coproduce.ErrStale) {
		t.Errorf("old version: %v", err)
	}
	if _, err := f.s.FourRsFor(ctx, f.p.ID, -1); !errors.Is(err, coproduce.ErrNotFound) {
		t.Errorf("non-member: %v", err)
	}
}

func TestExcludedGroupNeedsAReasonInTheDatabaseToo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newStageFixture(t, false)
	_, err := f.s.CreateGroup(ctx, f.lead.User.ID, f.p.ID, coproduce.GroupInput{Name: "Left out", Affected: "direct", Included: "no"})
	if err == nil {
		t.Error("excluded group without a reason was stored")
	}
}
