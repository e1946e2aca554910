// Package migrations embeds the goose SQL migrations so that the binary
// carries its own schema.
package migrations

import "embed"

// FS holds every migration file, applied in the order of their numbers.
//
//go:embed *.sql
var FS embed.FS
