package engine

import (
	"github.com/blevesearch/vellum"

	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/zap"
)

// zapIndex reads a zap v16 segment through index.Reader.
type zapIndex struct{ s *zap.Segment }

func openSegment(seg []byte) (index.Reader, error) {
	s, err := zap.Open(seg)
	if err != nil {
		return nil, err
	}
	return &zapIndex{s}, nil
}

func (z *zapIndex) NumDocs() int { return z.s.NumDocs() }

func (z *zapIndex) DocFreq(field, term string) (int, error) {
	d, err := z.s.Dict(field)
	if d == nil || err != nil {
		return 0, err
	}
	return d.DocFreq([]byte(term))
}

func (z *zapIndex) Postings(field, term string, want index.Want) (*index.Postings, error) {
	d, err := z.s.Dict(field)
	if d == nil || err != nil {
		return nil, err
	}
	p, err := d.Postings([]byte(term), zap.Want(want))
	if p == nil || err != nil {
		return nil, err
	}
	return &index.Postings{Docs: p.Docs, Freqs: p.Freqs, Norms: p.Norms, PosStart: p.PosStart, Pos: p.Pos}, nil
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
