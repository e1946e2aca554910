// Package report assembles a project's stage and project reports: what a
// board, the partners or the public are shown about the work, with people
// named only where they agreed to be, and support needs only as counts.
// The same report is written as an HTML page (in views, which the server
// also prints to a tagged PDF with Chromium), JSON, CSV and a ZIP of CSV
// files.
package report

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// Report is one report. Its JSON shape is docs/report.schema.json.
// Comments are not held in it: EachComment streams them from the database.
type Report struct {
	GeneratedAt   time.Time                                 `json:"generated_at"`
	GeneratedBy   string                                    `json:"generated_by"`
	Scope         string                                    `json:"scope"` // "project" or a step's slug
	Project       ProjectInfo                               `json:"project"`
	Steps         []Step                                    `json:"steps"`
	Proposals     []Proposal                                `json:"proposals,omitempty"`
	Meetings      []Meeting                                 `json:"meetings,omitempty"`
	SupportNeeds  map[string]int                            `json:"support_needs,omitempty"`
	Expenses      map[coproduce.ClaimStatus]coproduce.Pence `json:"expenses_pence,omitempty"`
	Participation *coproduce.Participation                  `json:"participation,omitempty"`
	// Involvement is "Involvement and its impact" (the project report only).
	Involvement *Involvement `json:"involvement,omitempty"`

	// HasComments says whether the report carries the discussion (the
	// build step and the project report do), and CommentCount how many
	// comments it has.
	HasComments  bool `json:"-"`
	CommentCount int  `json:"comment_count"`
	// Printed is set for the PDF: its discussion is one table of each
	// idea's newest comments, fewer than the page's (EachPrintedComment).
	Printed  bool `json:"-"`
	comments func(context.Context, int, func(coproduce.ReportComment) error) error
	namer    *coproduce.Namer
}

// ProjectInfo summarises the project.
type ProjectInfo struct {
	Title   string `json:"title"`
	Summary string `json:"summary"`
	Status  string `json:"status"`
}

// Step is one step's record.
type Step struct {
	Slug        string    `json:"step"`
	Number      int       `json:"number"`
	Status      string    `json:"status"`
	Provisional bool      `json:"provisional"`
	SignOffs    []SignOff `json:"sign_offs"`
	Notes       string    `json:"notes"`
	Groups      []Group   `json:"groups,omitempty"`
	Coverage    []Reach   `json:"coverage,omitempty"`
	Purpose     *Purpose  `json:"purpose,omitempty"`
	Approach    *Approach `json:"approach,omitempty"`
	FourRs      []FourRs  `json:"four_rs,omitempty"`
}

// SignOff is who signed a step off, as labelled in this report.
type SignOff struct {
	By   string    `json:"by"`
	Role string    `json:"role"`
	At   time.Time `json:"at"`
	// InvitedBy is who invited or added the signer into the project,
	// labelled as the report labels people, and InvitedOn when; empty for
	// the project's creator.
	InvitedBy string     `json:"invited_by,omitempty"`
	InvitedOn *time.Time `json:"invited_on,omitempty"`
	// SameDayInviter: the person who invited the signer also signed the
	// step, and invited them on the day they signed.
	SameDayInviter bool `json:"invited_by_co_signer_same_day,omitempty"`
}

// Group is a stakeholder group (step 1).
type Group struct {
	Name            string `json:"name"`
	Description     string `json:"description"`
	Affected        string `json:"affected"`
	Included        bool   `json:"included"`
	ExclusionReason string `json:"exclusion_reason,omitempty"`
}

// Reach is how many people of one stakeholder group were invited and how
// many joined (step 2): counts, never who.
type Reach struct {
	Group    string `json:"group"`
	Invited  int    `json:"invited"`
	Accepted int    `json:"joined"`
}

// Purpose is the current purpose statement (step 3).
type Purpose struct {
	Version          int       `json:"version"`
	Purpose          string    `json:"purpose"`
	Expectations     string    `json:"expectations"`
	Fixed            string    `json:"fixed"`
	OpenToChange     string    `json:"open_to_change"`
	ContributionsUse string    `json:"contributions_use"`
	ExpensesPolicy   string    `json:"expenses_policy"`
	WrittenAt        time.Time `json:"written_at"`
}

// Approach is how people are involved (step 4).
type Approach struct {
	Level          string            `json:"level"`
	LevelRationale string            `json:"level_rationale"`
	Stage          string            `json:"stage"`
	StageRationale string            `json:"stage_rationale"`
	Scope          string            `json:"scope"`
	ScopeRationale string            `json:"scope_rationale"`
	Methods        map[string]string `json:"methods"`
}

// FourRs is one member's role, remit, relationships and responsibility
// (step 7).
type FourRs struct {
	Member         string `json:"member"`
	Role           string `json:"role"`
	Remit          string `json:"remit"`
	Relationships  string `json:"relationships"`
	Responsibility string `json:"responsibility"`
	Acknowledged   bool   `json:"acknowledged"`
}

// Proposal is an idea with its votes by role, its answer and actions: a
// row of "You said, we did".
type Proposal struct {
	Title      string          `json:"title"`
	Body       string          `json:"body"`
	By         string          `json:"by"`
	CreatedAt  time.Time       `json:"created_at"`
	GroundRule bool            `json:"ground_rule"`
	Open       bool            `json:"open"`
	Tally      coproduce.Tally `json:"tally"`
	Response   string          `json:"response,omitempty"`
	Rationale  string          `json:"rationale,omitempty"`
	Actions    []Action        `json:"actions,omitempty"`
	// Withdrawn is set when the author withdrew the idea before it was
	// answered, with their reason if they gave one.
	Withdrawn       bool   `json:"withdrawn"`
	WithdrawnReason string `json:"withdrawn_reason,omitempty"`
	// VoteReasons are the reasons given with votes, each person labelled
	// as the report labels people.
	VoteReasons []VoteReason `json:"vote_reasons,omitempty"`
}

// Action is an action on an adopted idea.
type Action struct {
	Description string `json:"description"`
	Owner       string `json:"owner"`
	Due         string `json:"due"`
	Status      string `json:"status"`
	// Overdue is set when the action is not done and its due date was
	// before the day the report was made (UK time).
	Overdue bool `json:"overdue"`
}

// StatusText is the action's status as a report shows it, saying when it
// is past its due date.
func (a Action) StatusText(t Translate) string {
	s := t("action_status." + a.Status)
	if a.Overdue {
		return t("report.action_overdue", map[string]any{"Status": s})
	}
	return s
}

// Meeting is a meeting and how many came.
type Meeting struct {
	Title    string    `json:"title"`
	StartsAt time.Time `json:"starts_at"`
	Attended int       `json:"attended"`
}

// Comment is one comment of the discussion, as labelled in this report.
type Comment struct {
	ID       int64     `json:"id"`
	ReplyTo  int64     `json:"reply_to,omitempty"`
	Proposal string    `json:"proposal"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Hidden   bool      `json:"hidden"`
	Body     string    `json:"body"`
	// IdeaID and OnIdea are, in the readable reports, the idea and how many
	// comments it has.
	IdeaID int64 `json:"-"`
	OnIdea int   `json:"-"`
}

// Labels words roles for anonymous labels.
type Labels struct {
	Role   func(coproduce.ProjectRole) string
	Former string
	// Ambiguous stands for a name in free text that more than one member
	// has ("a member").
	Ambiguous string
	// Lang is the report's language ("en" or "cy"): the project's title,
	// summary and purpose statement are given in it where written, else in
	// the other language.
	Lang string
	// Words is the report's catalogue, for the words the report writes
	// itself (how an outcome is measured, "8 missed visits"); nil gives
	// the message ids.
	Words Translate
}

// Build assembles the report of one step, or of the whole project when
// step is 0.
func Build(ctx context.Context, store *postgres.Store, p *coproduce.Project, step coproduce.Step, by string, labels Labels) (*Report, error) {
	members, err := store.ReportMembers(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	r := &Report{GeneratedAt: time.Now(), GeneratedBy: by, Scope: "project",
		Project: ProjectInfo{Title: p.TitleIn(labels.Lang), Summary: inLang(labels.Lang, p.Summary, p.SummaryCy), Status: string(p.Status)},
		namer:   coproduce.NewNamer(members, labels.Role, labels.Former)}
	r.namer.Ambiguous = labels.Ambiguous
	if step != 0 {
		r.Scope = step.Slug()
	}
	stages, err := store.Stages(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, st := range stages {
		if step != 0 && st.Step != step {
			continue
		}
		s, err := buildStep(ctx, store, p.ID, st, r.namer, labels.Lang)
		if err != nil {
			return nil, err
		}
		r.Steps = append(r.Steps, s)
	}
	if step == 0 || step == coproduce.StepBuild {
		if r.Proposals, err = buildProposals(ctx, store, p.ID, r.namer); err != nil {
			return nil, err
		}
		r.HasComments = true
		if r.CommentCount, err = store.CommentCount(ctx, p.ID); err != nil {
			return nil, err
		}
		r.comments = func(ctx context.Context, perIdea int, fn func(coproduce.ReportComment) error) error {
			return store.EachReportComment(ctx, p.ID, perIdea, fn)
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
		if r.Involvement, err = buildInvolvement(ctx, store, p.ID, r, labels.Words); err != nil {
			return nil, err
		}
	}
	r.scrubNames()
	return r, nil
}

// scrubNames puts, in every free text of the report, the label of each
// member who is not named in place of their name (coproduce.Namer.Scrub).
// Comments are scrubbed as they stream.
func (r *Report) scrubNames() {
	sc := r.namer.Scrub
	r.Project.Title, r.Project.Summary = sc(r.Project.Title), sc(r.Project.Summary)
	for i := range r.Steps {
		st := &r.Steps[i]
		st.Notes = sc(st.Notes)
		for j := range st.Groups {
			g := &st.Groups[j]
			g.Name, g.Description, g.ExclusionReason = sc(g.Name), sc(g.Description), sc(g.ExclusionReason)
		}
		for j := range st.Coverage {
			st.Coverage[j].Group = sc(st.Coverage[j].Group)
		}
		if pv := st.Purpose; pv != nil {
			pv.Purpose, pv.Expectations, pv.Fixed = sc(pv.Purpose), sc(pv.Expectations), sc(pv.Fixed)
			pv.OpenToChange, pv.ContributionsUse, pv.ExpensesPolicy = sc(pv.OpenToChange), sc(pv.ContributionsUse), sc(pv.ExpensesPolicy)
		}
		if a := st.Approach; a != nil {
			a.LevelRationale, a.StageRationale, a.ScopeRationale = sc(a.LevelRationale), sc(a.StageRationale), sc(a.ScopeRationale)
			for m, why := range a.Methods {
				a.Methods[m] = sc(why)
			}
		}
		for j := range st.FourRs {
			f := &st.FourRs[j]
			f.Role, f.Remit, f.Relationships, f.Responsibility = sc(f.Role), sc(f.Remit), sc(f.Relationships), sc(f.Responsibility)
		}
	}
	for i := range r.Proposals {
		pr := &r.Proposals[i]
		pr.Title, pr.Body, pr.Rationale, pr.WithdrawnReason = sc(pr.Title), sc(pr.Body), sc(pr.Rationale), sc(pr.WithdrawnReason)
		for j := range pr.VoteReasons {
			pr.VoteReasons[j].Reason = sc(pr.VoteReasons[j].Reason)
		}
		for j := range pr.Actions {
			a := &pr.Actions[j]
			a.Description, a.Owner = sc(a.Description), sc(a.Owner)
		}
	}
	for i := range r.Meetings {
		r.Meetings[i].Title = sc(r.Meetings[i].Title)
	}
	r.Involvement.scrub(sc)
}

// EachComment calls fn with each comment of the report's discussion, in
// order, straight from the database.
func (r *Report) EachComment(ctx context.Context, fn func(Comment) error) error {
	return r.eachComment(ctx, 0, fn)
}

// ReadableComments is how many of each idea's comments the pages meant for
// reading (the HTML report and the PDF) show: the newest. A discussion of
// thousands of comments is for the CSV and JSON downloads, which hold them
// all; a printed report of thousands of pages helps nobody, and its size
// would have no bound.
const ReadableComments = 10

// PrintedComments bounds the discussion of a printed report (the PDF):
// Chromium lays out a few hundred comments a second, and a report of the
// busiest project's thousand ideas, ten comments each, was 6 MB of HTML
// that no print finished within its minute (nor would anyone read its
// thousands of pages). A thousand comments, one for each idea, still made
// 200 pages, took Chromium a gigabyte, and printed at 14 × the time the
// database takes to hand over all 100,000.
const PrintedComments = 200

// PrintedPerIdea is how many of each idea's newest comments a printed
// report shows: ReadableComments, fewer each when the ideas are many, so
// that together they stay within PrintedComments; at least one.
func (r *Report) PrintedPerIdea() int {
	return max(1, min(ReadableComments, PrintedComments/max(1, len(r.Proposals))))
}

// Waiting says whether an idea still waits for its answer, with nothing
// done about it yet.
func (p Proposal) Waiting() bool { return p.Open && !p.Withdrawn && len(p.Actions) == 0 }

// PrintedDone are the ideas a printed report gives in full in its "You
// said, we did" table: answered, withdrawn or acted on.
func (r *Report) PrintedDone() []Proposal {
	return slices.DeleteFunc(slices.Clone(r.Proposals), Proposal.Waiting)
}

// PrintedWaitingIdeas bounds the ideas a printed report lists as still
// waiting for an answer, as PrintedComments bounds its comments: the
// newest; the downloads and the report's page list them all.
const PrintedWaitingIdeas = 200

// WaitingIdeas are the ideas a printed report lists one short row each, as
// still waiting for an answer: the newest PrintedWaitingIdeas of them, and
// how many there are in all.
type WaitingIdeas struct {
	Newest []Proposal
	All    int
}

// PrintedWaiting are a printed report's ideas still waiting for an
// answer. A thousand such ideas in the full table, each saying "not
// answered yet" and "no actions yet" in narrow columns, took 200 printed
// pages; in short rows, still 60 pages and two seconds of Chromium's time.
func (r *Report) PrintedWaiting() WaitingIdeas {
	var w WaitingIdeas
	for _, p := range r.Proposals {
		if p.Waiting() {
			if len(w.Newest) < PrintedWaitingIdeas {
				w.Newest = append(w.Newest, p)
			}
			w.All++
		}
	}
	return w
}

// errEnough ends a stream of comments early.
var errEnough = errors.New("enough comments")

// EachPrintedComment is EachReadableComment for a printed report: each
// idea's newest PrintedPerIdea comments, PrintedComments at most in all.
func (r *Report) EachPrintedComment(ctx context.Context, fn func(Comment) error) error {
	n := 0
	err := r.eachComment(ctx, r.PrintedPerIdea(), func(c Comment) error {
		if n == PrintedComments {
			return errEnough
		}
		n++
		return fn(c)
	})
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

// EachReadableComment is EachComment for the HTML and PDF reports: the
// newest ReadableComments of each idea, each saying how many its idea has.
func (r *Report) EachReadableComment(ctx context.Context, fn func(Comment) error) error {
	return r.eachComment(ctx, ReadableComments, fn)
}

func (r *Report) eachComment(ctx context.Context, perIdea int, fn func(Comment) error) error {
	if !r.HasComments {
		return nil
	}
	return r.comments(ctx, perIdea, func(c coproduce.ReportComment) error {
		return fn(Comment{ID: c.ID, ReplyTo: c.ParentID, Proposal: r.namer.Scrub(c.Proposal), By: r.namer.Label(c.AuthorID),
			At: c.CreatedAt, Hidden: c.Hidden, Body: r.namer.Scrub(c.Body), IdeaID: c.ProposalID, OnIdea: c.OnIdea})
	})
}

func buildStep(ctx context.Context, store *postgres.Store, projectID int64, st coproduce.Stage, namer *coproduce.Namer, lang string) (Step, error) {
	s := Step{Slug: st.Step.Slug(), Number: int(st.Step), Status: string(st.Status), Provisional: st.Provisional,
		Notes: st.Notes, SignOffs: []SignOff{}}
	for _, so := range st.SignOffs {
		o := SignOff{By: namer.Label(so.UserID), Role: string(so.Role), At: so.SignedAt}
		if so.InvitedByID != 0 && so.JoinedAt != nil {
			o.InvitedBy, o.InvitedOn = namer.Label(so.InvitedByID), so.JoinedAt
			o.SameDayInviter = st.InvitedByCoSigner(so)
		}
		s.SignOffs = append(s.SignOffs, o)
	}
	var err error
	switch st.Step {
	case coproduce.StepIdentify:
		s.Groups, err = groups(ctx, store, projectID)
	case coproduce.StepSelect:
		s.Coverage, err = coverage(ctx, store, projectID)
	case coproduce.StepBeClear:
		s.Purpose, err = purpose(ctx, store, projectID, lang)
	case coproduce.StepChoose:
		s.Approach, err = approach(ctx, store, projectID)
	case coproduce.StepUnderstand:
		s.FourRs, err = fourRs(ctx, store, projectID, namer)
	}
	return s, err
}

func groups(ctx context.Context, store *postgres.Store, projectID int64) ([]Group, error) {
	list, err := store.Groups(ctx, projectID)
	var out []Group
	for _, g := range list {
		out = append(out, Group{Name: g.Name, Description: g.Description, Affected: string(g.Affected),
			Included: g.Included, ExclusionReason: g.ExclusionReason})
	}
	return out, err
}

func coverage(ctx context.Context, store *postgres.Store, projectID int64) ([]Reach, error) {
	list, err := store.Coverage(ctx, projectID)
	var out []Reach
	for _, c := range list {
		if c.Included {
			out = append(out, Reach{Group: c.Name, Invited: c.Invited, Accepted: c.Accepted})
		}
	}
	return out, err
}

func purpose(ctx context.Context, store *postgres.Store, projectID int64, lang string) (*Purpose, error) {
	pv, err := store.CurrentPurpose(ctx, projectID)
	if errors.Is(err, coproduce.ErrNotFound) {
		return nil, nil
	}
	part := func(field string) string {
		en, cy := pv.Part(field)
		return inLang(lang, en, cy)
	}
	return &Purpose{Version: pv.Version, Purpose: part("purpose"), Expectations: part("expectations"), Fixed: part("fixed"),
		OpenToChange: part("open_to_change"), ContributionsUse: part("contributions_use"),
		ExpensesPolicy: part("expenses_policy"), WrittenAt: pv.CreatedAt}, err
}

// inLang is a text in the report's language where written, else in the
// other.
func inLang(lang, en, cy string) string {
	text, _ := coproduce.InLanguage(lang, en, cy)
	return text
}

func approach(ctx context.Context, store *postgres.Store, projectID int64) (*Approach, error) {
	a, err := store.Approach(ctx, projectID)
	if errors.Is(err, coproduce.ErrNotFound) {
		return nil, nil
	}
	methods := map[string]string{}
	for m, why := range a.Methods {
		methods[string(m)] = why
	}
	return &Approach{Level: string(a.Level), LevelRationale: a.LevelRationale, Stage: string(a.Stage),
		StageRationale: a.StageRationale, Scope: string(a.Scope), ScopeRationale: a.ScopeRationale, Methods: methods}, err
}

func fourRs(ctx context.Context, store *postgres.Store, projectID int64, namer *coproduce.Namer) ([]FourRs, error) {
	list, err := store.FourRsList(ctx, projectID)
	var out []FourRs
	for _, f := range list {
		if f.Written() {
			out = append(out, FourRs{Member: namer.Label(f.UserID), Role: f.Role, Remit: f.Remit,
				Relationships: f.Relationships, Responsibility: f.Responsibility, Acknowledged: f.Acknowledged()})
		}
	}
	return out, err
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
	reasons, err := store.VoteReasons(ctx, projectID)
	if err != nil {
		return nil, err
	}
	var out []Proposal
	now := time.Now()
	for _, pr := range list {
		if pr.Tally.Lay == nil {
			pr.Tally = coproduce.NewTally() // no votes yet
		}
		rp := Proposal{Title: pr.Title, Body: pr.Body, By: namer.Label(pr.AuthorID), CreatedAt: pr.CreatedAt,
			GroundRule: pr.GroundRule, Open: pr.Open, Tally: pr.Tally, Response: string(pr.Response), Rationale: pr.Rationale,
			Withdrawn: pr.Withdrawn, WithdrawnReason: pr.WithdrawnReason}
		for _, v := range reasons[pr.ID] {
			rp.VoteReasons = append(rp.VoteReasons, VoteReason{By: namer.Label(v.UserID), Vote: string(v.Choice), Reason: v.Reason})
		}
		for _, a := range actions[pr.ID] {
			rp.Actions = append(rp.Actions, Action{Description: a.Description, Owner: a.Owner,
				Due: a.DueOn.Format("2006-01-02"), Status: string(a.Status), Overdue: a.Overdue(now)})
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
	came, err := store.AttendanceCounts(ctx, projectID)
	for _, m := range meetings {
		r.Meetings = append(r.Meetings, Meeting{Title: m.Title, StartsAt: m.StartsAt, Attended: came[m.ID]})
	}
	return err
}

// EachReadableIdea groups the readable comments by idea, calling fn once
// per idea with its newest comments (never more than ReadableComments, so
// the group is small whatever the project's size).
func (r *Report) EachReadableIdea(ctx context.Context, fn func(idea string, total int, comments []Comment) error) error {
	var group []Comment
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		total := max(group[0].OnIdea, len(group))
		err := fn(group[0].Proposal, total, group)
		group = group[:0]
		return err
	}
	err := r.EachReadableComment(ctx, func(c Comment) error {
		if len(group) > 0 && group[0].IdeaID != c.IdeaID {
			if err := flush(); err != nil {
				return err
			}
		}
		group = append(group, c)
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}
