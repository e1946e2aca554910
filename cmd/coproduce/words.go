package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/coproduce/coproduce/internal/config"
	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/postgres"
)

// The command line speaks the catalogue, like the pages: every line a
// person reads from the binary is a message, in the language of their
// locale. Only the structured logs, for operators, are not.

// printer writes catalogue messages to one of the command's outputs.
type printer struct {
	l *i18n.Localizer
	w io.Writer
}

// say prints one message on a line of its own.
func (p printer) say(id string, data ...map[string]any) {
	fmt.Fprintln(p.w, p.l.T(id, data...))
}

// cliError is a refusal worded by the catalogue. Cause, when set, is the
// fault behind it, logged for whoever runs the installation.
type cliError struct {
	ID    string
	Data  map[string]any
	Cause error
}

func (e *cliError) Error() string {
	if e.Cause != nil {
		return e.ID + ": " + e.Cause.Error()
	}
	return e.ID
}

func (e *cliError) Unwrap() error { return e.Cause }

// refuse is an error the person is told in the catalogue's words.
func refuse(id string, data map[string]any) error { return &cliError{ID: id, Data: data} }

// errHelp asks for the usage, as -h or --help after a command does.
var errHelp = errors.New("help asked for")

// report tells the person at the command line why the command stopped, in
// their language, and logs the detail of a fault that words cannot explain.
func report(err error, getenv func(string) string, stderr io.Writer) {
	catalog, cerr := i18n.Load()
	if cerr != nil {
		// The catalogue is built into the binary: this cannot happen
		// unless the binary itself is broken.
		fmt.Fprintln(stderr, err)
		return
	}
	message, cause := describe(err, catalog.ForEnvironment(getenv))
	if cause != nil {
		log := newLogger(config.Config{LogLevel: "info", LogFormat: getenv("LOG_FORMAT")}, stderr)
		log.Error("command failed", "error", cause)
	}
	fmt.Fprintln(stderr, message)
}

// describe words an error in the catalogue's messages, as the web does:
// a refusal or a setting refused at start in its own words, a value
// refused by validation as the form would show it, and any other fault as
// a sentence, with the fault returned to be logged.
func describe(err error, l *i18n.Localizer) (message string, cause error) {
	var refusal *cliError
	var setting *config.SettingError
	var invalid *coproduce.ValidationError
	var badURL *pgconn.ParseConfigError
	switch {
	case errors.As(err, &refusal):
		return l.T(refusal.ID, refusal.Data), refusal.Cause
	case errors.As(err, &setting):
		return l.T(setting.ID, map[string]any{"Variable": setting.Variable, "Value": setting.Value}), nil
	case errors.As(err, &invalid):
		return describeInvalid(invalid, l), nil
	case errors.As(err, &badURL):
		return l.T("cli.error.database_url"), err
	case postgres.Unavailable(err):
		return l.T("cli.error.database_unreachable"), err
	}
	return l.T("cli.error.unexpected"), err
}

// describeInvalid gives each refused value on a line; a value given as an
// option is named as the option. The password is read from standard input,
// not an option.
func describeInvalid(invalid *coproduce.ValidationError, l *i18n.Localizer) string {
	lines := make([]string, len(invalid.Fields))
	for i, f := range invalid.Fields {
		lines[i] = l.T(f.Message)
		if f.Field == "email" || f.Field == "name" || f.Field == "role" {
			lines[i] = l.T("cli.error.option_value", map[string]any{"Option": f.Field, "Message": lines[i]})
		}
	}
	return strings.Join(lines, "\n")
}
