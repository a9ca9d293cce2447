// Package ingest turns a corpus folder into []doc.Document.
//
// Dir walks a folder in sorted order and parses every supported file:
// plain text (.txt), built HTML sites (.html, .htm), Markdown with YAML or
// TOML front matter (.md, .markdown) and JSON records (.json arrays of
// objects, .jsonl one object per line). Each format also has a parse
// function usable on its own (ParseText, ParseHTML, ParseMarkdown,
// ParseJSON, ParseJSONL).
//
// Bad input never stops a walk: a malformed, binary or oversized file is
// skipped with a Warning that names the file (and line, when known) and the
// reason; invalid UTF-8 is repaired with U+FFFD and reported. Dir returns an
// error only for fatal problems (root missing or not a directory, invalid
// glob patterns, cancellation, or no document at all).
//
// LoadConfig reads a quarry.yaml project file (see Config for its schema).
package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/quarry-search/quarry/internal/doc"
)

// DefaultMaxFileSize is the size limit used when Options.MaxFileSize is 0.
const DefaultMaxFileSize int64 = 10 << 20

// sniffLen is how much of a file is inspected to decide whether it is text.
const sniffLen = 8 << 10

// Extensions lists the file extensions Dir parses, in the order reported
// by the "no documents found" error.
var Extensions = []string{".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"}

// reservedNames are root-level project files that are never documents.
var reservedNames = map[string]bool{"quarry.yaml": true, "entities.yaml": true}

// ErrNoDocuments is wrapped by the error Dir returns when a corpus yields
// no document at all.
var ErrNoDocuments = errors.New("no documents found")

// Options tunes Dir. The zero value is ready to use.
type Options struct {
	// Include restricts the walk to files whose slash path relative to
	// root matches one of these globs (doublestar syntax: "**" matches any
	// number of directories, e.g. "docs/**/*.md"). Empty means every file
	// with a supported extension. Unsupported extensions are never parsed.
	Include []string
	// Exclude drops files (and prunes directories) whose relative path
	// matches one of these globs, e.g. "drafts/**".
	Exclude []string
	// MaxFileSize is the largest file parsed, in bytes; larger files are
	// skipped with a warning. 0 or less means DefaultMaxFileSize. JSON and
	// JSONL files are read as streams and have no size limit: each of
	// their records is held to MaxRecordSize instead.
	MaxFileSize int64
	// MaxRecordSize is the largest record of a .json file (or line of a
	// .jsonl file) parsed, in bytes; larger ones are skipped with a
	// warning. 0 or less means MaxFileSize: a document read from a record
	// is held to the limit of a document read from a file.
	MaxRecordSize int64
	// JSON maps record fields of .json and .jsonl files to document fields.
	JSON JSONMapping
	// BaseURL is joined in front of every relative URL (derived from file
	// paths or given by front matter / JSON records), e.g.
	// "https://example.org/docs". Absolute URLs are left alone.
	BaseURL string
	// Progress, when set, is called after each candidate file with the
	// number of files done and the total number of candidate files.
	Progress func(done, total int)
	// IsOutput, when set, reports whether a folder or a candidate file of
	// the walk (its path as opened) is the output of a Quarry build,
	// which is never indexed (see site.IsOutput): rebuilding with the
	// output inside the corpus would otherwise index the last output.
	IsOutput func(path string, dir bool) bool
}

// Warning reports a problem with one input file (or one record of it).
type Warning struct {
	// File is the file's slash path relative to the walked root.
	File string
	// Line is the 1-based line of the problem, or 0 when unknown.
	Line int
	// Reason says what is wrong and what was done about it.
	Reason string
}

// String formats the warning as "file:line: reason" (":line" omitted when 0).
func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Reason)
	}
	return fmt.Sprintf("%s: %s", w.File, w.Reason)
}

// Skip categories, in the order Summary lists them.
const (
	SkipMalformed  = "malformed"
	SkipUnreadable = "unreadable"
	SkipSpecial    = "not a regular file"
	SkipEmpty      = "empty"
	SkipBinary     = "binary"
	SkipTooLarge   = "too large"
	SkipDraft      = "draft"
	SkipDuplicate  = "duplicate id"
	SkipNoIndex    = "noindex"
	SkipRedirect   = "redirect"
)

var skipOrder = []string{SkipMalformed, SkipUnreadable, SkipSpecial, SkipEmpty, SkipBinary, SkipTooLarge, SkipDraft, SkipDuplicate, SkipNoIndex, SkipRedirect}

// Result is what Dir found.
type Result struct {
	// Docs are the documents, in walk order (files sorted by path, records
	// in file order).
	Docs []doc.Document
	// Warnings lists every problem met, in walk order.
	Warnings []Warning
	// Skipped counts inputs (files, or records of JSON files) that gave no
	// document. Files with unsupported extensions, hidden files and
	// excluded files are not counted.
	Skipped int
	// SkippedBy breaks Skipped down by category (the Skip* constants).
	SkippedBy map[string]int
}

func (r *Result) skip(category string) {
	r.Skipped++
	if r.SkippedBy == nil {
		r.SkippedBy = map[string]int{}
	}
	r.SkippedBy[category]++
}

func (r *Result) warn(file string, line int, format string, args ...any) {
	r.Warnings = append(r.Warnings, Warning{File: file, Line: line, Reason: fmt.Sprintf(format, args...)})
}

// Summary is a one-line report, e.g.
// "indexed 942 documents, skipped 3: 2 malformed, 1 too large; 4 warnings".
func (r *Result) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "indexed %s, skipped %d", plural(len(r.Docs), "document", "documents"), r.Skipped)
	sep := ": "
	for _, c := range skipOrder {
		if n := r.SkippedBy[c]; n > 0 {
			label := c
			if n > 1 && (c == SkipDraft || c == SkipDuplicate || c == SkipRedirect) {
				label += "s"
			}
			fmt.Fprintf(&b, "%s%d %s", sep, n, label)
			sep = ", "
		}
	}
	fmt.Fprintf(&b, "; %s", plural(len(r.Warnings), "warning", "warnings"))
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// candidate is a file selected by the walk.
type candidate struct {
	rel  string // slash path relative to root
	path string // path to open
	size int64
}

// Dir walks root in sorted order and parses every supported file.
//
// Hidden files and directories (names starting with '.'), node_modules
// directories and the root-level quarry.yaml and entities.yaml are skipped
// silently, as are files with unsupported extensions. Symbolic links to
// files inside root are read; links pointing outside root are reported and
// not followed; linked directories are never walked. Pipes, sockets and
// devices named like documents are reported and skipped (reading one could
// block). Every document is held to the limits of package doc (title
// length, facet values), with a warning when something was cut.
//
// The error is non-nil only for fatal problems. When no document is found,
// the error wraps ErrNoDocuments and the returned Result still carries the
// warnings explaining why.
func Dir(ctx context.Context, root string, opts Options) (*Result, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("ingest %s: %w", root, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("ingest %s: not a directory", root)
	}
	for _, p := range append(append([]string(nil), opts.Include...), opts.Exclude...) {
		if !doublestar.ValidatePattern(p) {
			return nil, fmt.Errorf("ingest %s: invalid glob pattern %q", root, p)
		}
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	res := &Result{}
	files, err := collect(ctx, root, opts, res)
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}  // id -> file that produced it
	urls := map[string]string{} // url -> id that has it
	parsed := parseAll(ctx, files, opts)
	for i, c := range files {
		var fr fileResult
		select {
		case fr = <-parsed[i]:
		case <-ctx.Done():
			return nil, fmt.Errorf("ingest %s: %w", root, ctx.Err())
		}
		res.merge(&fr.res)
		for _, r := range fr.recs {
			d := r.doc
			if first, dup := ids[d.ID]; dup {
				res.warn(c.rel, r.line, "duplicate id %q (first seen in %s); skipped", d.ID, first)
				res.skip(SkipDuplicate)
				continue
			}
			ids[d.ID] = c.rel
			d, why := sanitize(d)
			if why != "" {
				res.warn(c.rel, r.line, "%s", why)
			}
			d, cut := limit(d)
			for _, why := range cut {
				res.warn(c.rel, r.line, "%s", why)
			}
			d.URL = joinURL(opts.BaseURL, d.URL)
			if d.URL != "" {
				if other, dup := urls[d.URL]; dup {
					res.warn(c.rel, r.line, "duplicate URL %q (id %q has it too)", d.URL, other)
				} else {
					urls[d.URL] = d.ID
				}
			}
			res.Docs = append(res.Docs, d)
		}
		if opts.Progress != nil {
			opts.Progress(i+1, len(files))
		}
	}
	if len(res.Docs) == 0 {
		msg := fmt.Sprintf("in %s (looked for %s)", root, strings.Join(Extensions, " "))
		if res.Skipped > 0 {
			msg += "; " + strings.TrimPrefix(res.Summary(), "indexed 0 documents, ")
		}
		return res, fmt.Errorf("%w %s", ErrNoDocuments, msg)
	}
	return res, nil
}

// collect walks root and returns the candidate files in sorted order.
func collect(ctx context.Context, root string, opts Options, res *Result) ([]candidate, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("ingest %s: %w", root, err)
	}
	realRoot, _ = filepath.Abs(realRoot)
	var files []candidate
	// Walk the resolved root, so that a root given as a symbolic link works.
	err = filepath.WalkDir(realRoot, func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if p == realRoot {
			return err // unreadable root is fatal
		}
		rel, _ := filepath.Rel(realRoot, p)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if strings.HasPrefix(name, ".") || (d.IsDir() && name == "node_modules") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err != nil {
			res.warn(rel, 0, "cannot read: %v", unwrapPath(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if matchAny(opts.Exclude, rel) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() && opts.IsOutput != nil && opts.IsOutput(p, true) {
			return fs.SkipDir
		}
		if d.IsDir() || !supported(name) || (reservedNames[name] && !strings.Contains(rel, "/")) {
			return nil
		}
		if len(opts.Include) > 0 && !matchAny(opts.Include, rel) {
			return nil
		}
		if opts.IsOutput != nil && opts.IsOutput(p, false) {
			return nil
		}
		c := candidate{rel: rel, path: p}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				res.warn(rel, 0, "broken symbolic link; skipped")
				return nil
			}
			abs, _ := filepath.Abs(target)
			if r, err := filepath.Rel(realRoot, abs); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
				res.warn(rel, 0, "symbolic link points outside the root; not followed")
				return nil
			}
			st, err := os.Stat(target)
			if err != nil || !st.Mode().IsRegular() {
				return nil // linked directories are not walked
			}
			c.size = st.Size()
		} else if d.Type().IsRegular() {
			st, err := d.Info()
			if err != nil {
				res.warn(rel, 0, "cannot read: %v", unwrapPath(err))
				return nil
			}
			c.size = st.Size()
		} else {
			// A pipe, socket or device named like a document: reading it
			// could block or never end, so it is skipped, but said.
			res.warn(rel, 0, "not a regular file (%s); skipped", specialKind(d.Type()))
			res.skip(SkipSpecial)
			return nil
		}
		files = append(files, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingest %s: %w", root, err)
	}
	return files, nil
}

// specialKind names the kind of a file that is neither regular, a
// folder nor a symbolic link.
func specialKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

func supported(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	for _, e := range Extensions {
		if e == ext {
			return true
		}
	}
	return false
}

func matchAny(patterns []string, rel string) bool {
	for _, p := range patterns {
		if doublestar.MatchUnvalidated(p, rel) {
			return true
		}
	}
	return false
}

// unwrapPath drops the path from *fs.PathError, since warnings name the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fileResult is what parsing one file gave.
type fileResult struct {
	recs []record
	res  Result // warnings and skips only
}

// parseAll parses files on GOMAXPROCS goroutines. The result of files[i]
// arrives on the i-th channel, so that the caller consumes them in order.
func parseAll(ctx context.Context, files []candidate, opts Options) []chan fileResult {
	out := make([]chan fileResult, len(files))
	for i := range out {
		out[i] = make(chan fileResult, 1)
	}
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range files {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(files)); w++ {
		go func() {
			for i := range next {
				var fr fileResult
				fr.recs = parseFile(files[i], opts, &fr.res)
				out[i] <- fr
			}
		}()
	}
	return out
}

// merge adds the warnings and skips of o to r.
func (r *Result) merge(o *Result) {
	r.Warnings = append(r.Warnings, o.Warnings...)
	for k, n := range o.SkippedBy {
		for range n {
			r.skip(k)
		}
	}
}

// parseFile reads and parses one candidate, recording warnings and skips.
func parseFile(c candidate, opts Options, res *Result) []record {
	if ext := strings.ToLower(path.Ext(c.rel)); ext == ".json" || ext == ".jsonl" {
		return parseJSONFile(c, opts, res)
	}
	if c.size > opts.MaxFileSize {
		res.warn(c.rel, 0, "file too large (%d bytes, limit %d); skipped", c.size, opts.MaxFileSize)
		res.skip(SkipTooLarge)
		return nil
	}
	data, err := readLimited(c.path, opts.MaxFileSize)
	if err != nil {
		res.warn(c.rel, 0, "cannot read: %v; skipped", unwrapPath(err))
		res.skip(SkipUnreadable)
		return nil
	}
	if int64(len(data)) > opts.MaxFileSize {
		res.warn(c.rel, 0, "file too large (over %d bytes); skipped", opts.MaxFileSize)
		res.skip(SkipTooLarge)
		return nil
	}
	data, what := decodeText(data)
	if what != "" {
		res.warn(c.rel, 0, "binary file (%s); skipped", what)
		res.skip(SkipBinary)
		return nil
	}
	if !utf8.Valid(data) {
		res.warn(c.rel, badUTF8Line(data), "invalid UTF-8 replaced with U+FFFD")
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}

	var docs []record
	switch strings.ToLower(path.Ext(c.rel)) {
	case ".txt":
		var d doc.Document
		if d, err = ParseText(c.rel, data); err == nil {
			docs = append(docs, record{doc: d})
		}
	case ".html", ".htm":
		var d doc.Document
		var notes []string
		if d, notes, err = ParseHTMLFilters(c.rel, data); err == nil {
			docs = append(docs, record{doc: d})
		}
		for _, n := range notes {
			res.warn(c.rel, 0, "%s", n)
		}
	case ".md", ".markdown":
		var d doc.Document
		var draft bool
		var notes []string
		if d, draft, notes, err = parseMarkdown(c.rel, data); err == nil {
			if draft {
				res.skip(SkipDraft)
				return nil
			}
			for _, n := range notes {
				res.warn(c.rel, 0, "%s", n)
			}
			docs = append(docs, record{doc: d})
		}
	}
	return parsed(c, docs, err, res)
}

// parsed records the outcome of parsing c: its documents, or the error
// that skipped it.
func parsed(c candidate, docs []record, err error, res *Result) []record {
	if errors.Is(err, ErrRedirect) {
		res.skip(SkipRedirect) // a page that only sends elsewhere: no warning
		return nil
	}
	if errors.Is(err, ErrNoIndex) {
		res.skip(SkipNoIndex) // the page says so: no warning
		return nil
	}
	if err != nil {
		reason := strings.TrimPrefix(err.Error(), "parse "+c.rel+": ")
		line := 0
		var le *LineError
		if errors.As(err, &le) {
			line, reason = le.Line, le.reason()
		}
		res.Warnings = append(res.Warnings, Warning{File: c.rel, Line: line, Reason: reason + "; skipped"})
		if errors.Is(err, ErrNoText) {
			res.skip(SkipEmpty)
		} else {
			res.skip(SkipMalformed)
		}
		return nil
	}
	return docs
}

// parseJSONFile reads a .json or .jsonl file as a stream: no file size
// limit applies, each record is held to opts.MaxRecordSize instead (a
// larger one is skipped with a warning), so that one large file of
// records indexes in the memory its documents take.
func parseJSONFile(c candidate, opts Options, res *Result) []record {
	f, err := os.Open(c.path)
	if err != nil {
		res.warn(c.rel, 0, "cannot read: %v; skipped", unwrapPath(err))
		res.skip(SkipUnreadable)
		return nil
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, sniffLen)
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		res.warn(c.rel, 0, "cannot read: %v; skipped", unwrapPath(err))
		res.skip(SkipUnreadable)
		return nil
	}
	var r io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}) || bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		// UTF-16 (rare for JSON): decoded whole, within the file limit.
		data, err := io.ReadAll(io.LimitReader(br, opts.MaxFileSize+1))
		if err != nil {
			res.warn(c.rel, 0, "cannot read: %v; skipped", unwrapPath(err))
			res.skip(SkipUnreadable)
			return nil
		}
		if int64(len(data)) > opts.MaxFileSize {
			res.warn(c.rel, 0, "UTF-16 file too large (over %d bytes); skipped", opts.MaxFileSize)
			res.skip(SkipTooLarge)
			return nil
		}
		head, _ = decodeText(data)
		r = bytes.NewReader(head)
	}
	if _, what := decodeText(head); what != "" {
		res.warn(c.rel, 0, "binary file (%s); skipped", what)
		res.skip(SkipBinary)
		return nil
	}
	limit := opts.MaxRecordSize
	if limit <= 0 {
		limit = opts.MaxFileSize
	}
	var recs []record
	var issues []issue
	if strings.HasSuffix(strings.ToLower(c.rel), ".jsonl") {
		recs, issues, err = parseJSONL(c.rel, r, opts.JSON, limit)
		if err != nil {
			err = fmt.Errorf("cannot read: %v", unwrapPath(err))
		}
	} else {
		recs, issues, err = parseJSON(c.rel, r, opts.JSON, limit)
	}
	for _, is := range issues {
		res.Warnings = append(res.Warnings, is.Warning)
		if is.skip != "" {
			res.skip(is.skip)
		}
	}
	return parsed(c, recs, err, res)
}

// fileURL turns a slash path into a URL path: each segment is
// percent-encoded (url.PathEscape, plus ":" so that a first segment like
// "x:y.txt" does not read as a scheme), so "#", "?", "%" and spaces in
// file names stay part of the path.
func fileURL(rel string) string {
	segs := strings.Split(rel, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(segs, "/")
}

// joinURL prefixes relative URLs with base.
func joinURL(base, u string) string {
	if base == "" || u == "" || strings.HasPrefix(u, "//") || strings.Contains(u, "://") ||
		strings.HasPrefix(u, "mailto:") {
		return u
	}
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(u, "/")
}
