package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// FormerParticipant is the name an erased person's contributions show.
const FormerParticipant = "Former participant"

// EraseUser removes a person's personal data (UK GDPR erasure) in one
// transaction: their account becomes "Former participant" with no email
// anyone can use, their sessions, links, support profile, receipts, digest
// and email copies are deleted, and invitations to them are anonymised; so
// are the phone number and postal address of a member who takes part
// offline, and their letters' join codes.
// Then every copy of their name and email address anywhere else in the
// database (messages to others, digest lines, the audit trail's before and
// after values, finance export files, what others wrote) is replaced by
// "Former participant", in every form it may be stored in: as typed, in any
// case, HTML-escaped in any of the usual ways, JSON-escaped and CSV-quoted
// (see erasurePattern).
// What they contributed (ideas, comments, votes, claims' amounts) stays,
// shown as "Former participant". The erasure is audited.
func (s *Store) EraseUser(ctx context.Context, actorID, userID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var email, name string
		if err := tx.QueryRow(ctx, `SELECT coalesce(lower(email), ''), name FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&email, &name); err != nil {
			return translate(err)
		}
		placeholder := "erased-" + strconv.FormatInt(userID, 10) + "@erased.invalid"
		statements := []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM sessions WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM sign_in_links WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM sign_in_failures WHERE key IN ('email:' || $1, 'link:' || $1)`, []any{email}},
			{`DELETE FROM sign_in_failures WHERE key LIKE 'post:%:' || $1`, []any{strconv.FormatInt(userID, 10)}},
			{`DELETE FROM approvers WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM support_profiles WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM support_profiles_unplaced WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM meeting_arrangements WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM digest_items WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM updates WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM notify_preferences WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM unsubscribe_tokens WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM emails WHERE lower(to_address) = $1`, []any{email}},
			{`UPDATE claims SET receipt_id = NULL, description = '' WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM receipts WHERE user_id = $1`, []any{userID}},
			// How to reach them when they take part offline.
			{`UPDATE memberships SET phone = '', postal_address = '' WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM join_codes WHERE user_id = $1`, []any{userID}},
			{`UPDATE invitations SET name = $2, email = $3, message = '' WHERE lower(email) = $1`,
				[]any{email, FormerParticipant, placeholder}},
			{`UPDATE users SET name = $2, email = $3, password_hash = NULL, disabled = true, erased_at = now()
			  WHERE id = $1`, []any{userID, FormerParticipant, placeholder}},
			// The audit trail may be rewritten only here (see migration 15).
			{`SELECT set_config('coproduce.erasing', 'on', true)`, nil},
		}
		for _, st := range statements {
			if _, err := tx.Exec(ctx, st.sql, st.args...); err != nil {
				return err
			}
		}
		if err := eraseCopies(ctx, tx, name, email); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT set_config('coproduce.erasing', 'off', true)`); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, Action: coproduce.AuditUserErase,
			Subject: userSubject(userID)})
	})
}

// eraseCopies replaces the name and email address in every text and JSON
// column of every table but users (whose row was just anonymised, and whose
// other rows belong to other people).
func eraseCopies(ctx context.Context, tx pgx.Tx, name, email string) error {
	forms := erasureForms(name)
	if email != "" {
		forms = append(forms, email)
	}
	if len(forms) == 0 {
		return nil
	}
	textPattern, jsonPattern := erasurePattern(forms, false), erasurePattern(forms, true)
	// The family name after a title ("Mrs O'Neill").
	if words := strings.Fields(name); len(words) > 1 {
		titles := `(?:` + strings.Join(coproduce.NameTitles, "|") + `)\.?(?:\s|&nbsp;|&#0*160;)+`
		family := []string{words[len(words)-1]}
		textPattern += `|` + titles + erasurePattern(family, false)
		jsonPattern += `|` + titles + erasurePattern(family, true)
	}
	rows, err := tx.Query(ctx, `
		SELECT c.table_name, c.column_name, c.data_type IN ('json', 'jsonb'), c.data_type
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		  AND c.data_type IN ('text', 'character varying', 'json', 'jsonb')
		  AND c.table_name NOT IN ('users', 'goose_db_version')
		ORDER BY 1, 2`)
	if err != nil {
		return err
	}
	type column struct {
		table, name, kind string
		json              bool
	}
	columns, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (column, error) {
		var c column
		err := r.Scan(&c.table, &c.name, &c.json, &c.kind)
		return c, err
	})
	if err != nil {
		return err
	}
	for _, c := range columns {
		col := pgx.Identifier{c.name}.Sanitize()
		value, pattern, back := col, textPattern, ""
		if c.json {
			value, pattern, back = col+"::text", jsonPattern, "::"+c.kind
		}
		table := pgx.Identifier{c.table}.Sanitize()
		replaced := `regexp_replace(` + value + `, $1, $2, 'gi')`
		sql := `UPDATE ` + table + ` SET ` + col + ` = ` + replaced + back + ` WHERE ` + value + ` ~* $1`
		err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error { // a savepoint
			_, err := sp.Exec(ctx, sql, pattern, FormerParticipant)
			return err
		})
		if isCheckViolation(err) && !c.json {
			// "Former participant" made a text longer than its column
			// allows: it is cut to its old length, which was allowed.
			sql = `UPDATE ` + table + ` SET ` + col + ` = left(` + replaced + `, length(` + col + `)) WHERE ` + value + ` ~* $1`
			_, err = tx.Exec(ctx, sql, pattern, FormerParticipant)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func isCheckViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23514"
}

// erasureForms are the ways the person's name is erased from what others
// wrote and from copies: the full name as stored, without a title, and the
// given and family names together (NameForms without the given name alone,
// which other people share). eraseCopies adds the family name after a
// title.
func erasureForms(name string) []string {
	forms := []string{}
	if strings.TrimSpace(name) != "" {
		forms = append(forms, strings.TrimSpace(name))
	}
	for i, f := range coproduce.NameForms(name) {
		if i != 1 { // the given name alone
			forms = append(forms, f)
		}
	}
	return forms
}

// erasurePattern is a PostgreSQL regular expression (used case-blind) that
// finds any of the forms as stored anywhere: each space as any run of
// white space, and each character that HTML, JSON or CSV writers escape in
// any of its escaped forms: &#39; &#x27; &apos; &#34; &quot; &amp; &lt;
// &gt; and the like (also escaped twice, as &amp;#39;), \" and \u0027,
// and a doubled "" in CSV. For JSON text, a bare quote is never part of a
// value, so it is not matched.
func erasurePattern(forms []string, json bool) string {
	entity := func(names ...string) string { return `&(?:amp;)*(?:` + strings.Join(names, "|") + `);` }
	escapes := map[rune][]string{
		'\'': {`'`, `’`, entity(`#0*39`, `#x0*27`, `apos`), `\\u0027`},
		'"':  {entity(`#0*34`, `#x0*22`, `quot`), `\\"`, `\\u0022`},
		'&':  {`&(?:amp;)*`, entity(`#0*38`, `#x0*26`), `\\u0026`},
		'<':  {`<`, entity(`lt`, `#0*60`, `#x0*3c`), `\\u003c`},
		'>':  {`>`, entity(`gt`, `#0*62`, `#x0*3e`), `\\u003e`},
		'\\': {`\\\\`, `\\`},
	}
	if !json {
		escapes['"'] = append(escapes['"'], `""`, `"`)
	}
	var alts []string
	for _, form := range forms {
		var b strings.Builder
		space := false
		for _, r := range form {
			switch e, ok := escapes[r]; {
			case unicode.IsSpace(r):
				if !space {
					b.WriteString(`(?:\s|&nbsp;|&#0*160;)+`)
				}
				space = true
				continue
			case ok:
				b.WriteString(`(?:` + strings.Join(e, "|") + `)`)
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			default:
				b.WriteByte('\\')
				b.WriteRune(r)
			}
			space = false
		}
		alts = append(alts, `(?:`+b.String()+`)`)
	}
	return strings.Join(alts, "|")
}
