package search

import (
	"context"
	"fmt"
	"math"
	"reflect"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// BM25 parameters of plain-word queries (Robertson/Spärck Jones, as in
// Lucene): term-frequency saturation and length normalisation.
var (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// TermQuery is a plain-word clause: term in field, scored with standard
// BM25 (raw term frequency, idf counted once, true average field length).
// bleve's own BM25 takes the square root of the frequency, squares the
// idf and normalises by the query, which ranks worse on Cranfield; this
// query runs over the same index.IndexReader API, so any bleve index can
// execute it.
type TermQuery struct {
	Term  string
	Field string
	// Boost multiplies the score (0 scores nothing).
	Boost float64
}

var _ query.Query = (*TermQuery)(nil)

// Searcher implements query.Query.
func (q *TermQuery) Searcher(ctx context.Context, ir index.IndexReader, _ mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	tfr, err := ir.TermFieldReader(ctx, []byte(q.Term), q.Field, true, true, opts.IncludeTermVectors)
	if err != nil {
		return nil, fmt.Errorf("term %s:%s: %w", q.Field, q.Term, err)
	}
	n, avg, err := fieldStats(ctx, ir, q.Field)
	if err != nil {
		tfr.Close()
		return nil, err
	}
	df := float64(tfr.Count())
	idf := math.Log(1 + (n-df+0.5)/(df+0.5))
	return &termSearcher{tfr: tfr, weight: q.Boost * idf, avg: avg, field: q.Field, vectors: opts.IncludeTermVectors}, nil
}

// fieldStats returns the document count and the average length of field,
// from the BM25 statistics in ctx when present (see Engine.WithStats).
func fieldStats(ctx context.Context, ir index.IndexReader, field string) (n, avg float64, err error) {
	if st, ok := ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok && st.DocCount > 0 {
		return st.DocCount, float64(st.FieldCardinality[field]) / st.DocCount, nil
	}
	c, err := ir.DocCount()
	if err != nil {
		return 0, 0, fmt.Errorf("doc count: %w", err)
	}
	n = float64(c)
	if br, ok := ir.(index.BM25Reader); ok && n > 0 {
		fc, err := br.FieldCardinality(field)
		if err != nil {
			return 0, 0, err
		}
		avg = float64(fc) / n
	}
	return n, avg, nil
}

var sizeOfTermSearcher = int(reflect.TypeOf(termSearcher{}).Size())

type termSearcher struct {
	tfr     index.TermFieldReader
	tfd     index.TermFieldDoc
	weight  float64
	avg     float64
	field   string
	vectors bool
}

func (s *termSearcher) score(ctx *search.SearchContext, d *index.TermFieldDoc) *search.DocumentMatch {
	rv := ctx.DocumentMatchPool.Get()
	tf := float64(d.Freq)
	norm := 1.0
	if s.avg > 0 && d.Norm > 0 {
		dl := 1 / (d.Norm * d.Norm)
		norm = 1 - bm25B + bm25B*dl/s.avg
	}
	rv.Score = s.weight * tf * (bm25K1 + 1) / (tf + bm25K1*norm)
	rv.IndexInternalID = append(rv.IndexInternalID, d.ID...)
	if s.vectors {
		for _, v := range d.Vectors {
			rv.FieldTermLocations = append(rv.FieldTermLocations, search.FieldTermLocation{
				Field: v.Field, Term: d.Term,
				Location: search.Location{Pos: v.Pos, Start: v.Start, End: v.End, ArrayPositions: append(search.ArrayPositions{}, v.ArrayPositions...)},
			})
		}
	}
	return rv
}

func (s *termSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.tfr.Next(s.tfd.Reset())
	if err != nil || d == nil {
		return nil, err
	}
	return s.score(ctx, d), nil
}

func (s *termSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.tfr.Advance(id, s.tfd.Reset())
	if err != nil || d == nil {
		return nil, err
	}
	return s.score(ctx, d), nil
}

func (s *termSearcher) Close() error               { return s.tfr.Close() }
func (s *termSearcher) Weight() float64            { return 1 }
func (s *termSearcher) SetQueryNorm(float64)       {}
func (s *termSearcher) Count() uint64              { return s.tfr.Count() }
func (s *termSearcher) Min() int                   { return 0 }
func (s *termSearcher) Size() int                  { return sizeOfTermSearcher + s.tfr.Size() }
func (s *termSearcher) DocumentMatchPoolSize() int { return 1 }

// SumQuery matches documents matching any clause and scores them with the
// sum of the matching clauses' scores (bleve's disjunction would also
// multiply by the fraction of clauses matched, which halves a word found
// in the body but not the title).
type SumQuery struct {
	Clauses []query.Query
}

var _ query.Query = (*SumQuery)(nil)

// Searcher implements query.Query.
func (q *SumQuery) Searcher(ctx context.Context, ir index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s := &sumSearcher{}
	for _, c := range q.Clauses {
		sub, err := c.Searcher(ctx, ir, m, opts)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.subs = append(s.subs, sub)
	}
	s.currs = make([]*search.DocumentMatch, len(s.subs))
	return s, nil
}

var sizeOfSumSearcher = int(reflect.TypeOf(sumSearcher{}).Size())

type sumSearcher struct {
	subs    []search.Searcher
	currs   []*search.DocumentMatch
	started bool
}

func (s *sumSearcher) init(ctx *search.SearchContext) error {
	s.started = true
	for i, sub := range s.subs {
		m, err := sub.Next(ctx)
		if err != nil {
			return err
		}
		s.currs[i] = m
	}
	return nil
}

// emit combines the sub-matches on the smallest current document and
// moves those sub-searchers on.
func (s *sumSearcher) emit(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	var min index.IndexInternalID
	for _, c := range s.currs {
		if c != nil && (min == nil || c.IndexInternalID.Compare(min) < 0) {
			min = c.IndexInternalID
		}
	}
	if min == nil {
		return nil, nil
	}
	var rv *search.DocumentMatch
	for i, c := range s.currs {
		if c == nil || !c.IndexInternalID.Equals(min) {
			continue
		}
		if rv == nil {
			rv = c
		} else {
			rv.Score += c.Score
			rv.FieldTermLocations = append(rv.FieldTermLocations, c.FieldTermLocations...)
			ctx.DocumentMatchPool.Put(c)
		}
		next, err := s.subs[i].Next(ctx)
		if err != nil {
			return nil, err
		}
		s.currs[i] = next
	}
	return rv, nil
}

func (s *sumSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.init(ctx); err != nil {
			return nil, err
		}
	}
	return s.emit(ctx)
}

func (s *sumSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.init(ctx); err != nil {
			return nil, err
		}
	}
	for i, c := range s.currs {
		if c == nil || c.IndexInternalID.Compare(id) >= 0 {
			continue
		}
		ctx.DocumentMatchPool.Put(c)
		m, err := s.subs[i].Advance(ctx, id)
		if err != nil {
			return nil, err
		}
		s.currs[i] = m
	}
	return s.emit(ctx)
}

func (s *sumSearcher) Close() error {
	var first error
	for _, sub := range s.subs {
		if err := sub.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *sumSearcher) Weight() float64      { return 1 }
func (s *sumSearcher) SetQueryNorm(float64) {}
func (s *sumSearcher) Count() uint64 {
	var n uint64
	for _, sub := range s.subs {
		n += sub.Count()
	}
	return n
}
func (s *sumSearcher) Min() int { return 0 }
func (s *sumSearcher) Size() int {
	n := sizeOfSumSearcher
	for _, sub := range s.subs {
		n += sub.Size()
	}
	return n
}
func (s *sumSearcher) DocumentMatchPoolSize() int {
	n := 1
	for _, sub := range s.subs {
		n += sub.DocumentMatchPoolSize()
	}
	return n
}
