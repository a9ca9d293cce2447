package site

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func serveDir(t *testing.T) (string, http.Handler) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":                         "<!doctype html><title>demo</title>",
		"quarry/quarry.json":                 `{"index":"quarry.0123456789ab.idx"}`,
		"quarry/quarry.0123456789ab.wasm":    "raw wasm",
		"quarry/quarry.0123456789ab.wasm.br": "brotli wasm",
		"quarry/quarry.0123456789ab.wasm.gz": "gzip wasm",
		"quarry/quarry.js":                   "export {}",
		"quarry/quarry.js.gz":                "gzip js",
		"docs/index.html":                    "docs page",
		"notes.txt":                          "plain text",
		".secret":                            "hidden",
		"data.unknownext":                    "?",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Symlink("/etc/passwd", filepath.Join(dir, "passwd"))
	h, err := Handler(dir, ServeOptions{CSP: DefaultCSP})
	if err != nil {
		t.Fatal(err)
	}
	return dir, h
}

func TestHandler(t *testing.T) {
	_, h := serveDir(t)
	wasm := "/quarry/quarry.0123456789ab.wasm"
	tests := []struct {
		name, method, path, accept string
		code                       int
		body, ctype, encoding      string
		cache, vary                string
	}{
		{"root page", "GET", "/", "", 200, "<!doctype html><title>demo</title>", "text/html; charset=utf-8", "", "no-cache", ""},
		{"manifest", "GET", "/quarry/quarry.json", "gzip, br", 200, `{"index":"quarry.0123456789ab.idx"}`, "application/json", "", "no-cache", ""},
		{"wasm brotli", "GET", wasm, "gzip, deflate, br", 200, "brotli wasm", "application/wasm", "br", "public, max-age=31536000, immutable", "Accept-Encoding"},
		{"wasm gzip only", "GET", wasm, "gzip", 200, "gzip wasm", "application/wasm", "gzip", "public, max-age=31536000, immutable", "Accept-Encoding"},
		{"wasm br refused", "GET", wasm, "br;q=0, gzip;q=0.5", 200, "gzip wasm", "application/wasm", "gzip", "public, max-age=31536000, immutable", "Accept-Encoding"},
		{"wasm identity", "GET", wasm, "", 200, "raw wasm", "application/wasm", "", "public, max-age=31536000, immutable", "Accept-Encoding"},
		{"wasm star", "GET", wasm, "*", 200, "brotli wasm", "application/wasm", "br", "public, max-age=31536000, immutable", "Accept-Encoding"},
		{"wasm star but not br", "GET", wasm, "*, br;q=0", 200, "gzip wasm", "application/wasm", "gzip", "public, max-age=31536000, immutable", "Accept-Encoding"},
		{"js has only gz", "GET", "/quarry/quarry.js", "br, gzip", 200, "gzip js", "text/javascript; charset=utf-8", "gzip", "no-cache", "Accept-Encoding"},
		{"head", "HEAD", wasm, "br", 200, "", "application/wasm", "br", "public, max-age=31536000, immutable", "Accept-Encoding"},
		{"sub index", "GET", "/docs/", "", 200, "docs page", "text/html; charset=utf-8", "", "no-cache", ""},
		{"text", "GET", "/notes.txt", "", 200, "plain text", "text/plain; charset=utf-8", "", "no-cache", ""},
		{"unknown type", "GET", "/data.unknownext", "", 200, "?", "application/octet-stream", "", "no-cache", ""},
		{"dotfile", "GET", "/.secret", "", 404, "", "", "", "", ""},
		{"traversal", "GET", "/../../etc/passwd", "", 404, "", "", "", "", ""},
		{"symlink out", "GET", "/passwd", "", 404, "", "", "", "", ""},
		{"missing", "GET", "/nope.html", "", 404, "", "", "", "", ""},
		{"no favicon", "GET", "/favicon.ico", "", 204, "", "", "", "", ""},
		{"post", "POST", "/", "", 405, "", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.code {
				t.Fatalf("status %d, want %d (%s)", res.StatusCode, tt.code, body)
			}
			// The policy goes with Quarry's own files only (serve_csp_test.go).
			wantCSP := ""
			if strings.HasPrefix(tt.path, "/quarry/") {
				wantCSP = DefaultCSP
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Security-Policy") != wantCSP {
				t.Errorf("security headers: got %v, want nosniff and CSP %q", res.Header, wantCSP)
			}
			if tt.code != 200 {
				if tt.code == 204 && len(body) != 0 {
					t.Errorf("204 with a body %q", body)
				}
				return
			}
			if string(body) != tt.body {
				t.Errorf("body %q, want %q", body, tt.body)
			}
			for k, want := range map[string]string{"Content-Type": tt.ctype, "Content-Encoding": tt.encoding, "Cache-Control": tt.cache, "Vary": tt.vary} {
				if got := res.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestHandlerRedirectsFolders(t *testing.T) {
	_, h := serveDir(t)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/docs?x=1", nil))
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/docs/?x=1" {
		t.Errorf("GET /docs: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/quarry/", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("folder without index.html: %d, want 404 (no listings)", rec.Code)
	}
}

func TestConditionalGet(t *testing.T) {
	_, h := serveDir(t)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/quarry/quarry.json", nil))
	lm := rec.Header().Get("Last-Modified")
	if lm == "" {
		t.Fatal("no Last-Modified")
	}
	req := httptest.NewRequest("GET", "/quarry/quarry.json", nil)
	req.Header.Set("If-Modified-Since", lm)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", rec.Code)
	}
}

func TestNegotiate(t *testing.T) {
	both := []string{"br", "gzip"}
	tests := []struct {
		header string
		avail  []string
		want   string
	}{
		{"", both, ""},
		{"gzip, deflate, br, zstd", both, "br"},
		{"GZIP", both, "gzip"},
		{"x-gzip", both, "gzip"},
		{"br;q=0", both, ""},
		{"br; q=0.0, gzip; q=1", both, "gzip"},
		{"identity", both, ""},
		{"*;q=0.1", both, "br"},
		{"br", []string{"gzip"}, ""},
		{"deflate, br", nil, ""},
	}
	for _, tt := range tests {
		if got := negotiate(tt.header, tt.avail); got != tt.want {
			t.Errorf("negotiate(%q, %v) = %q, want %q", tt.header, tt.avail, got, tt.want)
		}
	}
}

func TestCacheControl(t *testing.T) {
	for name, want := range map[string]string{
		"quarry/quarry.0123456789ab.wasm": "public, max-age=31536000, immutable",
		"quarry/worker.abcdef012345.js":   "public, max-age=31536000, immutable",
		"quarry/quarry.js":                "no-cache",
		"quarry/quarry.json":              "no-cache",
		"index.html":                      "no-cache",
		"quarry/quarry.0123456789.wasm":   "no-cache",
		"report.2024.txt":                 "no-cache",
	} {
		if got := CacheControl(name); got != want {
			t.Errorf("CacheControl(%s) = %q, want %q", name, got, want)
		}
	}
	if !strings.HasPrefix(ContentType("x.wasm"), "application/wasm") {
		t.Error("wasm content type")
	}
}

// looseFolder serves dir without os.Root's protection: a name with ".."
// leaves dir. It records every name it is asked for.
type looseFolder struct {
	dir   string
	asked *[]string
}

func (f looseFolder) Stat(name string) (fs.FileInfo, error) {
	*f.asked = append(*f.asked, name)
	return os.Stat(filepath.Join(f.dir, name))
}

func (f looseFolder) Open(name string) (*os.File, error) {
	*f.asked = append(*f.asked, name)
	return os.Open(filepath.Join(f.dir, name))
}

// The handler keeps every request inside the folder by itself, not only
// through os.Root: given a folder that would serve files outside it, a
// path climbing out (raw, percent-encoded, or through a subfolder) gets
// 404, and the folder is only ever asked for names inside it. Dot
// segments that stay inside are resolved.
func TestHandlerCleansPaths(t *testing.T) {
	top := t.TempDir()
	dir := filepath.Join(top, "site")
	for name, body := range map[string]string{
		"secret.txt":       "outside the site",
		"site/notes.txt":   "plain text",
		"site/a/inner.txt": "inner",
	} {
		p := filepath.Join(top, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		path string
		code int
		body string
	}{
		{"/../secret.txt", 404, ""},
		{"/../../secret.txt", 404, ""},
		{"/%2e%2e/secret.txt", 404, ""},
		{"/%2E%2E/secret.txt", 404, ""},
		{"/..%2fsecret.txt", 404, ""},
		{"/a/../../secret.txt", 404, ""},
		{"/a/%2e%2e/%2e%2e/secret.txt", 404, ""},
		{"/a/..%2f..%2fsecret.txt", 404, ""},
		{"/a/../notes.txt", 200, "plain text"},
		{"/./notes.txt", 200, "plain text"},
		{"/a/./inner.txt", 200, "inner"},
		{"//notes.txt", 200, "plain text"},
	}
	s := &server{dir: dir}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var asked []string
			rec := httptest.NewRecorder()
			s.serve(rec, httptest.NewRequest("GET", tt.path, nil), looseFolder{dir, &asked})
			if rec.Code != tt.code || tt.code == 200 && rec.Body.String() != tt.body {
				t.Errorf("status %d %q, want %d %q", rec.Code, rec.Body.String(), tt.code, tt.body)
			}
			for _, name := range asked {
				if !fs.ValidPath(name) {
					t.Errorf("the folder was asked for %q, a name outside it", name)
				}
			}
		})
	}
}
