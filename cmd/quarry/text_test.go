package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/site"
)

// TestQueryReadsTextFiles builds a corpus whose text exceeds
// site.InlineTextLimit, so that the bundle's text goes to separate files,
// and queries it: excerpts come from the files next to the index, and a
// missing or damaged file leaves titles and an explanation instead.
func TestQueryReadsTextFiles(t *testing.T) {
	corpus := t.TempDir()
	for i := 0; i < 60; i++ {
		body := strings.Repeat(fmt.Sprintf("Section %d of the report describes turbulent boundary layers. ", i), 12)
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
	if err := json.Unmarshal(b, &m); err != nil || len(m.Texts) < 2 {
		t.Fatalf("manifest: %v, %d text files; want several", err, len(m.Texts))
	}
	type hit struct {
		ID, Title, Excerpt string
		ExcerptError       string `json:"excerpt_error"`
	}
	query := func() hit {
		stdout, stderr, err := runCLI(t, "query", out, "supersonic tunnel", "--json", "--limit", "1")
		if err != nil {
			t.Fatalf("query: %v\n%s", err, stderr)
		}
		var resp struct{ Hits []hit }
		if err := json.Unmarshal([]byte(stdout), &resp); err != nil || len(resp.Hits) != 1 {
			t.Fatalf("query output %v: %s", err, stdout)
		}
		return resp.Hits[0]
	}
	h := query()
	if h.ID != "doc07.txt" || !strings.Contains(h.Excerpt, "<mark>supersonic</mark>") || h.ExcerptError != "" {
		t.Fatalf("hit %+v, want doc07.txt with a marked excerpt", h)
	}
	tests := []struct {
		name, want string
		damage     func(p string)
	}{
		{"missing text file", "no such file", func(p string) { os.Remove(p) }},
		{"damaged text file", "checksum", func(p string) {
			b, _ := os.ReadFile(p)
			b[len(b)-3] ^= 1
			os.WriteFile(p, b, 0o644)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range m.Texts {
				p := filepath.Join(out, site.AssetDir, name)
				orig, _ := os.ReadFile(p)
				tt.damage(p)
				t.Cleanup(func() { os.WriteFile(p, orig, 0o644) })
			}
			h := query()
			if h.ID != "doc07.txt" || h.Title != "Report 7" || h.Excerpt != "" || !strings.Contains(h.ExcerptError, tt.want) {
				t.Errorf("hit %+v, want doc07.txt titled, no excerpt, an error saying %q", h, tt.want)
			}
		})
	}
}
