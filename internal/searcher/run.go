package searcher

import (
	"errors"
	"math"
	"slices"
	"sort"

	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/query"
)

// BodyField is the field whose matched terms a syntax query's hits
// report (the excerpt marks them).
const BodyField = "body"

// ErrPrepare wraps errors met while preparing a query's iterators that
// depend on the query rather than on the index (a field without
// statistics): the caller may search the query's words instead.
var ErrPrepare = errors.New("prepare search")

// Stats are the collection statistics BM25 needs.
type Stats struct {
	// Docs is the number of documents.
	Docs int
	// Tokens is the total number of tokens indexed per field.
	Tokens map[string]int
}

// avg is the true average length of field (0 when unknown).
func (s Stats) avg(field string) float64 {
	if s.Docs == 0 {
		return 0
	}
	return float64(s.Tokens[field]) / float64(s.Docs)
}

// bleveAvg is the average length of field as bleve's BM25 computes it
// from the same statistics: rounded up.
func (s Stats) bleveAvg(field string) (float64, error) {
	t, ok := s.Tokens[field]
	if !ok {
		return 0, errors.New("field stat for bm25 not present " + field)
	}
	if s.Docs == 0 && t == 0 {
		return 0, nil
	}
	return math.Ceil(float64(t) / float64(s.Docs)), nil
}

// Options configure one run.
type Options struct {
	// Size and From select the page of hits (From skipped, Size kept).
	Size, From int
	// Vectors makes hits report their matched body terms (Hit.Terms);
	// the body's postings are then read with positions.
	Vectors bool
	// Seen, when set, is called for every document the query matches,
	// in ascending order, with its score (before Keep).
	Seen func(doc uint32, score float64)
	// Keep, when set, drops the documents for which it returns false
	// (filters): they are neither counted nor returned.
	Keep func(doc uint32) bool
	// Scores, when set, lends a plain run its score arrays (see Scores).
	Scores *Scores
}

// Hit is one collected document.
type Hit struct {
	Doc   uint32
	Score float64
	// Terms are the body terms matched (with Options.Vectors), sorted.
	Terms []string
}

// Run compiles n against r and returns the page of best hits, by
// descending score then ascending document, and the number of matches
// kept.
func Run(n query.Node, r index.Reader, st Stats, o Options) ([]Hit, int, error) {
	c := &compiler{r: r, st: st, vectors: o.Vectors}
	size := o.Size + o.From
	top := topK{k: size}
	total := 0
	collect := func(d uint32, s float64, it iterator) {
		if o.Seen != nil {
			o.Seen(d, s)
		}
		if o.Keep != nil && !o.Keep(d) {
			return
		}
		total++
		if size > 0 && top.admits(s, d) {
			h := Hit{Doc: d, Score: s}
			if o.Vectors && it != nil {
				h.Terms = sortedUnique(it.terms(nil))
			}
			top.push(h)
		}
	}
	if plain(n) && !o.Vectors {
		a := newAccumulator(c, o.Scores)
		if err := a.run(n); err != nil {
			return nil, 0, err // the arrays, not clear, are not given back
		}
		a.drain(func(d uint32, s float64) { collect(d, s, nil) })
	} else {
		it, err := c.compile(n)
		if err != nil {
			return nil, 0, err
		}
		for it.next() {
			collect(it.doc(), it.score(), it)
		}
	}
	hits := top.sorted()
	if o.From >= len(hits) {
		return []Hit{}, total, nil
	}
	return hits[o.From:], total, nil
}

func sortedUnique(s []string) []string {
	sort.Strings(s)
	return slices.Compact(s)
}

// better orders hits: higher score first, then lower document number.
func better(a, b Hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.Doc < b.Doc
}

// topK keeps the k best hits in a heap whose root is the worst kept.
type topK struct {
	k int
	h []Hit
}

func (t *topK) admits(s float64, d uint32) bool {
	return len(t.h) < t.k || better(Hit{Doc: d, Score: s}, t.h[0])
}

func (t *topK) push(h Hit) {
	if len(t.h) < t.k {
		t.h = append(t.h, h)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !better(t.h[p], t.h[i]) {
				break
			}
			t.h[p], t.h[i] = t.h[i], t.h[p]
			i = p
		}
		return
	}
	t.h[0] = h
	for i := 0; ; {
		w := i
		for _, c := range []int{2*i + 1, 2*i + 2} {
			if c < len(t.h) && better(t.h[w], t.h[c]) {
				w = c
			}
		}
		if w == i {
			return
		}
		t.h[w], t.h[i] = t.h[i], t.h[w]
		i = w
	}
}

func (t *topK) sorted() []Hit {
	out := slices.Clone(t.h)
	sort.Slice(out, func(i, j int) bool { return better(out[i], out[j]) })
	return out
}
