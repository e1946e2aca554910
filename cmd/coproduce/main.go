// Command coproduce is the whole application: the web server, migrations,
// account creation and the demo data, chosen by its first argument.
package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // UK times render right even on an image without zoneinfo

	"github.com/coproduce/coproduce/internal/i18n"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		report(err, os.Getenv, os.Stderr)
		stop()
		os.Exit(1)
	}
}

// run is main with its inputs made explicit, so that tests can call it.
// What it prints comes from the catalogue, in the language of the locale.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	catalog, err := i18n.Load()
	if err != nil {
		return err
	}
	l := catalog.ForEnvironment(getenv)
	out := printer{l: l, w: stdout}
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		err = serve(ctx, args, getenv, out, stderr)
	case "migrate":
		err = migrate(ctx, args, getenv, out)
	case "user":
		err = user(ctx, args, getenv, stdin, out)
	case "demo":
		err = loadDemo(ctx, args, getenv, out)
	case "help", "-h", "--help":
		err = errHelp
	default:
		io.WriteString(stderr, l.T("cli.usage"))
		return refuse("cli.error.unknown_command", map[string]any{"Command": cmd})
	}
	if errors.Is(err, errHelp) {
		io.WriteString(stdout, l.T("cli.usage"))
		return nil
	}
	return err
}
