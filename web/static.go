// Package web holds what the browser gets: templ views (in views/) and
// static files, embedded into the binary so that it is the whole app.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:static
var static embed.FS

// Static is the static file tree: our own CSS and JavaScript, and under
// vendor/ the NHS.UK design system's built files, copied there by make.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err)
	}
	return sub
}
