package report

import (
	"archive/zip"
	"context"
	"io"
	"strconv"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/csvsafe"
)

// Translate words a message from the catalogue.
type Translate func(id string, data ...map[string]any) string

// The columns of a report's CSV. A stage report is one CSV holding every
// record of the step in these columns, the first saying what each row is;
// the project report is a ZIP of one CSV per section, each with only the
// columns that section uses.
const (
	colSection = iota
	colItem
	colPerson
	colRole
	colDate
	colStatus
	colDetails
	colAnswer
	colLaySupport
	colLayNeutral
	colLayObject
	colStaffSupport
	colStaffNeutral
	colStaffObject
	numCols
)

var columnKeys = [numCols]string{"section", "item", "person", "role", "date", "status", "details", "answer",
	"lay_support", "lay_neutral", "lay_object", "staff_support", "staff_neutral", "staff_object"}

type record [numCols]string

// section is a part of the report's CSV and the columns it uses.
type section struct {
	name string
	cols []int
}

// sectionHeads are, for the sections that have them, their own headers
// for their columns (message ids), where the shared column names would
// not say what a column holds.
var sectionHeads = map[string][]string{}

// sections, in the order they are written.
var sections = []section{
	{"steps", []int{colItem, colStatus, colDetails}},
	{"sign_offs", []int{colItem, colPerson, colRole, colDate, colDetails}},
	{"groups", []int{colItem, colStatus, colDetails, colAnswer}},
	{"coverage", []int{colItem, colDetails, colAnswer}},
	{"purpose", []int{colItem, colDate, colDetails}},
	{"approach", []int{colItem, colStatus, colDetails}},
	{"four_rs", []int{colItem, colPerson, colStatus, colDetails}},
	{"proposals", []int{colItem, colPerson, colDate, colStatus, colDetails, colAnswer,
		colLaySupport, colLayNeutral, colLayObject, colStaffSupport, colStaffNeutral, colStaffObject}},
	{"vote_reasons", []int{colItem, colPerson, colStatus, colDetails}},
	{"actions", []int{colItem, colPerson, colDate, colStatus, colDetails}},
	{"comments", []int{colItem, colPerson, colDate, colStatus, colDetails}},
	{"meetings", []int{colItem, colDate, colDetails}},
	{"support_needs", []int{colItem, colDetails}},
	{"expenses", []int{colItem, colDetails}},
	{"participation", []int{colItem, colDetails}},
}

// WriteCSV writes a stage report as one CSV file.
func WriteCSV(ctx context.Context, w io.Writer, r *Report, t Translate) error {
	out := csvsafe.NewWriter(w)
	header := make([]string, numCols)
	for i, k := range columnKeys {
		header[i] = t("report.csv." + k)
	}
	if err := out.Write(header...); err != nil {
		return err
	}
	err := eachRecord(ctx, r, t, func(section string, rec record) error {
		rec[colSection] = t("report.section." + section)
		return out.Write(rec[:]...)
	})
	if err != nil {
		return err
	}
	return out.Flush()
}

// WriteZIP writes the project report as a ZIP of one CSV per section.
func WriteZIP(ctx context.Context, w io.Writer, r *Report, t Translate) error {
	zw := zip.NewWriter(w)
	var out *csvsafe.Writer
	current := ""
	cells := make([]string, 0, numCols)
	err := eachRecord(ctx, r, t, func(section string, rec record) error {
		cols := columnsOf(section)
		if section != current {
			if out != nil {
				if err := out.Flush(); err != nil {
					return err
				}
			}
			f, err := zw.CreateHeader(&zip.FileHeader{Name: section + ".csv", Method: zip.Deflate, Modified: r.GeneratedAt})
			if err != nil {
				return err
			}
			out, current = csvsafe.NewWriter(f), section
			cells = cells[:0]
			for i, c := range cols {
				cells = append(cells, t(headerOf(section, i, c)))
			}
			if err := out.Write(cells...); err != nil {
				return err
			}
		}
		cells = cells[:0]
		for _, c := range cols {
			cells = append(cells, rec[c])
		}
		return out.Write(cells...)
	})
	if err != nil {
		return err
	}
	if out != nil {
		if err := out.Flush(); err != nil {
			return err
		}
	}
	return zw.Close()
}

func columnsOf(name string) []int {
	for _, s := range sections {
		if s.name == name {
			return s.cols
		}
	}
	panic("report: unknown section " + name)
}

// headerOf is the message id of the header of a section's i-th column, c.
func headerOf(name string, i, c int) string {
	if heads, ok := sectionHeads[name]; ok {
		return heads[i]
	}
	return "report.csv." + columnKeys[c]
}

func csvDate(t time.Time) string { return t.In(coproduce.UK).Format("2006-01-02 15:04") }

// eachRecord emits the report's records section by section (a section's
// records are never split, so each can be its own file).
func eachRecord(ctx context.Context, r *Report, t Translate, emit func(string, record) error) error {
	for _, build := range []func(*Report, Translate, func(string, record) error) error{
		stepRecords, signOffRecords, groupRecords, coverageRecords, purposeRecords, approachRecords, fourRsRecords,
		proposalRecords, voteReasonRecords, actionRecords,
	} {
		if err := build(r, t, emit); err != nil {
			return err
		}
	}
	err := r.EachComment(ctx, func(c Comment) error {
		status := ""
		if c.Hidden {
			status = t("report.comment_hidden")
		} else if c.ReplyTo != 0 {
			status = t("report.comment_reply")
		}
		return emit("comments", record{colItem: c.Proposal, colPerson: c.By, colDate: csvDate(c.At), colStatus: status, colDetails: c.Body})
	})
	if err != nil {
		return err
	}
	for _, build := range []func(*Report, Translate, func(string, record) error) error{
		meetingRecords, supportRecords, expenseRecords, participationRecords, involvementRecords,
	} {
		if err := build(r, t, emit); err != nil {
			return err
		}
	}
	return nil
}

func stepName(t Translate, s Step) string {
	return t("tracker.step_number", map[string]any{"N": s.Number}) + " " + t("step."+s.Slug)
}

func stepRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, s := range r.Steps {
		status := t("stage_status." + s.Status)
		if s.Provisional {
			status += " (" + t("step.provisional") + ")"
		}
		if err := emit("steps", record{colItem: stepName(t, s), colStatus: status, colDetails: s.Notes}); err != nil {
			return err
		}
	}
	return nil
}

func signOffRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, s := range r.Steps {
		for _, so := range s.SignOffs {
			rec := record{colItem: stepName(t, s), colPerson: so.By, colRole: t("project_role." + so.Role), colDate: csvDate(so.At),
				colDetails: invitedBy(t, so)}
			if err := emit("sign_offs", rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func groupRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, s := range r.Steps {
		for _, g := range s.Groups {
			status := t("group.included.yes")
			if !g.Included {
				status = t("group.included.no")
			}
			rec := record{colItem: g.Name, colStatus: status, colDetails: g.Description, colAnswer: g.ExclusionReason}
			if err := emit("groups", rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func coverageRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, s := range r.Steps {
		for _, c := range s.Coverage {
			rec := record{colItem: c.Group, colDetails: t("report.invited", map[string]any{"Count": c.Invited}),
				colAnswer: t("report.joined", map[string]any{"Count": c.Accepted})}
			if err := emit("coverage", rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func purposeRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, s := range r.Steps {
		if s.Purpose == nil {
			continue
		}
		for _, f := range PurposeFields(s.Purpose) {
			rec := record{colItem: t(f[0]), colDate: csvDate(s.Purpose.WrittenAt), colDetails: f[1]}
			if err := emit("purpose", rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// PurposeFields pairs each part of the purpose statement with its label.
func PurposeFields(p *Purpose) [][2]string {
	return [][2]string{
		{"purpose.purpose", p.Purpose},
		{"purpose.expectations", p.Expectations},
		{"purpose.fixed", p.Fixed},
		{"purpose.open_to_change", p.OpenToChange},
		{"purpose.contributions_use", p.ContributionsUse},
		{"purpose.expenses_policy", p.ExpensesPolicy},
	}
}

func approachRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, s := range r.Steps {
		if s.Approach == nil {
			continue
		}
		for _, row := range ApproachRows(t, s.Approach) {
			if err := emit("approach", record{colItem: row[0], colStatus: row[1], colDetails: row[2]}); err != nil {
				return err
			}
		}
	}
	return nil
}

// ApproachRows lists the approach as (aspect, choice, why) rows.
func ApproachRows(t Translate, a *Approach) [][3]string {
	rows := [][3]string{
		{t("approach.level"), t("level." + a.Level), a.LevelRationale},
		{t("approach.stage"), t("engagement_stage." + a.Stage), a.StageRationale},
		{t("approach.scope"), t("scope." + a.Scope), a.ScopeRationale},
	}
	for _, m := range coproduce.Methods {
		if why, ok := a.Methods[string(m)]; ok {
			rows = append(rows, [3]string{t("approach.method"), t("method." + string(m)), why})
		}
	}
	return rows
}

func fourRsRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, s := range r.Steps {
		for _, f := range s.FourRs {
			status := t("report.acknowledged.no")
			if f.Acknowledged {
				status = t("report.acknowledged.yes")
			}
			for _, part := range [][2]string{{"four_rs.role", f.Role}, {"four_rs.remit", f.Remit},
				{"four_rs.relationships", f.Relationships}, {"four_rs.responsibility", f.Responsibility}} {
				rec := record{colItem: t(part[0]), colPerson: f.Member, colStatus: status, colDetails: part[1]}
				if err := emit("four_rs", rec); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ProposalStatus words where an idea stands.
func ProposalStatus(t Translate, p Proposal) string {
	switch {
	case p.Withdrawn:
		return t("withdraw.tag")
	case p.Open:
		return t("answer.not_yet")
	}
	return t("response." + p.Response)
}

// ProposalWhy is why an idea stands where it does: the answer's reason, or
// the author's reason for withdrawing it.
func ProposalWhy(p Proposal) string {
	if p.Withdrawn {
		return p.WithdrawnReason
	}
	return p.Rationale
}

func proposalRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, p := range r.Proposals {
		rec := record{colItem: p.Title, colPerson: p.By, colDate: csvDate(p.CreatedAt), colStatus: ProposalStatus(t, p),
			colDetails: p.Body, colAnswer: ProposalWhy(p)}
		for i, c := range coproduce.Choices {
			rec[colLaySupport+i] = strconv.Itoa(p.Tally.Lay[c])
			rec[colStaffSupport+i] = strconv.Itoa(p.Tally.Staff[c])
		}
		if err := emit("proposals", rec); err != nil {
			return err
		}
	}
	return nil
}

func actionRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, p := range r.Proposals {
		for _, a := range p.Actions {
			rec := record{colItem: p.Title, colPerson: a.Owner, colDate: a.Due, colStatus: a.StatusText(t),
				colDetails: a.Description}
			if err := emit("actions", rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func meetingRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, m := range r.Meetings {
		rec := record{colItem: m.Title, colDate: csvDate(m.StartsAt),
			colDetails: t("report.attended", map[string]any{"Count": m.Attended})}
		if err := emit("meetings", rec); err != nil {
			return err
		}
	}
	return nil
}

func supportRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, n := range coproduce.NeedKinds {
		if c := r.SupportNeeds[n]; c > 0 {
			if err := emit("support_needs", record{colItem: t("need." + n), colDetails: strconv.Itoa(c)}); err != nil {
				return err
			}
		}
	}
	return nil
}

func expenseRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, st := range coproduce.ClaimStatuses {
		if total, ok := r.Expenses[st]; ok {
			if err := emit("expenses", record{colItem: t("claim_status." + string(st)), colDetails: total.String()}); err != nil {
				return err
			}
		}
	}
	return nil
}

func participationRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, row := range ParticipationRows(t, r.Participation) {
		if err := emit("participation", record{colItem: row[0], colDetails: row[1]}); err != nil {
			return err
		}
	}
	return nil
}

// ParticipationRows lists the participation figures as (measure, value).
func ParticipationRows(t Translate, p *coproduce.Participation) [][2]string {
	if p == nil {
		return nil
	}
	var rows [][2]string
	for _, role := range coproduce.ProjectRoles {
		name := t("project_role." + string(role))
		rows = append(rows,
			[2]string{t("report.members_in_role", map[string]any{"Role": name}), strconv.Itoa(p.MembersByRole[role])},
			[2]string{t("report.comments_by_role", map[string]any{"Role": name}), strconv.Itoa(p.CommentsByRole[role])},
			[2]string{t("report.votes_by_role", map[string]any{"Role": name}), strconv.Itoa(p.VotesByRole[role])})
	}
	share := 0
	if p.Proposals > 0 {
		share = (100*p.ProposalsFromLay + p.Proposals/2) / p.Proposals
	}
	return append(rows,
		[2]string{t("report.ideas"), strconv.Itoa(p.Proposals)},
		[2]string{t("report.ideas_from_lay"), strconv.Itoa(p.ProposalsFromLay) + " (" + strconv.Itoa(share) + "%)"},
		[2]string{t("report.ideas_answered"), strconv.Itoa(p.Answered)},
		[2]string{t("report.median_days"), strconv.FormatFloat(p.MedianDaysToAnswer, 'f', 1, 64)})
}

// invitedBy says who brought the signer into the project and when, or
// nothing for the project's creator.
func invitedBy(t Translate, so SignOff) string {
	if so.InvitedBy == "" || so.InvitedOn == nil {
		return ""
	}
	s := t("sign_off.invited_by", map[string]any{"Name": so.InvitedBy, "When": so.InvitedOn.In(coproduce.UK).Format("2 January 2006")})
	if so.SameDayInviter {
		s += ". " + t("sign_off.same_day")
	}
	return s
}
