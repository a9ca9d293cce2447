package assets

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"

	"github.com/quarry-search/quarry/web"
)

func compress(t *testing.T, data []byte) (br, gz []byte) {
	t.Helper()
	var b, g bytes.Buffer
	bw := brotli.NewWriter(&b)
	bw.Write(data)
	bw.Close()
	gw := gzip.NewWriter(&g)
	gw.Write(data)
	gw.Close()
	return b.Bytes(), g.Bytes()
}

func TestLoadEngine(t *testing.T) {
	wasm := []byte("\x00asm\x01\x00\x00\x00 the engine")
	br, gz := compress(t, wasm)
	staleBr, staleGz := compress(t, []byte("\x00asm an older engine"))
	exec := &fstest.MapFile{Data: []byte("class Go {}")}
	tests := []struct {
		name   string
		fs     fstest.MapFS
		err    string
		wantBr bool
		wantGz bool
	}{
		{"placeholder only", fstest.MapFS{"files/README.md": {Data: []byte("#")}}, "quarry.wasm not embedded: build with make build", false, false},
		{"not wasm", fstest.MapFS{"files/quarry.wasm": {Data: []byte("<html>")}, "files/wasm_exec.js": exec}, "not a WebAssembly module", false, false},
		{"no wasm_exec", fstest.MapFS{"files/quarry.wasm": {Data: wasm}}, "wasm_exec.js missing", false, false},
		{"without precompressed", fstest.MapFS{"files/quarry.wasm": {Data: wasm}, "files/wasm_exec.js": exec}, "", false, false},
		{"precompressed", fstest.MapFS{"files/quarry.wasm": {Data: wasm}, "files/wasm_exec.js": exec,
			"files/quarry.wasm.br": {Data: br}, "files/quarry.wasm.gz": {Data: gz}}, "", true, true},
		{"stale precompressed ignored", fstest.MapFS{"files/quarry.wasm": {Data: wasm}, "files/wasm_exec.js": exec,
			"files/quarry.wasm.br": {Data: staleBr}, "files/quarry.wasm.gz": {Data: staleGz}}, "", false, false},
		{"garbage precompressed ignored", fstest.MapFS{"files/quarry.wasm": {Data: wasm}, "files/wasm_exec.js": exec,
			"files/quarry.wasm.br": {Data: []byte("junk")}, "files/quarry.wasm.gz": {Data: []byte("junk")}}, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := loadEngine(tt.fs, "files/", "")
			if tt.err != "" {
				if err == nil || !errors.Is(err, ErrNoWASM) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want ErrNoWASM mentioning %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(e.WASM, wasm) || string(e.WasmExec) != "class Go {}" {
				t.Errorf("engine = %q / %q", e.WASM, e.WasmExec)
			}
			if (e.Brotli != nil) != tt.wantBr || (e.Gzip != nil) != tt.wantGz {
				t.Errorf("brotli %v gzip %v, want %v %v", e.Brotli != nil, e.Gzip != nil, tt.wantBr, tt.wantGz)
			}
		})
	}
}

func TestLoadLanguageEngine(t *testing.T) {
	wasm := []byte("\x00asm\x01\x00\x00\x00 the french engine")
	br, _ := compress(t, wasm)
	exec := &fstest.MapFile{Data: []byte("class Go {}")}
	tests := []struct {
		name string
		fs   fstest.MapFS
		lang string
		err  string
	}{
		{"french", fstest.MapFS{"files/quarry.french.wasm.br": {Data: br}, "files/wasm_exec.js": exec}, "french", ""},
		{"missing language", fstest.MapFS{"files/quarry.wasm": {Data: wasm}, "files/wasm_exec.js": exec}, "french", "quarry.french.wasm missing"},
		{"not brotli", fstest.MapFS{"files/quarry.french.wasm.br": {Data: wasm}, "files/wasm_exec.js": exec}, "french", "not a compressed WebAssembly module"},
		{"english is the default file", fstest.MapFS{"files/quarry.wasm": {Data: wasm}, "files/wasm_exec.js": exec}, "english", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := loadEngine(tt.fs, "files/", tt.lang)
			if tt.err != "" {
				if !errors.Is(err, ErrNoWASM) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want ErrNoWASM mentioning %q", err, tt.err)
				}
				return
			}
			if err != nil || !bytes.Equal(e.WASM, wasm) {
				t.Fatalf("engine %q, err %v", e.WASM, err)
			}
			if tt.lang == "french" && !bytes.Equal(e.Brotli, br) {
				t.Errorf("brotli form not kept")
			}
		})
	}
}

// TestEmbedded checks what this binary embeds: the web files always, the
// engine only after make build (then it must be complete and consistent).
func TestEmbedded(t *testing.T) {
	for _, name := range []string{web.ScriptFile, web.StyleFile, web.WorkerFile, web.PageTemplate} {
		if b, err := Web(name); err != nil || len(b) == 0 {
			t.Errorf("web file %s: %v", name, err)
		}
	}
	if _, err := Web("nope.js"); err == nil {
		t.Error("Web(nope.js) succeeded")
	}
	e, err := LoadEngine("")
	if errors.Is(err, ErrNoWASM) {
		t.Skip("engine not built (run make build); only the web files were checked")
	}
	if err != nil {
		t.Fatal(err)
	}
	if e.Brotli == nil || e.Gzip == nil {
		t.Error("engine embedded without matching precompressed copies: run make build")
	}
	if !bytes.Contains(e.WasmExec, []byte("globalThis.Go = class")) {
		t.Error("wasm_exec.js does not define Go")
	}
	// Every other language has its own engine.
	for _, lang := range []string{"french", "spanish", "russian", "swedish", "norwegian", "hungarian"} {
		if e, err := LoadEngine(lang); err != nil || len(e.WASM) == 0 {
			t.Errorf("engine for %s: %v", lang, err)
		}
	}
}

// TestPrecompressed: a precompressed form is trusted when the sums the
// precompress command wrote vouch for it and for the file it was made
// from; a stale or altered one, or one without sums, is not.
func TestPrecompressed(t *testing.T) {
	data := []byte("console.log('quarry')")
	br, gz := []byte("brotli form"), []byte("gzip form")
	sum := func(b []byte) string { return sha256Hex(b) }
	sums := func(src []byte) []byte {
		return []byte(sum(src) + "  a.js\n" + sum(br) + "  a.js.br\n" + sum(gz) + "  a.js.gz\n")
	}
	tests := []struct {
		name           string
		fsys           fstest.MapFS
		wantBr, wantGz bool
	}{
		{"vouched for", fstest.MapFS{"f/a.js.br": {Data: br}, "f/a.js.gz": {Data: gz}, "f/a.js.sums": {Data: sums(data)}}, true, true},
		{"file changed since", fstest.MapFS{"f/a.js.br": {Data: br}, "f/a.js.gz": {Data: gz}, "f/a.js.sums": {Data: sums([]byte("old"))}}, false, false},
		{"form altered", fstest.MapFS{"f/a.js.br": {Data: []byte("other")}, "f/a.js.gz": {Data: gz}, "f/a.js.sums": {Data: sums(data)}}, false, true},
		{"form missing", fstest.MapFS{"f/a.js.gz": {Data: gz}, "f/a.js.sums": {Data: sums(data)}}, false, true},
		{"form not listed", fstest.MapFS{"f/a.js.br": {Data: br}, "f/a.js.gz": {Data: gz}, "f/a.js.sums": {Data: []byte(sum(data) + "  a.js\n")}}, false, false},
		{"no sums", fstest.MapFS{"f/a.js.br": {Data: br}, "f/a.js.gz": {Data: gz}}, false, false},
		{"garbage sums", fstest.MapFS{"f/a.js.br": {Data: br}, "f/a.js.sums": {Data: []byte("nonsense")}}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotBr, gotGz := Precompressed(tt.fsys, "f/", "a.js", data)
			if (gotBr != nil) != tt.wantBr || (gotGz != nil) != tt.wantGz {
				t.Errorf("br %q gz %q, want br %v gz %v", gotBr, gotGz, tt.wantBr, tt.wantGz)
			}
		})
	}
}

func TestWorkerScript(t *testing.T) {
	worker, err := Web(web.WorkerFile)
	if err != nil {
		t.Fatal(err)
	}
	exec := []byte("globalThis.Go = class {} // no statement end")
	got, err := WorkerScript(&Engine{WasmExec: exec})
	if err != nil {
		t.Fatal(err)
	}
	want := string(exec) + "\n;\n" + string(worker)
	if string(got) != want {
		t.Errorf("WorkerScript = %d bytes starting %.60q, want wasm_exec.js, a statement end, then worker.js (%d bytes)", len(got), got, len(want))
	}
}
