package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/quarry-search/quarry/internal/assets"
	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/web"
)

// Written lists what WriteBundle wrote.
type Written struct {
	// Manifest is the bundle's manifest.
	Manifest Manifest
	// Files are the bundle's files (slash paths relative to OUT, without
	// the .br/.gz siblings and corpus copies) and their sizes.
	Files []WrittenFile
	// Copies is the number of corpus documents copied next to the page.
	Copies int
	// hashes maps every file written (slash path relative to the bundle,
	// siblings and copies included) to its SHA-256: the ownership list.
	hashes map[string]string
}

// WrittenFile is one file of a bundle.
type WrittenFile struct {
	Path string
	Size int
}

// WriteBundle writes a site bundle for index into the folder out (see
// the package comment). out may be missing, empty, or a bundle written
// before: it is replaced only when every file in it is one Quarry wrote,
// unchanged (see own.go); a folder holding anything else, or containing
// the corpus, is refused with an error saying what is there.
func WriteBundle(out string, index *indexfile.Encoded, opts Options) (*Written, error) {
	w, err := writeBundle(out, index, opts)
	if err != nil {
		return nil, fmt.Errorf("write bundle: %w", err)
	}
	return w, nil
}

// CheckBundle returns the error WriteBundle would give for out before
// any work: out contains the corpus, or holds files that are not
// Quarry's.
func CheckBundle(out, corpus string) error {
	if corpus != "" {
		absOut, err1 := filepath.Abs(out)
		absCorpus, err2 := filepath.Abs(corpus)
		if err1 == nil && err2 == nil {
			if rel, err := filepath.Rel(absOut, absCorpus); err == nil && (rel == "." || filepath.IsLocal(rel)) {
				return fmt.Errorf("output folder %s contains the corpus %s; choose another output folder", out, corpus)
			}
		}
	}
	return checkOwned(filepath.Clean(out), bundleOwnPath)
}

// WriteIntoSite adds the search files for index to dir/quarry/ of a site
// a static site generator has built, as a search step after the
// generator: no demo page and no copies of documents (the site has its
// pages). Only dir/quarry/ is written; it is replaced only when it holds
// nothing but files Quarry wrote, unchanged.
func WriteIntoSite(dir string, index *indexfile.Encoded, opts Options) (*Written, error) {
	w, err := writeIntoSite(dir, index, opts)
	if err != nil {
		return nil, fmt.Errorf("write search files: %w", err)
	}
	return w, nil
}

// CheckIntoSite returns the error WriteIntoSite would give for dir
// before any work: dir/quarry holds files that are not Quarry's.
func CheckIntoSite(dir string) error {
	return checkOwned(filepath.Join(dir, AssetDir), siteOwnPath)
}

// loadEngine is assets.LoadEngine; tests substitute a stand-in engine.
var loadEngine = assets.LoadEngine

// engineFor loads the engine built for the index's language.
func engineFor(index *indexfile.Encoded) (*assets.Engine, error) {
	return loadEngine(index.Head().Language)
}

func writeBundle(out string, index *indexfile.Encoded, opts Options) (*Written, error) {
	var eng *assets.Engine
	if !opts.IndexOnly {
		var err error
		if eng, err = engineFor(index); err != nil {
			return nil, err
		}
	}
	out = filepath.Clean(out)
	if err := CheckBundle(out, opts.CorpusDir); err != nil {
		return nil, err
	}
	return writeOwned(out, "", generator(opts), func(root string) (*Written, error) {
		return fill(root, eng, index, opts, true)
	})
}

func writeIntoSite(dir string, index *indexfile.Encoded, opts Options) (*Written, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	var eng *assets.Engine
	if !opts.IndexOnly {
		if eng, err = engineFor(index); err != nil {
			return nil, err
		}
	}
	target := filepath.Join(filepath.Clean(dir), AssetDir)
	return writeOwned(target, AssetDir, generator(opts), func(root string) (*Written, error) {
		return fill(root, eng, index, opts, false)
	})
}

// generator names the Quarry that writes a bundle, for its ownership list.
func generator(opts Options) string { return "quarry " + opts.Version }

// bundleFile is one file to write, with optional precompressed forms.
type bundleFile struct {
	name   string
	data   []byte
	br, gz []byte
	// onDemand: fetched for some searches only (parts, positions parts,
	// text files) or in the background (the rest bundle), not at every
	// page load (see compress.go).
	onDemand bool
}

// fill writes the whole bundle into dir; without page, neither the demo
// page nor copies of the documents (a site's search files).
func fill(dir string, eng *assets.Engine, enc *indexfile.Encoded, opts Options, page bool) (*Written, error) {
	index, parts := shippedIndex(enc)
	m := Manifest{
		Version: opts.Version,
		Format:  indexFormat(),
		Docs:    len(opts.Docs),
		Facets:  opts.Facets,
		Index:   hashedName("quarry.idx", index),
	}
	var files []bundleFile
	if eng != nil {
		var err error
		if files, err = webFiles(&m, eng, opts); err != nil {
			return nil, err
		}
		if !page {
			files = slices.DeleteFunc(files, func(f bundleFile) bool { return f.name == pageFile })
		}
	}
	m.Files = len(parts)
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	files = append(files,
		bundleFile{name: AssetDir + "/" + ManifestFile, data: append(manifest, '\n')},
		bundleFile{name: AssetDir + "/" + m.Index, data: index},
		bundleFile{name: AssetDir + "/" + indexfile.EntitiesFile, data: enc.Entities()})
	for _, t := range parts {
		files = append(files, bundleFile{name: AssetDir + "/" + t.Name, data: t.Data, onDemand: true})
	}
	w := &Written{Manifest: m}
	if err := writeAll(dir, files, w); err != nil {
		return nil, err
	}
	if eng == nil || !page {
		return w, nil
	}
	for _, rel := range textCopies(opts) {
		src := filepath.Join(opts.CorpusDir, filepath.FromSlash(rel))
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		sum, err := copyFile(src, dst)
		if err != nil {
			return nil, fmt.Errorf("copy document %s: %w", rel, err)
		}
		if w.hashes == nil {
			w.hashes = map[string]string{}
		}
		w.hashes[rel] = sum
		w.Copies++
	}
	return w, nil
}

// WholeIndexLimit is the largest index (raw bytes) a bundle ships as one
// file. Below it one request for the whole index answers sooner than the
// head, then the parts, then the text files a query needs, each a round
// trip; above it the index ships as a head and files fetched on demand.
// Measured (make bench-threshold, BENCHMARKS.md, 2026-11-29): Cranfield's
// first 40..640 documents (73 KiB..1 MiB raw) shipped both ways, first
// results cold at 10 Mbit/s + 40 ms, medians of 7 on a loaded machine:
// split ÷ whole 1.13, 1.05, 1.30, 1.23, 1.19 up to 505 KiB, then 0.79 at
// 674 KiB and 1.07 at 1 MiB (noise of ±30%). The bytes and rounds each
// load fetched give whole 71 ms against split 150 ms at 257 KiB, even
// near 650 KiB over HTTP/1.1 (~450 KiB with the text files in one round):
// the limit could rise to ~450 KiB; 256 KiB errs on the side of split.
const WholeIndexLimit = 256 << 10

// shippedIndex returns the index to ship and, when it is large, the
// files next to it (parts, positions parts, text files, in the head's
// order, then the rest bundle when the index is small enough to have one:
// see indexfile.Head.Rest), all made from the one encoding.
func shippedIndex(enc *indexfile.Encoded) ([]byte, []indexfile.File) {
	if enc.WholeSize() <= WholeIndexLimit {
		return enc.Whole(), nil
	}
	files := enc.Files()
	if rest, ok := enc.Rest(); ok {
		files = append(slices.Clip(files), rest)
	}
	return enc.HeadOnly(), files
}

// engineMark is the value of ENGINE in web's quarry.js, which a bundle's
// copy replaces with the names of its engine and worker files.
const engineMark = "/*quarry:engine*/ null"

// EngineScripts returns the scripts of a bundle that follow from its
// engine alone, as the bundle ships them: quarry.js with the engine's and
// the worker's file names written in as ENGINE (quarry.js then starts the
// engine's download and the worker at once, beside the manifest's
// download, rather than after it; it still checks the manifest's names)
// and the worker (assets.WorkerScript). `make build` precompresses both
// for the default engine.
func EngineScripts(eng *assets.Engine) (script, worker []byte, err error) {
	return engineScripts(eng, hashedName(assets.WASMFile, eng.WASM))
}

// engineScripts is EngineScripts for the engine file called wasmName.
func engineScripts(eng *assets.Engine, wasmName string) (script, worker []byte, err error) {
	js, err := assets.Web(web.ScriptFile)
	if err != nil {
		return nil, nil, err
	}
	if bytes.Count(js, []byte(engineMark)) != 1 {
		return nil, nil, fmt.Errorf("web asset %s: %q not found once", web.ScriptFile, engineMark)
	}
	worker, err = assets.WorkerScript(eng)
	if err != nil {
		return nil, nil, err
	}
	names, err := json.Marshal(engineNames{WASM: wasmName, Worker: hashedName(web.WorkerFile, worker)})
	if err != nil {
		return nil, nil, err
	}
	return bytes.Replace(js, []byte(engineMark), names, 1), worker, nil
}

// engineNames is ENGINE in a bundle's quarry.js: the file names the
// manifest gives its engine and worker.
type engineNames struct {
	WASM   string `json:"wasm"`
	Worker string `json:"worker"`
}

// webFiles returns the page and the engine's files, and names them in m.
func webFiles(m *Manifest, eng *assets.Engine, opts Options) ([]bundleFile, error) {
	m.WASM = hashedName(assets.WASMFile, eng.WASM)
	js, worker, err := engineScripts(eng, m.WASM)
	if err != nil {
		return nil, err
	}
	css, err := assets.Web(web.StyleFile)
	if err != nil {
		return nil, err
	}
	m.Worker = hashedName(web.WorkerFile, worker)
	m.CSS = web.StyleFile
	page, err := demoPage(opts, pageParts{
		// The manifest is preloaded so that its fetch does not wait for
		// quarry.js to run (one round trip less before the engine loads).
		Head: template.HTML(`<link rel="stylesheet" href="quarry/quarry.css">` + "\n" +
			`<link rel="preload" href="quarry/quarry.json" as="fetch" crossorigin>` + "\n" +
			`<script type="module" src="quarry/quarry.js"></script>`),
		Index: AssetDir + "/",
	})
	if err != nil {
		return nil, err
	}
	return []bundleFile{
		{name: pageFile, data: page},
		static(web.ScriptFile, web.ScriptFile, js),
		static(web.StyleFile, web.StyleFile, css),
		static(m.Worker, web.WorkerFile, worker),
		{name: AssetDir + "/" + m.WASM, data: eng.WASM, br: eng.Brotli, gz: eng.Gzip},
	}, nil
}

// static is a file of the engine or widget, the same in every bundle,
// named name in AssetDir, with the forms `make build` precompressed for
// it (assets.WebCompressed) when they match data.
func static(name, source string, data []byte) bundleFile {
	br, gz := assets.WebCompressed(source, data)
	return bundleFile{name: AssetDir + "/" + name, data: data, br: br, gz: gz}
}

// writeAll writes files below dir with their precompressed siblings
// (see compress.go) on all cores: each worker compresses one file, writes
// it and its siblings and lets go of them, so that no more than a file per
// core is held compressed at a time (a large index has thousands of text
// files). w records what was written, in the order of files.
func writeAll(dir string, files []bundleFile, w *Written) error {
	sums := make([][3]string, len(files)) // SHA-256 of the file, .br, .gz
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := writeCompressed(dir, &files[i], &sums[i]); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	// Larger files first, so that a large one does not start last.
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(files[b].data) - len(files[a].data) })
	for _, i := range order {
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	for i, f := range files {
		for k, suffix := range []string{"", ".br", ".gz"} {
			if sums[i][k] != "" {
				if w.hashes == nil {
					w.hashes = map[string]string{}
				}
				w.hashes[f.name+suffix] = sums[i][k]
			}
		}
		w.Files = append(w.Files, WrittenFile{Path: f.name, Size: len(f.data)})
	}
	return nil
}

// writeCompressed writes f below dir and the precompressed siblings that
// pay for themselves (computed unless given; see compress.go), skipping
// any that would not be smaller, and records the SHA-256 of each file
// written in sums (file, .br, .gz).
func writeCompressed(dir string, f *bundleFile, sums *[3]string) error {
	p := filepath.Join(dir, filepath.FromSlash(f.name))
	if err := writeFile(p, f.data); err != nil {
		return err
	}
	sums[0] = hashHex(f.data)
	if !worthCompressing(f.name, len(f.data)) {
		return nil
	}
	br, gz := f.br, f.gz
	if br == nil {
		br = brotliFor(f.name, f.data, f.onDemand)
	}
	if gz == nil && !f.onDemand {
		gz = Gzip(f.data)
	}
	for k, v := range []struct {
		suffix string
		data   []byte
	}{{".br", br}, {".gz", gz}} {
		if v.data == nil || len(v.data) >= len(f.data) {
			continue
		}
		if err := writeFile(p+v.suffix, v.data); err != nil {
			return err
		}
		sums[k+1] = hashHex(v.data)
	}
	return nil
}

// pageParts are what differs between the bundle's page and the single
// file: what goes in <head>, before </body>, and the widget's index.
type pageParts struct {
	Head  template.HTML
	Tail  template.HTML
	Index string
}

var pageTemplate = template.Must(template.ParseFS(web.Files, web.PageTemplate))

func demoPage(opts Options, p pageParts) ([]byte, error) {
	var buf bytes.Buffer
	err := pageTemplate.Execute(&buf, struct {
		pageParts
		Title, Version, Docs string
	}{p, opts.title(), opts.Version, docsLabel(len(opts.Docs))})
	if err != nil {
		return nil, fmt.Errorf("demo page: %w", err)
	}
	return buf.Bytes(), nil
}

// writeFile creates p (and its folder) with data. It is not synced here:
// writeOwned syncs the whole new output once before it is swapped in
// (syncTree), which costs far less than a sync per file.
func writeFile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// copyFile copies src to a new file dst and returns the SHA-256 of what
// it copied.
func copyFile(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), in); err != nil {
		out.Close()
		return "", err
	}
	if err := out.Close(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
