package mail

import (
	"crypto/rand"
	"fmt"
	"html"
	"maps"
	"strings"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// Writer writes news for the people it concerns: the line on their Updates
// page and, as they prefer, the email that tells them. The web handlers and
// the periodic jobs share it, so an update reads the same however it came.
type Writer struct {
	// L is the language for someone who has not chosen one: English.
	L *i18n.Localizer
	// Catalog, when set, writes to each person in the language they chose.
	Catalog *i18n.Catalog
	BaseURL string // BASE_URL, for the links in emails
	OrgName string
	// AppOnly puts the news on the Updates page alone, whatever each
	// person chose: no email, no digest line (the demo's story).
	AppOnly bool
}

// For returns the messages in the language a person chose for what we
// write to them: their Updates line, their emails and their digest are in
// the recipient's language, not the sender's.
func (w Writer) For(rc coproduce.Recipient) *i18n.Localizer {
	if w.Catalog != nil && coproduce.IsLanguage(rc.Language) {
		return w.Catalog.Localizer(rc.Language)
	}
	return w.L
}

// Msg is a message id in news data or paragraphs, said in each
// recipient's language (a response, a status, a step's name).
type Msg string

// MeetingAt is a meeting's start in news data, said in each recipient's
// language: Monday 2 January, 14:00; Dydd Llun 2 Ionawr, 14:00.
type MeetingAt time.Time

// Bullet is a message id said as an item of a list, in each recipient's
// language: "- Step-free access".
type Bullet string

// MsgWith is a message with data, as a paragraph said in each recipient's
// language; its data is said in their language too.
type MsgWith struct {
	ID   string
	Data map[string]any
}

// InLanguages is a text written in English and in Welsh (a project's
// title), said in each recipient's language where written.
type InLanguages struct{ En, Cy string }

// say fills news data for one recipient: message ids and times in their
// language, everything else as it is.
func say(l *i18n.Localizer, v any) any {
	switch v := v.(type) {
	case Msg:
		return l.T(string(v))
	case MeetingAt:
		return l.Format(time.Time(v).In(coproduce.UK), "Monday 2 January, 15:04")
	case Bullet:
		return "- " + l.T(string(v))
	case InLanguages:
		text, _ := coproduce.InLanguage(l.Lang(), v.En, v.Cy)
		return text
	case MsgWith:
		d := make(map[string]any, len(v.Data))
		for k, x := range v.Data {
			d[k] = say(l, x)
		}
		return l.T(v.ID, d)
	}
	return v
}

// URL makes an absolute link from a path in the app.
func (w Writer) URL(path string) string { return strings.TrimRight(w.BaseURL, "/") + path }

// Write returns the function that writes one person's notice of a piece
// of news. key names the catalogue's "news.KEY.line" and "news.KEY.subject"
// (filled with data and the person's Name); extra are paragraphs the email
// adds after the line (a reason, a rationale), said as they are, or a Msg
// in the person's language. Data values that are a Msg or a MeetingAt are
// said in the person's language.
func (w Writer) Write(kind coproduce.NewsKind, key string, data map[string]any, extra ...any) func(coproduce.Recipient, string) coproduce.Notice {
	return func(rc coproduce.Recipient, path string) coproduce.Notice {
		l := w.For(rc)
		d := maps.Clone(data)
		if d == nil {
			d = map[string]any{}
		}
		for k, v := range d {
			d[k] = say(l, v)
		}
		d["Name"], d["Org"] = rc.Name, w.OrgName
		paras := make([]string, len(extra))
		for i, e := range extra {
			paras[i] = fmt.Sprint(say(l, e))
		}
		line := coproduce.OneLine(l.T("news."+key+".line", d))
		n := coproduce.Notice{Line: line, Lang: l.Lang(), Link: w.URL(path)}
		if rc.Notify == coproduce.NotifyImmediate {
			n.Email = w.email(kind, rc, l.T("news."+key+".subject", d), line, path, paras)
		}
		return n
	}
}

// email writes a notification: the news, a link to the thing and to the
// Updates page, and a one-click unsubscribe from this kind of news.
func (w Writer) email(kind coproduce.NewsKind, rc coproduce.Recipient, subject, line, path string, extra []string) coproduce.Email {
	l := w.For(rc)
	unsub := w.unsubscribe(rc.UserID, []coproduce.NewsKind{kind})
	kindName := l.T("notify.kind." + string(kind))
	data := map[string]any{"Name": rc.Name, "Kind": kindName}
	paras := append([]string{l.T("email.greeting", data), line}, extra...)
	var text, body strings.Builder
	for _, p := range paras {
		text.WriteString(p + "\n\n")
		body.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
	}
	link := func(words, url string) {
		text.WriteString(words + "\n" + url + "\n\n")
		body.WriteString(`<p><a href="` + html.EscapeString(url) + `">` + html.EscapeString(words) + "</a></p>\n")
	}
	link(l.T("news.email.open"), w.URL(path))
	link(l.T("news.email.updates"), w.URL("/updates"))
	text.WriteString(l.T("news.email.why", data) + "\n\n")
	body.WriteString("<p>" + html.EscapeString(l.T("news.email.why", data)) + "</p>\n")
	link(l.T("news.email.stop", data), unsub.URL)
	link(l.T("news.email.choose"), w.URL("/account/notifications"))
	return coproduce.Email{To: rc.Email, ToName: coproduce.OneLine(rc.Name), Subject: coproduce.OneLine(subject),
		Kind: "news_" + string(kind), Text: strings.TrimSpace(text.String()) + "\n", HTML: body.String(),
		Unsubscribe: unsub}
}

// unsubscribe makes a new one-click unsubscribe link from these kinds of
// news; the store keeps only its token's hash.
func (w Writer) unsubscribe(userID int64, kinds []coproduce.NewsKind) *coproduce.Unsubscribe {
	token := rand.Text()
	return &coproduce.Unsubscribe{UserID: userID, Kinds: kinds, Token: token, URL: w.URL("/unsubscribe/" + token)}
}
