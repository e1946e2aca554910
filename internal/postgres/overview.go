package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// ProjectOverview reads everything a project's front page shows, for one
// viewer, in a single round trip to the database: whether the viewer has
// read and agreed what they must, and the viewer's buddies; and, when
// shared is set, what every viewer sees alike: the stages and their
// sign-offs, the counts that drive its prompts, the leads, the member
// count, the oldest overdue ideas and the newest ideas (with their stored
// counts), the newest readiness check, and for a lead or facilitator the
// work list's parts that every one of them sees alike. A member's own
// part in the project, and for leads and facilitators their work list,
// come in the same trip.
func (s *Store) ProjectOverview(ctx context.Context, projectID int64, viewer coproduce.Access, shared bool, ideas, overdue int) (coproduce.ProjectOverview, error) {
	var o coproduce.ProjectOverview
	viewerID := viewer.User.ID
	b := &pgx.Batch{}
	b.Queue(`
		WITH unread AS (`+notReadSQL+` AND m.user_id = $2)
		SELECT EXISTS (SELECT 1 FROM unread),
		       EXISTS (SELECT 1 FROM four_rs f WHERE f.project_id = $1 AND f.user_id = $2 AND f.version > 0
		               AND f.acknowledged_version IS DISTINCT FROM f.version)`, projectID, viewerID).
		QueryRow(func(row pgx.Row) error { return row.Scan(&o.YouNeedToReadPurpose, &o.YouNeedToConfirmFourRs) })
	if shared {
		queueShared(b, projectID, &o)
		// Shown to leads only, but read with the parts every viewer sees
		// alike, so that the page keeps it for a second for every lead.
		queueLatestReadiness(b, projectID, &o.Readiness)
		b.Queue(`SELECT count(*) FROM memberships WHERE project_id = $1`, projectID).
			QueryRow(func(row pgx.Row) error { return row.Scan(&o.MemberCount) })
		if overdue > 0 { // the steps page asks for none
			b.Queue(overdueSQL, projectID, overdue).Query(func(rows pgx.Rows) (err error) {
				o.Overdue, err = pgx.CollectRows(rows, scanOverdue)
				return err
			})
			b.Queue(overdueActionsSQL, projectID, overdue).Query(func(rows pgx.Rows) (err error) {
				o.OverdueActions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.OverdueAction, error) {
					var a coproduce.OverdueAction
					err := r.Scan(&a.ID, &a.ProposalID, &a.Description, &a.Owner, &a.DueOn, &a.Status, &a.ProposalTitle)
					return a, err
				})
				return err
			})
		}
		if ideas > 0 {
			b.Queue(latestProposalsSQL, projectID, ideas).Query(func(rows pgx.Rows) (err error) {
				o.Ideas, err = collectN(rows, ideas, scanLatestProposal)
				return err
			})
		}
	}
	b.Queue(buddiesSQL+` AND (b.partner_id = $2 OR b.buddy_id = $2)`+buddiesOrder, projectID, viewerID).
		Query(func(rows pgx.Rows) (err error) {
			o.Buddies, err = pgx.CollectRows(rows, scanBuddy)
			return err
		})
	if viewer.IsMember() {
		queueYourPart(b, projectID, viewerID, &o.You)
	}
	if viewer.CanFacilitate() {
		o.Work = &coproduce.WorkList{}
		queueClaimsToDecide(b, projectID, viewerID, o.Work)
		if shared {
			queueWorkShared(b, projectID, o.Work)
		}
	}
	return o, s.db.SendBatch(ctx, b).Close()
}

// queueShared queues the parts of the page that every viewer sees alike and
// that the server keeps for a second (ideasCache): the stages with their
// sign-offs, how many have yet to read the purpose statement or agree
// their 4Rs, and the project's leads.
func queueShared(b *pgx.Batch, projectID int64, o *coproduce.ProjectOverview) {
	b.Queue(`SELECT `+stageColumns+` FROM stages WHERE project_id = $1 ORDER BY step`, projectID).
		Query(func(rows pgx.Rows) (err error) {
			o.Stages, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.Stage, error) { return scanStage(r) })
			return err
		})
	b.Queue(signOffsSQL, projectID, 0).Query(func(rows pgx.Rows) error {
		signOffs, err := scanSignOffs(rows)
		for i := range o.Stages {
			o.Stages[i].SignOffs = signOffs[o.Stages[i].Step]
		}
		return err
	})
	b.Queue(`
		SELECT (SELECT count(*) FROM (`+notReadSQL+`) unread),
		       (SELECT count(*) FROM four_rs f JOIN memberships m ON m.project_id = f.project_id AND m.user_id = f.user_id
		        WHERE f.project_id = $1 AND f.version > 0 AND f.acknowledged_version IS DISTINCT FROM f.version)`,
		projectID).
		QueryRow(func(row pgx.Row) error { return row.Scan(&o.NotReadPurpose, &o.NotConfirmedFourRs) })
	b.Queue(`
		SELECT m.user_id, u.name FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = $1 AND m.role = 'lead' ORDER BY lower(u.name), u.id`, projectID).
		Query(func(rows pgx.Rows) (err error) {
			o.Leads, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (coproduce.ProjectLead, error) {
				var l coproduce.ProjectLead
				return l, r.Scan(&l.UserID, &l.Name)
			})
			return err
		})
}

// notReadSQL selects the members who have not read the current purpose
// statement. The current version is a scalar subquery, so that for a
// project with none yet the database stops before reading its members.
const notReadSQL = `
	SELECT m.user_id FROM memberships m
	WHERE m.project_id = $1
	  AND (SELECT max(version) FROM purpose_versions WHERE project_id = $1) IS NOT NULL
	  AND NOT EXISTS (
		SELECT 1 FROM purpose_acknowledgements a
		WHERE a.project_id = $1 AND a.user_id = m.user_id AND a.acknowledged_at IS NOT NULL
		  AND a.version = (SELECT max(version) FROM purpose_versions WHERE project_id = $1))`

// overdueActionsSQL lists the oldest actions past their due date: not done,
// due before today in UK time. Like the overdue ideas, it is one of the
// shared parts every viewer sees alike.
const overdueActionsSQL = `
	SELECT a.id, a.proposal_id, a.description, a.owner, a.due_on, a.status, p.title
	FROM action_items a JOIN proposals p ON p.id = a.proposal_id
	WHERE p.project_id = $1 AND a.status <> 'done'
	  AND a.due_on < (now() AT TIME ZONE 'Europe/London')::date
	ORDER BY a.due_on, a.id LIMIT $2`
