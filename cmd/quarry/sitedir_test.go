package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTree copies the files under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755)
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBuildIntoSite runs the static-site-generator workflow: build --site
// on a generated HTML folder adds DIR/quarry/, leaves the pages alone, and
// a second run replaces the search files without indexing them.
func TestBuildIntoSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	copyTree(t, "testdata/site", dir)
	page, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	for run := 1; run <= 2; run++ {
		stdout, stderr, err := runCLI(t, "build", "--site", dir, "-no-entities", "-strict")
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, stderr)
		}
		if !strings.Contains(stdout, "indexed 2 documents, skipped 0") {
			t.Errorf("run %d: got %q, want the two pages indexed and nothing else", run, stdout)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(got) != string(page) {
		t.Errorf("the site's index.html was changed")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, " "), "guide index.html quarry"; got != want {
		t.Errorf("site folder holds %q, want %q (no demo page, no leftovers)", got, want)
	}
	for _, f := range []string{"quarry.json", "quarry.js", "quarry.css"} {
		if _, err := os.Stat(filepath.Join(dir, "quarry", f)); err != nil {
			t.Errorf("missing search file: %v", err)
		}
	}
	stdout, _, err := runCLI(t, "query", dir, "administrator", "--json", "--complete")
	if err != nil {
		t.Fatal(err)
	}
	var resp struct {
		Hits []struct {
			URL      string
			Sections []struct{ URL string }
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(stdout), &resp); err != nil || len(resp.Hits) == 0 || resp.Hits[0].URL != "/guide/" ||
		len(resp.Hits[0].Sections) != 1 || resp.Hits[0].Sections[0].URL != "/guide/#install" {
		t.Errorf("query administrator: got %s, want a first hit at /guide/ listing /guide/#install", stdout)
	}
}

func TestBuildIntoSiteErrors(t *testing.T) {
	foreign := filepath.Join(t.TempDir(), "public")
	copyTree(t, "testdata/site", foreign)
	os.MkdirAll(filepath.Join(foreign, "quarry"), 0o755)
	os.WriteFile(filepath.Join(foreign, "quarry", "mine.txt"), []byte("not Quarry's"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"foreign quarry folder", []string{"build", "--site", foreign, "-no-entities"}, "1 file Quarry did not write (mine.txt)"},
		{"site and -o", []string{"build", "--site", foreign, "-o", t.TempDir()}, "give neither -o"},
		{"site and another corpus", []string{"build", "--site", foreign, "testdata/site"}, "give neither -o"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if got, _ := os.ReadFile(filepath.Join(foreign, "quarry", "mine.txt")); string(got) != "not Quarry's" {
		t.Errorf("the foreign quarry folder was touched")
	}
}
