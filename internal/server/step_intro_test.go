package server_test

import (
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// Each step page's introduction speaks to the person reading it: a lead
// gets the instructions for running the step; a lay or staff partner gets
// what the step is and what they can do on the page, never the lead's
// instructions.
func TestStepIntroductionsSpeakToTheReader(t *testing.T) {
	t.Parallel()
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	words := catalog.Localizer("en")
	sp := newStepProject(t)
	intro := func(c *client, step coproduce.Step) string {
		t.Helper()
		return fold(c.open(t, sp.path("/steps/"+step.Slug())).doc.Find("[data-testid=step-intro]").Text())
	}
	for _, step := range coproduce.Steps {
		guide := words.T("step." + step.Slug() + ".guide")
		explain := words.T("step." + step.Slug() + ".explain")
		for who, c := range map[string]*client{"lead": sp.leadC, "facilitator": sp.facC} {
			if got := intro(c, step); got != guide {
				t.Errorf("%s, as the %s: %q, want the instructions %q", step.Slug(), who, got, guide)
			}
		}
		for who, c := range map[string]*client{"lay partner": sp.layC, "staff partner": sp.staffC} {
			if got := intro(c, step); got != explain {
				t.Errorf("%s, as a %s: %q, want the explanation %q", step.Slug(), who, got, explain)
			}
		}
	}
	// The words the issue found shown to lay partners.
	page := fold(sp.layC.open(t, sp.path("/steps/be-clear")).doc.Text())
	if strings.Contains(page, "Be honest about what cannot change") || strings.Contains(page, "Write down what the project is for") {
		t.Error("the lay partner's step 3 page gives them the lead's instructions")
	}
	if page := fold(sp.leadC.open(t, sp.path("/steps/be-clear")).doc.Text()); !strings.Contains(page, "Be honest about what cannot change") {
		t.Error("the lead's step 3 page lacks the instructions")
	}
}
