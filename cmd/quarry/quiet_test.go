package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/indexfile"
)

// noisySite writes a built site with one page, two redirect pages (a
// Hugo alias and a plain meta refresh), a page without text (a warning)
// and a file with invalid UTF-8 (another warning).
func noisySite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "public")
	for name, page := range map[string]string{
		"index.html":     `<html><head><title>Home</title></head><body><main><h1>Home</h1><p>Payments with Alipay.</p></main></body></html>`,
		"old/index.html": `<!DOCTYPE html><html lang="en-us"><head><title>/</title><link rel="canonical" href="/"><meta name="robots" content="noindex"><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=/"></head></html>`,
		"moved.html":     `<meta http-equiv="refresh" content="0;URL='/'"><p>Moved to the home page.</p>`,
		"empty.html":     `<html><body><main></main></body></html>`,
		"bad.html":       "<main><p>caf\xe9 au lait</p></main>",
	} {
		writeAt(t, filepath.Join(dir, filepath.FromSlash(name)), page)
	}
	return dir
}

// TestBuildQuiet: -q prints nothing but errors, whatever the output and
// however many warnings; without it, the warnings and the summary line
// (redirects counted, not warned about) are printed; -q -strict prints
// the warnings that fail the build.
func TestBuildQuiet(t *testing.T) {
	tests := []struct {
		name       string
		args       func(t *testing.T, site string) []string
		wantErr    bool
		wantStdout []string // substrings; none: stdout must be empty
		wantStderr []string // substrings; none: stderr must be empty
	}{
		{"-q --site", func(t *testing.T, site string) []string { return []string{"-q", "--site", site} }, false, nil, nil},
		{"-q -o", func(t *testing.T, site string) []string {
			return []string{"-q", "-o", filepath.Join(t.TempDir(), "out"), site}
		}, false, nil, nil},
		{"-q --single-file", func(t *testing.T, site string) []string {
			return []string{"-q", "--single-file", filepath.Join(t.TempDir(), "s.html"), site}
		}, false, nil, nil},
		{"--site without -q", func(t *testing.T, site string) []string { return []string{"--site", site} }, false,
			[]string{"indexed 2 documents, skipped 3: 1 empty, 2 redirects; 2 warnings"},
			[]string{"warning: empty.html: no text content; skipped", "warning: bad.html:1: invalid UTF-8 replaced with U+FFFD"}},
		{"-q -strict", func(t *testing.T, site string) []string { return []string{"-q", "-strict", "--site", site} }, true,
			nil, []string{"warning: empty.html", "warning: bad.html"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := noisySite(t)
			stdout, stderr, err := runCLI(t, append([]string{"build", "-no-entities"}, tt.args(t, site)...)...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v\n%s", err, tt.wantErr, stderr)
			}
			for _, c := range []struct {
				name, got string
				want      []string
			}{{"stdout", stdout, tt.wantStdout}, {"stderr", stderr, tt.wantStderr}} {
				if len(c.want) == 0 && c.got != "" {
					t.Errorf("%s = %q, want nothing", c.name, c.got)
				}
				for _, w := range c.want {
					if !strings.Contains(c.got, w) {
						t.Errorf("%s = %q, want it to contain %q", c.name, c.got, w)
					}
				}
				if strings.Contains(c.got, "moved.html") || strings.Contains(c.got, "old/index.html") {
					t.Errorf("%s names a redirect page: %q", c.name, c.got)
				}
			}
		})
	}
}

// TestBuildLargeJSON: a docs.json over the 10 MiB file limit of other
// inputs indexes (JSON is read as a stream, each record held to the
// limit instead).
func TestBuildLargeJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("writes an 11 MB corpus")
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("[\n")
	const n = 2200
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id":"d%d","title":"Document %d","body":%q}`, i, i, strings.Repeat(fmt.Sprintf("word%d payments ", i%97), 320))
	}
	b.WriteString("\n]\n")
	if b.Len() <= 10<<20 {
		t.Fatalf("corpus of %d bytes, want over 10 MiB", b.Len())
	}
	writeAt(t, filepath.Join(dir, "docs.json"), b.String())
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, err := runCLI(t, "build", "-no-entities", "-o", out, dir)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if want := fmt.Sprintf("indexed %d documents, skipped 0; 0 warnings", n); !strings.Contains(stdout, want) {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
}

// TestEntitiesFile: the entity list is a file beside the index that the
// command line reads (the browser's index does not carry it); a missing
// or foreign one is refused with a sentence saying what to do.
func TestEntitiesFile(t *testing.T) {
	out := buildSeeds(t)
	stdout, stderr, err := runCLI(t, "entities", out, "--json")
	if err != nil || !strings.Contains(stdout, `"type":"org"`) {
		t.Fatalf("entities: %v\n%s%s", err, stdout, stderr)
	}
	path := filepath.Join(out, "quarry", indexfile.EntitiesFile)
	list, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	other := buildOther(t)
	tests := []struct {
		name  string
		setup func(t *testing.T)
		want  string
	}{
		{"missing", func(t *testing.T) { os.Remove(path) }, "has no entity list"},
		{"another build's", func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(other, "quarry", indexfile.EntitiesFile))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(path, b, 0o644)
		}, "written for another build of the index"},
		{"damaged", func(t *testing.T) { os.WriteFile(path, list[:len(list)-3], 0o644) }, "checksum mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup(t)
			defer os.WriteFile(path, list, 0o644)
			_, _, err := runCLI(t, "entities", out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	// Facets still come from the index: filters work without the list.
	os.Remove(path)
	stdout, stderr, err = runCLI(t, "query", out, "payments", "--json")
	if err != nil || !strings.Contains(stdout, `"org"`) {
		t.Errorf("query without the entity list: %v\n%.300s%s", err, stdout, stderr)
	}
}

// buildOther builds a small corpus with an entity, for an entity list of
// another index.
func buildOther(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeAt(t, filepath.Join(dir, "a.txt"), "Alipay\n\nAlipay payments abroad. Alipay is used by Ant Group.\n")
	out := filepath.Join(t.TempDir(), "site")
	if _, stderr, err := runCLI(t, "build", "-q", "-o", out, dir); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	return out
}
