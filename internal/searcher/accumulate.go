package searcher

import (
	"math/bits"

	"github.com/quarry-search/quarry/internal/query"
)

// Plain-word trees (sums of BM25F, BM25, title-match and replayed
// clauses) are evaluated term at a time: each clause adds its scores into
// one array indexed by document, and the matches are the documents
// touched. For such trees this gives the same scores as walking the
// clauses document at a time (sums taken in the same clause order) with
// none of the union's bookkeeping per document: Cranfield's questions,
// sums of 10 to 30 clauses, ran 40% faster natively (measured with
// BenchmarkQueryCranfield).

// accumulator holds the running scores of one plain-word run.
type accumulator struct {
	c       *compiler
	score   []float64
	touched []uint64 // bitmap of documents with a score
	keep    *Scores  // where drain gives the arrays back, or nil
}

// plain reports whether n can be accumulated.
func plain(n query.Node) bool {
	switch t := n.(type) {
	case *query.Fields, *query.Term, *query.TitleMatch, *query.Near, *query.Recorded, *query.All:
		return true
	case *query.Sum:
		for _, c := range t.Clauses {
			if !plain(c) {
				return false
			}
		}
		return true
	}
	return false
}

// Scores holds a plain run's score arrays for the next run to reuse (a
// run needs them as long as the collection: 11 kB for Cranfield's 1,400
// documents, 87 kB for the PHP manual's 10,872; allocated afresh they were
// a seventh of the bytes allocated per Cranfield question,
// BenchmarkQueryCranfield -benchmem). A run takes them and gives them
// back with every element zero, up to their capacity, so they serve a
// collection of any size up to it; a run that fails does not give them
// back (the next allocates). One run at a time; the zero value is ready.
type Scores struct {
	score   []float64
	touched []uint64
}

func newAccumulator(c *compiler, s *Scores) *accumulator {
	n, words := c.st.Docs, (c.st.Docs+63)/64
	if s != nil && cap(s.score) >= n && cap(s.touched) >= words {
		a := &accumulator{c: c, score: s.score[:n], touched: s.touched[:words], keep: s}
		s.score, s.touched = nil, nil
		return a
	}
	return &accumulator{c: c, score: make([]float64, n), touched: make([]uint64, words), keep: s}
}

func (a *accumulator) add(d uint32, s float64) {
	if int(d) >= len(a.score) {
		return
	}
	a.score[d] += s
	a.touched[d/64] |= 1 << (d % 64)
}

// run adds n's scores.
func (a *accumulator) run(n query.Node) error {
	switch t := n.(type) {
	case *query.Sum:
		for _, c := range t.Clauses {
			if err := a.run(c); err != nil {
				return err
			}
		}
		return nil
	case *query.All:
		for d := 0; d < a.c.st.Docs; d++ {
			a.add(uint32(d), 1)
		}
		return nil
	case *query.Recorded:
		for i, d := range t.Docs {
			a.add(d, t.Scores[i])
		}
		return nil
	}
	// Fields, Term, TitleMatch and Near walk their own (few) postings
	// lists.
	it, err := a.c.compile(n)
	if err != nil {
		return err
	}
	for it.next() {
		a.add(it.doc(), it.score())
	}
	return nil
}

// drain calls fn for every touched document in ascending order, clearing
// its score and bit, then gives the arrays back to a.keep: a must not be
// used after.
func (a *accumulator) drain(fn func(d uint32, s float64)) {
	for w, word := range a.touched {
		a.touched[w] = 0
		for word != 0 {
			b := uint32(bits.TrailingZeros64(word))
			word &= word - 1
			d := uint32(w)*64 + b
			s := a.score[d]
			a.score[d] = 0
			fn(d, s)
		}
	}
	if a.keep != nil {
		a.keep.score, a.keep.touched = a.score, a.touched
	}
}
