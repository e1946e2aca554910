package views

import (
	"context"
	"strings"

	"github.com/coproduce/coproduce/internal/i18n"
)

type easyReadKey struct{}

// WithEasyRead returns a context whose pages are in easy read when on is
// set.
func WithEasyRead(ctx context.Context, on bool) context.Context {
	return context.WithValue(ctx, easyReadKey{}, on)
}

func easyReadOn(ctx context.Context) bool {
	on, _ := ctx.Value(easyReadKey{}).(bool)
	return on
}

// EasyReadPrefix starts the id of every easy-read message. In easy read,
// the message easy_read.X is shown wherever the page would show X, so a
// page keeps its template, its form fields and their names, and only its
// words change; a message with no easy-read one is shown as it is.
const EasyReadPrefix = "easy_read."

// easyID is the id of the message to show for id: its easy-read one when
// the page is in easy read and the catalogue has one.
func easyID(ctx context.Context, id string) string {
	if !easyReadOn(ctx) || strings.HasPrefix(id, EasyReadPrefix) {
		return id
	}
	if l := i18n.FromContext(ctx); l.Has(EasyReadPrefix + id) {
		return EasyReadPrefix + id
	}
	return id
}

// easyPoint is one point of an easy-read page: a picture on the left and
// the words on the right. The picture is a file in web/pictures.txt.
type easyPoint struct{ picture, id string }

// easyPages are the points that open each lay partner's page in easy
// read, in the order they are read. Their messages are
// easy_read.point.PAGE.NAME, which stand in for no other message.
var easyPages = map[string][]easyPoint{
	"signin": {
		{"login", "easy_read.point.signin.what"},
		{"mail", "easy_read.point.signin.email"},
		{"lock", "easy_read.point.signin.password"},
		{"link", "easy_read.point.signin.no_password"},
	},
	"invitation": {
		{"mail-opened", "easy_read.point.invitation.what"},
		{"users-group", "easy_read.point.invitation.together"},
		{"file-text", "easy_read.point.invitation.read"},
		{"circle-check", "easy_read.point.invitation.yes"},
		{"circle-x", "easy_read.point.invitation.no"},
	},
	"project": {
		{"home", "easy_read.point.project.what"},
		{"checklist", "easy_read.point.project.waiting"},
		{"bulb", "easy_read.point.project.ideas"},
		{"calendar-event", "easy_read.point.project.meeting"},
		{"help-circle", "easy_read.point.project.help"},
	},
	"be-clear": {
		{"target", "easy_read.point.purpose.what"},
		{"clock", "easy_read.point.purpose.time"},
		{"lock", "easy_read.point.purpose.fixed"},
		{"thumb-up", "easy_read.point.purpose.read"},
	},
	"understand": {
		{"id-badge-2", "easy_read.point.four_rs.what"},
		{"user", "easy_read.point.four_rs.role"},
		{"map-2", "easy_read.point.four_rs.remit"},
		{"users", "easy_read.point.four_rs.relationships"},
		{"checklist", "easy_read.point.four_rs.responsibility"},
		{"thumb-up", "easy_read.point.four_rs.agree"},
	},
	"build": {
		{"bulb", "easy_read.point.ideas.what"},
		{"pencil", "easy_read.point.ideas.add"},
		{"thumb-up", "easy_read.point.ideas.vote"},
		{"message-reply", "easy_read.point.ideas.answer"},
	},
	"idea": {
		{"bulb", "easy_read.point.idea.what"},
		{"thumb-up", "easy_read.point.idea.support"},
		{"mood-empty", "easy_read.point.idea.neutral"},
		{"thumb-down", "easy_read.point.idea.object"},
		{"message-circle", "easy_read.point.idea.comment"},
	},
	"support": {
		{"heart-handshake", "easy_read.point.support.what"},
		{"eye", "easy_read.point.support.formats"},
		{"wheelchair", "easy_read.point.support.access"},
		{"shield-lock", "easy_read.point.support.private"},
	},
	"claims": {
		{"receipt", "easy_read.point.claims.what"},
		{"bus", "easy_read.point.claims.travel"},
		{"camera", "easy_read.point.claims.receipt"},
		{"coin-pound", "easy_read.point.claims.paid"},
		{"alert-triangle", "easy_read.point.claims.benefits"},
	},
	"meetings": {
		{"calendar-event", "easy_read.point.meetings.what"},
		{"circle-check", "easy_read.point.meetings.reply"},
		{"wheelchair", "easy_read.point.meetings.access"},
	},
	"meeting": {
		{"calendar-event", "easy_read.point.meeting.what"},
		{"circle-check", "easy_read.point.meeting.reply"},
		{"file-text", "easy_read.point.meeting.papers"},
	},
	"updates": {
		{"bell", "easy_read.point.updates.what"},
		{"news", "easy_read.point.updates.open"},
		{"settings", "easy_read.point.updates.emails"},
	},
}

// hasEasyPoints reports whether the page is in easy read and page has
// points to open with.
func hasEasyPoints(ctx context.Context, page string) bool {
	_, ok := easyPages[page]
	return ok && easyReadOn(ctx)
}

// easyPictures lists every picture the easy-read pages use, for the test
// that checks each is copied at build time.
func easyPictures() []string {
	var out []string
	for _, points := range easyPages {
		for _, pt := range points {
			out = append(out, pt.picture)
		}
	}
	return out
}

// picturePath is where a picture is served: make copies the ones we use
// from the icon set into the static files (see web/pictures.txt).
func picturePath(name string) string { return "/static/vendor/pictures/" + name + ".svg" }
