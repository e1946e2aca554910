package i18n_test

import (
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// Message ids built from domain values at run time, which no page test is
// sure to reach, must all exist.
func TestCatalogHasEveryDynamicMessage(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range coproduce.ProjectRoles {
		ids = append(ids, "project_role."+string(r), "project_role_hint."+string(r))
	}
	for _, s := range coproduce.ProjectStatuses {
		ids = append(ids, "project_status."+string(s), "project_status_hint."+string(s))
	}
	for _, s := range coproduce.Steps {
		ids = append(ids, "step."+s.Slug(), "step."+s.Slug()+".asks", "step."+s.Slug()+".guide", "step."+s.Slug()+".explain")
	}
	for _, l := range coproduce.Levels {
		ids = append(ids, "level."+string(l), "level."+string(l)+"_hint")
	}
	for _, s := range coproduce.EngagementStages {
		ids = append(ids, "engagement_stage."+string(s), "engagement_stage."+string(s)+"_hint")
	}
	for _, s := range coproduce.Scopes {
		ids = append(ids, "scope."+string(s), "scope."+string(s)+"_hint")
	}
	for _, m := range coproduce.Methods {
		ids = append(ids, "method."+string(m))
	}
	for _, k := range coproduce.NewsKinds {
		ids = append(ids, "notify.kind."+string(k), "notify.kind_hint."+string(k))
	}
	for _, f := range []string{"purpose", "expectations", "fixed", "open_to_change", "contributions_use", "expenses_policy"} {
		ids = append(ids, "purpose."+f, "purpose."+f+"_hint")
	}
	for _, f := range []string{"role", "remit", "relationships", "responsibility"} {
		ids = append(ids, "four_rs."+f, "four_rs."+f+"_hint")
	}
	for _, n := range []string{"200", "2000", "5000", "20000"} {
		ids = append(ids, "error.text.too_long."+n)
	}
	for _, w := range []string{"start", "lead_sign_off", "lay_sign_off", "co_sign_provisional"} {
		ids = append(ids, "waiting."+w)
	}
	for _, a := range []coproduce.Affected{coproduce.AffectedDirectly, coproduce.AffectedIndirectly} {
		ids = append(ids, "group.affected."+string(a), "group.affected."+string(a)+"_hint")
	}
	for _, s := range []coproduce.StageStatus{coproduce.StageNotStarted, coproduce.StageInProgress, coproduce.StageComplete} {
		ids = append(ids, "stage_status."+string(s))
	}
	for _, r := range []coproduce.SystemRole{coproduce.RoleAdmin, coproduce.RoleStaff, coproduce.RolePartner} {
		ids = append(ids, "system_role."+string(r))
	}
	for _, code := range []string{"400", "403", "404", "405", "409", "413", "429", "500", "503"} {
		ids = append(ids, "error."+code+".title", "error."+code+".body")
	}
	for _, a := range coproduce.AuditActions {
		ids = append(ids, "audit.action."+a)
	}
	for _, s := range []coproduce.InvitationStatus{"pending", "accepted", "declined", "expired", "withdrawn"} {
		ids = append(ids, "invitation_status."+string(s))
	}
	for _, s := range []string{"accepted", "declined", "expired", "withdrawn", "unknown"} {
		ids = append(ids, "link.invitation_"+s, "link.invitation_"+s+".title")
	}
	for _, s := range []string{"used", "expired", "unknown"} {
		ids = append(ids, "link.sign_in_"+s, "link.sign_in_"+s+".title")
	}
	for _, s := range []coproduce.EmailStatus{"queued", "sent", "outbox", "failed"} {
		ids = append(ids, "email_status."+string(s))
	}
	for _, s := range coproduce.ActionStatuses {
		ids = append(ids, "action_status."+string(s))
	}
	for _, r := range coproduce.Responses {
		ids = append(ids, "response."+string(r), "response."+string(r)+"_hint")
	}
	for _, c := range coproduce.Choices {
		ids = append(ids, "vote."+string(c))
	}
	// Bilingual content: each text's "write the other language too" error,
	// the note on a passage in the other language, and the history's names
	// for the Welsh versions.
	for _, f := range append([]string{"summary"}, coproduce.PurposeFields...) {
		ids = append(ids, "error.bilingual.cy."+f, "error.bilingual.en."+f)
	}
	for _, f := range append([]string{"title", "summary"}, coproduce.PurposeFields...) {
		ids = append(ids, "audit.field."+f+"_cy")
	}
	ids = append(ids, "error.bilingual.cy.title", "bilingual.not_written.en", "bilingual.not_written.cy",
		"bilingual.label.en", "bilingual.label.cy", "audit.field.bilingual")
	for _, id := range ids {
		if !c.Has(id) {
			t.Errorf("catalogue has no message %q", id)
		}
	}
}

func TestLocalizer(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c.Strict = true
	l := c.Localizer("fr, en;q=0.5")
	if l.Lang() != "en" {
		t.Errorf("Lang() = %q, want en", l.Lang())
	}
	if cy := c.Localizer("cy, en;q=0.5"); cy.Lang() != "cy" {
		t.Errorf("a browser asking for Welsh first gets %q, want cy", cy.Lang())
	}
	t.Run("FillsData", func(t *testing.T) {
		got := l.T("members.back", map[string]any{"Title": "Stroke"})
		if got != "Back to Stroke" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("Plurals", func(t *testing.T) {
		if got := l.N("project.members_link", 1, nil); got != "1 member" {
			t.Errorf("one: %q", got)
		}
		if got := l.N("project.members_link", 3, nil); got != "3 members" {
			t.Errorf("other: %q", got)
		}
	})
	t.Run("StrictPanicsOnMissing", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("no panic for a missing message")
			}
		}()
		l.T("no.such.message")
	})
}

// The command line speaks the language of the POSIX locale, LC_ALL first,
// and English when the catalogue lacks it.
func TestLocaleFromEnvironment(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"LANG": "cy_GB.UTF-8"}, "cy-GB"},
		{map[string]string{"LANG": "en_GB.UTF-8", "LC_MESSAGES": "cy_GB"}, "cy-GB"},
		{map[string]string{"LANG": "en_GB.UTF-8", "LC_MESSAGES": "fr_FR", "LC_ALL": "cy_GB.UTF-8@euro"}, "cy-GB"},
		{map[string]string{"LANG": "cy_GB.UTF-8", "LC_ALL": "C"}, ""},
		{map[string]string{"LANG": "POSIX"}, ""},
	} {
		if got := i18n.LocaleFromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.env, got, tc.want)
		}
	}
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"cy_GB.UTF-8": "cy", "C": "en", "xx_YY": "en", "": "en"} {
		l := c.ForEnvironment(func(k string) string { return map[string]string{"LANG": lang}[k] })
		if l.Lang() != want {
			t.Errorf("LANG=%s: %q, want %s", lang, l.Lang(), want)
		}
	}
}
