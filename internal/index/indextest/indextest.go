// Package indextest builds small in-memory indexes for tests of the
// packages that read through index.Reader: documents are given as
// tokens per field, and postings, norms and positions are computed as
// bleve computes them (norm = 1/sqrt(field length), positions from 1).
package indextest

import (
	"math"
	"slices"
	"strings"

	"github.com/quarry-search/quarry/internal/index"
)

// Doc is one document: field -> its tokens (already analyzed), in order.
type Doc map[string][]string

// Fields splits space-separated text into tokens, per field.
func Fields(kv ...string) Doc {
	d := Doc{}
	for i := 0; i+1 < len(kv); i += 2 {
		d[kv[i]] = strings.Fields(kv[i+1])
	}
	return d
}

// Index is an in-memory index.Reader.
type Index struct {
	n     int
	terms map[string][]string                   // field -> sorted terms
	post  map[string]map[string]*index.Postings // field -> term -> postings
	// Tokens is the total number of tokens per field.
	Tokens map[string]int
}

var _ index.Reader = (*Index)(nil)

// New indexes docs (document i has number i).
func New(docs []Doc) *Index {
	x := &Index{n: len(docs), post: map[string]map[string]*index.Postings{}, terms: map[string][]string{}, Tokens: map[string]int{}}
	for num, d := range docs {
		for field, toks := range d {
			if len(toks) == 0 {
				continue
			}
			x.Tokens[field] += len(toks)
			norm := float32(1 / math.Sqrt(float64(len(toks))))
			pos := map[string][]uint32{}
			var order []string
			for i, t := range toks {
				if _, ok := pos[t]; !ok {
					order = append(order, t)
				}
				pos[t] = append(pos[t], uint32(i+1))
			}
			if x.post[field] == nil {
				x.post[field] = map[string]*index.Postings{}
			}
			for _, t := range order {
				p := x.post[field][t]
				if p == nil {
					p = &index.Postings{PosStart: []uint32{0}}
					x.post[field][t] = p
					x.terms[field] = append(x.terms[field], t)
				}
				p.Docs = append(p.Docs, uint32(num))
				p.Freqs = append(p.Freqs, uint32(len(pos[t])))
				p.Norms = append(p.Norms, norm)
				p.Pos = append(p.Pos, pos[t]...)
				p.PosStart = append(p.PosStart, uint32(len(p.Pos)))
			}
		}
	}
	for f := range x.terms {
		slices.Sort(x.terms[f])
	}
	return x
}

// NumDocs implements index.Reader.
func (x *Index) NumDocs() int { return x.n }

// DocFreq implements index.Reader.
func (x *Index) DocFreq(field, term string) (int, error) {
	if p := x.post[field][term]; p != nil {
		return len(p.Docs), nil
	}
	return 0, nil
}

// Postings implements index.Reader.
func (x *Index) Postings(field, term string, want index.Want) (*index.Postings, error) {
	p := x.post[field][term]
	if p == nil {
		return nil, nil
	}
	out := &index.Postings{Docs: p.Docs}
	if want&index.WantFreqNorm != 0 {
		out.Freqs, out.Norms = p.Freqs, p.Norms
	}
	if want&index.WantPositions != 0 {
		out.PosStart, out.Pos = p.PosStart, p.Pos
	}
	return out, nil
}

// Terms implements index.Reader by running a over every term in range.
func (x *Index) Terms(field string, a index.Automaton, start, end []byte, fn func(index.Entry) bool) error {
	for _, t := range x.terms[field] {
		if start != nil && t < string(start) || end != nil && t >= string(end) {
			continue
		}
		e := index.Entry{Term: []byte(t), DocFreq: len(x.post[field][t].Docs)}
		if a != nil {
			s := a.Start()
			for i := 0; i < len(t) && a.CanMatch(s); i++ {
				s = a.Accept(s, t[i])
			}
			if !a.IsMatch(s) {
				continue
			}
			if fa, ok := a.(index.FuzzyAutomaton); ok {
				e.EditDistance = fa.EditDistance(s)
			}
		}
		if !fn(e) {
			return nil
		}
	}
	return nil
}
