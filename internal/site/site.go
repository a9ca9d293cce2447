// Package site writes and serves Quarry site bundles.
//
// WriteBundle turns an index file into a folder that searches it in the
// browser:
//
//	OUT/index.html                 demo page (a <quarry-search> element)
//	OUT/<path>.txt                 the corpus' plain-text documents, so result links work
//	OUT/quarry/quarry.json         manifest read by quarry.js (not cached)
//	OUT/quarry/quarry.js           the web component and JS API (stable URL)
//	OUT/quarry/quarry.css          its stylesheet (stable URL)
//	OUT/quarry/quarry.<hash>.wasm  the engine
//	OUT/quarry/quarry.<hash>.idx   the index: whole up to WholeIndexLimit, else
//	                               its head, with the files below beside it
//	OUT/quarry/part.<hash>.qpt     the postings of one range of terms, fetched
//	                               for the queries whose words fall in it
//	OUT/quarry/positions.<hash>.qps their word positions, fetched for phrases
//	OUT/quarry/text.<hash>.qtx     what results show (title, URL, text) for
//	                               a run of documents, fetched for the
//	                               results shown
//	OUT/quarry/rest.<hash>.qrs     a small index's parts and text files in
//	                               one file, fetched in the background once
//	                               a first answer is shown (indexfile.RestLimit)
//	OUT/quarry/worker.<hash>.js    the Web Worker that runs the engine, Go's
//	                               wasm_exec.js included (assets.WorkerScript)
//	OUT/quarry/files.json          the ownership list: every file above with
//	                               its SHA-256, written last (see own.go)
//
// Files that benefit from long caching carry a content hash in their name;
// the manifest maps roles to names. Every compressible file of 1 kB or
// more under quarry/ (and index.html) gets precompressed .br and .gz
// siblings, which Handler serves to browsers that accept them.
//
// The bundle is built in a staging folder beside OUT and swapped in with
// renames, so a failed build never leaves a half-written bundle behind;
// OUT is replaced only when everything in it is a file Quarry wrote.
// WriteIntoSite writes the same quarry/ folder (without the demo page and
// copies) into a site a static site generator has built.
//
// WriteSingleFile writes the same demo as one self-contained HTML file
// that works offline from file://, and Handler serves a bundle over HTTP
// with correct types, encodings and cache headers.
package site

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// AssetDir is the bundle's folder for Quarry's own files.
const AssetDir = "quarry"

// ManifestFile is the manifest's name inside AssetDir.
const ManifestFile = "quarry.json"

// pageFile is the demo page of a bundle.
const pageFile = "index.html"

// Options describe the site around an index.
type Options struct {
	// Version is the Quarry version, recorded in the manifest and page.
	Version string
	// Title is the demo page's title (default "Quarry demo").
	Title string
	// Docs are the indexed documents; their count goes on the page and
	// plain-text ones are copied from CorpusDir.
	Docs []doc.Document
	// CorpusDir is the folder the documents were read from ("" copies none).
	CorpusDir string
	// Facets are the filter groups the widget shows, in order (nil: all
	// the index has); written to the manifest.
	Facets []string
	// IndexOnly writes just the manifest and the index (for a quarry
	// binary built without the engine): the CLI can query the output,
	// no browser can.
	IndexOnly bool
}

func (o Options) title() string {
	if o.Title == "" {
		return "Quarry demo"
	}
	return o.Title
}

// Manifest is OUT/quarry/quarry.json: what quarry.js loads. File names
// are relative to the manifest; in a single-file page they are "#id"
// references to elements of the page instead.
type Manifest struct {
	// Version is the Quarry version that wrote the bundle.
	Version string `json:"version"`
	// Format is the index file format version.
	Format int `json:"format"`
	// Docs is the number of documents in the index.
	Docs int `json:"docs"`
	// Index, WASM and Worker name the engine's files.
	Index  string `json:"index"`
	WASM   string `json:"wasm"`
	Worker string `json:"worker"`
	// CSS names the widget's stylesheet.
	CSS string `json:"css"`
	// Files is the number of files next to the index (parts, positions
	// parts, text files), which the engine asks for by name; 0 when the
	// index is whole.
	Files int `json:"files,omitempty"`
	// Facets are the filter groups the widget shows by default, in order
	// (absent: all the index has); its facets attribute overrides them.
	Facets []string `json:"facets,omitempty"`
	// DocText is the "#id" of the single file's element holding its
	// plain-text documents ({URL: [title, text]}, gzip, base64): beside a
	// single file no document can be linked to, so the widget shows them.
	DocText string `json:"doc_text,omitempty"`
}

// hashedName inserts the first 12 hex digits of data's SHA-256 before the
// extension: quarry.wasm -> quarry.0123456789ab.wasm.
func hashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	e := ext(name)
	return strings.TrimSuffix(name, e) + "." + hex.EncodeToString(sum[:6]) + e
}

// ext is path.Ext in lower case.
func ext(name string) string { return strings.ToLower(path.Ext(name)) }

// IndexPath finds the index file of a build output: dir may be the
// bundle folder (OUT), its quarry/ folder, the manifest, or an index file
// itself; a folder holding a quarry.idx written by older versions works too.
func IndexPath(p string) (string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		if filepath.Base(p) != ManifestFile {
			return p, nil
		}
		return indexFromManifest(p)
	}
	for _, m := range []string{filepath.Join(p, AssetDir, ManifestFile), filepath.Join(p, ManifestFile)} {
		if _, err := os.Stat(m); err == nil {
			return indexFromManifest(m)
		}
	}
	if legacy := filepath.Join(p, "quarry.idx"); fileExists(legacy) {
		return legacy, nil
	}
	return "", fmt.Errorf("%s: no Quarry bundle here (no %s/%s)", p, AssetDir, ManifestFile)
}

// CheckIndexName returns an error when the file name of the index at p
// carries a content hash (quarry.<hash>.idx, as bundles name it) that
// data does not have: an index from another build copied or renamed into
// the bundle, which would answer for documents the site does not have.
func CheckIndexName(p string, data []byte) error {
	base := filepath.Base(p)
	m := hashedParts.FindStringSubmatch(base)
	if m == nil {
		return nil
	}
	if want := hashedName(m[1]+m[2], data); want != base {
		return fmt.Errorf("%s: not the index this bundle was built with (its content would be named %s); rebuild the bundle", p, want)
	}
	return nil
}

// hashedParts splits a name written by hashedName around its hash.
var hashedParts = regexp.MustCompile(`^(.+)\.[0-9a-f]{12}(\.[a-z0-9]+)$`)

func indexFromManifest(p string) (string, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	if m.Index == "" || !filepath.IsLocal(m.Index) {
		return "", fmt.Errorf("%s: no valid index name", p)
	}
	return filepath.Join(filepath.Dir(p), filepath.FromSlash(m.Index)), nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// docsLabel is "1 document" or "N documents".
func docsLabel(n int) string {
	if n == 1 {
		return "1 document"
	}
	return fmt.Sprintf("%d documents", n)
}

// textCopies returns the slash paths of plain-text documents to copy next
// to the page: their URL is their path relative to the corpus
// (percent-encoded), so the page's result links resolve to the copies.
// Paths that would collide with the bundle's own files are left out.
func textCopies(opts Options) []string {
	if opts.CorpusDir == "" {
		return nil
	}
	var out []string
	for _, d := range opts.Docs {
		if u, err := url.PathUnescape(d.URL); err != nil || u != d.ID || ext(d.ID) != ".txt" || !filepath.IsLocal(filepath.FromSlash(d.ID)) {
			continue
		}
		first, _, _ := strings.Cut(d.ID, "/")
		if first == AssetDir || strings.HasPrefix(first, ".") || strings.EqualFold(d.ID, pageFile) {
			continue
		}
		out = append(out, d.ID)
	}
	return out
}

func indexFormat() int { return indexfile.Version }
