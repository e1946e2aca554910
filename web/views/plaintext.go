package views

import (
	"net/url"
	"regexp"
	"strings"
)

// segment is a run of plain text, or a link when URL is set.
type segment struct {
	Text string
	URL  string
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"']+`)

// linkify splits a line of plain text into text and http(s) links. Only
// http and https addresses with a host become links; trailing punctuation
// stays outside the link, as a reader expects.
func linkify(line string) []segment {
	var out []segment
	last := 0
	for _, m := range linkPattern.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		end = start + len(strings.TrimRight(line[start:end], ".,;:!?)]'"))
		u, err := url.Parse(line[start:end])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		if start > last {
			out = append(out, segment{Text: line[last:start]})
		}
		out = append(out, segment{Text: line[start:end], URL: u.String()})
		last = end
	}
	if last < len(line) {
		out = append(out, segment{Text: line[last:]})
	}
	return out
}

func lines(s string) []string {
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}
