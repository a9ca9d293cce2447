package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/site"
)

// TestBuildFacetsSetting: the filter groups the widget shows come from
// -facets, else quarry.yaml's facets:, and reach the manifest; a name the
// index does not have stops the build and says which ones it has.
func TestBuildFacetsSetting(t *testing.T) {
	page := func(tag string) string {
		return `<html><head><meta property="article:tag" content="` + tag + `"></head><body><main><p>Tencent and Alibaba run payment apps in China.</p></main></body></html>`
	}
	tests := []struct {
		name    string
		yaml    string
		args    []string
		want    []string // manifest facets
		wantErr string
	}{
		{"none chosen: all groups", "", nil, nil, ""},
		{"quarry.yaml facets", "facets: [tags]\n", nil, []string{"tags"}, ""},
		{"-facets wins", "facets: [tags]\n", []string{"-facets", "org,tags"}, []string{"org", "tags"}, ""},
		{"unknown name", "facets: [tags, categories]\n", nil, nil, `facets: "categories" not a filter of this index (it has: `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			for i, tag := range []string{"pay", "apps"} {
				p := filepath.Join(src, "p"+string(rune('a'+i)), "index.html")
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(page(tag)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.yaml != "" {
				os.WriteFile(filepath.Join(src, "quarry.yaml"), []byte(tt.yaml), 0o644)
			}
			out := filepath.Join(dir, "out")
			_, stderr, err := runCLI(t, append([]string{"build", "-q", "-o", out, src}, tt.args...)...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("build: %v\n%s", err, stderr)
			}
			b, err := os.ReadFile(filepath.Join(out, site.AssetDir, site.ManifestFile))
			if err != nil {
				t.Fatal(err)
			}
			var m site.Manifest
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m.Facets, tt.want) {
				t.Errorf("got manifest facets %v, want %v", m.Facets, tt.want)
			}
		})
	}
}
