package searcher

import (
	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/query"
)

// compiler turns query nodes into iterators over r. A postings error
// (a damaged index) is kept in err and the iterator matches nothing.
type compiler struct {
	r       index.Reader
	st      Stats
	vectors bool
	err     error
}

func (c *compiler) postings(field, term string, want index.Want) (cursor, int, error) {
	p, err := c.r.Postings(field, term, want)
	if err != nil {
		return cursor{}, 0, err
	}
	cur := newCursor(p)
	return cur, len(cur.p.Docs), nil
}

// compile turns one node into its iterator. It only dispatches: each kind
// of node has its own method (kept out of line), because V8 recompiles a
// wasm function with its optimizing compiler once its calls have used up
// a budget charged by the size of its code, and compile, called for every
// node of every search, was 14.7 kB of wasm with every case inline: the
// largest function recompiled during a first run of Cranfield's
// questions in Chromium (0.18–0.34 s of compiler CPU beside the engine on
// 2 cores). The cases a plain query never meets are never recompiled now.
func (c *compiler) compile(n query.Node) (iterator, error) {
	switch t := n.(type) {
	case *query.None:
		return none{}, nil
	case *query.All:
		return &allDocs{n: uint32(c.st.Docs), qw: 1}, nil
	case *query.Recorded:
		return &recorded{docs: t.Docs, scores: t.Scores, i: -1}, nil
	case *query.Term:
		return c.term(t)
	case *query.Fields:
		return c.fields(t)
	case *query.TitleMatch:
		return c.titleMatch(t)
	case *query.Near:
		return c.near(t)
	case *query.Sum:
		return c.sum(t)
	case *query.BTerm:
		want := index.WantFreqNorm
		record := c.vectors && t.Field == BodyField
		if record {
			want |= index.WantPositions
		}
		return c.bterm(t.Field, t.Term, t.Boost, want, record)
	case *query.Phrase:
		return c.phrase(t)
	case *query.Any:
		return c.any(t)
	case *query.Bool:
		return c.boolean(t)
	}
	return none{}, nil
}

//go:noinline
func (c *compiler) term(t *query.Term) (iterator, error) {
	cur, df, err := c.postings(t.Field, t.Term, index.WantFreqNorm)
	if err != nil {
		return nil, err
	}
	n := float64(c.st.Docs)
	return &term{cursor: cur, weight_: t.Boost * idf(n, float64(df)), avg: c.st.avg(t.Field), df: df}, nil
}

//go:noinline
func (c *compiler) fields(t *query.Fields) (iterator, error) {
	f := &fields{k1: t.K1}
	if f.k1 <= 0 {
		f.k1 = bm25K1 // a tree built without it: BM25's
	}
	maxDF := 0
	for i, name := range t.Fields {
		cur, df, err := c.postings(name, t.Term, index.WantFreqNorm)
		if err != nil {
			return nil, err
		}
		maxDF = max(maxDF, df)
		b := bm25B
		if t.B != nil {
			b = t.B[i]
		}
		f.fs = append(f.fs, fieldCursor{cursor: cur, w: t.Weights[i], b: b, avg: c.st.avg(name)})
	}
	// The number of documents having the term in any field is at
	// least the largest per-field count; titles are usually also in
	// the body.
	f.weight_ = t.Boost * idf(float64(c.st.Docs), float64(maxDF))
	f.df = maxDF
	return f, nil
}

//go:noinline
func (c *compiler) titleMatch(t *query.TitleMatch) (iterator, error) {
	tm := &titleMatch{}
	w := 0.0
	for _, term := range t.Terms {
		cur, df, err := c.postings(t.Field, term, index.WantFreqNorm)
		if err != nil {
			return nil, err
		}
		w += idf(float64(c.st.Docs), float64(df))
		tm.cs = append(tm.cs, cur)
	}
	tm.weight_ = t.Boost * w
	return tm, nil
}

//go:noinline
func (c *compiler) near(t *query.Near) (iterator, error) {
	want := index.WantPositions
	if t.Window <= 0 {
		// Anywhere in the field: no positions (the postings the
		// term's Fields clause reads, cached).
		want = index.WantFreqNorm
	}
	a, dfA, err := c.postings(t.Field, t.A, want)
	if err != nil {
		return nil, err
	}
	b, dfB, err := c.postings(t.Field, t.B, want)
	if err != nil {
		return nil, err
	}
	n := float64(c.st.Docs)
	w := t.Boost * (idf(n, float64(dfA)) + idf(n, float64(dfB))) / 2
	return &near{a: a, b: b, window: t.Window, weight_: w}, nil
}

//go:noinline
func (c *compiler) sum(t *query.Sum) (iterator, error) {
	subs, err := c.all(t.Clauses, false)
	if err != nil {
		return nil, err
	}
	return &sum{union: newUnion(subs)}, nil
}

//go:noinline
func (c *compiler) phrase(t *query.Phrase) (iterator, error) {
	var words []*bterm
	var subs []iterator
	for _, w := range t.Terms {
		bt, err := c.bterm(t.Field, w, t.Boost, index.WantFreqNorm|index.WantPositions, false)
		if err != nil {
			return nil, err
		}
		words = append(words, bt)
		subs = append(subs, bt)
	}
	if len(words) == 0 {
		return none{}, nil
	}
	p := &phrase{conjunction: newConjunction(subs), words: words, record: c.vectors && t.Field == BodyField}
	normalize(p)
	return p, nil
}

//go:noinline
func (c *compiler) any(t *query.Any) (iterator, error) {
	subs, err := c.all(t.Clauses, t.SkipNone)
	if err != nil {
		return nil, err
	}
	if t.SkipNone && len(subs) == 0 {
		return none{}, nil
	}
	if t.All {
		return newConjunction(subs), nil
	}
	return newDisjunction(subs, t.Min), nil
}

//go:noinline
func (c *compiler) boolean(t *query.Bool) (iterator, error) {
	part := func(n query.Node) (iterator, error) {
		if n == nil {
			return nil, nil
		}
		it, err := c.compile(n)
		if _, isNone := it.(none); isNone {
			return nil, err
		}
		return it, err
	}
	not, err := part(t.Not)
	if err != nil {
		return nil, err
	}
	must, err := part(t.Must)
	if err != nil {
		return nil, err
	}
	should, err := part(t.Should)
	if err != nil {
		return nil, err
	}
	switch {
	case must == nil && should == nil && not == nil:
		return none{}, nil
	case should == nil && not == nil:
		return must, nil
	case must == nil && not == nil:
		return should, nil
	case must == nil && should == nil:
		must = &allDocs{n: uint32(c.st.Docs), qw: 1}
	}
	return newBoolean(must, should, not), nil
}

func (c *compiler) all(nodes []query.Node, skipNone bool) ([]iterator, error) {
	subs := make([]iterator, 0, len(nodes))
	for _, n := range nodes {
		it, err := c.compile(n)
		if err != nil {
			return nil, err
		}
		if _, isNone := it.(none); isNone && skipNone {
			continue
		}
		subs = append(subs, it)
	}
	return subs, nil
}

func (c *compiler) bterm(field, term string, boost float64, want index.Want, record bool) (*bterm, error) {
	avg, err := c.st.bleveAvg(field)
	if err != nil {
		return nil, wrapPrepare(err)
	}
	cur, df, err := c.postings(field, term, want)
	if err != nil {
		return nil, err
	}
	return newBTerm(cur, term, df, float64(c.st.Docs), avg, boost, record), nil
}

func wrapPrepare(err error) error { return &prepareError{err} }

type prepareError struct{ err error }

func (e *prepareError) Error() string { return "prepare search: " + e.err.Error() }
func (e *prepareError) Unwrap() []error {
	return []error{ErrPrepare, e.err}
}
