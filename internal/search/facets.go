package search

import (
	"context"
	"fmt"
	"reflect"
	"sort"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/quarry-search/quarry/internal/reader"
)

// Filter modes: how the selected values of one facet type combine.
const (
	// ModeAny keeps documents having at least one selected value (OR).
	ModeAny = "any"
	// ModeAll keeps documents having every selected value (AND).
	ModeAll = "all"
	// ModeNone keeps documents having none of the selected values.
	ModeNone = "none"
)

// FacetValue is one value of a facet type and the number of matching
// documents that have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// facetTable holds, for every facet field, each document's values (as
// ids into the field's value list), read once from the doc values.
type facetTable struct {
	fields []string
	values map[string][]string       // field -> value list, sorted
	ids    map[string]map[string]int // field -> value -> id
	docs   map[string][][]int        // field -> doc number -> value ids
}

func loadFacets(r *reader.Reader, fields []string, numDocs int) (*facetTable, error) {
	t := &facetTable{fields: fields, values: map[string][]string{}, ids: map[string]map[string]int{}, docs: map[string][][]int{}}
	for _, f := range fields {
		fd, err := r.FieldDict(f)
		if err != nil {
			return nil, fmt.Errorf("facet %s: %w", f, err)
		}
		ids := map[string]int{}
		var vals []string
		for {
			e, err := fd.Next()
			if err != nil {
				return nil, fmt.Errorf("facet %s: %w", f, err)
			}
			if e == nil {
				break
			}
			ids[e.Term] = len(vals)
			vals = append(vals, e.Term)
		}
		t.values[f], t.ids[f] = vals, ids
		t.docs[f] = make([][]int, numDocs)
	}
	if len(fields) == 0 {
		return t, nil
	}
	dvr, err := r.DocValueReader(fields)
	if err != nil {
		return nil, fmt.Errorf("facet doc values: %w", err)
	}
	for n := 0; n < numDocs; n++ {
		err := dvr.VisitDocValues(reader.InternalIDOf(uint64(n)), func(field string, term []byte) {
			if id, ok := t.ids[field][string(term)]; ok {
				t.docs[field][n] = append(t.docs[field][n], id)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("facet doc values of document %d: %w", n, err)
		}
	}
	return t, nil
}

// filter is one facet type's compiled selection.
type filter struct {
	field string
	mode  string
	ids   map[int]bool
	// unknown counts selected values absent from the index.
	unknown int
}

// compileFilters checks and compiles a request's filters.
func (t *facetTable) compileFilters(sel map[string][]string, modes map[string]string) ([]filter, error) {
	var out []filter
	names := make([]string, 0, len(sel))
	for f := range sel {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		vals := sel[f]
		if len(vals) == 0 {
			continue
		}
		if _, ok := t.ids[f]; !ok {
			return nil, fmt.Errorf("unknown filter %q (this index filters on %v)", f, t.fields)
		}
		mode := modes[f]
		if mode == "" {
			mode = ModeAny
		}
		if mode != ModeAny && mode != ModeAll && mode != ModeNone {
			return nil, fmt.Errorf("filter %q: unknown mode %q (want any, all or none)", f, mode)
		}
		flt := filter{field: f, mode: mode, ids: map[int]bool{}}
		for _, v := range vals {
			if id, ok := t.ids[f][v]; ok {
				flt.ids[id] = true
			} else {
				flt.unknown++
			}
		}
		out = append(out, flt)
	}
	return out, nil
}

// pass reports whether document n satisfies flt.
func (t *facetTable) pass(flt filter, n int) bool {
	have := 0
	for _, id := range t.docs[flt.field][n] {
		if flt.ids[id] {
			have++
		}
	}
	switch flt.mode {
	case ModeAll:
		return flt.unknown == 0 && have == len(flt.ids)
	case ModeNone:
		return have == 0
	default:
		return have > 0
	}
}

// passAll reports whether n satisfies every filter except the one on skip.
func (t *facetTable) passAll(fs []filter, n int, skip string) bool {
	for _, f := range fs {
		if f.field != skip && !t.pass(f, n) {
			return false
		}
	}
	return true
}

// counts computes disjunctive facet counts over the query's matching
// documents: each type's counts apply every other type's filters but not
// its own, so selecting one value keeps its siblings' counts.
func (t *facetTable) counts(matches []int, fs []filter) map[string][]FacetValue {
	out := make(map[string][]FacetValue, len(t.fields))
	for _, f := range t.fields {
		c := make([]int, len(t.values[f]))
		for _, n := range matches {
			if !t.passAll(fs, n, f) {
				continue
			}
			for _, id := range t.docs[f][n] {
				c[id]++
			}
		}
		vals := []FacetValue{}
		for id, k := range c {
			if k > 0 {
				vals = append(vals, FacetValue{Value: t.values[f][id], Count: k})
			}
		}
		sort.Slice(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return vals[i].Value < vals[j].Value
		})
		out[f] = vals
	}
	return out
}

// runFiltered executes q keeping only documents that pass every filter,
// and returns the page of hits, the filtered total and every document
// number the query matched before filtering (for facet counts).
func (e *Engine) runFiltered(ctx context.Context, q query.Query, fs []filter, size, from int, vectors bool) (search.DocumentMatchCollection, uint64, []int, error) {
	ctx = e.WithStats(ctx)
	fq := &filteredQuery{inner: q, table: e.facets, filters: fs}
	ms, total, err := Execute(ctx, e.r, e.im, fq, size, from, vectors)
	return ms, total, fq.seen, err
}

// filteredQuery wraps a query so its searcher drops documents failing the
// filters and records every document the inner query matched.
type filteredQuery struct {
	inner   query.Query
	table   *facetTable
	filters []filter
	seen    []int
}

// Searcher implements query.Query.
func (q *filteredQuery) Searcher(ctx context.Context, ir index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := q.inner.Searcher(ctx, ir, m, opts)
	if err != nil {
		return nil, err
	}
	return &filterSearcher{Searcher: s, q: q}, nil
}

var sizeOfFilterSearcher = int(reflect.TypeOf(filterSearcher{}).Size())

type filterSearcher struct {
	search.Searcher
	q *filteredQuery
}

func (s *filterSearcher) keep(ctx *search.SearchContext, m *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	for m != nil && err == nil {
		num, derr := reader.DocNum(m.IndexInternalID)
		if derr != nil {
			return nil, derr
		}
		n := int(num)
		s.q.seen = append(s.q.seen, n)
		if s.q.table.passAll(s.q.filters, n, "") {
			return m, nil
		}
		ctx.DocumentMatchPool.Put(m)
		m, err = s.Searcher.Next(ctx)
	}
	return m, err
}

func (s *filterSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	m, err := s.Searcher.Next(ctx)
	return s.keep(ctx, m, err)
}

func (s *filterSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	m, err := s.Searcher.Advance(ctx, id)
	return s.keep(ctx, m, err)
}

func (s *filterSearcher) Size() int { return sizeOfFilterSearcher + s.Searcher.Size() }
