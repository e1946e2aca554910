package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// FormerParticipant is the name an erased person's contributions show.
const FormerParticipant = "Former participant"

// EraseUser removes a person's personal data (UK GDPR erasure) in one
// transaction: their account becomes "Former participant" with no email
// anyone can use, their sessions, links, support profile, receipts, digest
// and email copies are deleted, and invitations to them and messages to
// others that name them are anonymised.
// What they contributed (ideas, comments, votes, claims' amounts) stays,
// shown as "Former participant". The erasure is audited.
func (s *Store) EraseUser(ctx context.Context, actorID, userID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var email, name string
		if err := tx.QueryRow(ctx, `SELECT lower(email), name FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&email, &name); err != nil {
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
			{`DELETE FROM support_profiles WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM digest_items WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM emails WHERE lower(to_address) = $1`, []any{email}},
			// Messages to others name them ("... suggested an idea").
			{`UPDATE emails SET subject = replace(subject, $1, $2), text_body = replace(text_body, $1, $2),
			    html_body = replace(html_body, $1, $2), to_name = replace(to_name, $1, $2)
			  WHERE strpos(subject || text_body || html_body || to_name, $1) > 0`, []any{name, FormerParticipant}},
			{`UPDATE digest_items SET line = replace(line, $1, $2) WHERE strpos(line, $1) > 0`, []any{name, FormerParticipant}},
			{`UPDATE claims SET receipt_id = NULL, description = '' WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM receipts WHERE user_id = $1`, []any{userID}},
			{`UPDATE invitations SET name = $2, email = $3, message = '' WHERE lower(email) = $1`,
				[]any{email, FormerParticipant, placeholder}},
			{`UPDATE users SET name = $2, email = $3, password_hash = NULL, disabled = true, notify = 'none', erased_at = now()
			  WHERE id = $1`, []any{userID, FormerParticipant, placeholder}},
		}
		for _, st := range statements {
			if _, err := tx.Exec(ctx, st.sql, st.args...); err != nil {
				return err
			}
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, Action: coproduce.AuditUserErase,
			Subject: userSubject(userID)})
	})
}
