package site

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html"

	"github.com/quarry-search/quarry/internal/assets"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/web"
)

// fakeEngine stands in for the embedded engine, which `go test` does not
// have before `make build`.
func fakeEngine(t *testing.T) {
	t.Helper()
	old := loadEngine
	wasm := append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("engine code "), 200)...)
	loadEngine = func(string) (*assets.Engine, error) {
		return &assets.Engine{WASM: wasm, WasmExec: []byte("// wasm_exec.js </script> <!-- x\nclass Go {}\n")}, nil
	}
	t.Cleanup(func() { loadEngine = old })
}

func testOptions(t *testing.T) Options {
	t.Helper()
	corpus := t.TempDir()
	os.MkdirAll(filepath.Join(corpus, "sub"), 0o755)
	os.WriteFile(filepath.Join(corpus, "a.txt"), []byte("Alpha\n\nAbout alpha."), 0o644)
	os.WriteFile(filepath.Join(corpus, "sub", "b.txt"), []byte("Beta\n\nAbout beta."), 0o644)
	return Options{
		Version:   "9.9.9",
		Title:     `Docs & "things" <b>`,
		CorpusDir: corpus,
		Docs: []doc.Document{
			{ID: "a.txt", URL: "a.txt", Title: "Alpha"},
			{ID: "sub/b.txt", URL: "sub/b.txt", Title: "Beta"},
			{ID: "page.md", URL: "/page/", Title: "Not copied"},
			{ID: "rec-1", URL: "https://example.org/1", Title: "A record"},
		},
	}
}

var testIndex = makeIndex(4, 500, "index bytes")

// makeIndex returns an encoded index of docs documents with text of
// textSize bytes each, one term per document (word and its number), so
// that different words make different indexes.
func makeIndex(docs, textSize int, word string) *indexfile.Encoded {
	idx := &indexfile.Index{Language: "english", Generator: "test"}
	body := indexfile.Field{Name: "body", Positions: true, Lengths: make([]uint32, docs), ExpandMinDF: 1}
	for i := 0; i < docs; i++ {
		text := strings.Repeat(fmt.Sprintf("document %d ", i), textSize)[:textSize]
		idx.Docs = append(idx.Docs, indexfile.Doc{ID: fmt.Sprint(i), Body: text})
		body.Lengths[i] = 1
		body.Terms = append(body.Terms, indexfile.Term{Text: fmt.Sprintf("%s%06d", word, i),
			Docs: []uint32{uint32(i)}, Freqs: []uint32{1}, Pos: [][]uint32{{1}}})
	}
	idx.Fields = []indexfile.Field{body}
	idx.Entities = []indexfile.EntityMeta{{Name: "Ada Lovelace", Type: "person", Aliases: []string{"Lovelace"}, Docs: []string{"0"}}}
	enc, err := indexfile.EncodeIndex(idx, indexfile.Options{PartSize: 1 << 10})
	if err != nil {
		panic(err)
	}
	return enc
}

func readManifest(t *testing.T, out string) Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, AssetDir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWriteBundle(t *testing.T) {
	fakeEngine(t)
	out := filepath.Join(t.TempDir(), "site")
	opts := testOptions(t)
	w, err := WriteBundle(out, testIndex, opts)
	if err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, out)
	if !reflect.DeepEqual(m, w.Manifest) || m.Version != "9.9.9" || m.Docs != 4 || m.CSS != "quarry.css" {
		t.Fatalf("manifest %+v, returned %+v", m, w.Manifest)
	}
	hashed := regexp.MustCompile(`^(quarry|worker)\.[0-9a-f]{12}\.(idx|wasm|js)$`)
	for _, name := range []string{m.Index, m.WASM, m.Worker} {
		if !hashed.MatchString(name) {
			t.Errorf("%q is not a content-hashed name", name)
		}
		if !fileExists(filepath.Join(out, AssetDir, name)) {
			t.Errorf("%s missing", name)
		}
	}
	// The worker carries Go's wasm_exec.js ahead of its own code: one
	// script, no wasm_exec file beside it.
	worker, _ := os.ReadFile(filepath.Join(out, AssetDir, m.Worker))
	if exec, own := bytes.Index(worker, []byte("class Go {}")), bytes.Index(worker, []byte("Quarry search worker")); exec < 0 || own < exec {
		t.Errorf("worker script: wasm_exec.js at %d, worker.js at %d; want both, wasm_exec.js first", exec, own)
	}
	if names, _ := filepath.Glob(filepath.Join(out, AssetDir, "wasm_exec*")); len(names) > 0 {
		t.Errorf("wasm_exec.js written beside the worker: %v", names)
	}
	// quarry.js names the bundle's engine and worker files, so that it
	// starts both without waiting for the manifest.
	js, _ := os.ReadFile(filepath.Join(out, AssetDir, "quarry.js"))
	if want := `const ENGINE = {"wasm":"` + m.WASM + `","worker":"` + m.Worker + `"};`; !bytes.Contains(js, []byte(want)) || bytes.Contains(js, []byte(engineMark)) {
		t.Errorf("bundle's quarry.js lacks %s", want)
	}
	idx, _ := os.ReadFile(filepath.Join(out, AssetDir, m.Index))
	if want := testIndex.Whole(); !bytes.Equal(idx, want) {
		t.Error("index bytes differ from the index shipped whole")
	}
	for _, name := range []string{"index.html", "quarry/quarry.js", "quarry/quarry.css", "a.txt", "sub/b.txt"} {
		if !fileExists(filepath.Join(out, filepath.FromSlash(name))) {
			t.Errorf("%s missing", name)
		}
	}
	if w.Copies != 2 || fileExists(filepath.Join(out, "page.md")) {
		t.Errorf("copied %d documents, want the 2 text ones", w.Copies)
	}
	// Big files have .br and .gz siblings that decode to the original.
	for _, name := range []string{m.WASM, m.Index, "quarry.js"} {
		p := filepath.Join(out, AssetDir, name)
		orig, _ := os.ReadFile(p)
		br, err := os.ReadFile(p + ".br")
		if err != nil {
			t.Fatalf("%s.br: %v", name, err)
		}
		if got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); err != nil || !bytes.Equal(got, orig) {
			t.Errorf("%s.br does not decode to %s: %v", name, name, err)
		}
		gz, err := os.ReadFile(p + ".gz")
		if err != nil {
			t.Fatalf("%s.gz: %v", name, err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, orig) {
			t.Errorf("%s.gz does not decode to %s: %v", name, name, err)
		}
	}
	if fileExists(filepath.Join(out, AssetDir, "quarry.json.br")) {
		t.Error("a file under 1 kB got a .br sibling")
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	for _, want := range []string{
		`<title>Docs &amp; &#34;things&#34; &lt;b&gt;</title>`,
		`<script type="module" src="quarry/quarry.js"></script>`,
		`<quarry-search index="quarry/"`,
		"4 documents",
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if regexp.MustCompile(`<script(?: type="module")?>`).Match(page) || bytes.Contains(page, []byte("<style")) {
		t.Error("index.html has an inline script or style (breaks under a strict CSP)")
	}
	if got, err := IndexPath(out); err != nil || got != filepath.Join(out, AssetDir, m.Index) {
		t.Errorf("IndexPath(out) = %q, %v", got, err)
	}
}

func TestRebuildReplacesAtomically(t *testing.T) {
	fakeEngine(t)
	out := filepath.Join(t.TempDir(), "site")
	opts := testOptions(t)
	if _, err := WriteBundle(out, testIndex, opts); err != nil {
		t.Fatal(err)
	}
	old := readManifest(t, out)
	newIndex := makeIndex(4, 10, "changed")
	if _, err := WriteBundle(out, newIndex, opts); err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, out)
	if m.Index == old.Index {
		t.Fatal("new index kept the old name")
	}
	if fileExists(filepath.Join(out, AssetDir, old.Index)) {
		t.Error("old index file left in the new bundle")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("temporary folders left beside the bundle: %v", names)
	}

	// A failing build (engine missing) leaves the bundle as it was.
	loadEngine = func(string) (*assets.Engine, error) { return nil, assets.ErrNoWASM }
	_, err := WriteBundle(out, testIndex, opts)
	if !errors.Is(err, assets.ErrNoWASM) || !strings.Contains(err.Error(), "build with make build") {
		t.Fatalf("error %v, want ErrNoWASM with its advice", err)
	}
	if !reflect.DeepEqual(readManifest(t, out), m) {
		t.Error("failed build changed the bundle")
	}
	// A copy failure midway (a text document vanished) also leaves it.
	fakeEngine(t)
	os.Remove(filepath.Join(opts.CorpusDir, "sub", "b.txt"))
	if _, err := WriteBundle(out, makeIndex(4, 10, "other"), opts); err == nil || !strings.Contains(err.Error(), "sub/b.txt") {
		t.Fatalf("error %v, want one naming sub/b.txt", err)
	}
	if !reflect.DeepEqual(readManifest(t, out), m) || !fileExists(filepath.Join(out, "sub", "b.txt")) {
		t.Error("failed build changed the bundle")
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("failed build left %d entries beside the bundle", len(entries))
	}
}

func TestRefusesForeignFolders(t *testing.T) {
	fakeEngine(t)
	opts := testOptions(t)
	tests := []struct {
		name  string
		setup func(dir string)
		want  string // in the error; "": written
	}{
		{"empty folder", func(string) {}, ""},
		{"a folder of the user's", func(dir string) {
			os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("precious"), 0o644)
		}, "holds 1 file Quarry did not write (thesis.tex) and no quarry/files.json listing Quarry's files"},
		// Quarry cannot prove it wrote a folder of the layout before
		// bundles: it is refused too.
		{"the layout before bundles", func(dir string) {
			os.WriteFile(filepath.Join(dir, "quarry.idx"), testIndex.Whole(), 0o644)
		}, "Quarry did not write (quarry.idx)"},
		{"a file", nil, "is not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.setup == nil {
				dir = filepath.Join(dir, "file")
				os.WriteFile(dir, []byte("x"), 0o644)
			} else {
				tt.setup(dir)
			}
			before := snapshot(t, filepath.Dir(dir))
			_, err := WriteBundle(dir, testIndex, opts)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if after := snapshot(t, filepath.Dir(dir)); !reflect.DeepEqual(before, after) {
				t.Errorf("refused build changed the files:\n%v\n%v", before, after)
			}
		})
	}
	if _, err := WriteBundle(opts.CorpusDir, testIndex, opts); err == nil || !strings.Contains(err.Error(), "contains the corpus") {
		t.Fatalf("writing into the corpus: error %v", err)
	}
}

// snapshot maps every entry under dir to its content ("/" for folders).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel] = "/"
			return nil
		}
		b, _ := os.ReadFile(p)
		out[rel] = string(b)
		return nil
	})
	return out
}

func TestIndexOnly(t *testing.T) {
	loadEngine = func(string) (*assets.Engine, error) {
		t.Fatal("engine loaded for an index-only bundle")
		return nil, nil
	}
	t.Cleanup(func() { loadEngine = assets.LoadEngine })
	out := filepath.Join(t.TempDir(), "site")
	opts := testOptions(t)
	opts.IndexOnly = true
	if _, err := WriteBundle(out, testIndex, opts); err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, out)
	if m.WASM != "" || fileExists(filepath.Join(out, "index.html")) {
		t.Errorf("index-only bundle has web files: %+v", m)
	}
	if p, err := IndexPath(out); err != nil || !fileExists(p) {
		t.Errorf("IndexPath = %q, %v", p, err)
	}
}

func TestIndexPath(t *testing.T) {
	dir := t.TempDir()
	legacy := filepath.Join(dir, "legacy")
	os.Mkdir(legacy, 0o755)
	os.WriteFile(filepath.Join(legacy, "quarry.idx"), testIndex.Whole(), 0o644)
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(filepath.Join(bad, AssetDir), 0o755)
	os.WriteFile(filepath.Join(bad, AssetDir, ManifestFile), []byte(`{"index":"../../etc/passwd"}`), 0o644)
	tests := []struct {
		in, want, err string
	}{
		{legacy, filepath.Join(legacy, "quarry.idx"), ""},
		{filepath.Join(legacy, "quarry.idx"), filepath.Join(legacy, "quarry.idx"), ""},
		{bad, "", "no valid index name"},
		{dir, "", "no Quarry bundle"},
		{filepath.Join(dir, "missing"), "", "no such file"},
	}
	for _, tt := range tests {
		got, err := IndexPath(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("IndexPath(%s) = %q, %v; want %q, error with %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestSingleFile(t *testing.T) {
	fakeEngine(t)
	opts := testOptions(t)
	p := filepath.Join(t.TempDir(), "demo.html")
	if err := WriteSingleFile(p, testIndex, opts); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(p)
	s := string(page)
	if strings.Contains(s, `src="quarry/`) || strings.Contains(s, `href="quarry/`) {
		t.Error("single file refers to bundle files")
	}
	// As a browser parses it: six script elements (manifest, module,
	// worker code, engine, index, text documents) and one style, none cut
	// short.
	var scripts, styles int
	z := html.NewTokenizer(bytes.NewReader(page))
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if tt == html.StartTagToken {
			switch name, _ := z.TagName(); string(name) {
			case "script":
				scripts++
			case "style":
				styles++
			}
		}
	}
	if scripts != 6 || styles != 1 {
		t.Errorf("page parses into %d scripts and %d styles, want 6 and 1", scripts, styles)
	}
	if !strings.Contains(s, `<\/script> <\!-- x`) {
		t.Error("inlined code was not escaped")
	}
	m := regexp.MustCompile(`<script type="application/json" id="quarry-manifest">(.*?)</script>`).FindStringSubmatch(s)
	if m == nil {
		t.Fatal("no inline manifest")
	}
	var man Manifest
	if err := json.Unmarshal([]byte(m[1]), &man); err != nil || man.Index != "#quarry-index" || man.WASM != "#quarry-wasm" {
		t.Fatalf("manifest %s: %v", m[1], err)
	}
	idx := regexp.MustCompile(`<script type="application/octet-stream" id="quarry-index" data-encoding="gzip">([A-Za-z0-9+/=]+)</script>`).FindStringSubmatch(s)
	if idx == nil {
		t.Fatal("no inline index")
	}
	gz, err := base64.StdEncoding.DecodeString(idx[1])
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, testIndex.Whole()) {
		t.Error("inline index does not decode to the index shipped whole")
	}
	if !strings.Contains(s, `<quarry-search index="#quarry-manifest"`) {
		t.Error("widget does not point at the inline manifest")
	}
	// The plain-text documents travel inside, with their titles: nothing
	// sits beside a single file to link to.
	if man.DocText != "#quarry-docs" {
		t.Fatalf("manifest doc_text %q, want #quarry-docs", man.DocText)
	}
	docs := regexp.MustCompile(`<script type="application/octet-stream" id="quarry-docs" data-encoding="gzip">([A-Za-z0-9+/=]+)</script>`).FindStringSubmatch(s)
	if docs == nil {
		t.Fatal("no inline documents")
	}
	gz, _ = base64.StdEncoding.DecodeString(docs[1])
	zr, err = gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string][2]string
	if b, _ := io.ReadAll(zr); json.Unmarshal(b, &got) != nil {
		t.Fatalf("inline documents are not JSON: %s", b)
	}
	want := map[string][2]string{"a.txt": {"Alpha", "Alpha\n\nAbout alpha."}, "sub/b.txt": {"Beta", "Beta\n\nAbout beta."}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("inline documents: got %q, want %q", got, want)
	}
}

// A second single-file build never exposes a half-written page: the new
// page is written beside it and renamed over it, so a reader that opened
// the old page reads it whole, a reader at any moment of the build finds
// one complete page or the other, and the old file is never written to.
func TestSingleFileRebuildIsAtomic(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("renaming over an open file is refused on Windows")
	}
	fakeEngine(t)
	opts := testOptions(t)
	p := filepath.Join(t.TempDir(), "demo.html")
	if err := WriteSingleFile(p, testIndex, opts); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(p)
	old, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	before, _ := old.Stat()

	// Readers poll the page while the second build writes it.
	stop := make(chan struct{})
	bad := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if data, err := os.ReadFile(p); err != nil || !isSingleFile(data) {
				select {
				case bad <- fmt.Sprintf("%d bytes, %v", len(data), err):
				default:
				}
				return
			}
		}
	}()
	opts.Title = "Second build"
	err = WriteSingleFile(p, testIndex, opts)
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-bad:
		t.Errorf("a reader found an incomplete page during the rebuild: %s", got)
	default:
	}

	second, _ := os.ReadFile(p)
	if bytes.Equal(first, second) || !isSingleFile(second) || !strings.Contains(string(second), "Second build") {
		t.Fatalf("the rebuilt page is not the second build's (%d bytes)", len(second))
	}
	after, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(before, after) {
		t.Error("the page was written in place: the file at its path is still the one opened before the build")
	}
	if got, _ := io.ReadAll(old); !bytes.Equal(got, first) {
		t.Errorf("a reader of the old page got %d bytes changed under it, want the old page whole (%d bytes)", len(got), len(first))
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("files beside the page after the build: %v", entries)
	}
}

func TestEscapeRawText(t *testing.T) {
	tests := []struct{ in, tag, want string }{
		{`a("</script>")`, "script", `a("<\/script>")`},
		{`x </SCRIPT y`, "script", `x <\/SCRIPT y`},
		{`// <!-- old`, "script", `// <\!-- old`},
		{`a { content: "</style>" }`, "style", `a { content: "<\/style>" }`},
		{`plain`, "script", `plain`},
	}
	for _, tt := range tests {
		if got := escapeRawText(tt.in, tt.tag); got != tt.want {
			t.Errorf("escapeRawText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIndexFilesInBundle(t *testing.T) {
	tests := []struct {
		name      string
		docs      int
		textSize  int
		wantFiles bool
	}{
		{"a small index ships whole", 4, 100, false},
		{"a large index ships as a head and files", 200, 2000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fakeEngine(t)
			out := filepath.Join(t.TempDir(), "site")
			opts := testOptions(t)
			index := makeIndex(tt.docs, tt.textSize, "seg")
			w, err := WriteBundle(out, index, opts)
			if err != nil {
				t.Fatal(err)
			}
			m := readManifest(t, out)
			idx, err := os.ReadFile(filepath.Join(out, AssetDir, m.Index))
			if err != nil {
				t.Fatal(err)
			}
			h, err := indexfile.Decode(idx)
			if err != nil {
				t.Fatalf("bundle index: %v", err)
			}
			if got := h.Inline() == nil; got != tt.wantFiles || (m.Files > 0) != tt.wantFiles || m.Files != w.Manifest.Files {
				t.Fatalf("index without its files %v, manifest counts %d files (returned %d); want separate files %v", got, m.Files, w.Manifest.Files, tt.wantFiles)
			}
			if !tt.wantFiles {
				if !bytes.Equal(idx, index.Whole()) {
					t.Error("whole index differs from the one built")
				}
				return
			}
			names := h.FileNames()
			if rest := h.Rest(); rest == "" {
				t.Error("no rest bundle for a small index in parts")
			} else {
				names = append(names, rest)
			}
			if len(names) != m.Files || len(h.Parts) < 2 {
				t.Fatalf("manifest counts %d files, head lists %d (%d parts)", m.Files, len(names), len(h.Parts))
			}
			files := map[string][]byte{}
			for _, name := range names {

				p := filepath.Join(out, AssetDir, name)
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				files[name] = data
				if !fileExists(p+".br") && worthCompressing(name, len(data)) {
					t.Errorf("%s has no .br sibling", name)
				}
				if got := CacheControl(name); !strings.Contains(got, "immutable") {
					t.Errorf("Cache-Control of %s = %q, want immutable", name, got)
				}
			}
			// The rest bundle holds the head's parts and text files again.
			if parts, texts, err := h.SplitRest(files[h.Rest()]); err != nil || len(parts) != len(h.Parts) || len(texts) != len(h.Texts) || !bytes.Equal(texts[0], files[h.Texts[0].Name]) {
				t.Errorf("rest bundle %s: %v", h.Rest(), err)
			}
			// Joined again, the files verify against the head and give
			// back the index built.
			whole, err := indexfile.Inline(idx, files)
			if err != nil || !bytes.Equal(whole, index.Whole()) {
				t.Errorf("head and files inlined: %v, equal to the index built: %v", err, bytes.Equal(whole, index.Whole()))
			}
		})
	}
}

// TestEngineScriptsPrecompressed: `make build` precompresses the scripts
// a bundle of the default engine ships, so that a build copies them.
func TestEngineScriptsPrecompressed(t *testing.T) {
	eng, err := assets.LoadEngine("")
	if errors.Is(err, assets.ErrNoWASM) {
		t.Skip("engine not built (make build)")
	}
	if err != nil {
		t.Fatal(err)
	}
	js, worker, err := EngineScripts(eng)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{web.ScriptFile: js, web.WorkerFile: worker} {
		if br, gz := assets.WebCompressed(name, data); br == nil || gz == nil {
			t.Errorf("%s: no precompressed forms match the bundle's copy (run make build)", name)
		}
	}
}
