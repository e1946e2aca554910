package views

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// The query fields that carry a recording on someone's behalf from the
// "Record something for" page to the ordinary forms, and from those forms'
// actions to their handlers. The server reads the same names.
const (
	ForParam    = "for"
	HowParam    = "how"
	AgreedParam = "agreed"
)

// OnBehalfQuery is the query string that carries a recording.
func OnBehalfQuery(forID int64, how coproduce.RecordHow) string {
	return url.Values{ForParam: {strconv.FormatInt(forID, 10)}, HowParam: {string(how)}, AgreedParam: {"yes"}}.Encode()
}

// WithOnBehalf adds the recording the page is made for (if any) to a form's
// action or a link, so that what it sends is recorded for the same person.
func WithOnBehalf(ctx context.Context, u string) string {
	o, ok := coproduce.OnBehalfFrom(ctx)
	if !ok {
		return u
	}
	return addQuery(u, OnBehalfQuery(o.For.ID, o.How))
}

// addQuery puts q into u's query, before any fragment.
func addQuery(u, q string) string {
	frag := ""
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u, frag = u[:i], u[i:]
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + q + frag
}

// recordHowKey is the message id of a way, as it reads in a sentence: "by
// phone", "at a meeting".
func recordHowKey(h coproduce.RecordHow) string { return "on_behalf.how." + string(h) }

// recordHowOptions are the choices of "How did they tell you?".
func recordHowOptions() []Option {
	opts := make([]Option, len(coproduce.RecordHows))
	for i, h := range coproduce.RecordHows {
		opts[i] = Option{Value: string(h), Label: "on_behalf.how_option." + string(h)}
	}
	return opts
}

// recordedText is "Recorded by Tom Evans for Margaret Jones, by phone on 3
// December 2026".
func recordedText(ctx context.Context, r coproduce.Recorded, forName string) string {
	return T(ctx, "on_behalf.recorded", map[string]any{"By": r.ByName, "For": forName,
		"How": T(ctx, recordHowKey(r.How)), "When": formatDate(ctx, r.At)})
}

// RecordForView is the "Record something for" page: first how the person
// told the facilitator and that they agreed, then what there is to record.
type RecordForView struct {
	Project coproduce.Project
	Person  coproduce.Member
	Form    Form
	// How is set once the facilitator has said how the person told them
	// and that they agreed; the page then lists what can be recorded.
	How      coproduce.RecordHow
	Ideas    []coproduce.Proposal
	Meetings []coproduce.Meeting
	// Steps are the steps waiting for a sign-off the person may give.
	Steps     []coproduce.Step
	HasFourRs bool
}

// RecordForPath is the address of the page for recording things for a
// member.
func RecordForPath(projectID, userID int64) string {
	return "/projects/" + strconv.FormatInt(projectID, 10) + "/members/" + strconv.FormatInt(userID, 10) + "/record"
}

// link is a page of the project opened to record for the person.
func (v RecordForView) link(suffix string) string {
	return addQuery("/projects/"+strconv.FormatInt(v.Project.ID, 10)+suffix, OnBehalfQuery(v.Person.UserID, v.How))
}

// recordedKindKey names a kind of thing recorded, in the "Recorded for you"
// list.
func recordedKindKey(kind string) string { return "on_behalf.kind." + kind }

// recordedLink is where a person sees and changes a thing recorded for
// them.
func recordedLink(x coproduce.RecordedForYou) string {
	p := "/projects/" + strconv.FormatInt(x.ProjectID, 10)
	switch x.Kind {
	case "idea", "comment", "vote":
		return p + "/proposals/" + strconv.FormatInt(x.RefID, 10)
	case "meeting_reply":
		return p + "/meetings/" + strconv.FormatInt(x.RefID, 10)
	case "purpose_read":
		return p + "/steps/" + coproduce.StepBeClear.Slug()
	case "four_rs":
		return p + "/steps/" + coproduce.StepUnderstand.Slug()
	case "support":
		return p + "/support/me"
	case "claim":
		return p + "/claims"
	case "sign_off":
		return p + "/steps/" + coproduce.Step(x.RefID).Slug()
	}
	return p
}

// recordForListPath is the "Record something for" page at its list of
// things to record, with how the person told the facilitator kept.
func recordForListPath(projectID int64, o coproduce.OnBehalf) string {
	return addQuery(RecordForPath(projectID, o.For.ID), url.Values{HowParam: {string(o.How)}, AgreedParam: {"yes"}}.Encode())
}

// onBehalfURL is WithOnBehalf for an address already checked as safe.
func onBehalfURL(ctx context.Context, u templ.SafeURL) templ.SafeURL {
	return templ.SafeURL(WithOnBehalf(ctx, string(u)))
}
