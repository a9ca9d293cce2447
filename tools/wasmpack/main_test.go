package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	if err := run(t.Context(), []string{"-gap", "8", "-strip=false", good}, &out); err != nil {
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
	err = run(t.Context(), []string{"-strip=false", bad}, &out)
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
