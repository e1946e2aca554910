package server_test

import (
	"strings"
	"testing"
)

// A person who saves sees that it was saved: the support needs and the
// naming choice, two of the confirmations that were written but never
// shown.
func TestSavingShowsTheConfirmation(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	res := sp.layC.open(t, sp.path("/support/me")).form("Save").check("A hearing loop").submit()
	if got := text(sp.layC.follow(t, res).doc, "[data-testid=notice]"); !strings.Contains(got, "What you need has been saved") {
		t.Errorf("after saving support needs the page says %q", got)
	}
	res = sp.layC.open(t, sp.path("/reports")).form("Save").check("Use my name in this project's reports").submit()
	if got := text(sp.layC.follow(t, res).doc, "[data-testid=notice]"); !strings.Contains(got, "being named in reports has been saved") {
		t.Errorf("after saving the naming choice the page says %q", got)
	}
}
