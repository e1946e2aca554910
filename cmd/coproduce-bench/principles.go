package main

import (
	"context"

	"github.com/coproduce/coproduce/internal/postgres/bigseed"
)

// principles measures the principles check's results page of the busiest
// project, with 400 members' answers over 10 rounds: every round's figures
// for lay partners and staff, aggregated in the database from one index.
func (b *bench) principles(ctx context.Context, busy bigseed.Project, members []*member) error {
	step("answering 10 rounds of the principles check as the busiest project's 400 members")
	if err := bigseed.GivePrinciplesRounds(ctx, b.pool, busy.ID, 10); err != nil {
		return err
	}
	page, base := b.besideB(members, projectPath(busy, "/evaluate/principles"))
	b.add(row{name: "Principles check results, busiest project (400 members' answers over 10 rounds)", load: &page,
		checks: pageChecks(page, base, pageFloor, pageP99), measured: besideText("B", base), target: "no errors", pass: page.errors == 0})
	return nil
}
