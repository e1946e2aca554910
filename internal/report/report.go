// Package report assembles a project's stage and project reports: what a
// board, the partners or the public are shown about the work, with people
// named only where they agreed to be, and support needs only as counts.
package report

import (
	"context"
	"errors"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// Report is one report. Its JSON shape is documented in docs/reports.md.
type Report struct {
	GeneratedAt   time.Time                                 `json:"generated_at"`
	GeneratedBy   string                                    `json:"generated_by"`
	Project       ProjectInfo                               `json:"project"`
	Steps         []Step                                    `json:"steps"`
	Proposals     []Proposal                                `json:"proposals,omitempty"`
	Meetings      []Meeting                                 `json:"meetings,omitempty"`
	SupportNeeds  map[string]int                            `json:"support_needs,omitempty"`
	Expenses      map[coproduce.ClaimStatus]coproduce.Pence `json:"expenses_pence,omitempty"`
	Participation *coproduce.Participation                  `json:"participation,omitempty"`
}

// ProjectInfo summarises the project.
type ProjectInfo struct {
	Title   string `json:"title"`
	Summary string `json:"summary"`
	Status  string `json:"status"`
}

// Step is one step's record.
type Step struct {
	Slug        string              `json:"step"`
	Number      int                 `json:"number"`
	Status      string              `json:"status"`
	Provisional bool                `json:"provisional"`
	SignOffs    []SignOff           `json:"sign_offs"`
	Notes       string              `json:"notes"`
	Groups      []Group             `json:"groups,omitempty"`
	Purpose     *coproduce.Purpose  `json:"purpose,omitempty"`
	Approach    *coproduce.Approach `json:"approach,omitempty"`
}

// SignOff is who signed a step off, as labelled in this report.
type SignOff struct {
	By   string    `json:"by"`
	Role string    `json:"role"`
	At   time.Time `json:"at"`
}

// Group is a stakeholder group.
type Group struct {
	Name            string `json:"name"`
	Description     string `json:"description"`
	Affected        string `json:"affected"`
	Included        bool   `json:"included"`
	ExclusionReason string `json:"exclusion_reason,omitempty"`
}

// Proposal is an idea with its votes by role, its answer and actions.
type Proposal struct {
	Title      string          `json:"title"`
	By         string          `json:"by"`
	GroundRule bool            `json:"ground_rule"`
	Open       bool            `json:"open"`
	Tally      coproduce.Tally `json:"tally"`
	Response   string          `json:"response,omitempty"`
	Rationale  string          `json:"rationale,omitempty"`
	Actions    []Action        `json:"actions,omitempty"`
}

// Action is an action on an adopted idea.
type Action struct {
	Description string `json:"description"`
	Owner       string `json:"owner"`
	Due         string `json:"due"`
	Status      string `json:"status"`
}

// Meeting is a meeting and how many came.
type Meeting struct {
	Title    string    `json:"title"`
	StartsAt time.Time `json:"starts_at"`
	Attended int       `json:"attended"`
}

// Labels words roles for anonymous labels.
type Labels struct {
	Role   func(coproduce.ProjectRole) string
	Former string
}

// Build assembles the report of one step, or of the whole project when
// step is 0.
func Build(ctx context.Context, store *postgres.Store, p *coproduce.Project, step coproduce.Step, by string, labels Labels) (*Report, error) {
	members, err := store.ReportMembers(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	namer := coproduce.NewNamer(members, labels.Role, labels.Former)
	r := &Report{GeneratedAt: time.Now(), GeneratedBy: by,
		Project: ProjectInfo{Title: p.Title, Summary: p.Summary, Status: string(p.Status)}}
	stages, err := store.Stages(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, st := range stages {
		if step != 0 && st.Step != step {
			continue
		}
		s, err := buildStep(ctx, store, p.ID, st, namer)
		if err != nil {
			return nil, err
		}
		r.Steps = append(r.Steps, s)
	}
	if step == 0 || step == coproduce.StepBuild {
		if r.Proposals, err = buildProposals(ctx, store, p.ID, namer); err != nil {
			return nil, err
		}
	}
	if step == 0 || step == coproduce.StepSupport {
		if err := addSupport(ctx, store, p.ID, r); err != nil {
			return nil, err
		}
	}
	if step == 0 {
		part, err := store.Participation(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		r.Participation = &part
	}
	return r, nil
}

func buildStep(ctx context.Context, store *postgres.Store, projectID int64, st coproduce.Stage, namer *coproduce.Namer) (Step, error) {
	s := Step{Slug: st.Step.Slug(), Number: int(st.Step), Status: string(st.Status), Provisional: st.Provisional,
		Notes: st.Notes, SignOffs: []SignOff{}}
	for _, so := range st.SignOffs {
		s.SignOffs = append(s.SignOffs, SignOff{By: namer.Label(so.UserID), Role: string(so.Role), At: so.SignedAt})
	}
	switch st.Step {
	case coproduce.StepIdentify:
		groups, err := store.Groups(ctx, projectID)
		if err != nil {
			return s, err
		}
		for _, g := range groups {
			s.Groups = append(s.Groups, Group{Name: g.Name, Description: g.Description, Affected: string(g.Affected),
				Included: g.Included, ExclusionReason: g.ExclusionReason})
		}
	case coproduce.StepBeClear:
		pv, err := store.CurrentPurpose(ctx, projectID)
		if err == nil {
			pv.CreatedByName = ""
			s.Purpose = &pv
		} else if !errors.Is(err, coproduce.ErrNotFound) {
			return s, err
		}
	case coproduce.StepChoose:
		a, err := store.Approach(ctx, projectID)
		if err == nil {
			s.Approach = &a
		} else if !errors.Is(err, coproduce.ErrNotFound) {
			return s, err
		}
	}
	return s, nil
}

func buildProposals(ctx context.Context, store *postgres.Store, projectID int64, namer *coproduce.Namer) ([]Proposal, error) {
	list, err := store.Proposals(ctx, projectID)
	if err != nil {
		return nil, err
	}
	actions, err := store.Actions(ctx, projectID)
	if err != nil {
		return nil, err
	}
	var out []Proposal
	for _, pr := range list {
		rp := Proposal{Title: pr.Title, By: namer.Label(pr.AuthorID), GroundRule: pr.GroundRule, Open: pr.Open,
			Tally: pr.Tally, Response: string(pr.Response), Rationale: pr.Rationale}
		for _, a := range actions[pr.ID] {
			rp.Actions = append(rp.Actions, Action{Description: a.Description, Owner: a.Owner,
				Due: a.DueOn.Format("2006-01-02"), Status: string(a.Status)})
		}
		out = append(out, rp)
	}
	return out, nil
}

// addSupport adds what a report may show of step 5: needs as counts only,
// meetings with how many came, and expense totals.
func addSupport(ctx context.Context, store *postgres.Store, projectID int64, r *Report) error {
	var err error
	if r.SupportNeeds, err = store.SupportNeedCounts(ctx, projectID); err != nil {
		return err
	}
	if r.Expenses, err = store.ExpenseTotals(ctx, projectID); err != nil {
		return err
	}
	meetings, err := store.Meetings(ctx, projectID)
	if err != nil {
		return err
	}
	for _, m := range meetings {
		n, err := store.AttendanceCount(ctx, m.ID)
		if err != nil {
			return err
		}
		r.Meetings = append(r.Meetings, Meeting{Title: m.Title, StartsAt: m.StartsAt, Attended: n})
	}
	return nil
}
