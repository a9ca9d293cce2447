package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/assets"
	"github.com/quarry-search/quarry/internal/config"
	"github.com/quarry-search/quarry/internal/entity"
	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/ingest"
	"github.com/quarry-search/quarry/internal/site"
)

// IndexFileName is where versions before the site bundle wrote the index
// (OUT/quarry.idx); `quarry query` still reads such folders.
const IndexFileName = "quarry.idx"

// buildFlags are the options of `quarry build`.
type buildFlags struct {
	out, lang, configFile, entitiesFile string
	noEntities, quiet, strict           bool
	include, exclude                    multiFlag
	baseURL                             string
	jsonID, jsonTitle, jsonBody         string
	jsonURL                             string
	singleFile, pageTitle               string
	site                                string
	facetList                           string   // -facets
	facets                              []string // resolved: the filter groups the widget shows
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var bf buildFlags
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&bf.out, "o", "", "output folder for the site: index.html, quarry/ (the engine and index) and the text documents")
	fs.StringVar(&bf.site, "site", "", "index the built static site in `DIR` (e.g. Hugo's public/) and add the search files to DIR/quarry/, leaving the rest of DIR untouched")
	fs.StringVar(&bf.singleFile, "single-file", "", "also (or instead of -o) write one self-contained HTML `file` that searches offline, even from file://")
	fs.StringVar(&bf.pageTitle, "page-title", "", "title of the demo page (default \"Quarry demo\")")
	fs.StringVar(&bf.lang, "lang", "", "analyzer language: english, french, spanish, russian, swedish, norwegian, hungarian (default english, or the config file's)")
	fs.StringVar(&bf.configFile, "config", "", "config file (default CORPUS_DIR/quarry.yaml when present)")
	fs.StringVar(&bf.entitiesFile, "entities", "", "entity override file (default CORPUS_DIR/entities.yaml when present; \"none\" to ignore it)")
	fs.BoolVar(&bf.noEntities, "no-entities", false, "do not extract entities")
	fs.BoolVar(&bf.quiet, "q", false, "print nothing but errors (with -strict, warnings too: they fail the build)")
	fs.BoolVar(&bf.strict, "strict", false, "fail (exit 1) when any input file was skipped or warned about")
	fs.Var(&bf.include, "include", "glob of files to index, relative to CORPUS_DIR (repeatable)")
	fs.Var(&bf.exclude, "exclude", "glob of files to leave out (repeatable)")
	fs.StringVar(&bf.baseURL, "base-url", "", "prefix for document URLs")
	fs.StringVar(&bf.jsonID, "id", "", "JSON/JSONL field holding the document id (default id)")
	fs.StringVar(&bf.jsonTitle, "title", "", "JSON/JSONL field holding the title (default title)")
	fs.StringVar(&bf.jsonBody, "body", "", "JSON/JSONL field holding the text (default body)")
	fs.StringVar(&bf.jsonURL, "url", "", "JSON/JSONL field holding the URL (default url)")
	fs.StringVar(&bf.facetList, "facets", "", "filter groups the search box shows, in order (e.g. \"tags,product\"; default the config file's facets:, else all)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: quarry build -o OUT [flags] CORPUS_DIR\n       quarry build --site DIR [flags]\n       quarry build --single-file FILE.html [flags] CORPUS_DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return usageError{err.Error()}
	}
	if bf.site != "" {
		if bf.out != "" || fs.NArg() > 1 || (fs.NArg() == 1 && filepath.Clean(fs.Arg(0)) != filepath.Clean(bf.site)) {
			fs.Usage()
			return usageError{"--site DIR indexes DIR and writes into DIR/quarry/: give neither -o nor another CORPUS_DIR"}
		}
	} else if (bf.out == "" && bf.singleFile == "") || fs.NArg() != 1 {
		fs.Usage()
		return usageError{"build needs -o OUT (or --site DIR, or --single-file FILE) and exactly one CORPUS_DIR"}
	}
	corpus := bf.site
	if corpus == "" {
		corpus = fs.Arg(0)
	}
	// Refuse an output Quarry may not replace before the work, not after.
	if err := checkOutputs(&bf, corpus); err != nil {
		return err
	}
	start := time.Now()
	data, res, err := buildCorpus(ctx, corpus, &bf, stderr)
	if err != nil {
		return err
	}
	// A strict build that fails writes nothing: the previous output stays.
	if bf.strict && (res.Skipped > 0 || len(res.Warnings) > 0) {
		return fmt.Errorf("--strict: %d files skipped, %d warnings; output left unchanged", res.Skipped, len(res.Warnings))
	}
	return writeSite(data, res, corpus, &bf, stdout, stderr, start)
}

// checkOutputs returns the error writing the outputs would give, before
// any work (see site.CheckBundle, site.CheckIntoSite and
// site.CheckSingleFile).
func checkOutputs(bf *buildFlags, corpus string) error {
	if bf.site != "" {
		if err := site.CheckIntoSite(bf.site); err != nil {
			return fmt.Errorf("write search files: %w", err)
		}
	}
	if bf.out != "" {
		if err := site.CheckBundle(bf.out, corpus); err != nil {
			return fmt.Errorf("write bundle: %w", err)
		}
	}
	if bf.singleFile != "" {
		if err := site.CheckSingleFile(bf.singleFile); err != nil {
			return fmt.Errorf("write single file: %w", err)
		}
	}
	return nil
}

// writeSite writes the site bundle (-o), a site's search files (--site)
// and/or the single file, each from the one encoded index.
func writeSite(data *indexfile.Encoded, res *ingest.Result, corpus string, bf *buildFlags, stdout, stderr io.Writer, start time.Time) error {
	opts := site.Options{Version: version, Title: bf.pageTitle, Docs: res.Docs, CorpusDir: corpus, Facets: bf.facets}
	if bf.site != "" {
		if _, err := site.WriteIntoSite(bf.site, data, opts); err != nil {
			return err
		}
		if !bf.quiet {
			fmt.Fprintf(stdout, "%s; wrote the search files to %s in %s\n",
				res.Summary(), filepath.Join(bf.site, site.AssetDir), time.Since(start).Round(time.Millisecond))
		}
	}
	if bf.out != "" {
		w, err := site.WriteBundle(bf.out, data, opts)
		if errors.Is(err, assets.ErrNoWASM) {
			if !bf.quiet {
				fmt.Fprintf(stderr, "warning: %v; wrote the index only, without the search page\n", assets.ErrNoWASM)
			}
			opts.IndexOnly = true
			w, err = site.WriteBundle(bf.out, data, opts)
		}
		if err != nil {
			return err
		}
		if !bf.quiet {
			idx := filepath.Join(bf.out, site.AssetDir, w.Manifest.Index)
			size := 0
			for _, f := range w.Files {
				if f.Path == site.AssetDir+"/"+w.Manifest.Index {
					size = f.Size // the file shipped: the head alone when the index is split
				}
			}
			fmt.Fprintf(stdout, "%s; wrote %s (%d bytes) and %d site files to %s in %s\n",
				res.Summary(), idx, size, len(w.Files)-1+w.Copies, bf.out, time.Since(start).Round(time.Millisecond))
		}
	}
	if bf.singleFile != "" {
		if err := site.WriteSingleFile(bf.singleFile, data, opts); err != nil {
			return err
		}
		if !bf.quiet {
			st, _ := os.Stat(bf.singleFile)
			var n int64
			if st != nil {
				n = st.Size()
			}
			fmt.Fprintf(stdout, "%s; wrote %s (%d bytes, works offline) in %s\n", res.Summary(), bf.singleFile, n, time.Since(start).Round(time.Millisecond))
		}
	}
	return nil
}

// buildCorpus reads the corpus and builds the index in memory, encoded
// once, with the configuration config.Resolve makes of the flags,
// quarry.yaml and entities.yaml.
func buildCorpus(ctx context.Context, corpus string, bf *buildFlags, stderr io.Writer) (*indexfile.Encoded, *ingest.Result, error) {
	cfg, err := config.Resolve(corpus, bf.config())
	if err != nil {
		return nil, nil, err
	}
	bf.facets = cfg.Facets
	// Work that needs no document is done while the corpus is read.
	if !cfg.NoEntities {
		entity.Preload()
	}
	assets.PreloadEngine(cfg.Language)
	opts := cfg.Ingest
	prog := newProgress(stderr, bf.quiet)
	defer prog.done()
	opts.Progress = prog.files
	// Quarry's own output inside the corpus (this build's or another's)
	// is never indexed.
	opts.IsOutput = site.IsOutput
	res, err := ingest.Dir(ctx, corpus, opts)
	prog.done()
	// -q prints nothing but errors; under -strict a warning fails the
	// build, so it is printed as the error's reason.
	showWarnings := !bf.quiet || bf.strict
	if res != nil && showWarnings {
		for _, w := range res.Warnings {
			fmt.Fprintln(stderr, "warning:", w.String())
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read corpus: %w", err)
	}
	co := build.CorpusOptions{Options: build.Options{Language: cfg.Language, TitleBoost: cfg.TitleBoost, BodyBoost: cfg.BodyBoost},
		NoEntities: cfg.NoEntities, Overrides: cfg.Overrides}
	co.Warn = func(id, reason string) {
		prog.done() // a warning starts on a clear line
		w := ingest.Warning{File: id, Reason: reason}
		if showWarnings {
			fmt.Fprintln(stderr, "warning:", w.String())
		}
		res.Warnings = append(res.Warnings, w)
	}
	if cfg.NoEntities {
		prog.stage("indexing")
	} else {
		prog.stage("finding entities and indexing")
	}
	idx, _, err := build.Corpus(ctx, res.Docs, co)
	if err != nil {
		return nil, nil, fmt.Errorf("build index: %w", err)
	}
	enc, err := indexfile.EncodeIndex(idx, build.EncodeOptions(co.Options))
	if err != nil {
		return nil, nil, fmt.Errorf("build index: %w", err)
	}
	if len(cfg.Facets) > 0 {
		if err := cfg.CheckFacets(enc.Head().FacetFields()); err != nil {
			return nil, nil, err
		}
	}
	return enc, res, nil
}

// config returns the flags as config.Resolve takes them.
func (bf *buildFlags) config() config.Flags {
	return config.Flags{
		Config: bf.configFile, Entities: bf.entitiesFile, NoEntities: bf.noEntities,
		Language: bf.lang, BaseURL: bf.baseURL, Include: bf.include, Exclude: bf.exclude,
		Facets: splitList(bf.facetList), JSONID: bf.jsonID, JSONTitle: bf.jsonTitle, JSONBody: bf.jsonBody, JSONURL: bf.jsonURL,
	}
}

// splitList splits a comma- or space-separated list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// interleave moves flags after positional arguments to the front, so that
// "build corpus -o out" works like "build -o out corpus".
func interleave(args []string, fs *flag.FlagSet) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil {
				if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
					continue
				}
				if i+1 < len(args) {
					flags = append(flags, args[i+1])
					i++
				}
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}
