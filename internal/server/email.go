package server

import (
	"html"
	"strings"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// message is an email written as paragraphs and one link, turned into the
// plain-text and HTML parts. Every word comes from the catalogue.
type message struct {
	to, toName, subject, kind string
	paragraphs                []string
	link, linkText            string
	after                     []string
}

func (m message) email() coproduce.Email {
	var text, body strings.Builder
	for _, p := range m.paragraphs {
		text.WriteString(p + "\n\n")
		body.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
	}
	if m.link != "" {
		text.WriteString(m.linkText + "\n" + m.link + "\n\n")
		body.WriteString(`<p><a href="` + html.EscapeString(m.link) + `">` + html.EscapeString(m.linkText) + "</a></p>\n")
	}
	for _, p := range m.after {
		text.WriteString(p + "\n\n")
		body.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
	}
	return coproduce.Email{To: m.to, ToName: coproduce.OneLine(m.toName), Subject: coproduce.OneLine(m.subject), Kind: m.kind,
		Text: strings.TrimSpace(text.String()) + "\n", HTML: body.String(), Link: m.link}
}

// absoluteURL makes a link for an email from a path, with BASE_URL.
func (s *Server) absoluteURL(path string) string {
	return strings.TrimRight(s.cfg.BaseURL.String(), "/") + path
}
