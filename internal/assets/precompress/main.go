// Command precompress writes the brotli (.br, quality 11) and gzip (.gz,
// best) forms of the files named on its command line, for embedding with
// the engine: `make wasm` runs it on the engines it builds so that
// `quarry build` copies them instead of compressing an engine on every
// build. A sibling that already decodes to the file's bytes is kept, so
// rebuilding an unchanged engine costs a decompression, not a minute of
// brotli. Files are compressed in parallel.
//
//	precompress [-into DIR] [-only br|gz] FILE...
//	precompress -web DIR
//
// -into writes the compressed files into DIR instead of beside their
// source; -only writes one of the two forms. -web writes into DIR, to be
// compressed next, the scripts a bundle ships that follow from the
// default engine (site.EngineScripts: quarry.js naming the engine file,
// the worker with Go's wasm_exec.js), so that bundles copy their
// compressed forms too.
//
// Beside the compressed files it writes NAME.sums, the SHA-256 of the
// file and of each form (sha256sum's format): package assets trusts a
// form it embeds only when the sums say it was made from the file it
// embeds, which it checks in milliseconds instead of decompressing.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/assets"
	"github.com/quarry-search/quarry/internal/site"
	"github.com/quarry-search/quarry/web"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("precompress", flag.ContinueOnError)
	into := fs.String("into", "", "directory to write the compressed files into (default: beside each file)")
	only := fs.String("only", "", "write only this form: br or gz")
	webDir := fs.String("web", "", "write the default engine's quarry.js and worker.js into this directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *webDir != "" {
		return writeEngineScripts(*webDir)
	}
	if fs.NArg() == 0 || *only != "" && *only != "br" && *only != "gz" {
		return errors.New("usage: precompress [-into DIR] [-only br|gz] FILE...")
	}
	errs := make([]error, fs.NArg())
	var wg sync.WaitGroup
	for i, name := range fs.Args() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = precompress(name, *into, *only)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func precompress(name, into, only string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	encoders := []struct {
		suffix string
		reader func(io.Reader) (io.Reader, error)
		encode func([]byte) []byte
	}{
		{".br", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
			func(b []byte) []byte { return site.BrotliQuality(b, 11) }},
		{".gz", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }, site.Gzip},
	}
	base := name
	if into != "" {
		base = filepath.Join(into, filepath.Base(name))
	}
	sums := []string{sumLine(data, filepath.Base(name))}
	for _, e := range encoders {
		if only != "" && "."+only != e.suffix {
			continue
		}
		out := base + e.suffix
		if upToDate(out, data, e.reader) {
			fmt.Printf("%s is up to date\n", out)
		} else {
			enc := e.encode(data)
			if err := build.WriteFileAtomic(out, enc); err != nil {
				return err
			}
			fmt.Printf("wrote %s (%d bytes, %.1f%% of %d)\n", out, len(enc), 100*float64(len(enc))/float64(len(data)), len(data))
		}
		enc, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		sums = append(sums, sumLine(enc, filepath.Base(out)))
	}
	return build.WriteFileAtomic(base+".sums", []byte(strings.Join(sums, "")))
}

// writeEngineScripts writes the default engine's quarry.js and worker.js
// into dir.
func writeEngineScripts(dir string) error {
	eng, err := assets.LoadEngine("")
	if err != nil {
		return err
	}
	js, worker, err := site.EngineScripts(eng)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := build.WriteFileAtomic(filepath.Join(dir, web.ScriptFile), js); err != nil {
		return err
	}
	return build.WriteFileAtomic(filepath.Join(dir, web.WorkerFile), worker)
}

// sumLine is a line of sha256sum's output for data named name.
func sumLine(data []byte, name string) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) + "  " + name + "\n"
}

// upToDate reports whether the file at p decodes to exactly data.
func upToDate(p string, data []byte, reader func(io.Reader) (io.Reader, error)) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	r, err := reader(f)
	if err != nil {
		return false
	}
	got, err := io.ReadAll(io.LimitReader(r, int64(len(data))+1))
	return err == nil && bytes.Equal(got, data)
}
