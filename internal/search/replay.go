package search

import (
	"context"
	"sort"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Pseudo-relevance feedback runs a query twice: once to find its best
// documents, then again extended with their characteristic terms. The
// second run does not score the original query again: the first run
// records every match it produces (recordQuery) and the second replays
// those scores (replayQuery), which are the very same numbers.

// scoredDoc is one recorded match.
type scoredDoc struct {
	id    index.IndexInternalID
	score float64
}

// recordQuery runs Query and appends each match it produces, in document
// order, to *Into.
type recordQuery struct {
	Query query.Query
	Into  *[]scoredDoc
}

// Searcher implements query.Query.
func (q *recordQuery) Searcher(ctx context.Context, ir index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := q.Query.Searcher(ctx, ir, m, opts)
	if err != nil {
		return nil, err
	}
	return &recordSearcher{Searcher: s, into: q.Into}, nil
}

type recordSearcher struct {
	search.Searcher
	into *[]scoredDoc
	ids  []byte // holds the recorded ids, a few allocations for all
}

func (s *recordSearcher) record(m *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if m != nil {
		n := len(s.ids)
		s.ids = append(s.ids, m.IndexInternalID...)
		*s.into = append(*s.into, scoredDoc{index.IndexInternalID(s.ids[n:len(s.ids):len(s.ids)]), m.Score})
	}
	return m, err
}

func (s *recordSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.record(s.Searcher.Next(ctx))
}

func (s *recordSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	return s.record(s.Searcher.Advance(ctx, id))
}

// replayQuery matches the recorded documents with their recorded scores.
// It is only valid on the reader the matches were recorded from, and
// only for matches recorded without term locations.
type replayQuery struct {
	Docs []scoredDoc
}

// Searcher implements query.Query.
func (q *replayQuery) Searcher(context.Context, index.IndexReader, mapping.IndexMapping, search.SearcherOptions) (search.Searcher, error) {
	return &replaySearcher{docs: q.Docs}, nil
}

type replaySearcher struct {
	docs []scoredDoc
	i    int
}

func (s *replaySearcher) emit(ctx *search.SearchContext) *search.DocumentMatch {
	if s.i >= len(s.docs) {
		return nil
	}
	d := s.docs[s.i]
	s.i++
	rv := ctx.DocumentMatchPool.Get()
	rv.IndexInternalID = append(rv.IndexInternalID, d.id...)
	rv.Score = d.score
	return rv
}

func (s *replaySearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.emit(ctx), nil
}

func (s *replaySearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	rest := s.docs[s.i:]
	s.i += sort.Search(len(rest), func(j int) bool { return rest[j].id.Compare(id) >= 0 })
	return s.emit(ctx), nil
}

func (s *replaySearcher) Close() error               { return nil }
func (s *replaySearcher) Weight() float64            { return 1 }
func (s *replaySearcher) SetQueryNorm(float64)       {}
func (s *replaySearcher) Count() uint64              { return uint64(len(s.docs)) }
func (s *replaySearcher) Min() int                   { return 0 }
func (s *replaySearcher) Size() int                  { return 64 + 40*len(s.docs) }
func (s *replaySearcher) DocumentMatchPoolSize() int { return 1 }
