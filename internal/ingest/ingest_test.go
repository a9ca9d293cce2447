package ingest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"unicode/utf16"

	"github.com/quarry-search/quarry/internal/doc"
)

// dirRun ingests root and returns the ids, warnings (as strings) and summary.
func dirRun(t *testing.T, root string, opts Options) (ids, warns []string, summary string, res *Result) {
	t.Helper()
	res, err := Dir(context.Background(), root, opts)
	if err != nil {
		t.Fatalf("Dir(%s) error: %v", root, err)
	}
	for _, d := range res.Docs {
		ids = append(ids, d.ID)
	}
	for _, w := range res.Warnings {
		warns = append(warns, w.String())
	}
	return ids, warns, res.Summary(), res
}

func TestDirFixtures(t *testing.T) {
	tests := []struct {
		name        string
		root        string
		opts        Options
		wantIDs     []string
		wantWarns   []string
		wantSummary string
	}{
		{
			name:        "html site",
			root:        "testdata/site",
			wantIDs:     []string{"a/index.html", "b.html", "index.html"},
			wantWarns:   []string{"empty.html: no text content; skipped"},
			wantSummary: "indexed 3 documents, skipped 1: 1 empty; 1 warning",
		},
		{
			name:    "markdown",
			root:    "testdata/markdown",
			wantIDs: []string{"docs/_index.md", "docs/intro.md", "docs/plain.markdown", "shortcodes.md", "toml.md", "yaml.md"},
			wantWarns: []string{
				"broken.md:3: invalid front matter: did not find expected ',' or ']'; skipped",
			},
			wantSummary: "indexed 6 documents, skipped 2: 1 malformed, 1 draft; 1 warning",
		},
		{
			name:    "json",
			root:    "testdata/json",
			opts:    Options{JSON: JSONMapping{Facets: []string{"author"}}},
			wantIDs: []string{"r1", "records.json#2", "3", "l1", "l2", "l6"},
			wantWarns: []string{
				`invalid.json:3: invalid JSON at col 41: invalid character '"' after object key:value pair; skipped`,
				"records.json:5: record 4 is a string, not an object; skipped",
				`records.json:6: record "r5" has no text (title and body empty); skipped`,
				"records.jsonl:4: invalid JSON at col 61: unexpected end of file; line skipped",
				"records.jsonl:5: record 5 is an array, not an object; skipped",
			},
			wantSummary: "indexed 6 documents, skipped 5: 4 malformed, 1 empty; 5 warnings",
		},
		{
			name:    "bad input",
			root:    "testdata/bad",
			wantIDs: []string{"dup", "good.txt", "latin1.txt", "u1", "u2"},
			wantWarns: []string{
				"binary.txt: binary file (contains NUL bytes); skipped",
				"blank.txt: no text content; skipped",
				`dups.json:1: duplicate id "dup" (first seen in dups.json); skipped`,
				"image.html: binary file (contains NUL bytes); skipped",
				"latin1.txt:1: invalid UTF-8 replaced with U+FFFD",
				`more.jsonl:1: duplicate id "good.txt" (first seen in good.txt); skipped`,
				`more.jsonl:3: duplicate URL "/same/" (id "u1" has it too)`,
				"report.md: binary file (application/pdf); skipped",
				"sub/unterminated.md:1: invalid front matter: no closing --- line; skipped",
			},
			wantSummary: "indexed 5 documents, skipped 7: 1 malformed, 1 empty, 3 binary, 2 duplicate ids; 9 warnings",
		},
		{
			name:        "include",
			root:        "testdata/markdown",
			opts:        Options{Include: []string{"docs/**"}},
			wantIDs:     []string{"docs/_index.md", "docs/intro.md", "docs/plain.markdown"},
			wantSummary: "indexed 3 documents, skipped 0; 0 warnings",
		},
		{
			name:        "exclude prunes directories and files",
			root:        "testdata/markdown",
			opts:        Options{Exclude: []string{"docs/**", "broken.md"}},
			wantIDs:     []string{"shortcodes.md", "toml.md", "yaml.md"},
			wantSummary: "indexed 3 documents, skipped 1: 1 draft; 0 warnings",
		},
		{
			name:        "include with extension glob",
			root:        "testdata/markdown",
			opts:        Options{Include: []string{"**/*.markdown"}},
			wantIDs:     []string{"docs/plain.markdown"},
			wantSummary: "indexed 1 document, skipped 0; 0 warnings",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, warns, summary, _ := dirRun(t, tt.root, tt.opts)
			if !reflect.DeepEqual(ids, tt.wantIDs) {
				t.Errorf("ids:\ngot  %q\nwant %q", ids, tt.wantIDs)
			}
			if !reflect.DeepEqual(warns, tt.wantWarns) {
				t.Errorf("warnings:\ngot  %q\nwant %q", warns, tt.wantWarns)
			}
			if summary != tt.wantSummary {
				t.Errorf("summary = %q, want %q", summary, tt.wantSummary)
			}
		})
	}
}

func TestDirRepairsInvalidUTF8(t *testing.T) {
	_, _, _, res := dirRun(t, "testdata/bad", Options{})
	for _, d := range res.Docs {
		if d.ID == "latin1.txt" {
			if want := "Caf\uFFFD menu"; d.Title != want {
				t.Errorf("Title = %q, want %q", d.Title, want)
			}
			if !strings.Contains(d.Body, "cr\uFFFDme br\uFFFDl\uFFFDe") {
				t.Errorf("Body = %q, want U+FFFD replacements", d.Body)
			}
			return
		}
	}
	t.Error("latin1.txt not indexed")
}

func TestDirSeedCorpus(t *testing.T) {
	_, _, summary, res := dirRun(t, "../../corpus", Options{})
	want := []struct{ id, title string }{
		{"000_c0c3c02e86188690.txt", "Alibaba"},
		{"001_e6ce9e708c381a95.txt", "With the global rise of Chinese tech majors, these firms…"},
		{"002_1f069dae46ea7771.txt", "Is WhatsApp Copying WeChat with its New E-Wallet?"},
		{"003_1affcc0fd042f187.txt", "Alibaba Tracker: The Partner Games"},
		{"004_a02ef3eacc1007eb.txt", "Alibaba not coming across with mobile messaging"},
	}
	if len(res.Docs) != len(want) {
		t.Fatalf("got %d docs, want %d (%s)", len(res.Docs), len(want), summary)
	}
	for i, w := range want {
		d := res.Docs[i]
		if d.ID != w.id || d.Title != w.title || d.URL != w.id {
			t.Errorf("doc %d = id %q title %q url %q, want id %q title %q url %q", i, d.ID, d.Title, d.URL, w.id, w.title, w.id)
		}
		if d.Body == "" || strings.HasPrefix(d.Body, d.Title+"\n") {
			t.Errorf("doc %d body starts %.60q: want the text after the title", i, d.Body)
		}
	}
	if !strings.HasPrefix(res.Docs[1].Body, "With the global rise") {
		t.Errorf("001 body = %.40q…, want the whole text (no title line)", res.Docs[1].Body)
	}
	if want := "indexed 5 documents, skipped 0; 0 warnings"; summary != want {
		t.Errorf("summary = %q, want %q", summary, want)
	}
}

func TestDirFatalErrors(t *testing.T) {
	empty := t.TempDir()
	allBad := t.TempDir()
	writeFile(t, filepath.Join(allBad, "x.txt"), "a\x00b")
	file := filepath.Join(t.TempDir(), "f.txt")
	writeFile(t, file, "x")
	looked := "(looked for .txt .md .markdown .html .htm .json .jsonl)"
	tests := []struct {
		name, root string
		opts       Options
		wantErr    string
		wantResult bool
	}{
		{"empty dir", empty, Options{}, "no documents found in " + empty + " " + looked, true},
		{"only unsupported and hidden files", "testdata/nodocs", Options{}, "no documents found in testdata/nodocs " + looked, true},
		{"everything skipped", allBad, Options{}, "no documents found in " + allBad + " " + looked + "; skipped 1: 1 binary; 1 warning", true},
		{"missing root", "testdata/nope", Options{}, "ingest testdata/nope: stat testdata/nope: no such file or directory", false},
		{"root is a file", file, Options{}, "ingest " + file + ": not a directory", false},
		{"bad glob", "testdata/site", Options{Exclude: []string{"a/[b"}}, `ingest testdata/site: invalid glob pattern "a/[b"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Dir(context.Background(), tt.root, tt.opts)
			if err == nil {
				t.Fatalf("no error; summary %q", res.Summary())
			}
			// EqualFold: OS error texts differ in case between platforms (js/wasm).
			if !strings.EqualFold(err.Error(), tt.wantErr) {
				t.Errorf("error = %q, want %q", err, tt.wantErr)
			}
			if (res != nil) != tt.wantResult {
				t.Errorf("result returned = %v, want %v", res != nil, tt.wantResult)
			}
			if tt.wantResult && !errors.Is(err, ErrNoDocuments) {
				t.Errorf("error %v does not wrap ErrNoDocuments", err)
			}
		})
	}
}

func TestDirTooLarge(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "small.txt"), "Small\n\nfits")
	writeFile(t, filepath.Join(root, "big.txt"), "Big\n\n"+strings.Repeat("word ", 400))
	// A sparse file just over the default limit: never read.
	huge := filepath.Join(root, "huge.md")
	writeFile(t, huge, "")
	if err := os.Truncate(huge, DefaultMaxFileSize+1); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		max       int64
		wantIDs   []string
		wantWarns []string
	}{
		{"default limit", 0, []string{"big.txt", "small.txt"},
			[]string{"huge.md: file too large (10485761 bytes, limit 10485760); skipped"}},
		{"custom limit", 1024, []string{"small.txt"}, []string{
			"big.txt: file too large (2005 bytes, limit 1024); skipped",
			"huge.md: file too large (10485761 bytes, limit 1024); skipped",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, warns, summary, _ := dirRun(t, root, Options{MaxFileSize: tt.max})
			if !reflect.DeepEqual(ids, tt.wantIDs) || !reflect.DeepEqual(warns, tt.wantWarns) {
				t.Errorf("got ids %q warnings %q\nwant ids %q warnings %q", ids, warns, tt.wantIDs, tt.wantWarns)
			}
			if !strings.Contains(summary, "too large") {
				t.Errorf("summary %q does not mention too large files", summary)
			}
		})
	}
}

func TestDirSkipsHiddenModulesAndOutsideLinks(t *testing.T) {
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.txt"), "Secret\n\noutside the root")
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "a.txt"), "A\n\ntext a")
	writeFile(t, filepath.Join(root, ".git", "x.txt"), "X\n\nhidden dir")
	writeFile(t, filepath.Join(root, "node_modules", "p", "x.md"), "# X\nmodule")
	writeFile(t, filepath.Join(root, "sub", "node_modules.txt"), "Not a dir\n\nindexed")
	writeFile(t, filepath.Join(root, "quarry.yaml"), "language: en\n")
	for link, target := range map[string]string{
		"in.txt":     filepath.Join(root, "a.txt"),
		"out.txt":    filepath.Join(outside, "secret.txt"),
		"broken.txt": filepath.Join(root, "missing.txt"),
		"dir.md":     outside,
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Skipf("symlinks not supported: %v", err)
		}
	}
	ids, warns, _, _ := dirRun(t, root, Options{})
	wantIDs := []string{"a.txt", "in.txt", "sub/node_modules.txt"}
	wantWarns := []string{
		"broken.txt: broken symbolic link; skipped",
		"dir.md: symbolic link points outside the root; not followed",
		"out.txt: symbolic link points outside the root; not followed",
	}
	if !reflect.DeepEqual(ids, wantIDs) {
		t.Errorf("ids = %q, want %q", ids, wantIDs)
	}
	if !reflect.DeepEqual(warns, wantWarns) {
		t.Errorf("warnings = %q, want %q", warns, wantWarns)
	}
}

func TestDirSymlinkRoot(t *testing.T) {
	abs, err := filepath.Abs("testdata/site")
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "site")
	if err := os.Symlink(abs, link); err != nil {
		t.Skipf("symlinks not supported: %v", err)
	}
	ids, _, _, _ := dirRun(t, link, Options{})
	if want := []string{"a/index.html", "b.html", "index.html"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids = %q, want %q", ids, want)
	}
}

func TestDirOptions(t *testing.T) {
	var calls [][2]int
	opts := Options{
		BaseURL:  "https://example.org/base/",
		Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) },
	}
	_, _, _, res := dirRun(t, "testdata/site", opts)
	var urls []string
	for _, d := range res.Docs {
		urls = append(urls, d.URL)
	}
	wantURLs := []string{"https://example.org/base/a/", "https://example.org/base/b.html", "https://example.org/base/"}
	if !reflect.DeepEqual(urls, wantURLs) {
		t.Errorf("urls = %q, want %q", urls, wantURLs)
	}
	wantCalls := [][2]int{{1, 4}, {2, 4}, {3, 4}, {4, 4}}
	if !reflect.DeepEqual(calls, wantCalls) {
		t.Errorf("progress calls = %v, want %v", calls, wantCalls)
	}
}

func TestDirCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Dir(ctx, "testdata/site", Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestDirTextEncodings(t *testing.T) {
	root := t.TempDir()
	u := utf16.Encode([]rune("Wide Title\n\nUTF-16 text é"))
	le := []byte{0xFF, 0xFE}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	writeFile(t, filepath.Join(root, "utf16.txt"), string(le))
	writeFile(t, filepath.Join(root, "bom.md"), "\uFEFF---\ntitle: BOM\n---\nbody")
	writeFile(t, filepath.Join(root, "ctrl.txt"), "Control\n\ntext with a \x01 stray control byte")
	writeFile(t, filepath.Join(root, "noise.txt"), strings.Repeat("\x01\x02\x03a", 50))
	_, warns, _, res := dirRun(t, root, Options{})
	got := map[string]string{}
	for _, d := range res.Docs {
		got[d.ID] = d.Title + "|" + d.Body
	}
	want := map[string]string{
		"utf16.txt": "Wide Title|UTF-16 text é",
		"bom.md":    "BOM|body",
		"ctrl.txt":  "Control|text with a \x01 stray control byte",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("docs = %q, want %q", got, want)
	}
	if wantW := []string{"noise.txt: binary file (mostly control characters); skipped"}; !reflect.DeepEqual(warns, wantW) {
		t.Errorf("warnings = %q, want %q", warns, wantW)
	}
}

func TestWarningString(t *testing.T) {
	tests := []struct {
		w    Warning
		want string
	}{
		{Warning{File: "a/b.jsonl", Line: 7, Reason: "bad"}, "a/b.jsonl:7: bad"},
		{Warning{File: "x.bin", Reason: "binary"}, "x.bin: binary"},
	}
	for _, tt := range tests {
		if got := tt.w.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name string
		r    Result
		want string
	}{
		{"nothing", Result{}, "indexed 0 documents, skipped 0; 0 warnings"},
		{"one of each", Result{Docs: make([]doc.Document, 1), Warnings: make([]Warning, 1), Skipped: 2,
			SkippedBy: map[string]int{SkipTooLarge: 1, SkipDraft: 1}},
			"indexed 1 document, skipped 2: 1 too large, 1 draft; 1 warning"},
		{"plurals and order", Result{Docs: make([]doc.Document, 942), Warnings: make([]Warning, 3), Skipped: 7,
			SkippedBy: map[string]int{SkipDuplicate: 2, SkipDraft: 2, SkipMalformed: 2, SkipBinary: 1}},
			"indexed 942 documents, skipped 7: 2 malformed, 1 binary, 2 drafts, 2 duplicate ids; 3 warnings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Summary(); got != tt.want {
				t.Errorf("Summary() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestJoinURL(t *testing.T) {
	tests := []struct{ base, u, want string }{
		{"", "/a/", "/a/"},
		{"https://x.org", "/a/", "https://x.org/a/"},
		{"https://x.org/docs/", "/", "https://x.org/docs/"},
		{"https://x.org/docs", "f.txt", "https://x.org/docs/f.txt"},
		{"https://x.org", "https://other.org/p", "https://other.org/p"},
		{"https://x.org", "//cdn.org/p", "//cdn.org/p"},
		{"https://x.org", "", ""},
	}
	for _, tt := range tests {
		if got := joinURL(tt.base, tt.u); got != tt.want {
			t.Errorf("joinURL(%q, %q) = %q, want %q", tt.base, tt.u, got, tt.want)
		}
	}
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDirURLsFromFileNames checks that URLs derived from file names are
// percent-encoded: "#", "?", "%", spaces and ":" in a name must not turn
// into a fragment, a query, an escape or a scheme.
func TestDirURLsFromFileNames(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"ha#sh.txt":             "Hash\n\nA hash in the name.",
		"q?uery.txt":            "Query\n\nA question mark in the name.",
		"100%.txt":              "Percent\n\nA percent sign in the name.",
		"x:y.txt":               "Colon\n\nA colon in the name.",
		"a b/c&d.html":          "<title>Space</title><p>A space in the folder name.</p>",
		"dir#1/index.html":      "<title>Index</title><p>An index page.</p>",
		"notes/caf\u00e9 #2.md": "# Cafe\n\nAn accent and a hash.",
	}
	for name, content := range files {
		writeFile(t, filepath.Join(root, name), content)
	}
	_, warns, _, res := dirRun(t, root, Options{})
	got := map[string]string{}
	for _, d := range res.Docs {
		got[d.ID] = d.URL
	}
	want := map[string]string{
		"ha#sh.txt":             "ha%23sh.txt",
		"q?uery.txt":            "q%3Fuery.txt",
		"100%.txt":              "100%25.txt",
		"x:y.txt":               "x%3Ay.txt",
		"a b/c&d.html":          "/a%20b/c&d.html",
		"dir#1/index.html":      "/dir%231/",
		"notes/caf\u00e9 #2.md": "/notes/caf%C3%A9%20%232/",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("urls\n got  %q\n want %q", got, want)
	}
	if len(warns) != 0 {
		t.Errorf("warnings %q, want none", warns)
	}
}

// TestParseFileUnreadable checks that a file that cannot be read is
// reported and counted as unreadable, not as malformed.
func TestParseFileUnreadable(t *testing.T) {
	var res Result
	c := candidate{rel: "gone.txt", path: filepath.Join(t.TempDir(), "gone.txt")}
	if recs := parseFile(c, Options{MaxFileSize: DefaultMaxFileSize}, &res); recs != nil {
		t.Fatalf("got records %v", recs)
	}
	if got, want := res.SkippedBy, map[string]int{"unreadable": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("skipped %v, want %v", got, want)
	}
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0].String(), "gone.txt: cannot read: no such file or directory; skipped") {
		t.Errorf("warnings %v", res.Warnings)
	}
	res.Docs = make([]doc.Document, 2)
	if got, want := res.Summary(), "indexed 2 documents, skipped 1: 1 unreadable; 1 warning"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

// TestDirSpecialFiles checks that a named pipe or socket that would be
// read (its name has a supported extension) is reported and counted as
// skipped, so that -strict fails; one with another name is ignored like
// any file Quarry does not read.
func TestDirSpecialFiles(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "a.txt"), "A\n\ntext a")
	for _, name := range []string{"pipe.txt", "pipe"} {
		if err := syscall.Mkfifo(filepath.Join(root, name), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	wantWarns := []string{"pipe.txt: not a regular file (named pipe); skipped"}
	// A socket's path must be short (108 bytes): make it from the root.
	if l, err := net.Listen("unix", filepath.Join(root, "s.md")); err == nil {
		defer l.Close()
		wantWarns = append(wantWarns, "s.md: not a regular file (socket); skipped")
	}
	ids, warns, summary, res := dirRun(t, root, Options{})
	if !reflect.DeepEqual(ids, []string{"a.txt"}) || !reflect.DeepEqual(warns, wantWarns) {
		t.Errorf("got ids %q warnings %q, want [a.txt] and %q", ids, warns, wantWarns)
	}
	if res.Skipped != len(wantWarns) || !strings.Contains(summary, "not a regular file") {
		t.Errorf("summary %q, want %d skipped as not a regular file", summary, len(wantWarns))
	}
}

func TestDirSkipsOutputs(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "a.txt"), "A\n\ntext a")
	writeFile(t, filepath.Join(root, "out", "b.txt"), "B\n\ncopy of b")
	writeFile(t, filepath.Join(root, "keep", "c.txt"), "C\n\ntext c")
	writeFile(t, filepath.Join(root, "demo.html"), "<title>Demo</title><p>the single file</p>")
	var asked []string
	isOutput := func(p string, dir bool) bool {
		rel, _ := filepath.Rel(root, p)
		asked = append(asked, fmt.Sprintf("%s %v", filepath.ToSlash(rel), dir))
		return rel == "out" || rel == "demo.html"
	}
	ids, _, _, _ := dirRun(t, root, Options{IsOutput: isOutput})
	if want := []string{"a.txt", "keep/c.txt"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids %q, want %q", ids, want)
	}
	if want := []string{"a.txt false", "demo.html false", "keep true", "keep/c.txt false", "out true"}; !reflect.DeepEqual(asked, want) {
		t.Errorf("asked about %q, want %q", asked, want)
	}
}
