package site

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"

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
func WriteSingleFile(p string, index []byte, opts Options) error {
	page, err := SingleFile(index, opts)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(p, page); err != nil {
		return fmt.Errorf("write single file: %w", err)
	}
	return nil
}

// SingleFile returns the single-file page (see WriteSingleFile).
func SingleFile(index []byte, opts Options) ([]byte, error) {
	page, err := singleFile(index, opts)
	if err != nil {
		return nil, fmt.Errorf("write single file: %w", err)
	}
	return page, nil
}

func singleFile(index []byte, opts Options) ([]byte, error) {
	// The single file holds everything: text and positions inline.
	index, err := indexfile.Inline(index)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	eng, err := loadEngine()
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
	worker, err := assets.Web(web.WorkerFile)
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
	workerCode := string(eng.WasmExec) + "\n;\n" + string(worker)
	head := `<style id="` + singleCSSID + `">` + "\n" + escapeRawText(string(css), "style") + "</style>\n" +
		`<script type="application/json" id="` + singleManifestID + `">` + string(manifest) + "</script>\n" +
		`<script type="module">` + "\n" + escapeRawText(string(js), "script") + "</script>"
	tail := `<script type="text/plain" id="` + singleWorkerID + `">` + "\n" + escapeRawText(workerCode, "script") + "</script>\n" +
		octetStream(singleWASMID, wasmGz) + "\n" + octetStream(singleIndexID, Gzip(index))
	if docs != nil {
		tail += "\n" + octetStream(singleDocsID, Gzip(docs))
	}
	return demoPage(opts, pageParts{Head: template.HTML(head), Tail: template.HTML(tail), Index: "#" + singleManifestID})
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
