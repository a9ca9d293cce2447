package query

// Node is a node of a query tree.
type Node interface{ node() }

// Fields matches Term in any of Fields and scores it with BM25F: the
// fields' length-normalised frequencies, multiplied by Weights, add up
// before one saturation with K1, and the idf is taken from the largest
// per-field document frequency.
type Fields struct {
	Term    string
	Fields  []string
	Weights []float64
	// Boost multiplies the score (0 scores nothing).
	Boost float64
	// K1 is the saturation constant (BM25's 1.2 when zero).
	K1 float64
	// B is each field's length normalisation, in the order of Fields
	// (BM25's 0.75 for every field when nil).
	B []float64
}

// Term matches Term in Field, scored with standard BM25 (feedback terms).
type Term struct {
	Term, Field string
	Boost       float64
}

// Sum matches documents matching any clause, scored with the sum of the
// matching clauses' scores (no coordination factor).
type Sum struct {
	Clauses []Node
}

// TitleMatch rewards documents whose Field contains every one of Terms,
// the more so the more of the field they cover: Boost times the terms'
// summed idf times the covered fraction of the field.
type TitleMatch struct {
	Terms []string
	Field string
	Boost float64
}

// Near rewards documents where A and B occur at most Window positions
// apart, in either order, in Field: Boost times their mean idf. With a
// Window of 0 or less, anywhere in Field (no positions are read).
type Near struct {
	Field  string
	A, B   string
	Window int
	Boost  float64
}

// All matches every document with score 1 (browsing by filters).
type All struct{}

// Bool is a query-string query: required, optional and excluded parts
// (each may be nil), combined as bleve's boolean searcher does.
type Bool struct {
	Must, Should, Not Node
}

// Any matches documents matching at least Min of Clauses (all of them
// with All), scored as bleve's disjunction (sum × matched/total) or
// conjunction (sum). With SkipNone, None clauses are left out, as in the
// query-string language; an Any left with no clause matches nothing.
type Any struct {
	Clauses  []Node
	All      bool
	Min      int
	SkipNone bool
}

// BTerm matches Term in Field, scored as bleve's term searcher with its
// BM25 model (square root of the frequency, idf weight and query norm).
type BTerm struct {
	Field, Term string
	Boost       float64
}

// Phrase matches Terms at consecutive positions of Field, scored as the
// sum of its terms' BTerm scores (bleve's phrase searcher).
type Phrase struct {
	Field string
	Terms []string
	Boost float64
}

// None matches nothing (bleve's match-none searcher: it weighs nothing
// and is left out of query-string groups).
type None struct{}

func (*Fields) node()     {}
func (*Term) node()       {}
func (*Sum) node()        {}
func (*TitleMatch) node() {}
func (*Near) node()       {}
func (*All) node()        {}
func (*Bool) node()       {}
func (*Any) node()        {}
func (*BTerm) node()      {}
func (*Phrase) node()     {}
func (*None) node()       {}

// Walk calls fn for n and every node below it, depth first.
func Walk(n Node, fn func(Node)) {
	if n == nil {
		return
	}
	fn(n)
	switch t := n.(type) {
	case *Sum:
		for _, c := range t.Clauses {
			Walk(c, fn)
		}
	case *Any:
		for _, c := range t.Clauses {
			Walk(c, fn)
		}
	case *Bool:
		Walk(t.Must, fn)
		Walk(t.Should, fn)
		Walk(t.Not, fn)
	}
}

// Recorded matches the documents of an earlier run with the scores they
// had (pseudo-relevance feedback reuses the first run's scores instead of
// computing them again). Docs are ascending.
type Recorded struct {
	Docs   []uint32
	Scores []float64
}

func (*Recorded) node() {}
