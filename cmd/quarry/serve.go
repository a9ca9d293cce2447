package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/quarry-search/quarry/internal/site"
)

// shutdownGrace is how long in-flight requests may finish after Ctrl-C.
const shutdownGrace = 5 * time.Second

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free one)")
	csp := fs.Bool("csp", true, "send a strict Content-Security-Policy (no inline script, WebAssembly allowed)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: quarry serve OUT [--addr 127.0.0.1:8080]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"serve needs the folder to serve"}
	}
	dir := fs.Arg(0)
	note, err := site.CheckFolder(dir)
	if err != nil {
		return fmt.Errorf("serve %s: %w", dir, err)
	}
	if note != "" {
		fmt.Fprintln(stderr, "note:", note)
	}
	opts := site.ServeOptions{}
	if *csp {
		opts.CSP = site.DefaultCSP
	}
	h, err := site.Handler(dir, opts)
	if err != nil {
		return fmt.Errorf("serve %s: %w", dir, err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "Serving %s at %s (Ctrl-C to stop)\n", dir, serveURL(ln.Addr()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shut down: %w", err)
	}
	fmt.Fprintln(stdout, "Stopped.")
	return nil
}

// serveURL is the address to open in a browser: a wildcard listen address
// is shown as localhost.
func serveURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + "/"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
