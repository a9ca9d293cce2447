//go:build !js

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// bannedDeps are packages the browser engine must not link: bleve's
// search, query, mapping and registry layers, its JSON and geo
// dependencies, zapx (the lean core reads segments itself), and packages
// that cost more than the features they would serve (measured with
// tools/wasmsize: regexp 101 kB of brotli, blevesearch/segment 51 kB,
// vellum's levenshtein 138 kB). encoding/json and bits-and-blooms/bitset
// (which imports encoding/json and fmt) are gone too: the bridge writes
// JSON by hand and facet.Bits is the engine's bitmap.
var bannedDeps = []string{
	"github.com/blevesearch/bleve/v2/search",
	"github.com/blevesearch/bleve/v2/mapping",
	"github.com/blevesearch/bleve/v2/registry",
	"github.com/blevesearch/bleve/v2/document",
	"github.com/blevesearch/bleve/v2/analysis",
	"github.com/blevesearch/bleve_index_api",
	"github.com/blevesearch/zapx/",
	"github.com/blevesearch/geo",
	"github.com/blevesearch/segment",
	"github.com/blevesearch/vellum/levenshtein",
	"github.com/blevesearch/vellum/regexp",
	"github.com/json-iterator/go",
	"github.com/bits-and-blooms/bitset",
	"encoding/json",
	"regexp",
}

// bannedReach are packages no code of quarry.wasm may reach except
// through stemmerModule. Importing one links its package initialisers
// and those of its own imports (os, reflect, syscall, time, ...) even if
// nothing is called: over a js/wasm program that registers one function
// (441 kB of brotli), importing fmt alone costs 60 kB and testing 153 kB
// (Go 1.26, -s -w, brotli -q 11). runtime/debug imports fmt and os.
// time brings syscall, internal/godebug and internal/bisect: the engine
// reads the browser's clock instead (engine.Clock).
var bannedReach = []string{"fmt", "encoding/json", "testing", "flag", "log", "runtime/debug", "os", "time"}

// stemmerModule is the one dependency still allowed to bring the
// packages of bannedReach into the engines of languages other than
// English: kljensen/snowball/romance imports testing (for its test
// helpers) and snowballword imports fmt. quarry.wasm, the English
// engine, stems with internal/porter2 and has no exception: with
// kljensen's English stemmer it was 835,702 B of brotli, 739,797 B
// without.
const stemmerModule = "github.com/kljensen/snowball/"

// depGraph returns the import graph of ./wasm built for the browser
// with the build tags given.
func depGraph(t *testing.T, tags string) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-tags", tags, "-f", "{{.ImportPath}} {{join .Imports \" \"}}", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	g := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 {
			g[f[0]] = f[1:]
		}
	}
	if len(g) < 10 {
		t.Fatalf("go list returned %d packages: %q", len(g), out)
	}
	return g
}

func banned(dep string, list []string) string {
	for _, b := range list {
		if dep == b || strings.HasPrefix(dep, b+"/") || strings.HasSuffix(b, "/") && strings.HasPrefix(dep, b) {
			return b
		}
	}
	return ""
}

// reach returns the packages reachable from root without passing
// through a package whose path starts with skip, each with the package
// that imports it on the way.
func reach(g map[string][]string, root, skip string) map[string]string {
	via := map[string]string{root: ""}
	queue := []string{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, q := range g[p] {
			if _, seen := via[q]; seen || skip != "" && strings.HasPrefix(q, skip) {
				continue
			}
			via[q] = p
			queue = append(queue, q)
		}
	}
	return via
}

// TestNoHeavyDependencies keeps what the lean core dropped from creeping
// back into quarry.wasm (the English engine, tags quarry_lang and
// quarry_lang_english), into the French engine (which links kljensen's
// stemmer, the one exception) and into the default build that links all
// seven languages.
func TestNoHeavyDependencies(t *testing.T) {
	for _, c := range []struct{ tags, skip string }{
		{"quarry_lang,quarry_lang_english", ""},
		{"quarry_lang,quarry_lang_french", stemmerModule},
		{"", stemmerModule},
	} {
		tags := c.tags
		g := depGraph(t, tags)
		for d := range g {
			if b := banned(d, bannedDeps); b != "" {
				t.Errorf("tags %q: quarry.wasm links %s (banned: %s)", tags, d, b)
			}
		}
		const root = "github.com/quarry-search/quarry/wasm"
		if _, ok := g[root]; !ok {
			t.Fatalf("tags %q: %s not in go list's output", tags, root)
		}
		via := reach(g, root, c.skip)
		for d, from := range via {
			if b := banned(d, bannedReach); b != "" {
				t.Errorf("tags %q: quarry.wasm reaches %s (banned: %s) through %s (allowed only through %q)", tags, d, b, from, c.skip)
			}
		}
	}
}

// TestReach checks the graph walk the test above relies on.
func TestReach(t *testing.T) {
	g := map[string][]string{
		"main":   {"a", "stem/x"},
		"a":      {"b"},
		"stem/x": {"fmt"},
		"b":      {"a", "os"},
	}
	tests := []struct {
		skip string
		want []string
	}{
		{"", []string{"main", "a", "b", "os", "stem/x", "fmt"}},
		{"stem/", []string{"main", "a", "b", "os"}},
	}
	for _, tt := range tests {
		got := reach(g, "main", tt.skip)
		if len(got) != len(tt.want) {
			t.Errorf("skip %q: reached %v, want %v", tt.skip, got, tt.want)
		}
		for _, w := range tt.want {
			if _, ok := got[w]; !ok {
				t.Errorf("skip %q: %s not reached", tt.skip, w)
			}
		}
	}
	if b := banned("encoding/json", bannedReach); b != "encoding/json" {
		t.Errorf("banned(encoding/json) = %q", b)
	}
	if b := banned("fmtx", bannedReach); b != "" {
		t.Errorf("banned(fmtx) = %q, want none", b)
	}
}

// TestWorkerSetsGOGC: the engine no longer sets its garbage collector's
// target itself (runtime/debug is banned above); worker.js passes GOGC
// through the Go environment before the module starts.
func TestWorkerSetsGOGC(t *testing.T) {
	src, err := os.ReadFile("../web/worker.js")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	set := strings.Index(s, "go.env = { GOGC: '200' };")
	run := strings.Index(s, "go.run(")
	if set < 0 || run < 0 || set > run {
		t.Errorf("worker.js must set go.env = { GOGC: '200' } before go.run (found at %d, go.run at %d)", set, run)
	}
}
