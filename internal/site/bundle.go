package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
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
}

// WrittenFile is one file of a bundle.
type WrittenFile struct {
	Path string
	Size int
}

// WriteBundle writes a site bundle for index into the folder out (see the
// package comment), replacing a bundle already there — the whole folder,
// so nothing else should be kept in it. It refuses to replace a folder
// that is neither empty nor a Quarry bundle, or that contains the corpus.
func WriteBundle(out string, index []byte, opts Options) (*Written, error) {
	w, err := writeBundle(out, index, opts)
	if err != nil {
		return nil, fmt.Errorf("write bundle: %w", err)
	}
	return w, nil
}

// loadEngine is assets.LoadEngine; tests substitute a stand-in engine.
var loadEngine = assets.LoadEngine

func writeBundle(out string, index []byte, opts Options) (*Written, error) {
	var eng *assets.Engine
	if !opts.IndexOnly {
		var err error
		if eng, err = loadEngine(); err != nil {
			return nil, err
		}
	}
	out = filepath.Clean(out)
	if err := checkTarget(out, opts.CorpusDir); err != nil {
		return nil, err
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return nil, err
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	w, err := fill(tmp, eng, index, opts)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	if err := swap(tmp, out); err != nil {
		return nil, err
	}
	done = true
	return w, nil
}

// bundleFile is one file to write, with optional precompressed forms.
type bundleFile struct {
	name   string
	data   []byte
	br, gz []byte
}

// fill writes the whole bundle into dir.
func fill(dir string, eng *assets.Engine, index []byte, opts Options) (*Written, error) {
	index, texts, pos, err := splitText(index)
	if err != nil {
		return nil, err
	}
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
	}
	for _, t := range texts {
		m.Texts = append(m.Texts, t.name)
	}
	if pos != nil {
		m.Positions = pos.name
		texts = append(texts, *pos)
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	files = append(files,
		bundleFile{name: AssetDir + "/" + ManifestFile, data: append(manifest, '\n')},
		bundleFile{name: AssetDir + "/" + m.Index, data: index})
	for _, t := range texts {
		files = append(files, bundleFile{name: AssetDir + "/" + t.name, data: t.data})
	}
	w := &Written{Manifest: m}
	precompress(files)
	for _, f := range files {
		if err := writeCompressed(dir, f); err != nil {
			return nil, err
		}
		w.Files = append(w.Files, WrittenFile{Path: f.name, Size: len(f.data)})
	}
	if eng == nil {
		return w, nil
	}
	for _, rel := range textCopies(opts) {
		src := filepath.Join(opts.CorpusDir, filepath.FromSlash(rel))
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := copyFile(src, dst); err != nil {
			return nil, fmt.Errorf("copy document %s: %w", rel, err)
		}
		w.Copies++
	}
	return w, nil
}

// InlineTextLimit is the most display text (bytes of text files) a
// bundle's index keeps inline. Below it one request for the whole index
// is cheaper than fetching parts of it: the index keeps its text and its
// body positions inline. Above it the text goes into text files fetched
// for the results shown, and the body positions into a positions segment
// fetched for the first query that needs them (query syntax).
const InlineTextLimit = 32 << 10

type textFile struct {
	name string
	data []byte
}

// splitText returns the index to ship, the text files (in document order)
// and the positions segment's file, when they are separate.
func splitText(index []byte) ([]byte, []textFile, *textFile, error) {
	f, err := indexfile.Decode(index)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("index: %w", err)
	}
	if len(f.Text) <= InlineTextLimit {
		out, err := indexfile.Inline(index)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("index: %w", err)
		}
		return out, nil, nil, nil
	}
	out, files, err := indexfile.Externalize(index)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("index: %w", err)
	}
	texts := make([]textFile, 0, len(files))
	for _, t := range f.Meta.Texts {
		texts = append(texts, textFile{name: t.Name, data: files[t.Name]})
	}
	var pos *textFile
	if p := f.Meta.Positions; p != nil && files[p.Name] != nil {
		pos = &textFile{name: p.Name, data: files[p.Name]}
	}
	return out, texts, pos, nil
}

// webFiles returns the page and the engine's files, and names them in m.
func webFiles(m *Manifest, eng *assets.Engine, opts Options) ([]bundleFile, error) {
	js, err := assets.Web(web.ScriptFile)
	if err != nil {
		return nil, err
	}
	css, err := assets.Web(web.StyleFile)
	if err != nil {
		return nil, err
	}
	worker, err := assets.Web(web.WorkerFile)
	if err != nil {
		return nil, err
	}
	m.WASM = hashedName(assets.WASMFile, eng.WASM)
	m.Worker = hashedName(web.WorkerFile, worker)
	m.WasmExec = hashedName(assets.WasmExecFile, eng.WasmExec)
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
		{name: "index.html", data: page},
		{name: AssetDir + "/" + web.ScriptFile, data: js},
		{name: AssetDir + "/" + web.StyleFile, data: css},
		{name: AssetDir + "/" + m.Worker, data: worker},
		{name: AssetDir + "/" + m.WasmExec, data: eng.WasmExec},
		{name: AssetDir + "/" + m.WASM, data: eng.WASM, br: eng.Brotli, gz: eng.Gzip},
	}, nil
}

// precompress computes the .br and .gz forms of the files worth
// compressing that lack them, on all cores (a large index has hundreds of
// text files).
func precompress(files []bundleFile) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range files {
		f := &files[i]
		if !worthCompressing(f.name, len(f.data)) || (f.br != nil && f.gz != nil) {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if f.br == nil {
				f.br = Brotli(f.data)
			}
			if f.gz == nil {
				f.gz = Gzip(f.data)
			}
		}()
	}
	wg.Wait()
}

// writeCompressed writes f below dir and, when worth it, its .br and .gz
// siblings (computed unless given), skipping any that would not be smaller.
func writeCompressed(dir string, f bundleFile) error {
	p := filepath.Join(dir, filepath.FromSlash(f.name))
	if err := writeFile(p, f.data); err != nil {
		return err
	}
	if !worthCompressing(f.name, len(f.data)) {
		return nil
	}
	br, gz := f.br, f.gz
	if br == nil {
		br = Brotli(f.data)
	}
	if gz == nil {
		gz = Gzip(f.data)
	}
	for _, v := range []struct {
		suffix string
		data   []byte
	}{{".br", br}, {".gz", gz}} {
		if len(v.data) >= len(f.data) {
			continue
		}
		if err := writeFile(p+v.suffix, v.data); err != nil {
			return err
		}
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

// checkTarget refuses to replace a folder that is not ours: out may be
// missing, empty, a previous bundle (it has quarry/quarry.json) or a
// previous version's output (only quarry.idx). It must not contain the
// corpus.
func checkTarget(out, corpus string) error {
	if corpus != "" {
		absOut, err1 := filepath.Abs(out)
		absCorpus, err2 := filepath.Abs(corpus)
		if err1 == nil && err2 == nil {
			if rel, err := filepath.Rel(absOut, absCorpus); err == nil && (rel == "." || filepath.IsLocal(rel)) {
				return fmt.Errorf("output folder %s contains the corpus %s; choose another output folder", out, corpus)
			}
		}
	}
	st, err := os.Lstat(out)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a folder", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(entries) == 0 || fileExists(filepath.Join(out, AssetDir, ManifestFile)) ||
		(len(entries) == 1 && entries[0].Name() == "quarry.idx") {
		return nil
	}
	return fmt.Errorf("%s %w", out, errNotBundle)
}

// swap moves the finished bundle tmp to out: the old out is renamed away,
// tmp renamed in, and the old one removed. If the second rename fails the
// old bundle is put back.
func swap(tmp, out string) error {
	var old string
	if _, err := os.Lstat(out); err == nil {
		old = filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".old-"+path.Base(tmp))
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("move old bundle away: %w", err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return fmt.Errorf("move new bundle in: %w", err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("remove old bundle %s: %w", old, err)
		}
	}
	return nil
}

// writeFile creates p (and its folder) with data and syncs it.
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
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeFileAtomic writes data to p through a synced temporary file in the
// same folder renamed into place, so p is never left half-written.
func writeFileAtomic(p string, data []byte) error {
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(p)+".tmp-")
	if err != nil {
		return err
	}
	name := tmp.Name()
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err == nil {
		err = os.Rename(name, p)
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}
