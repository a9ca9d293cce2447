package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/quarry-search/quarry/internal/indexfile"
)

// A bundle's index goes to head + files and back to the very same bytes,
// with the manifest naming the index and counting the files each time.
func TestRoundTrip(t *testing.T) {
	idx := &indexfile.Index{Language: "english", Generator: "test", TitleBoost: 1, BodyBoost: 1}
	body := indexfile.Field{Name: "body", Lengths: make([]uint32, 40), ExpandMinDF: 1}
	for d := range 40 {
		idx.Docs = append(idx.Docs, indexfile.Doc{ID: fmt.Sprint("d", d), Title: fmt.Sprint("T", d), URL: fmt.Sprint("/d/", d), Body: fmt.Sprint("body of document ", d)})
		body.Lengths[d] = 1
	}
	for k := range 40 {
		body.Terms = append(body.Terms, indexfile.Term{Text: fmt.Sprintf("t%03d", k), Docs: []uint32{uint32(k)}, Freqs: []uint32{1}})
	}
	idx.Fields = []indexfile.Field{body}
	whole, err := indexfile.Encode(idx, indexfile.Options{PartSize: 64, TextChunk: 64})
	if err != nil {
		t.Fatal(err)
	}
	site := t.TempDir()
	dir := filepath.Join(site, "quarry")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("quarry.0.idx", whole)
	write("quarry.0.idx.br", []byte("stale"))
	write("quarry.json", []byte(`{"index": "quarry.0.idx", "wasm": "w.wasm"}`))
	manifest := func() map[string]any {
		var m map[string]any
		b, err := os.ReadFile(filepath.Join(dir, "quarry.json"))
		if err == nil {
			err = json.Unmarshal(b, &m)
		}
		if err != nil {
			t.Fatal(err)
		}
		return m
	}

	if err := convert(dir, "split"); err != nil {
		t.Fatal(err)
	}
	m := manifest()
	h, err := indexfile.Decode(mustRead(t, filepath.Join(dir, m["index"].(string))))
	if err != nil {
		t.Fatal(err)
	}
	if h.Inline() != nil || len(h.FileNames()) < 3 || m["files"] != float64(len(h.FileNames())) || m["wasm"] != "w.wasm" {
		t.Fatalf("split: manifest %v, %d files", m, len(h.FileNames()))
	}
	for _, n := range h.FileNames() {
		mustRead(t, filepath.Join(dir, n))
	}
	if _, err := os.Stat(filepath.Join(dir, "quarry.0.idx.br")); err == nil {
		t.Fatal("the old index's .br sibling was left")
	}
	if err := convert(dir, "split"); err != nil { // already split: unchanged
		t.Fatal(err)
	}

	if err := convert(dir, "whole"); err != nil {
		t.Fatal(err)
	}
	m = manifest()
	if got := mustRead(t, filepath.Join(dir, m["index"].(string))); !bytes.Equal(got, whole) {
		t.Fatalf("whole again: %d bytes, want the %d built", len(got), len(whole))
	}
	if _, ok := m["files"]; ok {
		t.Fatalf("whole: manifest still counts files: %v", m)
	}
	for _, n := range h.FileNames() {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			t.Fatalf("whole: %s left beside the index", n)
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
