// Package assets gathers every file a Quarry site bundle ships: the
// WebAssembly engine, its brotli and gzip forms and Go's wasm_exec.js,
// embedded from files/ (written by `make build`, not kept in git), and the
// web component, stylesheet, worker and demo page template, embedded by
// package web.
//
// A quarry binary built without `make build` (plain `go build` or `go
// test`) has no engine embedded; Engine then returns ErrNoWASM and no
// bundle can be written.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"

	"github.com/quarry-search/quarry/web"
)

//go:embed files
var files embed.FS

// Names of the engine files inside files/. The engine for English is
// WASMFile with its brotli and gzip forms; the engine for another
// language L (each links only its own stemmer: the six other Snowball
// stemmers together cost 66 kB of brotli) is "quarry.L.wasm", embedded
// in brotli only to keep the quarry binary small.
const (
	WASMFile     = "quarry.wasm"
	WasmExecFile = "wasm_exec.js"
	// DefaultLanguage is the language of the engine in WASMFile.
	DefaultLanguage = "english"
)

// LanguageFile returns the name of the engine file for lang.
func LanguageFile(lang string) string {
	if lang == "" || lang == DefaultLanguage {
		return WASMFile
	}
	return "quarry." + lang + ".wasm"
}

// ErrNoWASM is returned when the binary was built without the engine.
var ErrNoWASM = errors.New("quarry.wasm not embedded: build with make build")

// Engine is the WebAssembly engine and its runtime support script.
type Engine struct {
	// WASM is the engine binary.
	WASM []byte
	// Brotli and Gzip are WASM precompressed at build time, or nil when
	// they are missing or do not match WASM (then the caller compresses).
	Brotli, Gzip []byte
	// WasmExec is Go's wasm_exec.js, matching the Go that built WASM.
	WasmExec []byte
}

// LoadEngine returns the embedded engine for an index language (a name
// such as "english"), or an error wrapping ErrNoWASM. It is loaded (and
// its precompressed copies checked) once per process: the Engine
// returned is shared and must not be modified.
func LoadEngine(lang string) (*Engine, error) {
	load, _ := engines.LoadOrStore(LanguageFile(lang), sync.OnceValues(func() (*Engine, error) {
		return loadEngine(files, "files/", lang)
	}))
	return load.(func() (*Engine, error))()
}

// engines holds LoadEngine's loaders by engine file name.
var engines sync.Map

// PreloadEngine starts loading the engine for lang in the background
// (checking its precompressed copies decodes 8 MB, ~0.2 s), so that a
// build can do it while it reads the corpus.
func PreloadEngine(lang string) { go LoadEngine(lang) }

func loadEngine(fsys fs.FS, dir, lang string) (*Engine, error) {
	if name := LanguageFile(lang); name != WASMFile {
		return loadBrotliEngine(fsys, dir, name)
	}
	wasm, err := fs.ReadFile(fsys, dir+WASMFile)
	if err != nil || len(wasm) == 0 {
		return nil, ErrNoWASM
	}
	if !bytes.HasPrefix(wasm, []byte("\x00asm")) {
		return nil, fmt.Errorf("%w (%s is not a WebAssembly module)", ErrNoWASM, WASMFile)
	}
	exec, err := fs.ReadFile(fsys, dir+WasmExecFile)
	if err != nil {
		return nil, fmt.Errorf("%w (%s missing)", ErrNoWASM, WasmExecFile)
	}
	e := &Engine{WASM: wasm, WasmExec: exec}
	// A precompressed copy is used only if it was made from exactly WASM,
	// so a stale one (the engine rebuilt without precompress) is never
	// shipped: its sums say so (milliseconds), else it must decode to
	// WASM (a quarter of a second).
	e.Brotli, e.Gzip = Precompressed(fsys, dir, WASMFile, wasm)
	if e.Brotli == nil {
		if br, err := fs.ReadFile(fsys, dir+WASMFile+".br"); err == nil && decodes(brotli.NewReader(bytes.NewReader(br)), wasm) {
			e.Brotli = br
		}
	}
	if e.Gzip == nil {
		if gz, err := fs.ReadFile(fsys, dir+WASMFile+".gz"); err == nil {
			if zr, err := gzip.NewReader(bytes.NewReader(gz)); err == nil && decodes(zr, wasm) {
				e.Gzip = gz
			}
		}
	}
	return e, nil
}

// Precompressed returns the brotli and gzip forms of data embedded in
// fsys as dir+name+".br" and ".gz" that the precompress command made
// from data: its dir+name+".sums" lists the SHA-256 of data and of each
// form. A form that is missing, or that the sums do not vouch for, is nil.
func Precompressed(fsys fs.FS, dir, name string, data []byte) (br, gz []byte) {
	sums, err := fs.ReadFile(fsys, dir+name+".sums")
	if err != nil {
		return nil, nil
	}
	want := map[string]string{}
	for _, line := range strings.Split(string(sums), "\n") {
		if sum, file, ok := strings.Cut(line, "  "); ok {
			want[file] = sum
		}
	}
	if want[name] == "" || want[name] != sha256Hex(data) {
		return nil, nil
	}
	form := func(suffix string) []byte {
		b, err := fs.ReadFile(fsys, dir+name+suffix)
		if err != nil || want[name+suffix] == "" || want[name+suffix] != sha256Hex(b) {
			return nil
		}
		return b
	}
	return form(".br"), form(".gz")
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// WebCompressed returns the brotli and gzip forms (nil when absent or
// stale) of a web file (Web) or of wasm_exec.js (WasmExecFile) with
// content data, precompressed by `make build` into files/.
func WebCompressed(name string, data []byte) (br, gz []byte) {
	return Precompressed(files, "files/", name, data)
}

// loadBrotliEngine reads an engine embedded in brotli only.
func loadBrotliEngine(fsys fs.FS, dir, name string) (*Engine, error) {
	br, err := fs.ReadFile(fsys, dir+name+".br")
	if err != nil {
		return nil, fmt.Errorf("%w (%s missing)", ErrNoWASM, name)
	}
	wasm, err := io.ReadAll(io.LimitReader(brotli.NewReader(bytes.NewReader(br)), maxEngine+1))
	if err != nil || len(wasm) > maxEngine || !bytes.HasPrefix(wasm, []byte("\x00asm")) {
		return nil, fmt.Errorf("%w (%s.br is not a compressed WebAssembly module)", ErrNoWASM, name)
	}
	exec, err := fs.ReadFile(fsys, dir+WasmExecFile)
	if err != nil {
		return nil, fmt.Errorf("%w (%s missing)", ErrNoWASM, WasmExecFile)
	}
	return &Engine{WASM: wasm, Brotli: br, WasmExec: exec}, nil
}

// maxEngine bounds a decompressed engine (they are about 3 MB).
const maxEngine = 64 << 20

func decodes(r io.Reader, want []byte) bool {
	got, err := io.ReadAll(io.LimitReader(r, int64(len(want))+1))
	return err == nil && bytes.Equal(got, want)
}

// WorkerScript is the worker as shipped: Go's wasm_exec.js (eng.WasmExec)
// followed by package web's worker.js, one script. Served as two files,
// the worker loaded wasm_exec.js with importScripts when the page asked it
// to open the index, which the page's main thread delivered only once it
// had compiled the engine: the demo page's cold trace in Chromium showed
// 41 ms of synchronous fetch and 17 ms of parsing after the module was
// compiled, on the way to the first result, and one request more (a round
// trip at 40 ms of latency).
func WorkerScript(eng *Engine) ([]byte, error) {
	worker, err := Web(web.WorkerFile)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(eng.WasmExec)+len(workerJoint)+len(worker))
	return append(append(append(out, eng.WasmExec...), workerJoint...), worker...), nil
}

// workerJoint separates the two scripts of WorkerScript (a statement end,
// should wasm_exec.js ever end without one).
const workerJoint = "\n;\n"

// Web returns one of the files of package web (web.ScriptFile, ...).
func Web(name string) ([]byte, error) {
	b, err := web.Files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("web asset %s: %w", name, err)
	}
	return b, nil
}
