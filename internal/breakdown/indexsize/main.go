// Command indexsize prints where the bytes of a Quarry index go: every
// part of the index file (see package breakdown) with its raw, gzip and
// brotli size, then the totals of the index file itself.
//
//	go run ./internal/breakdown/indexsize dist/demo
package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/quarry-search/quarry/internal/breakdown"
	"github.com/quarry-search/quarry/internal/site"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: indexsize BUNDLE_DIR|INDEX_FILE")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "indexsize:", err)
		os.Exit(1)
	}
}

func run(arg string) error {
	p, err := site.IndexPath(arg)
	if err != nil {
		return fmt.Errorf("find index: %w", err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("read index: %w", err)
	}
	parts, err := breakdown.Split(data)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "raw\tgzip\tbrotli\t\tpart")
	for _, pt := range parts {
		fmt.Fprintf(w, "%d\t%d\t%d\t\t%s\n", len(pt.Data), len(site.Gzip(pt.Data)), len(site.BrotliQuality(pt.Data, 11)), pt.Name)
	}
	fmt.Fprintf(w, "%d\t%d\t%d\t\t%s\n", len(data), len(site.Gzip(data)), len(site.Brotli(data)), "index file "+p)
	return w.Flush()
}
