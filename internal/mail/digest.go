package mail

import (
	"context"
	"html"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/postgres"
)

// Digests says how to write the daily digest emails and the periodic
// reminders.
type Digests struct {
	Catalog *i18n.Catalog
	OrgName string
	// BaseURL is where people reach the app, for the links in emails.
	BaseURL string
	// Every is how often the queue looks for digests and gathered emails
	// that are due; each person gets at most one digest a day and one
	// notification email in each gather interval (NOTIFY_GATHER). Zero
	// means every minute.
	Every time.Duration
}

func (d Digests) writer() Writer {
	return Writer{L: d.Catalog.Localizer(""), Catalog: d.Catalog, BaseURL: d.BaseURL, OrgName: d.OrgName}
}

type digestArgs struct{}

func (digestArgs) Kind() string { return "send_digests" }

type digestWorker struct {
	river.WorkerDefaults[digestArgs]
	store *postgres.Store
	cfg   Digests
}

// Work sends every digest that is due, one email per person. River's
// elected leader schedules the run, so instances do not each start one; and
// SendDigest skips items another run has locked, so nothing goes twice.
func (w *digestWorker) Work(ctx context.Context, job *river.Job[digestArgs]) error {
	due, err := w.store.DueDigests(ctx, time.Now())
	if err != nil {
		return err
	}
	wr := w.cfg.writer()
	for _, rc := range due {
		err := w.store.SendDigest(ctx, rc, func(items []coproduce.DigestItem) coproduce.Email {
			return DigestEmail(wr, rc, items)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// DigestEmail writes one person's digest, or the email gathering news that
// came too soon after their last one: a line and a link for each item, a
// link to the Updates page, and a one-click unsubscribe from the kinds of
// news it carries.
func DigestEmail(w Writer, rc coproduce.Recipient, items []coproduce.DigestItem) coproduce.Email {
	l := w.For(rc)
	data := map[string]any{"Name": rc.Name, "Org": w.OrgName, "Count": len(items)}
	kind, subject, intro, change := "digest", "email.digest.subject", "email.digest.intro", "email.digest.change"
	if rc.Notify == coproduce.NotifyImmediate {
		kind, subject, intro, change = "gathered", "email.gathered.subject", "email.gathered.intro", "email.gathered.change"
	}
	var kinds []coproduce.NewsKind
	text := l.T("email.greeting", data) + "\n\n" + l.N(intro, len(items), data) + "\n\n"
	html := "<p>" + htmlEscape(l.T("email.greeting", data)) + "</p>\n<p>" + htmlEscape(l.N(intro, len(items), data)) + "</p>\n<ul>\n"
	for _, it := range items {
		text += "- " + it.Line + "\n  " + it.Link + "\n"
		html += `<li><a href="` + htmlEscape(it.Link) + `">` + htmlEscape(it.Line) + "</a></li>\n"
		if coproduce.ValidNewsKind(it.Kind) && !slices.Contains(kinds, it.Kind) {
			kinds = append(kinds, it.Kind)
		}
	}
	text += "\n" + l.T("news.email.updates") + "\n" + w.URL("/updates") + "\n"
	html += "</ul>\n" + `<p><a href="` + htmlEscape(w.URL("/updates")) + `">` + htmlEscape(l.T("news.email.updates")) + "</a></p>\n"
	text += "\n" + l.T(change, data) + "\n"
	html += "<p>" + htmlEscape(l.T(change, data)) + "</p>\n"
	e := coproduce.Email{To: rc.Email, ToName: rc.Name, Kind: kind, Subject: l.T(subject, data), Text: text, HTML: html}
	if len(kinds) > 0 {
		e.Unsubscribe = w.unsubscribe(rc.UserID, kinds)
		text := l.T("news.email.stop_digest")
		e.Text += "\n" + text + "\n" + e.Unsubscribe.URL + "\n"
		e.HTML += `<p><a href="` + htmlEscape(e.Unsubscribe.URL) + `">` + htmlEscape(text) + "</a></p>\n"
	}
	return e
}

func htmlEscape(s string) string { return html.EscapeString(s) }
