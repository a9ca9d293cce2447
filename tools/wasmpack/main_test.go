package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/testcorpus"
	"github.com/quarry-search/quarry/internal/wasmfile"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	segs := []wasmfile.Segment{{Offset: 8, Data: []byte("a")}, {Offset: 12, Data: []byte("b")}, {Offset: 4096, Data: []byte("c")}}
	mod := wasmfile.Encode([]wasmfile.Section{{ID: wasmfile.SectionData, Body: wasmfile.EncodeData(segs)}})
	good := filepath.Join(dir, "good.wasm")
	bad := filepath.Join(dir, "bad.wasm")
	os.WriteFile(good, mod, 0o644)
	os.WriteFile(bad, []byte("<html>"), 0o644)

	var out bytes.Buffer
	// Stripping (the default) needs a Go program's symbol table: a module
	// without one is named and left as it was.
	err := run(t.Context(), []string{good}, &out)
	if err == nil || !strings.Contains(err.Error(), "good.wasm") || !strings.Contains(err.Error(), "no Go symbol table") {
		t.Errorf("module without a Go symbol table: err %v", err)
	}
	if b, _ := os.ReadFile(good); !bytes.Equal(b, mod) {
		t.Error("module without a Go symbol table rewritten")
	}
	if err := run(t.Context(), []string{"-gap", "8", "-strip=false", "-functab=false", good}, &out); err != nil {
		t.Fatal(err)
	}
	if want := "3 data segments -> 2"; !strings.Contains(out.String(), want) {
		t.Errorf("output %q, want %q", out.String(), want)
	}
	got, _ := os.ReadFile(good)
	secs, err := wasmfile.Sections(got)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := wasmfile.DataSegments(secs[0].Body); err != nil || len(d) != 2 || string(d[0].Data) != "a\x00\x00\x00b" {
		t.Errorf("packed file's segments %+v, %v", d, err)
	}
	// A file it cannot read is named and left as it was.
	err = run(t.Context(), []string{"-strip=false", "-functab=false", bad}, &out)
	if err == nil || !strings.Contains(err.Error(), "bad.wasm") || !strings.Contains(err.Error(), "not a WebAssembly module") {
		t.Errorf("bad file: err %v", err)
	}
	if b, _ := os.ReadFile(bad); string(b) != "<html>" {
		t.Errorf("bad file rewritten: %q", b)
	}
	if err := run(t.Context(), nil, &out); err == nil {
		t.Error("no files: no usage error")
	}
}

func TestPrefixes(t *testing.T) {
	keep := prefixes(" main., github.com/quarry-search/quarry/ ,")
	for name, want := range map[string]bool{
		"main.main": true, "github.com/quarry-search/quarry/internal/engine.(*Engine).Search": true,
		"strings.Index": false, "": false, "mainly.x": false,
	} {
		if got := keep(name); got != want {
			t.Errorf("keep(%q) = %v, want %v", name, got, want)
		}
	}
	if prefixes("")("main.main") {
		t.Error("an empty list keeps names")
	}
}

// TestPackProgram packs a real Go js/wasm program as `make build` packs
// the engine and runs both under Node: the same output but for
// runtime.Caller's file and line. Packed without stripping, the program's
// memory once instantiated (the start function having written the
// findfunctab back) is byte for byte the original's.
func TestPackProgram(t *testing.T) {
	mod := testcorpus.GoWasmProgram(t)
	defaults := options{gap: defaultGap, strip: true, keep: prefixes(defaultKeepNames), functab: true}
	packed, r, err := packModule(mod, defaults)
	if err != nil {
		t.Fatal(err)
	}
	if r.functab.Size < 100_000 || len(packed) > len(mod)-r.functab.Size/2 {
		t.Errorf("findfunctab of %d bytes; module %d -> %d bytes", r.functab.Size, len(mod), len(packed))
	}
	before, err := testcorpus.RunGoWasm(t, mod)
	if err != nil {
		t.Fatalf("original: %v\n%s", err, before)
	}
	after, err := testcorpus.RunGoWasm(t, packed)
	if err != nil {
		t.Fatalf("packed: %v\n%s", err, after)
	}
	want := strings.Replace(before, "caller: true true true", "caller: false false true", 1)
	if after != want || want == before {
		t.Errorf("packed program printed\n%s\nwant\n%s", after, want)
	}
	for _, l := range []string{"deep: 2001000", "wrapper: value method main.T.M called using nil *T pointer", "name: main.main.func", "gc ran: true"} {
		if !strings.Contains(before, l) {
			t.Errorf("program did not print %q: %q", l, before)
		}
	}

	// Without Quarry's names kept (main.* among them here), the runtime
	// still has the names it reads: the method wrapper's, for panicwrap.
	bare, _, err := packModule(mod, options{gap: defaultGap, strip: true, keep: prefixes(""), functab: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := testcorpus.RunGoWasm(t, bare)
	wantBare := regexp.MustCompile(`name: \S+`).ReplaceAllString(want, "name: ")
	if err != nil || got != wantBare || wantBare == want {
		t.Errorf("packed without kept names: %v\n%s\nwant\n%s", err, got, wantBare)
	}

	// The runtime's debugging switches that read names still work.
	traced, err := testcorpus.RunGoWasm(t, packed, "GODEBUG=inittrace=1")
	if err != nil || !strings.Contains(traced, "init errors @") || !strings.Contains(traced, "gc ran: true") {
		t.Errorf("packed program under GODEBUG=inittrace=1: %v\n%s", err, traced)
	}

	unstripped, _, err := packModule(mod, options{gap: defaultGap, functab: true})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := memoryAfterStart(t, mod), memoryAfterStart(t, unstripped); a != b {
		t.Errorf("memory after instantiation differs: %s, %s", a, b)
	}
	// Packing again leaves the start function and the table alone.
	again, r, err := packModule(packed, defaults)
	if err != nil || !r.functabKept || !bytes.Equal(again, packed) {
		t.Errorf("packing twice: err %v, functab kept %v, same bytes %v", err, r.functabKept, bytes.Equal(again, packed))
	}
}

// memoryAfterStart instantiates a module under Node with do-nothing
// imports (running only its start function) and returns a hash of its
// memory.
func memoryAfterStart(t *testing.T, mod []byte) string {
	t.Helper()
	node, p := testcorpus.NodeModule(t, mod)
	const script = `const m = new WebAssembly.Module(require('fs').readFileSync(process.argv[1]));
const imports = {};
for (const i of WebAssembly.Module.imports(m)) (imports[i.module] ||= {})[i.name] = () => {};
const inst = new WebAssembly.Instance(m, imports);
console.log(require('crypto').createHash('sha256').update(new Uint8Array(inst.exports.mem.buffer)).digest('hex'));`
	out, err := exec.Command(node, "-e", script, p).CombinedOutput()
	if err != nil {
		t.Fatalf("instantiating: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}
