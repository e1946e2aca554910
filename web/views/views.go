// Package views renders pages with templ and the NHS.UK design system.
// Components take view models built by the handlers, and every word comes
// from the message catalogue through T.
package views

import (
	"context"
	"net/url"
	"strconv"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// Page is what every page's layout needs.
type Page struct {
	// Title is the message id of the page title, or TitleText is the title.
	Title     string
	TitleText string
	User      *coproduce.User
	OrgName   string
	// Nav marks the current section in the header: "projects", "admin",
	// "account".
	Nav string
	// Notice is the message id of a one-off confirmation to show, or
	// NoticeText is the confirmation.
	Notice     string
	NoticeText string
	// HasErrors prefixes the title with "Error:", as the design system asks.
	HasErrors bool
	// Session is when a signed-in person's session ends, for the timeout
	// warning; nil when no one is signed in.
	Session *Session
	// ApprovalsWaiting is how many expense claims wait for this person's
	// decision, on the pages that say so.
	ApprovalsWaiting int
	// UpdatesUnseen is how many of the person's updates they have not
	// opened, for the header (up to postgres.UnseenCap).
	UpdatesUnseen int
	// Menu is the project menu, on every page inside a project; nil
	// elsewhere.
	Menu *ProjectMenu
	// OnBehalf is set on a page opened to record something for a member:
	// the page is drawn as that member sees it, under a banner.
	OnBehalf *coproduce.OnBehalf
	// AskLanguage is set on the page a person lands on after signing in or
	// accepting an invitation while they have not told us their language:
	// it asks them, and brings them back to AskReturn once they answer.
	AskLanguage bool
	AskReturn   string
}

// T returns the catalogue's message with this id.
// In easy read, a message of its own (see easyID) takes its place.
func T(ctx context.Context, id string, data ...map[string]any) string {
	return i18n.FromContext(ctx).T(easyID(ctx, id), data...)
}

// N returns the plural message for count.
func N(ctx context.Context, id string, count int, data map[string]any) string {
	return i18n.FromContext(ctx).N(easyID(ctx, id), count, data)
}

func lang(ctx context.Context) string { return i18n.FromContext(ctx).Lang() }

func pageTitle(ctx context.Context, p Page) string {
	title := p.TitleText
	if title == "" {
		title = T(ctx, p.Title)
	}
	title += " – " + p.OrgName
	if p.HasErrors {
		title = T(ctx, "error.title_prefix") + " " + title
	}
	return title
}

func noticeText(ctx context.Context, p Page) string {
	if p.NoticeText != "" {
		return p.NoticeText
	}
	return T(ctx, p.Notice)
}

// Form is a submitted (or empty) form: what the person typed, and what was
// wrong with it.
type Form struct {
	Values url.Values
	Errors *coproduce.ValidationError
}

// NewForm returns a form showing the given values.
func NewForm(values url.Values, err *coproduce.ValidationError) Form {
	if values == nil {
		values = url.Values{}
	}
	return Form{Values: values, Errors: err}
}

// Get returns what was typed in a field.
func (f Form) Get(name string) string { return f.Values.Get(name) }

// Error returns the message id for a field's problem, or "".
func (f Form) Error(name string) string { return f.Errors.For(name) }

// HasErrors reports whether anything was wrong.
func (f Form) HasErrors() bool { return f.Errors != nil && len(f.Errors.Fields) > 0 }

// Option is one choice in a radio group or select.
type Option struct {
	Value string
	Label string // message id
	Hint  string // message id, optional
}

func roleKey(r coproduce.ProjectRole) string      { return "project_role." + string(r) }
func statusKey(s coproduce.ProjectStatus) string  { return "project_status." + string(s) }
func stepKey(s coproduce.Step) string             { return "step." + s.Slug() }
func stageKey(s coproduce.StageStatus) string     { return "stage_status." + string(s) }
func systemRoleKey(r coproduce.SystemRole) string { return "system_role." + string(r) }

func itoa(i int) string { return strconv.Itoa(i) }
