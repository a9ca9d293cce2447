package searcher

import (
	"math"
	"slices"

	"github.com/quarry-search/quarry/internal/index"
)

// iterator walks the documents a query matches, in ascending order.
// Before the first next or advance it is positioned nowhere.
type iterator interface {
	// next moves to the next match; false when there is none.
	next() bool
	// advance moves to the first match at or after target; false when
	// there is none. target is after the current document.
	advance(target uint32) bool
	// doc is the current document.
	doc() uint32
	// score is the current document's score.
	score() float64
	// weight is bleve's sum of squared weights (query-syntax nodes; 1
	// for plain nodes, which ignore norms as Quarry's custom searchers
	// always did).
	weight() float64
	// setNorm hands down bleve's query norm.
	setNorm(q float64)
	// count estimates the matches (bleve's Count, which orders the
	// clauses of a conjunction).
	count() int
	// min is the fewest clauses that must match (bleve's Min).
	min() int
	// terms appends the body terms matched at the current document with
	// their positions (the terms a syntax query's excerpt marks).
	terms(dst []string) []string
}

// none matches nothing and weighs nothing.
type none struct{}

func (none) next() bool                  { return false }
func (none) advance(uint32) bool         { return false }
func (none) doc() uint32                 { return 0 }
func (none) score() float64              { return 0 }
func (none) weight() float64             { return 0 }
func (none) setNorm(float64)             {}
func (none) count() int                  { return 0 }
func (none) min() int                    { return 0 }
func (none) terms(dst []string) []string { return dst }

// cursor walks one postings list.
type cursor struct {
	p *index.Postings
	i int // index of the current document; -1 before the first
}

func newCursor(p *index.Postings) cursor {
	if p == nil {
		p = &index.Postings{}
	}
	return cursor{p: p, i: -1}
}

func (c *cursor) next() bool {
	if c.i < len(c.p.Docs) {
		c.i++
	}
	return c.i < len(c.p.Docs)
}

// advance moves to the first document at or after target, wherever the
// cursor is: forward with a search from the current entry, backward
// (target at or before the current document) by searching from the
// start, as an iterator that restarts would.
func (c *cursor) advance(target uint32) bool {
	lo := 0
	if c.i >= 0 && c.i < len(c.p.Docs) && c.p.Docs[c.i] < target {
		lo = c.i + 1
	}
	j, _ := slices.BinarySearch(c.p.Docs[lo:], target)
	c.i = lo + j
	return c.i < len(c.p.Docs)
}

func (c *cursor) valid() bool { return c.i >= 0 && c.i < len(c.p.Docs) }
func (c *cursor) doc() uint32 { return c.p.Docs[c.i] }
func (c *cursor) freq() float64 {
	if c.p.Freqs == nil {
		return 1
	}
	return float64(c.p.Freqs[c.i])
}

// norm is the document's field norm widened as bleve widens it.
func (c *cursor) norm() float64 {
	if c.p.Norms == nil {
		return 0
	}
	return float64(c.p.Norms[c.i])
}

// positions returns the current document's token positions.
func (c *cursor) positions() []uint32 {
	if len(c.p.PosStart) <= c.i+1 {
		return nil
	}
	return c.p.Pos[c.p.PosStart[c.i]:c.p.PosStart[c.i+1]]
}

// idf is BM25's inverse document frequency.
func idf(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }
