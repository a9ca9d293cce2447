package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/assets"
	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/web"
)

// Element ids of the single-file page's inlined parts.
const (
	singleManifestID = "quarry-manifest"
	singleWASMID     = "quarry-wasm"
	singleIndexID    = "quarry-index"
	singleWorkerID   = "quarry-worker"
	singleCSSID      = "quarry-css"
	singleDocsID     = "quarry-docs"
)

// WriteSingleFile writes the demo page as one self-contained HTML file at
// p that works when opened from disk (file://) without a network.
//
// The engine and the index are gzip-compressed and base64-encoded inside
// non-executing <script type="application/octet-stream"> elements and
// decompressed with DecompressionStream('gzip'); the manifest, stylesheet,
// quarry.js and the worker code (wasm_exec.js followed by worker.js, in a
// <script type="text/plain">) are inlined too. A page opened from file://
// cannot start a worker from a script URL, so quarry.js starts it from a
// Blob URL of the inlined code; the search stays off the main thread. Only
// if the browser refuses even that does the same code run on the page.
//
// The plain-text documents travel inside too (gzip, base64, like the
// index): their results open them in the page itself, as nothing sits
// beside a single file to link to.
//
// An existing file at p is replaced only when Quarry wrote it and nobody
// changed it since (see CheckSingleFile); the page is written to a
// temporary file beside p and renamed into place.
func WriteSingleFile(p string, index *indexfile.Encoded, opts Options) error {
	page, err := SingleFile(index, opts)
	if err != nil {
		return err
	}
	if err := CheckSingleFile(p); err != nil {
		return fmt.Errorf("write single file: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write single file: %w", err)
	}
	if err := build.WriteFileAtomic(p, page); err != nil {
		return fmt.Errorf("write single file: %w", err)
	}
	return nil
}

// The single file proves it was written by Quarry with a mark in its
// <head>: <meta name="quarry-single-file" content="sha256-HEX">, HEX being
// the SHA-256 of the whole page with HEX written as 64 zeros. A page
// edited since, or any other HTML file, lacks a matching mark.
const (
	singleMarkPrefix = `<meta name="quarry-single-file" content="sha256-`
	// singleMarkWithin bounds where the mark is looked for: it follows
	// the page's <title>, within the first bytes of the page.
	singleMarkWithin = 64 << 10
	hexLen           = sha256.Size * 2
)

// markSingleFile fills in the mark of a page rendered with a zeroed one.
func markSingleFile(page []byte) {
	i := bytes.Index(page, []byte(singleMarkPrefix)) + len(singleMarkPrefix)
	copy(page[i:i+hexLen], hashHex(page))
}

// isSingleFile reports whether data is a single file Quarry wrote, as it
// wrote it.
func isSingleFile(data []byte) bool {
	i := bytes.Index(data[:min(len(data), singleMarkWithin)], []byte(singleMarkPrefix))
	if i < 0 || i+len(singleMarkPrefix)+hexLen > len(data) {
		return false
	}
	i += len(singleMarkPrefix)
	want := string(data[i : i+hexLen])
	zeroed := bytes.Clone(data)
	copy(zeroed[i:i+hexLen], strings.Repeat("0", hexLen))
	return hashHex(zeroed) == want
}

// CheckSingleFile returns nil when WriteSingleFile may write p: nothing
// is there, or a single file Quarry wrote, unchanged. A folder, a link,
// or any other file is refused with a sentence saying so.
func CheckSingleFile(p string) error {
	st, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case st.IsDir():
		return fmt.Errorf("%s is a folder; give the name of the HTML file to write, e.g. %s", p, filepath.Join(p, "search.html"))
	case st.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link; Quarry replaces only a file it wrote", p)
	case !st.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if !isSingleFile(data) {
		return fmt.Errorf("%s exists and Quarry did not write it (or it was changed since); refusing to overwrite it: choose another name or move it away", p)
	}
	return nil
}

// SingleFile returns the single-file page (see WriteSingleFile).
func SingleFile(index *indexfile.Encoded, opts Options) ([]byte, error) {
	page, err := singleFile(index, opts)
	if err != nil {
		return nil, fmt.Errorf("write single file: %w", err)
	}
	return page, nil
}

func singleFile(enc *indexfile.Encoded, opts Options) ([]byte, error) {
	eng, err := engineFor(enc)
	if err != nil {
		return nil, err
	}
	js, err := assets.Web(web.ScriptFile)
	if err != nil {
		return nil, err
	}
	css, err := assets.Web(web.StyleFile)
	if err != nil {
		return nil, err
	}
	worker, err := assets.WorkerScript(eng)
	if err != nil {
		return nil, err
	}
	m := Manifest{
		Version: opts.Version,
		Format:  indexFormat(),
		Docs:    len(opts.Docs),
		Facets:  opts.Facets,
		Index:   "#" + singleIndexID,
		WASM:    "#" + singleWASMID,
		Worker:  "#" + singleWorkerID,
		CSS:     "#" + singleCSSID,
	}
	docs, err := singleDocs(opts)
	if err != nil {
		return nil, err
	}
	if docs != nil {
		m.DocText = "#" + singleDocsID
	}
	manifest, err := json.Marshal(m) // escapes <, > and & as \u003c...: safe inside <script>
	if err != nil {
		return nil, err
	}
	wasmGz := eng.Gzip
	if wasmGz == nil {
		wasmGz = Gzip(eng.WASM)
	}
	head := singleMarkPrefix + strings.Repeat("0", hexLen) + "\">\n" +
		`<style id="` + singleCSSID + `">` + "\n" + escapeRawText(string(css), "style") + "</style>\n" +
		`<script type="application/json" id="` + singleManifestID + `">` + string(manifest) + "</script>\n" +
		`<script type="module">` + "\n" + escapeRawText(string(js), "script") + "</script>"
	tail := `<script type="text/plain" id="` + singleWorkerID + `">` + "\n" + escapeRawText(string(worker), "script") + "</script>\n" +
		octetStream(singleWASMID, wasmGz) + "\n" + octetStream(singleIndexID, gzipLarge(enc.Whole()))
	if docs != nil {
		tail += "\n" + octetStream(singleDocsID, gzipLarge(docs))
	}
	page, err := demoPage(opts, pageParts{Head: template.HTML(head), Tail: template.HTML(tail), Index: "#" + singleManifestID})
	if err != nil {
		return nil, err
	}
	markSingleFile(page)
	return page, nil
}

// octetStream is a non-executing element holding gzip-compressed data in
// base64 (whose alphabet cannot end the element).
func octetStream(id string, gz []byte) string {
	return `<script type="application/octet-stream" id="` + id + `" data-encoding="gzip">` +
		base64.StdEncoding.EncodeToString(gz) + "</script>"
}

var (
	closingScript = regexp.MustCompile(`(?i)</(script)`)
	closingStyle  = regexp.MustCompile(`(?i)</(style)`)
	commentOpen   = regexp.MustCompile(`<!--`)
)

// escapeRawText makes JavaScript or CSS source safe to put between <tag>
// and </tag>: "</script" becomes "<\/script" (the same string in a JS
// string, regular expression or comment, where alone it can occur) and
// "<!--" becomes "<\!--"; in CSS, "</style" becomes "<\/style".
func escapeRawText(s, tag string) string {
	if tag == "style" {
		return closingStyle.ReplaceAllString(s, `<\/$1`)
	}
	s = closingScript.ReplaceAllString(s, `<\/$1`)
	return commentOpen.ReplaceAllString(s, `<\!--`)
}

// singleDocs returns the plain-text documents a bundle would copy beside
// its page, as JSON {URL: [title, text]} (nil when there are none).
func singleDocs(opts Options) ([]byte, error) {
	rels := textCopies(opts)
	if len(rels) == 0 {
		return nil, nil
	}
	titles := make(map[string]string, len(opts.Docs))
	for _, d := range opts.Docs {
		titles[d.URL] = d.Title
	}
	docs := make(map[string][2]string, len(rels))
	for _, rel := range rels {
		b, err := os.ReadFile(filepath.Join(opts.CorpusDir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("document %s: %w", rel, err)
		}
		docs[rel] = [2]string{titles[rel], strings.ToValidUTF8(string(b), "\uFFFD")}
	}
	return json.Marshal(docs) // map keys sorted: the same corpus gives the same file
}
