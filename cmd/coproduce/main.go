// Command coproduce is the whole application: the web server, migrations,
// account creation and the demo data, chosen by its first argument.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // UK times render right even on an image without zoneinfo

	"github.com/coproduce/coproduce/internal/config"
	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "coproduce:", describe(err))
		os.Exit(1)
	}
}

// describe words an error for the person at the command line: a setting
// refused at start, or a value refused by validation (user create), is
// told in the catalogue's words.
func describe(err error) string {
	catalog, cerr := i18n.Load()
	if cerr != nil {
		return err.Error()
	}
	l := catalog.Localizer("en")
	var setting *config.SettingError
	if errors.As(err, &setting) && catalog.Has(setting.ID) {
		return l.T(setting.ID, map[string]any{"Variable": setting.Variable})
	}
	var invalid *coproduce.ValidationError
	if errors.As(err, &invalid) {
		lines := make([]string, len(invalid.Fields))
		for i, f := range invalid.Fields {
			lines[i] = l.T(f.Message)
			// A field given as an option is named as the option; the
			// password is read from standard input, not an option.
			if f.Field == "email" || f.Field == "name" || f.Field == "role" {
				lines[i] = "--" + f.Field + ": " + lines[i]
			}
		}
		return strings.Join(lines, "\n")
	}
	return err.Error()
}

const usage = `usage: coproduce [command]

commands:
  serve                     run the web server (the default)
  migrate up|down|status    apply, roll back or list database migrations
  user create --email E --name N --role admin|staff|partner
                            create an account; the password is read from
                            standard input, or generated and printed when
                            standard input is a terminal
  demo [--if-empty]         load the demonstration data (with --if-empty,
                            only into a database with no accounts)

Settings come from environment variables: see docs/operations.md.
`

// run is main with its inputs made explicit, so that tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout)
	case "user":
		return user(ctx, args, getenv, stdin, stdout)
	case "demo":
		return loadDemo(ctx, args, getenv, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
