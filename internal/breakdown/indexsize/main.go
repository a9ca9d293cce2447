// Command indexsize prints where the bytes of a Quarry index go: every
// part of the index file (see package breakdown) with its raw, gzip and
// brotli (quality 11) size, the totals of the index file itself and, for
// a bundle whose text is in separate files, the totals of those files.
//
//	go run ./internal/breakdown/indexsize dist/demo
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/quarry-search/quarry/internal/breakdown"
	"github.com/quarry-search/quarry/internal/indexfile"
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
	fmt.Fprintf(w, "%d\t%d\t%d\t\t%s\n", len(data), len(site.Gzip(data)), len(site.BrotliQuality(data, 11)), "index file "+p)
	f, err := indexfile.Decode(data)
	if err != nil {
		return err
	}
	if f.Text == nil && len(f.Meta.Texts) > 0 {
		var raw, gz, br int
		for _, t := range f.Meta.Texts {
			b, err := os.ReadFile(filepath.Join(filepath.Dir(p), t.Name))
			if err != nil {
				return fmt.Errorf("text file: %w", err)
			}
			raw, gz, br = raw+len(b), gz+len(site.Gzip(b)), br+len(site.BrotliQuality(b, 11))
		}
		fmt.Fprintf(w, "%d\t%d\t%d\t\t%d text files (each compressed alone)\n", raw, gz, br, len(f.Meta.Texts))
	}
	return w.Flush()
}
