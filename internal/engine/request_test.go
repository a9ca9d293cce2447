package engine

import (
	"fmt"
	"slices"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/analysis"
	"github.com/quarry-search/quarry/internal/doc"
)

// queryStop is the stop-word test the engine's planner is given.
func (e *Engine) queryStop() func(string) bool {
	lang, err := analysis.LookupLanguage(e.head.Language)
	if err != nil {
		panic(err)
	}
	return lang.IsQueryStopWord
}

// TestRequestWords: the words of a question that ask for documents
// ("anyone", "interested", "papers") are weighed as stop words. Rare in
// the pages, as content words they would rank first the one page that
// happens to hold them; alone, they are still searched.
func TestRequestWords(t *testing.T) {
	docs := []doc.Document{
		{ID: "mill", Title: "Papers and articles", Body: "Anyone interested in how papers and articles were printed, please visit the mill: anyone can see papers and publications made."},
		{ID: "shear", Title: "Shear buckling of plates", Body: "Flat plates under shear loads buckle; the buckling mode depends on the edges."},
		{ID: "flutter", Title: "Panel flutter", Body: "Panels flutter in supersonic flow; buckling of plates changes the flutter."},
	}
	for i := range 12 {
		docs = append(docs, doc.Document{ID: fmt.Sprint("wing", i), Title: fmt.Sprint("Wing ", i), Body: "Buckling of the plates of a swept wing in a wind tunnel, and panel flutter."})
	}
	e, err := Open(buildIndex(t, docs, build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		first string
		words []string // the plan's content words
	}{
		{"has anyone written papers on shear buckling of plates?", "shear", []string{"buckl", "plate", "shear", "written"}},
		{"I am interested in articles about panel flutter", "flutter", []string{"flutter", "panel"}},
		{"please: publications on buckling plates", "shear", []string{"buckl", "plate"}},
		// Nothing but request and stop words: searched at full weight.
		{"papers", "mill", nil},
		{"anyone interested in papers", "mill", nil},
	}
	for _, tt := range tests {
		resp, err := e.Search(Request{Query: tt.query, Limit: 3, Complete: true, NoExcerpt: true, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitIDs(resp); len(got) == 0 || got[0] != tt.first {
			t.Errorf("%q: hits %v, want %q first", tt.query, got, tt.first)
		}
		pl, err := e.Plan(tt.query, true)
		if err != nil {
			t.Fatal(err)
		}
		var words []string
		for w := range pl.Words {
			words = append(words, w)
		}
		slices.Sort(words)
		if fmt.Sprint(words) != fmt.Sprint(tt.words) {
			t.Errorf("%q: content words %v, want %v", tt.query, words, tt.words)
		}
	}
}
