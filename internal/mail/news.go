package mail

import (
	"crypto/rand"
	"html"
	"maps"
	"strings"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// Writer writes news for the people it concerns: the line on their Updates
// page and, as they prefer, the email that tells them. The web handlers and
// the periodic jobs share it, so an update reads the same however it came.
type Writer struct {
	L       *i18n.Localizer
	BaseURL string // BASE_URL, for the links in emails
	OrgName string
	// AppOnly puts the news on the Updates page alone, whatever each
	// person chose: no email, no digest line (the demo's story).
	AppOnly bool
}

// URL makes an absolute link from a path in the app.
func (w Writer) URL(path string) string { return strings.TrimRight(w.BaseURL, "/") + path }

// Write returns the function that writes one person's notice of a piece
// of news. key names the catalogue's "news.KEY.line" and "news.KEY.subject"
// (filled with data and the person's Name); extra are paragraphs the email
// adds after the line (a reason, a rationale), said as they are.
func (w Writer) Write(kind coproduce.NewsKind, key string, data map[string]any, extra ...string) func(coproduce.Recipient, string) coproduce.Notice {
	return func(rc coproduce.Recipient, path string) coproduce.Notice {
		d := maps.Clone(data)
		if d == nil {
			d = map[string]any{}
		}
		d["Name"], d["Org"] = rc.Name, w.OrgName
		line := coproduce.OneLine(w.L.T("news."+key+".line", d))
		n := coproduce.Notice{Line: line, Link: w.URL(path)}
		if rc.Notify == coproduce.NotifyImmediate {
			n.Email = w.email(kind, rc, w.L.T("news."+key+".subject", d), line, path, extra)
		}
		return n
	}
}

// email writes a notification: the news, a link to the thing and to the
// Updates page, and a one-click unsubscribe from this kind of news.
func (w Writer) email(kind coproduce.NewsKind, rc coproduce.Recipient, subject, line, path string, extra []string) coproduce.Email {
	unsub := w.unsubscribe(rc.UserID, []coproduce.NewsKind{kind})
	kindName := w.L.T("notify.kind." + string(kind))
	data := map[string]any{"Name": rc.Name, "Kind": kindName}
	paras := append([]string{w.L.T("email.greeting", data), line}, extra...)
	var text, body strings.Builder
	for _, p := range paras {
		text.WriteString(p + "\n\n")
		body.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
	}
	link := func(words, url string) {
		text.WriteString(words + "\n" + url + "\n\n")
		body.WriteString(`<p><a href="` + html.EscapeString(url) + `">` + html.EscapeString(words) + "</a></p>\n")
	}
	link(w.L.T("news.email.open"), w.URL(path))
	link(w.L.T("news.email.updates"), w.URL("/updates"))
	text.WriteString(w.L.T("news.email.why", data) + "\n\n")
	body.WriteString("<p>" + html.EscapeString(w.L.T("news.email.why", data)) + "</p>\n")
	link(w.L.T("news.email.stop", data), unsub.URL)
	link(w.L.T("news.email.choose"), w.URL("/account/notifications"))
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
