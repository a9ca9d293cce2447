package search

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
)

// facetCorpus makes documents with random facet values (fixed seed).
func facetCorpus(t *testing.T) ([]doc.Document, *Engine) {
	t.Helper()
	rng := rand.New(rand.NewSource(7))
	words := []string{"alpha", "beta", "gamma", "delta"}
	vals := map[string][]string{"org": {"Acme", "Globex", "Initech"}, "place": {"Paris", "Oslo"}, "tags": {"go", "wasm", "search", "ui"}}
	var docs []doc.Document
	for i := 0; i < 60; i++ {
		d := doc.Document{ID: fmt.Sprintf("d%02d", i), Title: fmt.Sprintf("Doc %d", i), Facets: map[string][]string{}}
		d.Body = words[rng.Intn(len(words))] + " " + words[rng.Intn(len(words))]
		for f, vs := range vals {
			for _, v := range vs {
				if rng.Intn(3) == 0 {
					d.Facets[f] = append(d.Facets[f], v)
				}
			}
		}
		docs = append(docs, d)
	}
	e, err := Build(context.Background(), docs, Options{FacetFields: []string{"org", "place", "tags"}})
	if err != nil {
		t.Fatal(err)
	}
	return docs, e
}

// brute computes the expected hits and disjunctive counts directly.
func brute(docs []doc.Document, word string, filters map[string][]string, modes map[string]string) ([]string, map[string]map[string]int) {
	passes := func(d doc.Document, f string) bool {
		want := filters[f]
		have := 0
		for _, v := range want {
			for _, dv := range d.Facets[f] {
				if dv == v {
					have++
					break
				}
			}
		}
		switch modes[f] {
		case ModeAll:
			return have == len(want)
		case ModeNone:
			return have == 0
		default:
			return len(want) == 0 || have > 0
		}
	}
	var hits []string
	counts := map[string]map[string]int{"org": {}, "place": {}, "tags": {}}
	for _, d := range docs {
		if word != "" && !strings.Contains(" "+d.Body+" ", " "+word+" ") {
			continue
		}
		all := true
		for f := range filters {
			if !passes(d, f) {
				all = false
			}
		}
		if all {
			hits = append(hits, d.ID)
		}
		for f := range counts {
			ok := true
			for g := range filters {
				if g != f && !passes(d, g) {
					ok = false
				}
			}
			if ok {
				for _, v := range d.Facets[f] {
					counts[f][v]++
				}
			}
		}
	}
	sort.Strings(hits)
	return hits, counts
}

func TestFiltersAndDisjunctiveCounts(t *testing.T) {
	docs, e := facetCorpus(t)
	tests := []struct {
		name    string
		q       string
		filters map[string][]string
		modes   map[string]string
	}{
		{"one org", "", map[string][]string{"org": {"Acme"}}, nil},
		{"two orgs OR", "", map[string][]string{"org": {"Acme", "Globex"}}, nil},
		{"org AND place", "", map[string][]string{"org": {"Acme", "Initech"}, "place": {"Oslo"}}, nil},
		{"all tags", "", map[string][]string{"tags": {"go", "wasm"}}, map[string]string{"tags": ModeAll}},
		{"no place Paris", "", map[string][]string{"place": {"Paris"}}, map[string]string{"place": ModeNone}},
		{"query with filters", "gamma", map[string][]string{"org": {"Globex"}, "tags": {"ui", "go"}}, nil},
		{"query, no filters", "alpha", nil, nil},
		{"three types", "beta", map[string][]string{"org": {"Acme"}, "place": {"Oslo", "Paris"}, "tags": {"search"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := e.Search(context.Background(), Request{Query: tt.q, Complete: true, Limit: 100, Filters: tt.filters, FilterModes: tt.modes})
			if err != nil {
				t.Fatal(err)
			}
			wantHits, wantCounts := brute(docs, tt.q, tt.filters, tt.modes)
			var got []string
			for _, h := range resp.Hits {
				got = append(got, h.ID)
			}
			sort.Strings(got)
			if len(tt.filters) > 0 || tt.q != "" {
				if !reflect.DeepEqual(got, wantHits) || resp.Total != uint64(len(wantHits)) {
					t.Errorf("hits = %v (total %d), want %v", got, resp.Total, wantHits)
				}
			}
			for f, want := range wantCounts {
				gotC := map[string]int{}
				for _, v := range resp.Facets[f] {
					gotC[v.Value] = v.Count
				}
				if !reflect.DeepEqual(gotC, want) {
					t.Errorf("facet %s counts = %v, want %v", f, gotC, want)
				}
			}
		})
	}
}

func TestFilterErrorsAndBrowse(t *testing.T) {
	_, e := facetCorpus(t)
	if _, err := e.Search(context.Background(), Request{Filters: map[string][]string{"colour": {"red"}}}); err == nil || !strings.Contains(err.Error(), `unknown filter "colour"`) {
		t.Errorf("unknown filter type: err = %v", err)
	}
	if _, err := e.Search(context.Background(), Request{Filters: map[string][]string{"org": {"Acme"}}, FilterModes: map[string]string{"org": "most"}}); err == nil {
		t.Error("unknown filter mode accepted")
	}
	resp, err := e.Search(context.Background(), Request{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Total != 0 || len(resp.Facets["org"]) != 3 {
		t.Errorf("empty request: total %d, org facets %v; want no hits and all 3 orgs", resp.Total, resp.Facets["org"])
	}
	resp, _ = e.Search(context.Background(), Request{Filters: map[string][]string{"org": {"Nobody"}}})
	if resp.Total != 0 {
		t.Errorf("filter on an absent value found %d docs", resp.Total)
	}
	if resp.Mode != "browse" {
		t.Errorf("mode = %q, want browse", resp.Mode)
	}
}
