package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/ingest"
)

// IndexFileName is the index file's name inside a build output folder.
const IndexFileName = "quarry.idx"

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output folder (required)")
	lang := fs.String("lang", "", "analyzer language: english, french, spanish, russian, swedish, norwegian, hungarian (default english)")
	quiet := fs.Bool("q", false, "print nothing but errors")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: quarry build -o OUT [flags] CORPUS_DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return usageError{err.Error()}
	}
	if *out == "" || fs.NArg() != 1 {
		fs.Usage()
		return usageError{"build needs -o OUT and exactly one CORPUS_DIR"}
	}
	corpus := fs.Arg(0)
	start := time.Now()
	res, err := ingest.Dir(ctx, corpus, ingest.Options{})
	if err != nil {
		return fmt.Errorf("read corpus: %w", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "warning:", w.String())
	}
	data, err := build.Index(ctx, res.Docs, build.Options{Language: *lang})
	if err != nil {
		return fmt.Errorf("build index: %w", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	path := filepath.Join(*out, IndexFileName)
	if err := build.WriteFileAtomic(path, data); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	if !*quiet {
		fmt.Fprintf(stdout, "%s; wrote %s (%d bytes) in %s\n", res.Summary(), path, len(data), time.Since(start).Round(time.Millisecond))
	}
	return nil
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
