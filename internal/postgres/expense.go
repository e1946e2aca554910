package postgres

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// ErrNotAttended means a claim names a meeting its claimant did not attend.
var ErrNotAttended = errors.New("claimant did not attend the meeting")

// Rates returns the rate table.
func (s *Store) Rates(ctx context.Context) (map[coproduce.Category]coproduce.Pence, error) {
	rows, err := s.db.Query(ctx, `SELECT key, pence FROM rates`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[coproduce.Category]coproduce.Pence{}
	for rows.Next() {
		var k coproduce.Category
		var p coproduce.Pence
		if err := rows.Scan(&k, &p); err != nil {
			return nil, err
		}
		out[k] = p
	}
	return out, rows.Err()
}

// SetRates changes the rate table, audited.
func (s *Store) SetRates(ctx context.Context, actorID int64, rates map[coproduce.Category]coproduce.Pence) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := s.withDB(tx).Rates(ctx)
		if err != nil {
			return err
		}
		for k, p := range rates {
			if _, err := tx.Exec(ctx, `UPDATE rates SET pence = $2, updated_by = $3, updated_at = now() WHERE key = $1`,
				k, p, actorID); err != nil {
				return translate(err)
			}
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, Action: coproduce.AuditRatesUpdate,
			Subject: "rates", Before: before, After: rates})
	})
}

// PaymentPlans lists each member's payment level and choice.
func (s *Store) PaymentPlans(ctx context.Context, projectID int64) ([]coproduce.PaymentPlan, error) {
	rows, err := s.db.Query(ctx, `
		SELECT m.user_id, u.name, m.role, m.payment_level, m.payment_choice
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = $1 ORDER BY `+memberOrder, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.PaymentPlan, error) {
		var p coproduce.PaymentPlan
		err := r.Scan(&p.UserID, &p.Name, &p.Role, &p.Level, &p.Choice)
		return p, err
	})
}

// SetPaymentLevel sets a member's payment level, audited.
func (s *Store) SetPaymentLevel(ctx context.Context, actorID, projectID, userID int64, level int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE memberships SET payment_level = $3 WHERE project_id = $1 AND user_id = $2`,
			projectID, userID, level)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			return coproduce.ErrNotFound
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditPaymentLevel, Subject: userSubject(userID), After: map[string]any{"level": level}})
	})
}

// SetPaymentChoice records a member's own choice about involvement payments.
func (s *Store) SetPaymentChoice(ctx context.Context, projectID, userID int64, c coproduce.PaymentChoice) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			UPDATE memberships SET payment_choice = $3, payment_choice_at = now() WHERE project_id = $1 AND user_id = $2`,
			projectID, userID, c); err != nil {
			return translate(err)
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: userID, ProjectID: projectID,
			Action: coproduce.AuditPaymentChoice, Subject: userSubject(userID), After: map[string]any{"choice": c}})
	})
}

// NewClaim is a checked claim, with its receipt if any.
type NewClaim struct {
	Category    coproduce.Category
	IncurredOn  time.Time
	Miles       int
	Amount      coproduce.Pence
	Description string
	MeetingID   int64
	ReceiptType string
	Receipt     []byte
	// FormToken is the token of the form that sent it: the same form sent
	// twice makes one claim.
	FormToken string
}

// CreateClaim stores a member's claim and its receipt in one transaction.
// A meeting the claimant did not attend is ErrNotAttended.
func (s *Store) CreateClaim(ctx context.Context, projectID, userID int64, c NewClaim, news ...coproduce.News) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, _, err = onceForToken(ctx, tx, userID, "claim", c.FormToken, func() (int64, error) {
			id, err := s.insertClaim(ctx, tx, projectID, userID, c)
			if err != nil {
				return 0, err
			}
			return id, s.announce(ctx, tx, id, news)
		})
		return err
	})
	return id, err
}

func (s *Store) insertClaim(ctx context.Context, tx pgx.Tx, projectID, userID int64, c NewClaim) (int64, error) {
	if c.MeetingID != 0 {
		var attended bool
		if err := tx.QueryRow(ctx, `
			SELECT EXISTS (SELECT 1 FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id
			               WHERE m.project_id = $1 AND a.meeting_id = $2 AND a.user_id = $3)`,
			projectID, c.MeetingID, userID).Scan(&attended); err != nil {
			return 0, err
		}
		if !attended {
			return 0, ErrNotAttended
		}
	}
	var receiptID *int64
	if len(c.Receipt) > 0 {
		var rid int64
		if err := tx.QueryRow(ctx, `INSERT INTO receipts (user_id, content_type, data) VALUES ($1, $2, $3) RETURNING id`,
			userID, c.ReceiptType, c.Receipt).Scan(&rid); err != nil {
			return 0, translate(err)
		}
		receiptID = &rid
	}
	var miles *int
	if c.Miles > 0 {
		miles = &c.Miles
	}
	var id int64
	by, how := recorder(ctx)
	if err := tx.QueryRow(ctx, `
		INSERT INTO claims (project_id, user_id, category, incurred_on, miles, amount_pence, description, meeting_id, receipt_id,
		                    recorded_by, recorded_how)
		VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, 0), $9, $10, $11) RETURNING id`,
		projectID, userID, c.Category, c.IncurredOn, miles, c.Amount, c.Description, c.MeetingID, receiptID, by, how).Scan(&id); err != nil {
		return 0, translate(err)
	}
	if err := recordOnBehalf(ctx, tx, projectID, userID, "claim", claimSubject(id)); err != nil {
		return 0, err
	}
	return id, recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: userID, ProjectID: projectID,
		Action: coproduce.AuditClaimSubmit, Subject: claimSubject(id),
		After: map[string]any{"category": c.Category, "amount_pence": c.Amount}})
}

func claimSubject(id int64) string { return "claim:" + strconv.FormatInt(id, 10) }

// Claims lists a project's claims, newest first: one person's, or (userID
// 0) everyone's.
func (s *Store) Claims(ctx context.Context, projectID, userID int64) ([]coproduce.Claim, error) {
	rows, err := s.db.Query(ctx, `
		SELECT c.id, c.project_id, c.user_id, u.name, c.category, c.incurred_on, coalesce(c.miles, 0), c.amount_pence,
		       c.description, coalesce(c.meeting_id, 0), coalesce(m.title, ''), c.receipt_id IS NOT NULL, c.status,
		       c.reason, coalesce(d.name, ''), coalesce(rb.name, ''), coalesce(c.recorded_how, ''), c.created_at
		FROM claims c JOIN users u ON u.id = c.user_id
		LEFT JOIN meetings m ON m.id = c.meeting_id
		LEFT JOIN users d ON d.id = c.decided_by
		LEFT JOIN users rb ON rb.id = c.recorded_by
		WHERE c.project_id = $1 AND ($2 = 0 OR c.user_id = $2)
		ORDER BY c.created_at DESC, c.id DESC`, customPlan([]any{projectID, userID})...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Claim, error) {
		var c coproduce.Claim
		err := r.Scan(&c.ID, &c.ProjectID, &c.UserID, &c.UserName, &c.Category, &c.IncurredOn, &c.Miles, &c.Amount,
			&c.Description, &c.MeetingID, &c.MeetingName, &c.HasReceipt, &c.Status, &c.Reason, &c.DecidedBy,
			&c.Recorded.ByName, &c.Recorded.How, &c.Recorded.At)
		return c, err
	})
}

// ClaimReceipt returns a claim's receipt with its claimant's id.
func (s *Store) ClaimReceipt(ctx context.Context, projectID, claimID int64) (ownerID int64, contentType string, data []byte, err error) {
	err = s.db.QueryRow(ctx, `
		SELECT c.user_id, r.content_type, r.data FROM claims c JOIN receipts r ON r.id = c.receipt_id
		WHERE c.project_id = $1 AND c.id = $2`, projectID, claimID).Scan(&ownerID, &contentType, &data)
	return ownerID, contentType, data, translate(err)
}

// claimColumns are read by scanClaim; $1 in the query must be the
// account reading, for CanDecide.
var claimColumns = claimSelect(`c.status = 'submitted' AND claim_decider_allowed($1, c.id)`)

// claimsIMayDecide selects, for a query whose WHERE already requires
// claim_decider_allowed, the same columns without asking the rule a
// second time for each row: the rule reads four tables per claim.
var claimsIMayDecide = claimSelect(`true`)

// claimSelect is the claim columns with mayDecide as CanDecide.
func claimSelect(mayDecide string) string {
	return `
		SELECT c.id, c.project_id, c.user_id, u.name, c.category, c.incurred_on, coalesce(c.miles, 0), c.amount_pence,
		       c.description, coalesce(c.meeting_id, 0), coalesce(m.title, ''), c.receipt_id IS NOT NULL, c.status,
		       c.reason, coalesce(d.name, ''), p.title, p.title_cy,
		       ` + mayDecide + `,
		       coalesce(rb.name, ''), coalesce(c.recorded_how, ''), c.created_at
		FROM claims c JOIN users u ON u.id = c.user_id
		JOIN projects p ON p.id = c.project_id
		LEFT JOIN meetings m ON m.id = c.meeting_id
		LEFT JOIN users d ON d.id = c.decided_by
		LEFT JOIN users rb ON rb.id = c.recorded_by`
}

func scanClaims(rows pgx.Rows, err error) ([]coproduce.Claim, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Claim, error) {
		var c coproduce.Claim
		err := r.Scan(&c.ID, &c.ProjectID, &c.UserID, &c.UserName, &c.Category, &c.IncurredOn, &c.Miles, &c.Amount,
			&c.Description, &c.MeetingID, &c.MeetingName, &c.HasReceipt, &c.Status, &c.Reason, &c.DecidedBy,
			&c.ProjectTitle, &c.ProjectTitleCy, &c.CanDecide, &c.Recorded.ByName, &c.Recorded.How, &c.Recorded.At)
		return c, err
	})
}

// ProjectClaims lists, newest first, the project's claims that viewerID may
// see: everyone's when everyone is set (leads and facilitators), otherwise
// their own and those they may decide. Each says whether viewerID may
// decide it.
func (s *Store) ProjectClaims(ctx context.Context, projectID, viewerID int64, everyone bool) ([]coproduce.Claim, error) {
	return scanClaims(s.db.Query(ctx, claimColumns+`
		WHERE c.project_id = $2
		  AND ($3 OR c.user_id = $1 OR (c.status = 'submitted' AND claim_decider_allowed($1, c.id)))
		ORDER BY c.created_at DESC, c.id DESC`, viewerID, projectID, everyone))
}

// ClaimsAwaiting lists, oldest first, the submitted claims of every project
// that viewerID may decide: the approvers' list.
func (s *Store) ClaimsAwaiting(ctx context.Context, viewerID int64) ([]coproduce.Claim, error) {
	return scanClaims(s.db.Query(ctx, claimsIMayDecide+`
		WHERE c.status = 'submitted' AND claim_decider_allowed($1, c.id)
		ORDER BY c.created_at, c.id`, viewerID))
}

// CountClaimsAwaiting counts the submitted claims viewerID may decide.
func (s *Store) CountClaimsAwaiting(ctx context.Context, viewerID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `
		SELECT count(*) FROM claims WHERE status = 'submitted' AND claim_decider_allowed($1, id)`, viewerID).Scan(&n)
	return n, err
}

// ClaimFor returns one claim, if viewerID may decide it or is its
// claimant; otherwise ErrNotFound.
func (s *Store) ClaimFor(ctx context.Context, viewerID, claimID int64) (coproduce.Claim, error) {
	claims, err := scanClaims(s.db.Query(ctx, claimColumns+`
		WHERE c.id = $2 AND (c.user_id = $1 OR claim_decider_allowed($1, c.id))`, viewerID, claimID))
	if err != nil {
		return coproduce.Claim{}, err
	}
	if len(claims) == 0 {
		return coproduce.Claim{}, coproduce.ErrNotFound
	}
	return claims[0], nil
}

// MayDecideClaim checks, without deciding, that actorID may decide the
// submitted claim of the project (any project when projectID is 0):
// ErrNotFound if there is no such claim, ErrForbidden if they may not.
func (s *Store) MayDecideClaim(ctx context.Context, actorID, projectID, claimID int64) error {
	var allowed bool
	err := s.db.QueryRow(ctx, `
		SELECT claim_decider_allowed($3, id) FROM claims WHERE ($1 = 0 OR project_id = $1) AND id = $2`,
		projectID, claimID, actorID).Scan(&allowed)
	if err != nil {
		return translate(err)
	}
	if !allowed {
		return coproduce.ErrForbidden
	}
	return nil
}

// DecideClaim approves or rejects a submitted claim of the project (any
// project when projectID is 0). Only those the rule allows decide
// (claim_decider_allowed: never the claimant nor anyone the claimant
// invited; staff claims by approvers; lay partners' by approvers or the
// project's leads), else ErrForbidden; a claim already decided is ErrStale.
func (s *Store) DecideClaim(ctx context.Context, actorID, projectID, claimID int64, approve bool, reason string, news ...coproduce.News) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var status coproduce.ClaimStatus
		var allowed bool
		var project int64
		err := tx.QueryRow(ctx, `
			SELECT status, project_id, claim_decider_allowed($3, id) FROM claims
			WHERE ($1 = 0 OR project_id = $1) AND id = $2 FOR UPDATE`,
			projectID, claimID, actorID).Scan(&status, &project, &allowed)
		if err != nil {
			return translate(err)
		}
		if !allowed {
			return coproduce.ErrForbidden
		}
		if status != coproduce.ClaimSubmitted {
			return coproduce.ErrStale
		}
		to := coproduce.ClaimRejected
		if approve {
			to = coproduce.ClaimApproved
		}
		if _, err := tx.Exec(ctx, `
			UPDATE claims SET status = $2, reason = $3, decided_by = $4, decided_at = now() WHERE id = $1`,
			claimID, to, reason, actorID); err != nil {
			return translate(err)
		}
		if err := s.announce(ctx, tx, claimID, news); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: project,
			Action: coproduce.AuditClaimDecide, Subject: claimSubject(claimID),
			Before: map[string]any{"status": status}, After: map[string]any{"status": to, "reason": reason}})
	})
}

// errNothingToExport rolls back an export that found no approved claims.
var errNothingToExport = errors.New("nothing to export")

// ExportClaims marks every approved claim of a project as exported, in one
// export, and keeps the export's file, written by write from those claims
// (the finance CSV), in the same transaction: the claims are never marked
// exported without a file that can be downloaded again. It returns the
// export's id and how many claims it holds; with no approved claims it
// stores nothing and returns 0, 0. Row locks make a second export running
// at the same time wait, then find nothing left, so no item is ever
// exported twice.
func (s *Store) ExportClaims(ctx context.Context, actorID, projectID int64, write func([]coproduce.Claim) (string, error)) (int64, int, error) {
	var exportID int64
	var n int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO finance_exports (project_id, created_by) VALUES ($1, $2) RETURNING id`,
			projectID, actorID).Scan(&exportID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			UPDATE claims c SET status = 'exported', export_id = $2
			FROM users u
			WHERE u.id = c.user_id AND c.project_id = $1 AND c.status = 'approved'
			RETURNING c.id, c.user_id, u.name, c.category, c.incurred_on, coalesce(c.miles, 0), c.amount_pence, c.description`,
			projectID, exportID)
		if err != nil {
			return err
		}
		claims, err := pgx.CollectRows(rows, scanExportedClaim)
		if err != nil {
			return err
		}
		if len(claims) == 0 {
			return errNothingToExport
		}
		sort.Slice(claims, func(i, j int) bool { return claims[i].ID < claims[j].ID })
		file, err := write(claims)
		if err != nil {
			return err
		}
		n = len(claims)
		if _, err := tx.Exec(ctx, `UPDATE finance_exports SET items = $2, file = $3 WHERE id = $1`, exportID, n, file); err != nil {
			return err
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditExport, Subject: financeSubject(exportID),
			After: map[string]any{"items": n}})
	})
	if errors.Is(err, errNothingToExport) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	return exportID, n, nil
}

// scanExportedClaim reads a claim as a finance export lists it: id,
// claimant, category, date, miles, amount and description.
func scanExportedClaim(r pgx.CollectableRow) (coproduce.Claim, error) {
	var c coproduce.Claim
	err := r.Scan(&c.ID, &c.UserID, &c.UserName, &c.Category, &c.IncurredOn, &c.Miles, &c.Amount, &c.Description)
	return c, err
}

func financeSubject(exportID int64) string { return "finance:" + strconv.FormatInt(exportID, 10) }

// FinanceExports lists a project's finance exports, newest first, without
// their files.
func (s *Store) FinanceExports(ctx context.Context, projectID int64) ([]coproduce.FinanceExport, error) {
	rows, err := s.db.Query(ctx, `
		SELECT f.id, f.created_at, coalesce(u.name, ''), f.items
		FROM finance_exports f LEFT JOIN users u ON u.id = f.created_by
		WHERE f.project_id = $1 AND f.items > 0 ORDER BY f.created_at DESC, f.id DESC`, projectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.FinanceExport, error) {
		var f coproduce.FinanceExport
		err := r.Scan(&f.ID, &f.CreatedAt, &f.CreatedBy, &f.Items)
		return f, err
	})
}

// DownloadFinanceExport returns one of a project's finance exports with its
// file, and records the download in the audit trail. An export made before
// files were kept has its file written again by write from its claims.
func (s *Store) DownloadFinanceExport(ctx context.Context, actorID, projectID, exportID int64, write func([]coproduce.Claim) (string, error)) (coproduce.FinanceExport, error) {
	var f coproduce.FinanceExport
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			SELECT f.id, f.created_at, coalesce(u.name, ''), f.items, f.file
			FROM finance_exports f LEFT JOIN users u ON u.id = f.created_by
			WHERE f.id = $1 AND f.project_id = $2 AND f.items > 0`, exportID, projectID).
			Scan(&f.ID, &f.CreatedAt, &f.CreatedBy, &f.Items, &f.File); err != nil {
			return translate(err)
		}
		if f.File == "" {
			rows, err := tx.Query(ctx, `
				SELECT c.id, c.user_id, u.name, c.category, c.incurred_on, coalesce(c.miles, 0), c.amount_pence, c.description
				FROM claims c JOIN users u ON u.id = c.user_id
				WHERE c.export_id = $1 ORDER BY c.id`, exportID)
			if err != nil {
				return err
			}
			claims, err := pgx.CollectRows(rows, scanExportedClaim)
			if err != nil {
				return err
			}
			if f.File, err = write(claims); err != nil {
				return err
			}
		}
		return recordAudit(ctx, tx, coproduce.AuditEvent{ActorID: actorID, ProjectID: projectID,
			Action: coproduce.AuditExport, Subject: financeSubject(exportID) + ".csv",
			After: map[string]any{"items": f.Items}})
	})
	return f, err
}

// createInvolvementPayments adds, for a meeting whose attendance is
// recorded, an involvement payment for each attendee at a paid level who
// has not declined payments, at the rate for the meeting's length. The
// unique index keeps it to one each, however often attendance is saved.
func createInvolvementPayments(ctx context.Context, tx pgx.Tx, projectID, meetingID int64) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO claims (project_id, user_id, category, incurred_on, amount_pence, meeting_id)
		SELECT $1, a.user_id, cat, (mt.starts_at AT TIME ZONE 'Europe/London')::date, r.pence, mt.id
		FROM meeting_attendance a
		JOIN meetings mt ON mt.id = a.meeting_id
		JOIN memberships mb ON mb.project_id = mt.project_id AND mb.user_id = a.user_id
		CROSS JOIN LATERAL (SELECT CASE WHEN mt.ends_at - mt.starts_at <= interval '3 hours'
		                                THEN 'payment_short' ELSE 'payment_long' END AS cat) k
		JOIN rates r ON r.key = k.cat
		WHERE a.meeting_id = $2 AND mt.project_id = $1 AND mb.payment_level >= 3
		  AND mb.payment_choice <> 'decline' AND r.pence > 0
		ON CONFLICT (meeting_id, user_id) WHERE category IN ('payment_short', 'payment_long') DO NOTHING`,
		projectID, meetingID)
	return err
}
