package engine

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/plan"
	"github.com/quarry-search/quarry/internal/query"
)

// The reference scorer: plain-word queries rank as the planner's tree
// says, scored from the documents' text with the formulas written out
// directly — no postings, norms, iterators or accumulator. Plain-word
// ranking changes on purpose (issues 13 and 15), so the engine it
// replaced (package search) no longer serves as their oracle; this does,
// for every plain query the differential tests run (see check).

// refDoc is one document as the reference reads it.
type refDoc struct {
	freq map[string]map[string]int   // field -> term -> count
	pos  map[string]map[string][]int // field -> term -> positions
	size map[string]int              // field -> number of words
}

// reference scores plain trees over a collection's documents.
type reference struct {
	ids    []string
	num    map[string]int // id -> index in ids
	titles []string
	bodies []string
	docs   []refDoc
	df     map[string]map[string]int   // field -> term -> documents
	has    map[string]map[string][]int // field -> term -> documents having it, ascending
	tokens map[string]int              // field -> words in all documents
}

var (
	refMu    sync.Mutex
	refCache = map[*Engine]*reference{}
)

// referenceFor analyzes docs (those e indexed) once.
func referenceFor(e *Engine, docs []doc.Document) *reference {
	refMu.Lock()
	defer refMu.Unlock()
	if r, ok := refCache[e]; ok {
		return r
	}
	r := &reference{num: map[string]int{}, df: map[string]map[string]int{}, has: map[string]map[string][]int{}, tokens: map[string]int{}}
	for num, d := range docs {
		rd := refDoc{freq: map[string]map[string]int{}, pos: map[string]map[string][]int{}, size: map[string]int{}}
		for field, text := range map[string]string{FieldTitle: d.Title, FieldBody: d.Body} {
			rd.freq[field], rd.pos[field] = map[string]int{}, map[string][]int{}
			for _, t := range e.analyzer.Analyze(text) {
				if rd.freq[field][t.Term] == 0 {
					if r.df[field] == nil {
						r.df[field], r.has[field] = map[string]int{}, map[string][]int{}
					}
					r.df[field][t.Term]++
					r.has[field][t.Term] = append(r.has[field][t.Term], num)
				}
				rd.freq[field][t.Term]++
				rd.pos[field][t.Term] = append(rd.pos[field][t.Term], t.Position)
				rd.size[field]++
				r.tokens[field]++
			}
		}
		r.num[d.ID] = len(r.ids)
		r.ids = append(r.ids, d.ID)
		r.titles, r.bodies = append(r.titles, d.Title), append(r.bodies, d.Body)
		r.docs = append(r.docs, rd)
	}
	refCache[e] = r
	return r
}

func (r *reference) idf(field, term string) float64 {
	n, df := float64(len(r.docs)), float64(r.df[field][term])
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// norm is BM25's length normalisation of field in document d with b.
func (r *reference) norm(d int, field string, b float64) float64 {
	avg := float64(r.tokens[field]) / float64(len(r.docs))
	return 1 - b + b*float64(r.docs[d].size[field])/avg
}

// score adds n's score of every document it matches to s.
func (r *reference) score(t *testing.T, n query.Node, s map[int]float64) {
	switch q := n.(type) {
	case *query.Sum:
		for _, c := range q.Clauses {
			r.score(t, c, s)
		}
	case *query.Fields:
		maxDF := 0
		for _, f := range q.Fields {
			maxDF = max(maxDF, r.df[f][q.Term])
		}
		n, df := float64(len(r.docs)), float64(maxDF)
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		var cands []int
		for _, f := range q.Fields {
			cands = append(cands, r.has[f][q.Term]...)
		}
		slices.Sort(cands)
		for _, d := range slices.Compact(cands) {
			rd := r.docs[d]
			tf, in := 0.0, false
			for i, f := range q.Fields {
				if c := rd.freq[f][q.Term]; c > 0 {
					in = true
					b := 0.75
					if q.B != nil {
						b = q.B[i]
					}
					tf += q.Weights[i] * float64(c) / r.norm(d, f, b)
				}
			}
			if in {
				s[d] += q.Boost * idf * tf * (q.K1 + 1) / (tf + q.K1)
			}
		}
	case *query.Term:
		for _, d := range r.has[q.Field][q.Term] {
			if c := float64(r.docs[d].freq[q.Field][q.Term]); c > 0 {
				s[d] += q.Boost * r.idf(q.Field, q.Term) * c * 2.2 / (c + 1.2*r.norm(d, q.Field, 0.75))
			}
		}
	case *query.TitleMatch:
		w := 0.0
		for _, term := range q.Terms {
			w += r.idf(q.Field, term)
		}
		if len(q.Terms) == 0 {
			break
		}
		for _, d := range r.has[q.Field][q.Terms[0]] {
			rd := r.docs[d]
			matched := 0
			for _, term := range q.Terms {
				if rd.freq[q.Field][term] == 0 {
					matched = -1
					break
				}
				matched += rd.freq[q.Field][term]
			}
			if matched > 0 {
				s[d] += q.Boost * w * math.Min(1, float64(matched)/float64(rd.size[q.Field]))
			}
		}
	case *query.Near:
		w := q.Boost * (r.idf(q.Field, q.A) + r.idf(q.Field, q.B)) / 2
		for _, d := range r.has[q.Field][q.A] {
			rd := r.docs[d]
			// A window of 0 or less: both anywhere in the field.
			near := q.Window <= 0 && rd.freq[q.Field][q.A] > 0 && rd.freq[q.Field][q.B] > 0
			for _, a := range rd.pos[q.Field][q.A] {
				for _, b := range rd.pos[q.Field][q.B] {
					near = near || a-b <= q.Window && b-a <= q.Window
				}
			}
			if near {
				s[d] += w
			}
		}
	default:
		t.Fatalf("reference: no formula for %T", n)
	}
}

// rerank reorders the first rerankDepth of ranked by their likeness to
// the first feedbackDocs, written out from the documents' words: cosine
// of (1 + ln tf) × ln(N / df) over title and body (its first
// maxVectorBytes), stop words left out, df the body's (the title's for a
// word in no body); score scaled to 0..1 over the
// reordered ones and mixed with the mean likeness by rerankWeight.
func (r *reference) rerank(e *Engine, ranked []scored) []scored {
	n := min(rerankDepth, len(ranked))
	if n < 2 {
		return ranked
	}
	vec := func(d int) map[string]float64 {
		out := map[string]float64{}
		body := r.bodies[d]
		if len(body) > maxVectorBytes {
			// Its first maxVectorBytes, up to the last space.
			body = body[:strings.LastIndexAny(body[:maxVectorBytes+1], " \n")]
		}
		for _, text := range []string{r.titles[d], body} {
			for _, tok := range e.analyzer.Analyze(text) {
				if !e.isStop(tok.Term) {
					out[tok.Term]++
				}
			}
		}
		length := 0.0
		for term, c := range out {
			df := r.df[FieldBody][term]
			if df == 0 {
				df = r.df[FieldTitle][term]
			}
			out[term] = (1 + math.Log(c)) * math.Log(float64(len(r.docs))/float64(df))
			length += out[term] * out[term]
		}
		for term := range out {
			out[term] /= math.Sqrt(length)
		}
		return out
	}
	vecs := make([]map[string]float64, n)
	for i := range n {
		vecs[i] = vec(r.num[ranked[i].id])
	}
	top, low := ranked[0].score, ranked[n-1].score
	out := slices.Clone(ranked)
	for i := range n {
		like := 0.0
		for j := range min(feedbackDocs, n) {
			if j == i {
				continue
			}
			for term, x := range vecs[i] {
				like += x * vecs[j][term]
			}
		}
		score := 1.0
		if top > low {
			score = (ranked[i].score - low) / (top - low)
		}
		mixed := (1-rerankWeight)*score + rerankWeight*like/float64(min(feedbackDocs, n))
		out[i].score = low + mixed*(top-low)
	}
	slices.SortStableFunc(out[:n], func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	return out
}

// checkReference runs req (a plain query) on the engine and compares its
// hits, scores and total with the reference's ranking of the same plan.
func checkReference(t *testing.T, e *Engine, docs []doc.Document, req Request) {
	t.Helper()
	r := referenceFor(e, docs)
	if r.tokens[FieldTitle] != e.stats.Tokens[FieldTitle] || r.tokens[FieldBody] != e.stats.Tokens[FieldBody] {
		t.Fatalf("reference: %v words per field, the index %v: not the same analysis", r.tokens, e.stats.Tokens)
	}
	got, err := e.Search(req)
	filters, ferr := e.facets.Compile(req.Filters, req.FilterModes)
	if ferr != nil {
		// A filter the index lacks is refused, whatever the query.
		if err == nil {
			t.Errorf("%q filters=%v: no error, want %v", req.Query, req.Filters, ferr)
		}
		return
	}
	if err != nil {
		t.Fatalf("%q: %v", req.Query, err)
	}
	pl, err := e.Plan(req.Query, req.Complete)
	if err != nil {
		t.Fatalf("%q: %v", req.Query, err)
	}
	if pl.Mode != got.Mode {
		t.Fatalf("%q: planned %s, searched %s", req.Query, pl.Mode, got.Mode)
	}
	s := map[int]float64{}
	reranked := false
	if pl.Query != nil {
		replay := feedbackReplay
		feedbackReplay = false // the tree then holds the query itself
		tree, fb := e.withFeedback(pl, view{e.s, &misses{}})
		feedbackReplay = replay
		r.score(t, tree, s)
		e.release(fb)
		reranked = fb != nil
	}
	var ranked []scored
	for d, sc := range s {
		if filters.Keep(uint32(d)) {
			ranked = append(ranked, scored{r.ids[d], sc})
		}
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].score != ranked[j].score {
			return ranked[i].score > ranked[j].score
		}
		return r.num[ranked[i].id] < r.num[ranked[j].id]
	})
	if reranked {
		ranked = r.rerank(e, ranked)
	}
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	page := ranked[min(req.Offset, len(ranked)):min(req.Offset+limit, len(ranked))]
	label := fmt.Sprintf("%q complete=%v offset=%d filters=%v", req.Query, req.Complete, req.Offset, req.Filters)
	if got.Total != uint64(len(ranked)) {
		t.Errorf("%s: total %d, reference %d", label, got.Total, len(ranked))
	}
	cut := len(page) == limit
	if g, w := groups(got.Hits, cut), groupsOf(page, cut); !sameGroups(g, w) {
		t.Errorf("%s: hits\n got %v\nwant %v", label, g, w)
	}
}

// The reference itself: each formula against a hand-computed case, so
// that the differential tests built on it compare with something right.
func TestReferenceFormulas(t *testing.T) {
	docs := []doc.Document{
		{ID: "a", Title: "gas flow", Body: "gas flow in a tube"},
		{ID: "b", Title: "heat", Body: "heat flux of gas gas"},
		{ID: "c", Title: "flow of heat", Body: "the flow"},
	}
	e, err := Open(buildIndex(t, docs, build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	r := referenceFor(e, docs)
	idf := func(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }
	// Title lengths 2, 1, 3 (average 2); bodies 5, 5, 2 (average 4).
	normT := []float64{1, 1 - 0.75 + 0.75*0.5, 1 - 0.75 + 0.75*1.5}
	normB := []float64{1 - 0.75 + 0.75*5.0/4, 1 - 0.75 + 0.75*5.0/4, 1 - 0.75 + 0.75*2.0/4}
	k1 := plan.DefaultRanking.K1
	bm25f := func(tf float64) float64 { return idf(3, 2) * tf * (k1 + 1) / (tf + k1) }
	tests := []struct {
		n    query.Node
		want map[int]float64
	}{
		{&query.Fields{Term: "gas", Fields: []string{"title", "body"}, Weights: []float64{1.5, 1}, Boost: 1, K1: k1},
			map[int]float64{0: bm25f(1.5/normT[0] + 1/normB[0]), 1: bm25f(2 / normB[1])}},
		{&query.Fields{Term: "gas", Fields: []string{"title", "body"}, Weights: []float64{1.5, 1}, Boost: 1, K1: k1, B: []float64{1, 0.5}},
			map[int]float64{0: bm25f(1.5/1 + 1/(0.5+0.5*5.0/4)), 1: bm25f(2 / (0.5 + 0.5*5.0/4))}},
		{&query.Term{Term: "heat", Field: "body", Boost: 2}, map[int]float64{1: 2 * idf(3, 1) * 2.2 / (1 + 1.2*normB[1])}},
		{&query.TitleMatch{Terms: []string{"flow", "heat"}, Field: "title", Boost: 0.5},
			map[int]float64{2: 0.5 * (idf(3, 2) + idf(3, 2)) * 2 / 3}},
		{&query.Near{Field: "title", A: "flow", B: "heat", Window: 2, Boost: 0.25}, map[int]float64{2: 0.25 * idf(3, 2)}},
		{&query.Near{Field: "title", A: "flow", B: "heat", Window: 1, Boost: 0.25}, map[int]float64{}},
		{&query.Near{Field: "title", A: "flow", B: "heat", Window: 0, Boost: 0.25}, map[int]float64{2: 0.25 * idf(3, 2)}},
		{&query.Near{Field: "title", A: "heat", B: "gas", Window: 0, Boost: 0.25}, map[int]float64{}},
	}
	for i, tt := range tests {
		got := map[int]float64{}
		r.score(t, tt.n, got)
		if len(got) != len(tt.want) {
			t.Errorf("%d %T: %v, want %v", i, tt.n, got, tt.want)
			continue
		}
		for d, w := range tt.want {
			if math.Abs(got[d]-w) > 1e-12 {
				t.Errorf("%d %T: %v, want %v", i, tt.n, got, tt.want)
			}
		}
	}
}
