package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/quarry-search/quarry/internal/assets"
	"github.com/quarry-search/quarry/internal/site"
)

// engineBuilt reports whether this test binary embeds the engine (after
// make build); without it `quarry build` writes the index only.
func engineBuilt() bool {
	_, err := assets.LoadEngine("")
	return err == nil
}

func TestBuildWritesSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	stdout, stderr, err := runCLI(t, "build", "-o", out, "--page-title", "Seeds", "../../corpus")
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if !regexp.MustCompile(`wrote \S+/quarry/quarry\.[0-9a-f]{12}\.idx \(\d+ bytes\)`).MatchString(stdout) {
		t.Errorf("build output %q does not name the index", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, IndexFileName)); err == nil {
		t.Error("index still written to OUT/quarry.idx")
	}
	for _, args := range [][]string{
		{"query", out, "alipay", "--json"},
		{"query", filepath.Join(out, "quarry"), "alipay", "--json"},
		{"query", filepath.Join(out, "quarry", "quarry.json"), "alipay", "--json"},
	} {
		if stdout, _, err := runCLI(t, args...); err != nil || !strings.Contains(stdout, `"total":4`) {
			t.Errorf("%v: %v\n%.200s", args, err, stdout)
		}
	}
	if !engineBuilt() {
		if !strings.Contains(stderr, "quarry.wasm not embedded: build with make build") {
			t.Errorf("no warning about the missing engine: %q", stderr)
		}
		t.Skip("engine not embedded (run make build): checked the index-only output")
	}
	for _, name := range []string{"index.html", "quarry/quarry.js", "quarry/quarry.css", "000_c0c3c02e86188690.txt"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(name))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(page), "<title>Seeds</title>") || !strings.Contains(string(page), "5 documents") {
		t.Errorf("index.html: %.300s", page)
	}
}

func TestBuildSingleFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "demo.html")
	_, stderr, err := runCLI(t, "build", "-q", "--single-file", p, "../../corpus")
	if !engineBuilt() {
		if err == nil || !strings.Contains(err.Error(), "quarry.wasm not embedded: build with make build") {
			t.Fatalf("single file without engine: %v", err)
		}
		if _, err := os.Stat(p); err == nil {
			t.Error("failed single-file build left a file")
		}
		return
	}
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	page, _ := os.ReadFile(p)
	for _, want := range []string{`id="quarry-wasm" data-encoding="gzip"`, `id="quarry-index"`, `<quarry-search index="#quarry-manifest"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("single file lacks %s", want)
		}
	}
}

// startServe runs `quarry serve` until the returned stop is called and
// returns its URL.
func startServe(t *testing.T, dir string) (url string, stop func() string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve", dir, "--addr", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
		done <- err
	}()
	sc := bufio.NewScanner(pr)
	if !sc.Scan() {
		cancel()
		t.Fatalf("serve printed nothing: %v", <-done)
	}
	m := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)`).FindStringSubmatch(sc.Text())
	if m == nil {
		cancel()
		t.Fatalf("serve printed %q", sc.Text())
	}
	return m[1], func() string {
		cancel()
		var rest strings.Builder
		for sc.Scan() {
			rest.WriteString(sc.Text())
		}
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v after Ctrl-C", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
		return rest.String()
	}
}

func TestServe(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "quarry"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><p>hi"), 0o644)
	os.WriteFile(filepath.Join(dir, "quarry", "quarry.0123456789ab.wasm"), []byte("\x00asm"), 0o644)
	os.WriteFile(filepath.Join(dir, "quarry", "quarry.0123456789ab.wasm.br"), []byte("br"), 0o644)
	url, stop := startServe(t, dir)
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	// A page Quarry did not write gets no policy from Quarry.
	if res.StatusCode != 200 || string(body) != "<!doctype html><p>hi" || res.Header.Get("Content-Security-Policy") != "" {
		t.Errorf("GET /: %d %q %v", res.StatusCode, body, res.Header)
	}
	req, _ := http.NewRequest("GET", url+"quarry/quarry.0123456789ab.wasm", nil)
	req.Header.Set("Accept-Encoding", "br")
	res, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Type") != "application/wasm" || res.Header.Get("Content-Encoding") != "br" || res.Header.Get("Content-Security-Policy") != site.DefaultCSP {
		t.Errorf("wasm headers: %v", res.Header)
	}
	if rest := stop(); !strings.Contains(rest, "Stopped.") {
		t.Errorf("serve did not say it stopped: %q", rest)
	}
	if _, err := http.Get(url); err == nil {
		t.Error("server still answers after stop")
	}
}

func TestServeErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	tests := []struct {
		args []string
		want string
		code int
	}{
		{[]string{"serve"}, "needs the folder", 2},
		{[]string{"serve", filepath.Join(t.TempDir(), "missing")}, "no such file", 1},
		{[]string{"serve", file}, "not a folder", 1},
		{[]string{"serve", t.TempDir(), "--addr", "256.0.0.1:http"}, "serve", 1},
	}
	for _, tt := range tests {
		_, _, err := runCLI(t, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) || exitCode(err) != tt.code {
			t.Errorf("%v: %v (exit %d), want %q exit %d", tt.args, err, exitCode(err), tt.want, tt.code)
		}
	}
	var ue usageError
	if _, _, err := runCLI(t, "serve", "a", "b"); !errors.As(err, &ue) {
		t.Errorf("two folders: %v", err)
	}
}
