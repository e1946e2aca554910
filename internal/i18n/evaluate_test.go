package i18n_test

import (
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// The Evaluate section builds message ids from its lists: every readiness
// statement and answer, every measure with its hint and its figures'
// errors, and both answers to an outcome.
func TestCatalogHasEveryEvaluateMessage(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, st := range coproduce.ReadinessStatements {
		ids = append(ids, "readiness.statement."+st.Key)
	}
	for _, a := range coproduce.ReadinessAnswers {
		ids = append(ids, "readiness.answer."+string(a))
	}
	for _, m := range coproduce.Measures {
		ids = append(ids, "outcome.measure."+string(m), "outcome.measure."+string(m)+"_hint", "outcome.measure_line."+string(m))
		if m.Figures() {
			for _, field := range []string{"baseline", "target", "value"} {
				ids = append(ids, "error.outcome."+field+"_"+string(m))
			}
		}
	}
	for _, d := range coproduce.OutcomeDecisions {
		ids = append(ids, "outcome.decision."+string(d), "outcome.decision."+string(d)+"_hint")
	}
	// (TestWelshCatalogueIsComplete holds cy.toml to every English id.)
	for _, id := range ids {
		if !c.Has(id) {
			t.Errorf("no message %q", id)
		}
	}
}
