package search

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// goldenCase is one entry of testdata/searches.json, in the style of
// bleve's own search tests.
type goldenCase struct {
	Comment string  `json:"comment"`
	Search  Request `json:"search"`
	Result  struct {
		Total  *uint64  `json:"total"`
		IDs    []string `json:"ids"`
		First  string   `json:"first"`
		Mode   string   `json:"mode"`
		Notice bool     `json:"notice"`
	} `json:"result"`
}

func TestGoldenSearches(t *testing.T) {
	b, err := os.ReadFile("testdata/searches.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("searches.json: %v", err)
	}
	e, _ := openDocs(t, seedDocs(t))
	for _, c := range cases {
		t.Run(c.Comment, func(t *testing.T) {
			req := c.Search
			req.Limit = 20
			resp, err := e.Search(context.Background(), req)
			if err != nil {
				t.Fatalf("Search(%q): %v", req.Query, err)
			}
			var ids []string
			for _, h := range resp.Hits {
				ids = append(ids, h.ID)
			}
			if w := c.Result.Total; w != nil && resp.Total != *w {
				t.Errorf("Search(%q) total = %d, want %d (hits %v)", req.Query, resp.Total, *w, ids)
			}
			if c.Result.IDs != nil {
				got := append([]string{}, ids...)
				sort.Strings(got)
				want := append([]string{}, c.Result.IDs...)
				sort.Strings(want)
				if strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("Search(%q) ids = %v, want %v", req.Query, got, want)
				}
			}
			if c.Result.First != "" && (len(ids) == 0 || ids[0] != c.Result.First) {
				t.Errorf("Search(%q) first hit = %v, want %s", req.Query, ids, c.Result.First)
			}
			if c.Result.Mode != "" && resp.Mode != c.Result.Mode {
				t.Errorf("Search(%q) mode = %q, want %q", req.Query, resp.Mode, c.Result.Mode)
			}
			if c.Result.Notice != (resp.Notice != "") {
				t.Errorf("Search(%q) notice = %q, want notice: %v", req.Query, resp.Notice, c.Result.Notice)
			}
			for _, h := range resp.Hits {
				if strings.Contains(h.Excerpt, "<") && strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h.Excerpt), "<") {
					t.Errorf("excerpt of %s has unescaped markup: %q", h.ID, h.Excerpt)
				}
			}
		})
	}
}

// TestSeedBuildReproducible builds the seed corpus twice: the index files
// must be byte-identical so caches and reviews can rely on them.
func TestSeedBuildReproducible(t *testing.T) {
	docs := seedDocs(t)
	_, a := openDocs(t, docs)
	_, b := openDocs(t, docs)
	if string(a) != string(b) {
		t.Errorf("two builds of the seed corpus differ (%d and %d bytes)", len(a), len(b))
	}
}
