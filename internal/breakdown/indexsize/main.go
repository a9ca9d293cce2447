// Command indexsize prints where the bytes of a Quarry index go: every
// part of the index file (see package breakdown) with its raw, gzip and
// brotli (quality 11) size, the totals of the index file itself and, for
// an index in parts, the totals of its files by kind.
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
	h, err := indexfile.Decode(data)
	if err != nil {
		return err
	}
	if h.Inline() == nil {
		// A head: its files are beside it, each compressed alone.
		files := map[string][]byte{}
		for _, name := range h.FileNames() {
			b, err := os.ReadFile(filepath.Join(filepath.Dir(p), name))
			if err != nil {
				return fmt.Errorf("index file: %w", err)
			}
			files[name] = b
		}
		for _, pt := range breakdown.Files(files, "") {
			gz, br := 0, 0
			for _, b := range pt.Files {
				gz, br = gz+len(site.Gzip(b)), br+len(site.BrotliQuality(b, 11))
			}
			fmt.Fprintf(w, "%d\t%d\t%d\t\t%s, each compressed alone\n", len(pt.Data), gz, br, pt.Name)
		}
	}
	return w.Flush()
}
