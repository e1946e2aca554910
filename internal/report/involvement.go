package report

import (
	"context"
	"strconv"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// Involvement is the project report's "Involvement and its impact", set
// out as the five items of GRIPP2's short form (the Guidance for Reporting
// Involvement of Patients and the Public): the aim of the involvement, its
// methods, its results, its outcomes and influence, and a critical
// reflection. It is filled from the project's own records.
type Involvement struct {
	Aim     InvolvementAim     `json:"aim"`
	Methods InvolvementMethods `json:"methods"`
	Results InvolvementResults `json:"results"`
	// Impact is the impact log, newest change first.
	Impact []ImpactEntry `json:"impact"`
	// Outcomes and PrinciplesRounds come from the outcomes partners define
	// and the principles check; empty until those are recorded.
	Outcomes         []coproduce.ReportOutcome         `json:"outcomes"`
	PrinciplesRounds []coproduce.ReportPrinciplesRound `json:"principles_rounds"`
	// Reflection is the members' shared reflection, nil until written.
	Reflection *Reflection `json:"reflection"`
}

// InvolvementAim is what the project set out to do with the people it
// involved: what it is for (step 3) and the approach declared (step 4).
type InvolvementAim struct {
	Purpose  string    `json:"purpose"`
	Approach *Approach `json:"approach"`
}

// InvolvementMethods is how people were involved: who, in which ways, and
// at how many meetings.
type InvolvementMethods struct {
	MembersByRole map[coproduce.ProjectRole]int `json:"members_by_role"`
	// Methods are the ways of working chosen in step 4.
	Methods []string `json:"methods"`
	// MeetingsHeld counts the meetings that have taken place (not
	// cancelled); AttendanceByRole how many times members of each role
	// came to them.
	MeetingsHeld     int                           `json:"meetings_held"`
	AttendanceByRole map[coproduce.ProjectRole]int `json:"attendance_by_role"`
}

// InvolvementResults is what partners put forward and what became of it.
type InvolvementResults struct {
	Ideas        int `json:"ideas"`
	IdeasFromLay int `json:"ideas_from_lay_partners"`
	Adopted      int `json:"adopted"`
	Adapted      int `json:"adapted"`
	NotAdopted   int `json:"not_adopted"`
	Waiting      int `json:"waiting"`
	Withdrawn    int `json:"withdrawn"`
	Actions      int `json:"actions"`
	ActionsDone  int `json:"actions_done"`
}

// ImpactEntry is a change in the impact log, with people labelled as the
// report labels them.
type ImpactEntry struct {
	Title        string         `json:"title"`
	WhatChanged  string         `json:"what_changed"`
	ChangedOn    string         `json:"changed_on"`
	CameFrom     []ImpactSource `json:"came_from"`
	Contributors []string       `json:"contributors"`
}

// ImpactSource is an idea, an action or an outcome a change came from
// (for an outcome, one it helped).
type ImpactSource struct {
	Kind  string `json:"kind"` // "idea", "action" or "outcome"
	Title string `json:"title"`
	// Idea is, for an action, the idea it belongs to.
	Idea string `json:"idea,omitempty"`
}

// Reflection is the current version of the members' reflection.
type Reflection struct {
	Text          string    `json:"text"`
	Version       int       `json:"version"`
	LastChangedBy string    `json:"last_changed_by"`
	LastChangedAt time.Time `json:"last_changed_at"`
	// WrittenBy is everyone who wrote a version, first to last.
	WrittenBy []string `json:"written_by"`
}

// buildInvolvement fills the section from the report's own steps, ideas
// and figures, and from the impact log and the reflection.
func buildInvolvement(ctx context.Context, store *postgres.Store, projectID int64, r *Report, words Translate) (*Involvement, error) {
	inv := &Involvement{Impact: []ImpactEntry{}, Outcomes: []coproduce.ReportOutcome{},
		PrinciplesRounds: []coproduce.ReportPrinciplesRound{}}
	inv.Methods.Methods = []string{}
	for _, st := range r.Steps {
		if st.Purpose != nil {
			inv.Aim.Purpose = st.Purpose.Purpose
		}
		if st.Approach != nil {
			inv.Aim.Approach = st.Approach
			for _, m := range coproduce.Methods {
				if _, ok := st.Approach.Methods[string(m)]; ok {
					inv.Methods.Methods = append(inv.Methods.Methods, string(m))
				}
			}
		}
	}
	if r.Participation != nil {
		inv.Methods.MembersByRole = r.Participation.MembersByRole
		inv.Results.IdeasFromLay = r.Participation.ProposalsFromLay
	}
	var err error
	if inv.Methods.MeetingsHeld, inv.Methods.AttendanceByRole, err = store.AttendanceByRole(ctx, projectID); err != nil {
		return nil, err
	}
	inv.Results.count(r.Proposals)
	if inv.Impact, err = impactEntries(ctx, store, projectID, r.namer); err != nil {
		return nil, err
	}
	if inv.Outcomes, err = agreedOutcomes(ctx, store, projectID, words); err != nil {
		return nil, err
	}
	if inv.PrinciplesRounds, err = closedRounds(ctx, store, projectID); err != nil {
		return nil, err
	}
	inv.Reflection, err = reflection(ctx, store, projectID, r.namer)
	return inv, err
}

// agreedOutcomes are the outcomes a lead agreed, each with how it is
// measured, its baseline and target, and its newest reading.
func agreedOutcomes(ctx context.Context, store *postgres.Store, projectID int64, words Translate) ([]coproduce.ReportOutcome, error) {
	if words == nil {
		words = func(id string, _ ...map[string]any) string { return id }
	}
	list, err := store.Outcomes(ctx, projectID)
	if err != nil {
		return nil, err
	}
	out := []coproduce.ReportOutcome{}
	for _, o := range list {
		if !o.Agreed() {
			continue
		}
		ro := coproduce.ReportOutcome{Title: o.Title}
		if o.Measure != "" {
			ro.Measure = words("outcome.measure." + string(o.Measure))
			if o.Measure.Figures() {
				ro.Baseline, ro.Target = o.FigureText(words, o.Baseline), o.FigureText(words, o.Target)
			}
		}
		if l := o.Latest; l != nil {
			ro.Latest = &coproduce.ReportReading{Value: l.Story, On: l.TakenOn.Format("2006-01-02"), Source: l.Source}
			if o.Measure.Figures() {
				ro.Latest.Value = o.FigureText(words, l.Value)
			}
		}
		out = append(out, ro)
	}
	return out, nil
}

// closedRounds are the principles check's closed rounds, oldest first,
// with each group's means where at least coproduce.MinGroup answered
// (the store's figures already keep that rule).
func closedRounds(ctx context.Context, store *postgres.Store, projectID int64) ([]coproduce.ReportPrinciplesRound, error) {
	results, err := store.PrinciplesResults(ctx, projectID)
	if err != nil {
		return nil, err
	}
	out := []coproduce.ReportPrinciplesRound{}
	for i := len(results) - 1; i >= 0; i-- { // newest first from the store
		res := results[i]
		if res.Round.Open() {
			continue
		}
		round := coproduce.ReportPrinciplesRound{Title: res.Round.Title}
		for j, pr := range coproduce.Principles {
			means := coproduce.ReportPrincipleMeans{Principle: string(pr)}
			if res.Lay.Shown() {
				means.Lay = &res.Lay.Means[j]
			}
			if res.Staff.Shown() {
				means.Staff = &res.Staff.Means[j]
			}
			round.Principles = append(round.Principles, means)
		}
		out = append(out, round)
	}
	return out, nil
}

func (res *InvolvementResults) count(list []Proposal) {
	for _, p := range list {
		res.Ideas++
		switch {
		case p.Withdrawn:
			res.Withdrawn++
		case p.Open:
			res.Waiting++
		case p.Response == string(coproduce.Adopted):
			res.Adopted++
		case p.Response == string(coproduce.Adapted):
			res.Adapted++
		case p.Response == string(coproduce.NotAdopted):
			res.NotAdopted++
		}
		for _, a := range p.Actions {
			res.Actions++
			if a.Status == "done" {
				res.ActionsDone++
			}
		}
	}
}

func impactEntries(ctx context.Context, store *postgres.Store, projectID int64, namer *coproduce.Namer) ([]ImpactEntry, error) {
	list, err := store.ImpactEntries(ctx, projectID)
	out := []ImpactEntry{}
	for _, e := range list {
		ie := ImpactEntry{Title: e.Title, WhatChanged: e.WhatChanged, ChangedOn: e.ChangedOn.Format(time.DateOnly),
			CameFrom: []ImpactSource{}, Contributors: []string{}}
		for _, i := range e.Ideas {
			ie.CameFrom = append(ie.CameFrom, ImpactSource{Kind: "idea", Title: i.Title})
		}
		for _, a := range e.Actions {
			ie.CameFrom = append(ie.CameFrom, ImpactSource{Kind: "action", Title: a.Description, Idea: a.IdeaTitle})
		}
		for _, o := range e.Outcomes {
			ie.CameFrom = append(ie.CameFrom, ImpactSource{Kind: "outcome", Title: o.Title})
		}
		for _, c := range e.Contributors {
			ie.Contributors = append(ie.Contributors, namer.Label(c.UserID))
		}
		out = append(out, ie)
	}
	return out, err
}

func reflection(ctx context.Context, store *postgres.Store, projectID int64, namer *coproduce.Namer) (*Reflection, error) {
	history, err := store.ReflectionHistory(ctx, projectID)
	if err != nil || len(history) == 0 {
		return nil, err
	}
	cur := history[0]
	out := &Reflection{Text: cur.Body, Version: cur.Version, LastChangedBy: namer.Label(cur.WrittenBy),
		LastChangedAt: cur.WrittenAt, WrittenBy: []string{}}
	seen := map[string]bool{}
	for i := len(history) - 1; i >= 0; i-- {
		if l := namer.Label(history[i].WrittenBy); !seen[l] {
			seen[l] = true
			out.WrittenBy = append(out.WrittenBy, l)
		}
	}
	return out, nil
}

// scrub puts labels in place of names in the section's free text. The
// approach is the step's own, scrubbed with it.
func (inv *Involvement) scrub(sc func(string) string) {
	if inv == nil {
		return
	}
	inv.Aim.Purpose = sc(inv.Aim.Purpose)
	for i := range inv.Impact {
		e := &inv.Impact[i]
		e.Title, e.WhatChanged = sc(e.Title), sc(e.WhatChanged)
		for j := range e.CameFrom {
			e.CameFrom[j].Title, e.CameFrom[j].Idea = sc(e.CameFrom[j].Title), sc(e.CameFrom[j].Idea)
		}
	}
	for i := range inv.Outcomes {
		o := &inv.Outcomes[i]
		o.Title, o.Baseline, o.Target = sc(o.Title), sc(o.Baseline), sc(o.Target)
		if o.Latest != nil {
			o.Latest.Value, o.Latest.Source = sc(o.Latest.Value), sc(o.Latest.Source)
		}
	}
	for i := range inv.PrinciplesRounds {
		inv.PrinciplesRounds[i].Title = sc(inv.PrinciplesRounds[i].Title)
	}
	if inv.Reflection != nil {
		inv.Reflection.Text = sc(inv.Reflection.Text)
	}
}

// InvolvementPart is one of the first three items of the section as
// (what, details) rows: the same words in every format.
type InvolvementPart struct {
	Heading string
	Rows    [][2]string
}

// Parts words the aim, the methods and the results.
func (inv *Involvement) Parts(t Translate) []InvolvementPart {
	aim := InvolvementPart{Heading: t("gripp2.aim")}
	if inv.Aim.Purpose != "" {
		aim.Rows = append(aim.Rows, [2]string{t("gripp2.purpose"), inv.Aim.Purpose})
	}
	if a := inv.Aim.Approach; a != nil {
		aim.Rows = append(aim.Rows,
			[2]string{t("approach.level"), withWhy(t("level."+a.Level), a.LevelRationale)},
			[2]string{t("approach.stage"), withWhy(t("engagement_stage."+a.Stage), a.StageRationale)},
			[2]string{t("approach.scope"), withWhy(t("scope."+a.Scope), a.ScopeRationale)})
	}
	methods := InvolvementPart{Heading: t("gripp2.methods")}
	for _, role := range coproduce.ProjectRoles {
		methods.Rows = append(methods.Rows, [2]string{t("report.members_in_role", map[string]any{"Role": t("project_role." + string(role))}),
			strconv.Itoa(inv.Methods.MembersByRole[role])})
	}
	for _, m := range inv.Methods.Methods {
		why := ""
		if inv.Aim.Approach != nil {
			why = inv.Aim.Approach.Methods[m]
		}
		methods.Rows = append(methods.Rows, [2]string{t("approach.method"), withWhy(t("method."+m), why)})
	}
	methods.Rows = append(methods.Rows, [2]string{t("gripp2.meetings_held"), strconv.Itoa(inv.Methods.MeetingsHeld)})
	for _, role := range coproduce.ProjectRoles {
		methods.Rows = append(methods.Rows, [2]string{t("gripp2.times_came", map[string]any{"Role": t("project_role." + string(role))}),
			strconv.Itoa(inv.Methods.AttendanceByRole[role])})
	}
	res := inv.Results
	results := InvolvementPart{Heading: t("gripp2.results"), Rows: [][2]string{
		{t("report.ideas"), strconv.Itoa(res.Ideas)},
		{t("report.ideas_from_lay"), strconv.Itoa(res.IdeasFromLay)},
		{t("response.adopted"), strconv.Itoa(res.Adopted)},
		{t("response.adapted"), strconv.Itoa(res.Adapted)},
		{t("response.not_adopted"), strconv.Itoa(res.NotAdopted)},
		{t("gripp2.waiting"), strconv.Itoa(res.Waiting)},
		{t("gripp2.withdrawn"), strconv.Itoa(res.Withdrawn)},
		{t("gripp2.actions_done"), t("gripp2.of", map[string]any{"Done": res.ActionsDone, "All": res.Actions})},
	}}
	return []InvolvementPart{aim, methods, results}
}

func withWhy(choice, why string) string {
	if why == "" {
		return choice
	}
	return choice + "\n" + why
}

// CameFromText words what a change came from, one line each.
func CameFromText(t Translate, e ImpactEntry) string {
	s := ""
	for i, c := range e.CameFrom {
		if i > 0 {
			s += "\n"
		}
		switch c.Kind {
		case "action":
			s += t("gripp2.came_from_action", map[string]any{"Action": c.Title, "Idea": c.Idea})
		case "outcome":
			s += t("gripp2.came_from_outcome", map[string]any{"Outcome": c.Title})
		default:
			s += t("gripp2.came_from_idea", map[string]any{"Idea": c.Title})
		}
	}
	return s
}

// ListText joins labels with commas.
func ListText(list []string) string {
	s := ""
	for i, l := range list {
		if i > 0 {
			s += ", "
		}
		s += l
	}
	return s
}

// MeanText words a group's mean rating in a principles round.
func MeanText(t Translate, mean *float64) string {
	if mean == nil {
		return t("gripp2.fewer_than_three")
	}
	return strconv.FormatFloat(*mean, 'f', 1, 64)
}

// OutcomeLatest words an outcome's latest reading, with its date and
// source.
func OutcomeLatest(t Translate, o coproduce.ReportOutcome) string {
	if o.Latest == nil {
		return t("gripp2.no_reading")
	}
	return t("gripp2.reading", map[string]any{"Value": o.Latest.Value, "On": o.Latest.On, "Source": o.Latest.Source})
}
