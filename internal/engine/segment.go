package engine

import (
	"sync"

	"github.com/blevesearch/vellum"

	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/zap"
)

// zapIndex reads a zap v16 segment through index.Reader, keeping the
// postings it decoded most recently: a person typing repeats most of a
// query's terms at every keystroke, and a results page asks for the same
// terms for hits, facets and feedback.
type zapIndex struct {
	s *zap.Segment

	mu     sync.Mutex
	cache  map[postingsKey]*index.Postings
	cached int // bytes held by cache
}

type postingsKey struct {
	field, term string
	want        index.Want
}

// maxPostingsCache bounds the bytes of decoded postings kept; the cache is
// emptied when it would grow past it.
const maxPostingsCache = 4 << 20

func openSegment(seg []byte) (index.Reader, error) {
	s, err := zap.Open(seg)
	if err != nil {
		return nil, err
	}
	return &zapIndex{s: s, cache: map[postingsKey]*index.Postings{}}, nil
}

func (z *zapIndex) NumDocs() int { return z.s.NumDocs() }

func (z *zapIndex) DocFreq(field, term string) (int, error) {
	d, err := z.s.Dict(field)
	if d == nil || err != nil {
		return 0, err
	}
	return d.DocFreq([]byte(term))
}

// Postings returns term's postings in field; callers must not modify
// them (they may be shared through the cache).
func (z *zapIndex) Postings(field, term string, want index.Want) (*index.Postings, error) {
	key := postingsKey{field, term, want}
	z.mu.Lock()
	p, ok := z.cache[key]
	z.mu.Unlock()
	if ok {
		return p, nil
	}
	d, err := z.s.Dict(field)
	if d == nil || err != nil {
		return nil, err
	}
	zp, err := d.Postings([]byte(term), zap.Want(want))
	if err != nil {
		return nil, err
	}
	if zp != nil {
		p = &index.Postings{Docs: zp.Docs, Freqs: zp.Freqs, Norms: zp.Norms, PosStart: zp.PosStart, Pos: zp.Pos}
	}
	size := 64 + len(field) + len(term)
	if p != nil {
		size += 4 * (len(p.Docs) + len(p.Freqs) + len(p.Norms) + len(p.PosStart) + len(p.Pos))
	}
	z.mu.Lock()
	if z.cached+size > maxPostingsCache {
		clear(z.cache)
		z.cached = 0
	}
	z.cache[key] = p
	z.cached += size
	z.mu.Unlock()
	return p, nil
}

func (z *zapIndex) Terms(field string, a vellum.Automaton, start, end []byte, fn func(index.Entry) bool) error {
	d, err := z.s.Dict(field)
	if d == nil || err != nil {
		return err
	}
	return d.Iterate(a, start, end, func(e zap.Entry) bool {
		return fn(index.Entry{Term: e.Term, DocFreq: e.DocFreq, EditDistance: e.EditDistance})
	})
}
