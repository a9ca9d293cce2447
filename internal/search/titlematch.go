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

// TitleMatchQuery rewards documents whose Field contains every one of
// Terms, the more so the more of the field they cover: a page titled
// exactly "Shortcodes" comes before long pages merely mentioning
// shortcodes in their titles and bodies. The score is Boost times the
// terms' summed idf times the covered fraction of the field.
type TitleMatchQuery struct {
	Terms []string
	Field string
	Boost float64
}

var _ query.Query = (*TitleMatchQuery)(nil)

// Searcher implements query.Query.
func (q *TitleMatchQuery) Searcher(ctx context.Context, ir index.IndexReader, _ mapping.IndexMapping, _ search.SearcherOptions) (search.Searcher, error) {
	s := &titleMatchSearcher{}
	n, _, err := fieldStats(ctx, ir, q.Field)
	if err != nil {
		return nil, err
	}
	idf := 0.0
	for _, t := range q.Terms {
		tfr, err := ir.TermFieldReader(ctx, []byte(t), q.Field, true, true, false)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("term %s:%s: %w", q.Field, t, err)
		}
		df := float64(tfr.Count())
		idf += math.Log(1 + (n-df+0.5)/(df+0.5))
		s.tfrs = append(s.tfrs, tfr)
	}
	s.weight = q.Boost * idf
	s.curs = make([]*index.TermFieldDoc, len(s.tfrs))
	return s, nil
}

var sizeOfTitleMatchSearcher = int(reflect.TypeOf(titleMatchSearcher{}).Size())

type titleMatchSearcher struct {
	tfrs    []index.TermFieldReader
	curs    []*index.TermFieldDoc
	weight  float64
	started bool
}

// align advances all cursors to the next document they share.
func (s *titleMatchSearcher) align(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if len(s.tfrs) == 0 {
		return nil, nil
	}
	for {
		var max index.IndexInternalID
		for _, c := range s.curs {
			if c == nil {
				return nil, nil
			}
			if max == nil || c.ID.Compare(max) > 0 {
				max = c.ID
			}
		}
		same := true
		for i, c := range s.curs {
			if !c.ID.Equals(max) {
				same = false
				// max is another cursor's id: this one's document is reused.
				d, err := s.tfrs[i].Advance(max, c.Reset())
				if err != nil {
					return nil, err
				}
				s.curs[i] = d
			}
		}
		if !same {
			continue
		}
		rv := ctx.DocumentMatchPool.Get()
		rv.IndexInternalID = append(rv.IndexInternalID, max...)
		matched := 0.0
		length := 0.0
		for _, c := range s.curs {
			matched += float64(c.Freq)
			if c.Norm > 0 {
				length = 1 / (c.Norm * c.Norm)
			}
		}
		cover := 1.0
		if length > 0 {
			cover = math.Min(1, matched/length)
		}
		rv.Score = s.weight * cover
		for i, c := range s.curs {
			d, err := s.tfrs[i].Next(c.Reset())
			if err != nil {
				return nil, err
			}
			s.curs[i] = d
		}
		return rv, nil
	}
}

func (s *titleMatchSearcher) start() error {
	s.started = true
	for i, t := range s.tfrs {
		d, err := t.Next(nil)
		if err != nil {
			return err
		}
		s.curs[i] = d
	}
	return nil
}

func (s *titleMatchSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	return s.align(ctx)
}

func (s *titleMatchSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	for i, c := range s.curs {
		if c != nil && c.ID.Compare(id) < 0 {
			d, err := s.tfrs[i].Advance(id, c.Reset())
			if err != nil {
				return nil, err
			}
			s.curs[i] = d
		}
	}
	return s.align(ctx)
}

func (s *titleMatchSearcher) Close() error {
	var first error
	for _, t := range s.tfrs {
		if err := t.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *titleMatchSearcher) Weight() float64      { return 1 }
func (s *titleMatchSearcher) SetQueryNorm(float64) {}
func (s *titleMatchSearcher) Count() uint64 {
	var n uint64
	for i, t := range s.tfrs {
		if i == 0 || t.Count() < n {
			n = t.Count()
		}
	}
	return n
}
func (s *titleMatchSearcher) Min() int { return 0 }
func (s *titleMatchSearcher) Size() int {
	n := sizeOfTitleMatchSearcher
	for _, t := range s.tfrs {
		n += t.Size()
	}
	return n
}
func (s *titleMatchSearcher) DocumentMatchPoolSize() int { return 1 }
