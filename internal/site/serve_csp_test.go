package site

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// get requests path from h and returns the status, body and CSP header.
func get(t *testing.T, h http.Handler, path string) (int, string, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header.Get("Content-Security-Policy")
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestServePolicyScope: Quarry's strict policy goes with its own files,
// never with the pages of the site around them (issue 12: Hugo's inline
// highlighting styles and an inline script were blocked).
func TestServePolicyScope(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"index.html":         "<!doctype html><html><head><meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"Quarry 0.1.0\"><title>demo</title>",
		"docs/index.html":    "<!doctype html><meta name=\"generator\" content=\"Hugo 0.111.3\"><style>.chroma{color:red}</style>",
		"late.html":          "<!doctype html>" + string(make([]byte, sniffHead)) + "<meta name=\"generator\" content=\"Quarry 0.1.0\">",
		"quarry/quarry.json": "{}",
		"quarry/quarry.js":   "export {}",
		"notes.txt":          "text",
	})
	h, err := Handler(dir, ServeOptions{CSP: DefaultCSP})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, want string
	}{
		{"/", DefaultCSP},                   // the demo page Quarry wrote
		{"/quarry/quarry.json", DefaultCSP}, // Quarry's files
		{"/quarry/quarry.js", DefaultCSP},
		{"/quarry/missing.js", DefaultCSP},
		{"/docs/", ""},     // the site's own page
		{"/late.html", ""}, // the mark is looked for in the head only
		{"/notes.txt", ""},
		{"/missing.html", ""},
	}
	for _, tt := range tests {
		if _, _, got := get(t, h, tt.path); got != tt.want {
			t.Errorf("GET %s: got policy %q, want %q", tt.path, got, tt.want)
		}
	}
	none, err := Handler(dir, ServeOptions{}) // quarry serve --csp=false
	if err != nil {
		t.Fatal(err)
	}
	if _, _, got := get(t, none, "/quarry/quarry.js"); got != "" {
		t.Errorf("without a policy: got %q, want none", got)
	}
}

// TestServeFollowsRebuild: a rebuild swaps the folder (quarry build -o
// renames the new bundle into place); the server serves the new one
// without a restart, and the old one while the new is not in place yet.
func TestServeFollowsRebuild(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	writeTree(t, dir, map[string]string{"index.html": "one", "quarry/quarry.json": "{1}"})
	h, err := Handler(dir, ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if code, body, _ := get(t, h, "/quarry/quarry.json"); code != 200 || body != "{1}" {
		t.Fatalf("before: got %d %q, want 200 {1}", code, body)
	}
	// The swap: the old folder moves away...
	old := filepath.Join(parent, ".site.old")
	if err := os.Rename(dir, old); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := get(t, h, "/"); code != 200 || body != "one" {
		t.Errorf("mid-swap: got %d %q, want the old page", code, body)
	}
	// ...the new one moves in, and the old one is removed.
	writeTree(t, filepath.Join(parent, ".site.tmp"), map[string]string{"index.html": "two", "quarry/quarry.json": "{2}"})
	if err := os.Rename(filepath.Join(parent, ".site.tmp"), dir); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(old); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{{"/", "two"}, {"/quarry/quarry.json", "{2}"}} {
		if code, body, _ := get(t, h, tt.path); code != 200 || body != tt.want {
			t.Errorf("after the rebuild: GET %s got %d %q, want 200 %q", tt.path, code, body, tt.want)
		}
	}
}
