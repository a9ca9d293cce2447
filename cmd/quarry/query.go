package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/quarry-search/quarry/internal/engine"
	"github.com/quarry-search/quarry/internal/facet"
	"github.com/quarry-search/quarry/internal/site"
)

func runQuery(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.SetOutput(stderr)
	limit := fs.Int("limit", engine.DefaultLimit, "number of hits to print")
	offset := fs.Int("offset", 0, "hits to skip")
	asJSON := fs.Bool("json", false, "print the result as JSON (the browser API's format)")
	complete := fs.Bool("complete", false, "the query is finished: do not complete the last word as a prefix")
	var filters multiFlag
	fs.Var(&filters, "filter", "TYPE=VALUE facet filter, e.g. org=Tencent (repeatable; values of one type OR, types AND)")
	var modes multiFlag
	fs.Var(&modes, "filter-mode", "TYPE=any|all|none: how one type's values combine (repeatable)")
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
	// The engine would take a negative value as the default; the README
	// promises they are refused.
	if *limit < 0 {
		return usageError{"--limit must not be negative"}
	}
	if *offset < 0 {
		return usageError{"--offset must not be negative"}
	}
	req := engine.Request{Query: fs.Arg(1), Limit: *limit, Offset: *offset, Complete: *complete}
	var err error
	if req.Filters, err = parsePairs(filters, true); err != nil {
		return usageError{"--filter: " + err.Error()}
	}
	fm, err := parsePairs(modes, false)
	if err != nil {
		return usageError{"--filter-mode: " + err.Error()}
	}
	for k, v := range fm {
		mode := v[len(v)-1]
		if mode != facet.ModeAny && mode != facet.ModeAll && mode != facet.ModeNone {
			return usageError{fmt.Sprintf("--filter-mode: %s: unknown mode %q (want any, all or none)", k, mode)}
		}
		if req.FilterModes == nil {
			req.FilterModes = map[string]string{}
		}
		req.FilterModes[k] = mode
	}
	eng, load, err := openIndex(fs.Arg(0))
	if err != nil {
		return err
	}
	// The engine checks the types of --filter but ignores modes for types
	// no filter names: check those here, with the engine's wording.
	fields := eng.Head().FacetFields()
	for k := range req.FilterModes {
		if !slices.Contains(fields, k) {
			return fmt.Errorf("search: --filter-mode: unknown filter %q (this index filters on %v)", k, fields)
		}
	}
	resp, err := eng.SearchLoading(req, load)
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

// parsePairs parses TYPE=VALUE arguments.
func parsePairs(args []string, _ bool) (map[string][]string, error) {
	if len(args) == 0 {
		return nil, nil
	}
	out := map[string][]string{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%q is not TYPE=VALUE", a)
		}
		out[k] = append(out[k], v)
	}
	return out, nil
}

// openIndex opens the index of a build output: the OUT folder (its
// quarry/quarry.json names the index), the manifest, or an index file.
// The loader reads the files of an index in parts from the index's folder.
func openIndex(p string) (*engine.Engine, engine.Loader, error) {
	path, err := site.IndexPath(p)
	if err != nil {
		return nil, nil, fmt.Errorf("open index: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open index: %w", err)
	}
	eng, err := engine.Open(data)
	if err != nil {
		return nil, nil, fmt.Errorf("open index %s: %w", path, err)
	}
	if err := site.CheckIndexName(path, data); err != nil {
		return nil, nil, fmt.Errorf("open index: %w", err)
	}
	dir := filepath.Dir(path)
	load := func(name string) ([]byte, error) {
		if filepath.Base(name) != name || !filepath.IsLocal(name) {
			return nil, fmt.Errorf("index file name %q is not a plain file name", name)
		}
		return os.ReadFile(filepath.Join(dir, name))
	}
	return eng, load, nil
}

func printHits(w io.Writer, r *engine.Response) {
	fmt.Fprintf(w, "%d results (%.2f ms, %s)\n", r.Total, r.TookMs, r.Mode)
	if r.Notice != "" {
		fmt.Fprintln(w, "note:", r.Notice)
	}
	if r.Corrected != "" {
		fmt.Fprintln(w, "showing results for:", r.Corrected)
	}
	for _, f := range sortedKeys(r.Facets) {
		var parts []string
		for i, v := range r.Facets[f] {
			if i == 8 {
				parts = append(parts, fmt.Sprintf("… %d more", len(r.Facets[f])-8))
				break
			}
			parts = append(parts, fmt.Sprintf("%s (%d)", v.Value, v.Count))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "%s: %s\n", f, strings.Join(parts, " · "))
		}
	}
	for i, h := range r.Hits {
		ex := plainExcerpt(h.Excerpt)
		if h.ExcerptError != "" {
			ex = "(" + h.ExcerptError + ")"
		}
		fmt.Fprintf(w, "\n%d. %s  [%s]  score %.4f\n   %s\n", i+1, h.Title, h.URL, h.Score, ex)
		for _, s := range h.Sections {
			fmt.Fprintf(w, "   § %s  [%s]\n     %s\n", s.Heading, s.URL, plainExcerpt(s.Excerpt))
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// plainExcerpt renders an HTML excerpt for a terminal: marks become
// brackets, entities are decoded, whitespace is folded.
func plainExcerpt(s string) string {
	s = strings.NewReplacer("<mark>", "[", "</mark>", "]", "&lt;", "<", "&gt;", ">", "&#34;", "\"", "&#39;", "'", "&amp;", "&").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
