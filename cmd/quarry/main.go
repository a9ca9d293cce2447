// Command quarry builds Quarry search indexes and site bundles, queries
// them from the command line, and serves a built site.
//
//	quarry build -o OUT CORPUS_DIR        index a folder into a searchable site
//	quarry build --single-file F.html DIR one offline HTML file instead
//	quarry query OUT "text" [--json]      search a built index
//	quarry entities OUT [--json]          list the entities found
//	quarry serve OUT [--addr HOST:PORT]   serve a built site locally
//	quarry version                        print the version
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is the Quarry release; the index format has its own version.
const version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsageShown) {
			fmt.Fprintln(os.Stderr, "quarry:", err)
		}
		os.Exit(exitCode(err))
	}
}

// errUsageShown marks an error whose message has already been printed.
var errUsageShown = errors.New("usage shown")

// usageError is a command-line mistake (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

const usage = `Quarry: search for static sites, running in the browser.

Usage:
  quarry build -o OUT [flags] CORPUS_DIR   index a folder into a searchable site in OUT
  quarry build --single-file F.html DIR    the same demo as one offline HTML file
  quarry query INDEX "text" [flags]        search a built index (OUT or its index file)
  quarry entities INDEX [--json]           list the entities found at build time
  quarry serve OUT [--addr 127.0.0.1:8080] serve a built site (Ctrl-C stops)
  quarry version                           print the version

Run "quarry COMMAND -h" for a command's flags.
`

// run executes one command line; main only calls it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:], stdout, stderr)
	case "query":
		return runQuery(ctx, args[1:], stdout, stderr)
	case "entities":
		return runEntities(ctx, args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "quarry", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
}
