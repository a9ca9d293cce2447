//go:build !js

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// bannedDeps are packages the browser engine must not link: bleve's
// search, query, mapping and registry layers, its JSON and geo
// dependencies, zapx (the lean core reads segments itself), and packages
// that cost more than the features they would serve (measured with
// tools/wasmsize: regexp 101 kB of brotli, blevesearch/segment 51 kB,
// vellum's levenshtein 138 kB). encoding/json is imported by roaring's
// bitset dependency for its MarshalJSON, which the engine never calls:
// only a few kB of it link, so it is not listed; the bridge passes
// JavaScript values instead of JSON.
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
	"regexp",
}

// TestNoHeavyDependencies keeps what the lean core dropped from creeping
// back into quarry.wasm.
func TestNoHeavyDependencies(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, d := range deps {
		for _, b := range bannedDeps {
			if d == b || strings.HasPrefix(d, b+"/") || strings.HasSuffix(b, "/") && strings.HasPrefix(d, b) {
				t.Errorf("quarry.wasm links %s (banned: %s)", d, b)
			}
		}
	}
	if len(deps) < 10 {
		t.Fatalf("go list returned %d packages: %q", len(deps), out)
	}
}
