package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/searcher"
	"github.com/quarry-search/quarry/internal/testcorpus"
)

func TestDot(t *testing.T) {
	tests := []struct {
		a, b []wterm
		want float64
	}{
		{nil, nil, 0},
		{[]wterm{{1, 0.5}}, nil, 0},
		{[]wterm{{1, 0.5}, {3, 0.5}}, []wterm{{2, 1}, {4, 1}}, 0},
		{[]wterm{{1, 0.5}, {3, 0.5}}, []wterm{{1, 2}, {3, 4}}, 3},
		{[]wterm{{0, 1}, {2, 2}, {7, 3}}, []wterm{{2, 5}, {5, 9}, {7, 1}}, 13},
		{[]wterm{{9, 2}}, []wterm{{1, 1}, {4, 1}, {9, 0.25}}, 0.5},
	}
	for _, tt := range tests {
		if got := dot(tt.a, tt.b); got != tt.want {
			t.Errorf("dot(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := dot(tt.b, tt.a); got != tt.want {
			t.Errorf("dot(%v, %v) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestCutText(t *testing.T) {
	tests := []struct {
		text string
		n    int
		want string
	}{
		{"short text", 100, "short text"},
		{"exactly ten", 11, "exactly ten"},
		{"lift and drag", 10, "lift and"},         // before the word cut at byte 10
		{"lift\nand drag", 7, "lift"},             // at a line break
		{"aerodynamics", 5, "aerod"},              // no space in the second half
		{"héhéhéhé", 5, "héh"},                    // not inside a character (é is 2 bytes)
		{"ab cdefghijklmnop", 12, "ab cdefghijk"}, // a space before n/2 is too far back
	}
	for _, tt := range tests {
		if got := cutText(tt.text, tt.n); got != tt.want {
			t.Errorf("cutText(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
		}
	}
}

// rerankDocs: three documents about one subject, a fourth worded like
// them, a fifth about another, and others that make the words rare.
func rerankDocs() []doc.Document {
	docs := []doc.Document{
		{ID: "a", Title: "Panel flutter", Body: "panel flutter of a thin plate in supersonic flow, aeroelastic stability"},
		{ID: "b", Title: "Flutter of panels", Body: "aeroelastic stability of flat panels, flutter in supersonic flow"},
		{ID: "c", Title: "Plate flutter", Body: "supersonic panel flutter, aeroelastic plate stability"},
		{ID: "like", Title: "Aeroelastic stability", Body: "aeroelastic stability of a thin panel and plate"},
		{ID: "other", Title: "Pipe heat", Body: "heat transfer of a pipe, boiling water in a kettle"},
	}
	for i := range 10 {
		docs = append(docs, doc.Document{ID: fmt.Sprint("filler", i), Title: fmt.Sprint("Filler ", i), Body: fmt.Sprintf("nothing about anything, page %d of many", i)})
	}
	return docs
}

// TestRerank checks rerank on hits given directly: a document like the
// first three comes before one that is not, whatever their scores'
// order; the scores keep the range of the reordered ones, in
// descending order; hits beyond rerankDepth are left as they were.
func TestRerank(t *testing.T) {
	docs := rerankDocs()
	e, err := Open(buildIndex(t, docs, build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	num := map[string]uint32{}
	for i, d := range docs {
		num[d.ID] = uint32(i)
	}
	hit := func(id string, score float64) searcher.Hit { return searcher.Hit{Doc: num[id], Score: score} }
	defer func(d int) { rerankDepth = d }(rerankDepth)
	tests := []struct {
		name  string
		depth int
		hits  []searcher.Hit
		want  []string
	}{
		{"like comes up", 5, []searcher.Hit{hit("a", 10), hit("b", 9), hit("c", 8), hit("other", 7.5), hit("like", 7.4)}, []string{"a", "b", "c", "like", "other"}},
		{"far apart scores win", 5, []searcher.Hit{hit("a", 10), hit("b", 9), hit("c", 8), hit("other", 7.9), hit("like", 1)}, []string{"a", "b", "c", "other", "like"}},
		{"beyond the depth as they were", 4, []searcher.Hit{hit("a", 10), hit("b", 9), hit("c", 8), hit("other", 7.5), hit("like", 7.4)}, []string{"a", "b", "c", "other", "like"}},
		{"one hit", 5, []searcher.Hit{hit("other", 3)}, []string{"other"}},
		{"depth 0: off", 0, []searcher.Hit{hit("a", 10), hit("b", 9), hit("c", 8), hit("other", 7.5), hit("like", 7.4)}, []string{"a", "b", "c", "other", "like"}},
	}
	for _, tt := range tests {
		rerankDepth = tt.depth
		in := slices.Clone(tt.hits)
		m := &misses{}
		got := e.rerank(in, view{e.s, m})
		if !m.complete() {
			t.Errorf("%s: missing files %v", tt.name, m.need)
		}
		var ids []string
		for _, h := range got {
			ids = append(ids, docs[h.Doc].ID)
		}
		if !slices.Equal(ids, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, ids, tt.want)
		}
		n := min(tt.depth, len(tt.hits))
		if n < 2 {
			n = 0
		}
		top, low := tt.hits[0].Score, tt.hits[max(n, 1)-1].Score
		for i, h := range got {
			if i > 0 && h.Score > got[i-1].Score {
				t.Errorf("%s: scores not descending: %v", tt.name, got)
			}
			if i < n && (h.Score > top || h.Score < low) {
				t.Errorf("%s: score %v of %s outside [%v, %v]", tt.name, h.Score, ids[i], low, top)
			}
			if i >= n && (h.Doc != tt.hits[i].Doc || h.Score != tt.hits[i].Score) {
				t.Errorf("%s: hit %d %v, want %v as it was", tt.name, i, h, tt.hits[i])
			}
		}
	}
}

// TestRerankAsksForAllTexts: when the reordered hits' texts are not
// loaded, rerank leaves the hits as they are and notes every text file
// at once (one more round of loading, not one per document).
func TestRerankAsksForAllTexts(t *testing.T) {
	whole := buildIndex(t, rerankDocs(), build.Options{TextChunk: 1}) // a text file per document
	s := openSplit(t, whole)
	hits := []searcher.Hit{{Doc: 0, Score: 10}, {Doc: 1, Score: 9}, {Doc: 2, Score: 8}, {Doc: 4, Score: 7.5}, {Doc: 3, Score: 7.4}}
	m := &misses{}
	got := s.rerank(slices.Clone(hits), view{s.s, m})
	if !slices.EqualFunc(got, hits, func(a, b searcher.Hit) bool { return a.Doc == b.Doc && a.Score == b.Score }) {
		t.Errorf("without the texts: %v, want the hits as they were", got)
	}
	texts := 0
	for id := range m.need {
		if id.kind == kindText {
			texts++
		}
	}
	if texts != len(hits) {
		t.Errorf("%d text files asked for, want %d (one per hit)", texts, len(hits))
	}
}

// TestRerankQuestion: through Search, a question of four content words
// puts the page worded like its first results before the page that
// only shares one of its words, and not without the reranking; paged
// results are the pages of the whole list.
func TestRerankQuestion(t *testing.T) {
	e, err := Open(buildIndex(t, rerankDocs(), build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	const q = "supersonic flutter thin kettle water"
	rank := func() []string { return ids(t, e, q, true, 10) }
	with := rank()
	defer func(d int) { rerankDepth = d }(rerankDepth)
	rerankDepth = 0
	without := rank()
	rerankDepth = defaultRerankDepth
	before := func(r []string, a, b string) bool {
		i, j := slices.Index(r, a), slices.Index(r, b)
		return i >= 0 && (j < 0 || i < j)
	}
	if !before(with, "like", "other") || before(without, "like", "other") {
		t.Errorf("%q: %v with reranking, %v without: want \"like\" before \"other\" only with it", q, with, without)
	}
	for _, size := range []int{1, 2, 3} {
		var paged []string
		for off := 0; off < len(with); off += size {
			resp, err := e.Search(Request{Query: q, Complete: true, Offset: off, Limit: size, NoExcerpt: true, NoFacets: true})
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, hitIDs(resp)...)
		}
		if !slices.Equal(paged, with) {
			t.Errorf("pages of %d: %v, want %v", size, paged, with)
		}
	}
}

// TestRerankSameScores: a question's scores are the same to the last
// bit in a new engine (vectors are summed in a fixed order, not a
// map's).
func TestRerankSameScores(t *testing.T) {
	skipUnderWasm(t)
	c := testcorpus.Cranfield(t)
	data := buildIndex(t, c.Docs, build.Options{})
	scores := func() [][]float64 {
		e, err := Open(data)
		if err != nil {
			t.Fatal(err)
		}
		var out [][]float64
		for _, q := range c.Queries[:20] {
			resp, err := e.Search(Request{Query: q.Text, Complete: true, Limit: 30, NoExcerpt: true, NoFacets: true})
			if err != nil {
				t.Fatal(err)
			}
			var s []float64
			for _, h := range resp.Hits {
				s = append(s, h.Score)
			}
			out = append(out, s)
		}
		return out
	}
	first := scores()
	for range 3 {
		again := scores()
		for i := range first {
			if !slices.EqualFunc(first[i], again[i], func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }) {
				t.Fatalf("%q: scores %v, then %v", strings.TrimSpace(c.Queries[i].Text), first[i], again[i])
			}
		}
	}
}

// TestRerankCraftedCounts: a head whose dictionary says a word is in no
// document (0: a crafted or damaged index; the reader allows 0 to the
// document count) still gives finite scores.
func TestRerankCraftedCounts(t *testing.T) {
	e, err := Open(buildIndex(t, rerankDocs(), build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	// "aeroelastic", a word of the first three pages but not of the
	// question (whose words the planner would then correct as typos);
	// feedback leaves out a word said to be in fewer than two
	// documents.
	word := e.analyzer.Analyze("aeroelastic")[0].Term
	zeroed := 0
	for _, f := range e.head.Fields {
		if k, ok := slices.BinarySearch(f.Dict, word); ok {
			f.DictDF[k] = 0
			zeroed++
		}
	}
	if zeroed == 0 {
		t.Fatalf("%q in no dictionary", word)
	}
	resp, err := e.Search(Request{Query: "supersonic flutter thin kettle water", Complete: true, NoExcerpt: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Hits) == 0 || resp.Mode != "plain" {
		t.Fatalf("%d hits, mode %s: want hits of a plain question", len(resp.Hits), resp.Mode)
	}

	for _, h := range resp.Hits {
		if math.IsNaN(h.Score) || math.IsInf(h.Score, 0) {
			t.Errorf("%s: score %v", h.ID, h.Score)
		}
	}
}
