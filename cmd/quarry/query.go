package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/quarry-search/quarry/internal/search"
)

func runQuery(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.SetOutput(stderr)
	limit := fs.Int("limit", search.DefaultLimit, "number of hits to print")
	offset := fs.Int("offset", 0, "hits to skip")
	asJSON := fs.Bool("json", false, "print the result as JSON (the browser API's format)")
	complete := fs.Bool("complete", false, "the query is finished: do not complete the last word as a prefix")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: quarry query INDEX "text" [flags]`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return usageError{"query needs INDEX and the query text"}
	}
	eng, err := openIndex(fs.Arg(0))
	if err != nil {
		return err
	}
	resp, err := eng.Search(ctx, search.Request{Query: fs.Arg(1), Limit: *limit, Offset: *offset, Complete: *complete})
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(resp)
	}
	printHits(stdout, resp)
	return nil
}

// indexPath accepts a build output folder or the index file itself.
func indexPath(p string) string {
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return filepath.Join(p, IndexFileName)
	}
	return p
}

func openIndex(p string) (*search.Engine, error) {
	path := indexPath(p)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	eng, err := search.Open(data)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return eng, nil
}

func printHits(w io.Writer, r *search.Response) {
	fmt.Fprintf(w, "%d results (%.2f ms, %s)\n", r.Total, r.TookMs, r.Mode)
	if r.Notice != "" {
		fmt.Fprintln(w, "note:", r.Notice)
	}
	for i, h := range r.Hits {
		fmt.Fprintf(w, "\n%d. %s  [%s]  score %.4f\n   %s\n", i+1, h.Title, h.URL, h.Score, plainExcerpt(h.Excerpt))
	}
}

// plainExcerpt renders an HTML excerpt for a terminal: marks become
// brackets, entities are decoded, whitespace is folded.
func plainExcerpt(s string) string {
	s = strings.NewReplacer("<mark>", "[", "</mark>", "]", "&lt;", "<", "&gt;", ">", "&#34;", "\"", "&#39;", "'", "&amp;", "&").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
