package postgres_test

import (
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// Each length limit is one constant: the form checks it, the message states
// it (coproduce.TooLong), and the database's CHECK, written in a migration,
// holds the same number. This reads each CHECK from the migrated database
// and compares it with the constant.
func TestLengthLimitsAreTheDatabasesChecks(t *testing.T) {
	t.Parallel()
	tx := pgtest.Tx(t)
	for _, tc := range []struct {
		table, column string
		max           int
	}{
		{"votes", "reason", coproduce.MaxVoteReason},
		{"comments", "body", coproduce.MaxCommentLength},
		{"projects", "title", coproduce.MaxTitleLength},
		{"projects", "summary", coproduce.MaxSummaryLength},
		{"users", "name", coproduce.MaxNameLength},
		{"users", "email", coproduce.MaxEmailLength},
	} {
		var defs []string
		rows, err := tx.Query(context.Background(), `
			SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'`, tc.table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				t.Fatal(err)
			}
			defs = append(defs, d)
		}
		rows.Close()
		limit := regexp.MustCompile(`\blength\(` + tc.column + `\) <= (\d+)\)`)
		var found []int
		for _, d := range defs {
			for _, m := range limit.FindAllStringSubmatch(d, -1) {
				n, _ := strconv.Atoi(m[1])
				found = append(found, n)
			}
		}
		if len(found) != 1 || found[0] != tc.max {
			t.Errorf("%s.%s: the database allows %v characters, the constant %d", tc.table, tc.column, found, tc.max)
		}
	}
}
