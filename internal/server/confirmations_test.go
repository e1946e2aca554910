package server_test

import (
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
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

// The rates page gives an example that fits each rate: pence a mile, and
// pounds for a whole meeting (it said "for example 0.45" for both).
func TestRatesHintsFitTheRate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.signedIn(pgtest.User(t, e.store, coproduce.RoleAdmin))
	d := admin.open(t, "/admin/rates").doc
	if got := text(d, "#payment_long-hint"); !strings.Contains(got, "whole meeting") {
		t.Errorf("the longer meeting's hint says %q", got)
	}
	if got := text(d, "#mileage_car-hint"); !strings.Contains(got, "0.45") {
		t.Errorf("the mileage hint says %q", got)
	}
}
