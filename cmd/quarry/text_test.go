package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/site"
)

// TestQueryReadsIndexFiles builds a corpus whose index exceeds
// site.WholeIndexLimit, so that the bundle's index is a head with files
// beside it, and queries it: results come from the files next to the
// index, and a missing or damaged file leaves an explanation instead.
func TestQueryReadsIndexFiles(t *testing.T) {
	corpus := t.TempDir()
	for i := 0; i < 300; i++ {
		body := strings.Repeat(fmt.Sprintf("Section %d of the report describes turbulent boundary layers (case %x). ", i, i*7919), 12)
		if i == 7 {
			body += "The supersonic wind tunnel results are unusual."
		}
		os.WriteFile(filepath.Join(corpus, fmt.Sprintf("doc%02d.txt", i)), []byte(fmt.Sprintf("Report %d\n\n%s\n", i, body)), 0o644)
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, stderr, err := runCLI(t, "build", "-q", "-no-entities", "-o", out, corpus); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, site.AssetDir, site.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m site.Manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Files < 2 {
		t.Fatalf("manifest: %v, %d files beside the index; want several", err, m.Files)
	}
	head, err := os.ReadFile(filepath.Join(out, site.AssetDir, m.Index))
	if err != nil {
		t.Fatal(err)
	}
	h0, err := indexfile.Decode(head)
	if err != nil {
		t.Fatal(err)
	}
	names := h0.FileNames()
	type hit struct {
		ID, Title, Excerpt string
		ExcerptError       string `json:"excerpt_error"`
	}
	type response struct {
		Total  int
		Hits   []hit
		Notice string
	}
	query := func() response {
		stdout, stderr, err := runCLI(t, "query", out, "supersonic tunnel", "--json", "--limit", "1")
		if err != nil {
			t.Fatalf("query: %v\n%s", err, stderr)
		}
		var resp response
		if err := json.Unmarshal([]byte(stdout), &resp); err != nil {
			t.Fatalf("query output %v: %s", err, stdout)
		}
		return resp
	}
	r := query()
	if len(r.Hits) != 1 || r.Hits[0].ID != "doc07.txt" || !strings.Contains(r.Hits[0].Excerpt, "<mark>supersonic</mark>") || r.Notice != "" {
		t.Fatalf("answer %+v, want doc07.txt with a marked excerpt", r)
	}
	remove := func(p string) { os.Remove(p) }
	flip := func(p string) {
		b, _ := os.ReadFile(p)
		b[len(b)-3] ^= 1
		os.WriteFile(p, b, 0o644)
	}
	tests := []struct {
		name, ext string
		damage    func(p string)
		check     func(r response) bool
		want      string
	}{
		{"missing text files", indexfile.TextExt, remove, func(r response) bool {
			return len(r.Hits) == 1 && r.Hits[0].Title == "" && strings.Contains(r.Hits[0].ExcerptError, "no such file")
		}, "the hit without title, saying no such file"},
		{"damaged text files", indexfile.TextExt, flip, func(r response) bool {
			return len(r.Hits) == 1 && strings.Contains(r.Hits[0].ExcerptError, "checksum")
		}, "the hit saying checksum"},
		{"missing parts", indexfile.PartExt, remove, func(r response) bool {
			return r.Total == 0 && strings.Contains(r.Notice, "could not be loaded") && strings.Contains(r.Notice, "no such file")
		}, "no results and a notice saying why"},
		{"damaged parts", indexfile.PartExt, flip, func(r response) bool {
			return r.Total == 0 && strings.Contains(r.Notice, "checksum")
		}, "no results and a notice saying checksum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range names {
				if !strings.HasSuffix(name, tt.ext) {
					continue
				}
				p := filepath.Join(out, site.AssetDir, name)
				orig, _ := os.ReadFile(p)
				tt.damage(p)
				t.Cleanup(func() { os.WriteFile(p, orig, 0o644) })
			}
			if r := query(); !tt.check(r) {
				t.Errorf("answer %+v, want %s", r, tt.want)
			}
		})
	}
}
