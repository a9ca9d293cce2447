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

// bm25FK1 is BM25F's saturation: fields' frequencies add up before it, so
// it is higher than plain BM25's (Cranfield nDCG@10 0.402 at 1.2, 0.405
// at 2.0).
const bm25FK1 = 2.0

// FieldsQuery matches Term in any of Fields and scores it with BM25F: the
// term frequencies of the fields, each normalised by its own length and
// multiplied by its weight, are added before BM25's saturation, so a word
// in both title and body counts once, more strongly, rather than twice.
type FieldsQuery struct {
	Term    string
	Fields  []string
	Weights []float64
	// Boost multiplies the score (0 scores nothing).
	Boost float64
}

var _ query.Query = (*FieldsQuery)(nil)

// Searcher implements query.Query.
func (q *FieldsQuery) Searcher(ctx context.Context, ir index.IndexReader, _ mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s := &fieldsSearcher{vectors: opts.IncludeTermVectors}
	var n, maxDF float64
	for i, f := range q.Fields {
		tfr, err := ir.TermFieldReader(ctx, []byte(q.Term), f, true, true, opts.IncludeTermVectors)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("term %s:%s: %w", f, q.Term, err)
		}
		docs, avg, err := fieldStats(ctx, ir, f)
		if err != nil {
			tfr.Close()
			s.Close()
			return nil, err
		}
		n = docs
		maxDF = math.Max(maxDF, float64(tfr.Count()))
		s.fields = append(s.fields, fieldCursor{tfr: tfr, weight: q.Weights[i], avg: avg})
	}
	// The number of documents having the term in any field is at least
	// the largest per-field count; titles are usually also in the body.
	s.weight = q.Boost * math.Log(1+(n-maxDF+0.5)/(maxDF+0.5))
	return s, nil
}

type fieldCursor struct {
	tfr    index.TermFieldReader
	cur    *index.TermFieldDoc
	weight float64
	avg    float64
}

var sizeOfFieldsSearcher = int(reflect.TypeOf(fieldsSearcher{}).Size())

type fieldsSearcher struct {
	fields  []fieldCursor
	weight  float64
	vectors bool
	started bool
}

func (s *fieldsSearcher) start() error {
	s.started = true
	for i := range s.fields {
		d, err := s.fields[i].tfr.Next(nil)
		if err != nil {
			return err
		}
		s.fields[i].cur = d
	}
	return nil
}

// emit scores the smallest current document and moves its cursors on.
func (s *fieldsSearcher) emit(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	var min index.IndexInternalID
	for _, f := range s.fields {
		if f.cur != nil && (min == nil || f.cur.ID.Compare(min) < 0) {
			min = f.cur.ID
		}
	}
	if min == nil {
		return nil, nil
	}
	rv := ctx.DocumentMatchPool.Get()
	rv.IndexInternalID = append(rv.IndexInternalID, min...)
	// The cursors' documents are reused as they move on, so min (one of
	// their ids) is compared through its copy.
	min = rv.IndexInternalID
	tf := 0.0
	for i := range s.fields {
		f := &s.fields[i]
		if f.cur == nil || !f.cur.ID.Equals(min) {
			continue
		}
		norm := 1.0
		if f.avg > 0 && f.cur.Norm > 0 {
			norm = 1 - bm25B + bm25B*(1/(f.cur.Norm*f.cur.Norm))/f.avg
		}
		tf += f.weight * float64(f.cur.Freq) / norm
		if s.vectors {
			for _, v := range f.cur.Vectors {
				rv.FieldTermLocations = append(rv.FieldTermLocations, search.FieldTermLocation{
					Field: v.Field, Term: f.cur.Term,
					Location: search.Location{Pos: v.Pos, Start: v.Start, End: v.End, ArrayPositions: append(search.ArrayPositions{}, v.ArrayPositions...)},
				})
			}
		}
		d, err := f.tfr.Next(f.cur.Reset())
		if err != nil {
			return nil, err
		}
		f.cur = d
	}
	rv.Score = s.weight * tf * (bm25FK1 + 1) / (tf + bm25FK1)
	return rv, nil
}

func (s *fieldsSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	return s.emit(ctx)
}

func (s *fieldsSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	for i := range s.fields {
		f := &s.fields[i]
		if f.cur != nil && f.cur.ID.Compare(id) < 0 {
			d, err := f.tfr.Advance(id, f.cur.Reset())
			if err != nil {
				return nil, err
			}
			f.cur = d
		}
	}
	return s.emit(ctx)
}

func (s *fieldsSearcher) Close() error {
	var first error
	for _, f := range s.fields {
		if err := f.tfr.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *fieldsSearcher) Weight() float64      { return 1 }
func (s *fieldsSearcher) SetQueryNorm(float64) {}
func (s *fieldsSearcher) Count() uint64 {
	var n uint64
	for _, f := range s.fields {
		n = max(n, f.tfr.Count())
	}
	return n
}
func (s *fieldsSearcher) Min() int { return 0 }
func (s *fieldsSearcher) Size() int {
	n := sizeOfFieldsSearcher
	for _, f := range s.fields {
		n += f.tfr.Size()
	}
	return n
}
func (s *fieldsSearcher) DocumentMatchPoolSize() int { return 1 }
