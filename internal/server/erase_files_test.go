package server_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// Erasure takes what a scan of the text columns cannot see, and what sits
// in other people's rows: the person's receipt images (bytes, not text),
// the lines about them waiting in other members' daily digests, and their
// sessions, the emails sent to them and their password hash. Each
// is checked to exist before the erasure, so the test cannot pass on a
// fixture that never made one.
func TestErasureTakesReceiptImagesAndDigestLines(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	e := sp.e
	ctx := context.Background()
	if err := e.store.SetNotify(ctx, sp.staff.ID, coproduce.NotifyDaily); err != nil {
		t.Fatal(err)
	}
	const name, email = "Ottoline Brackenridge", "ottoline.brackenridge@example.test"
	// A receipt no other row could hold: the PNG start and the name's bytes.
	image := append(append([]byte{}, pngBytes...), []byte("receipt of "+email)...)

	res := sp.leadC.open(t, sp.path("/steps/select")).form("Send invitation").
		fill("Their name", name).fill("Their email address", email).check("Lay partner").submit()
	wantRedirect(t, res, sp.path("/steps/select"))
	z := e.client()
	wantRedirect(t, z.open(t, e.lastLink(email, "/invitations/")).form("Yes, I will take part").submit(), sp.path(""))
	res = z.open(t, sp.path("/steps/build")).form("Suggest this idea").
		fill("Your idea in a sentence", "Quiet room at meetings").fill("Tell us more", "Some of us need a break").submit()
	wantRedirect(t, res, sp.path("/proposals/"))
	wantRedirect(t, z.open(t, sp.path("/claims")).form("Send claim").check("Parking").
		fill("Date", time.Now().AddDate(0, 0, -1).Format("2006-01-02")).fill("Amount in pounds (for anything else)", "3").
		attach("Receipt (optional)", "receipt.png", image).submit(), sp.path("/claims"))
	zoe, err := e.store.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}

	receipt, _ := sp.leadC.open(t, sp.path("/claims")).doc.Find(`a[href$="/receipt"]`).Attr("href")
	if receipt == "" {
		t.Fatal("no receipt link on the claims page")
	}
	if res := sp.leadC.get(receipt); res.Code != http.StatusOK || !bytes.Equal(res.Body.Bytes(), image) {
		t.Fatalf("the receipt before erasure: %d, %d bytes", res.Code, res.Body.Len())
	}
	if n := holding(t, e, image); n != 1 {
		t.Fatalf("%d rows hold the receipt before erasure, want 1", n)
	}
	if lines := digestLines(t, e, sp.staff.ID); !strings.Contains(lines, name+" suggested an idea in ") || !strings.Contains(lines, ": Quiet room at meetings") {
		t.Fatalf("no digest line naming them before erasure: %q", lines)
	}

	// What the account itself holds: their sessions, the emails sent to
	// them (found by id, as erasure rewrites the address), their password.
	if n := e.count(`SELECT count(*) FROM sessions WHERE user_id = $1`, zoe.ID); n == 0 {
		t.Fatal("no session of theirs before erasure")
	}
	// An invited lay partner signs in by link; give them a password too,
	// as a staff account has.
	e.exec(`UPDATE users SET password_hash = 'a-hash' WHERE id = $1`, zoe.ID)
	var toThem []int64
	if err := e.tx.QueryRow(ctx, `SELECT coalesce(array_agg(id), '{}') FROM emails WHERE lower(to_address) = $1`, email).Scan(&toThem); err != nil || len(toThem) == 0 {
		t.Fatalf("no email to them before erasure: %v", err)
	}

	admin := e.signedIn(sp.admin)
	wantRedirect(t, admin.open(t, "/admin/users/"+itoa(zoe.ID)+"/erase").form("Erase their personal data").submit(), "/admin/users")

	t.Run("NoSessionEmailOrPasswordOfTheirsIsKept", func(t *testing.T) {
		if n := e.count(`SELECT count(*) FROM sessions WHERE user_id = $1`, zoe.ID); n != 0 {
			t.Errorf("%d sessions of theirs kept", n)
		}
		if n := e.count(`SELECT count(*) FROM emails WHERE id = ANY($1)`, toThem); n != 0 {
			t.Errorf("%d of the %d emails sent to them kept", n, len(toThem))
		}
		if n := e.count(`SELECT count(*) FROM users WHERE id = $1 AND password_hash IS NOT NULL`, zoe.ID); n != 0 {
			t.Error("their password hash kept")
		}
	})

	t.Run("NoReceiptRowOrFileIsLeft", func(t *testing.T) {
		if n := e.count(`SELECT count(*) FROM receipts WHERE user_id = $1`, zoe.ID); n != 0 {
			t.Errorf("%d receipts of the erased person kept", n)
		}
		if n := holding(t, e, image); n != 0 {
			t.Errorf("%d rows still hold the receipt image", n)
		}
		wantStatus(t, sp.leadC.get(receipt), http.StatusNotFound)
	})
	t.Run("OtherPeoplesDigestLinesNoLongerNameThem", func(t *testing.T) {
		lines := digestLines(t, e, sp.staff.ID)
		if strings.Contains(lines, "Ottoline") || strings.Contains(lines, "Brackenridge") {
			t.Errorf("a digest line still names them: %q", lines)
		}
		if !strings.Contains(lines, "Former participant suggested an idea in ") || !strings.Contains(lines, ": Quiet room at meetings") {
			t.Errorf("the digest line about the idea is gone or unreadable: %q", lines)
		}
	})
}

// holding counts the rows, in every column of bytes in every table, that
// hold data.
func holding(t *testing.T, e *env, data []byte) int {
	t.Helper()
	ctx := context.Background()
	rows, err := e.tx.Query(ctx, `
		SELECT c.table_name, c.column_name FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.data_type = 'bytea'`)
	if err != nil {
		t.Fatal(err)
	}
	columns, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var c [2]string
		return c, r.Scan(&c[0], &c[1])
	})
	if err != nil || len(columns) == 0 {
		t.Fatalf("columns of bytes: %v, %v", columns, err)
	}
	n := 0
	for _, c := range columns {
		n += e.count(`SELECT count(*) FROM `+pgx.Identifier{c[0]}.Sanitize()+` WHERE position($1::bytea in `+
			pgx.Identifier{c[1]}.Sanitize()+`) > 0`, data)
	}
	return n
}

// digestLines are the lines waiting in a person's daily digest.
func digestLines(t *testing.T, e *env, userID int64) string {
	t.Helper()
	var lines string
	if err := e.tx.QueryRow(context.Background(), `SELECT coalesce(string_agg(line, E'\n' ORDER BY id), '') FROM digest_items WHERE user_id = $1`,
		userID).Scan(&lines); err != nil {
		t.Fatal(err)
	}
	return lines
}
