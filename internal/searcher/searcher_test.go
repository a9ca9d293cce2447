package searcher

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/index/indextest"
	"github.com/quarry-search/quarry/internal/query"
)

func postings(docs ...uint32) *index.Postings { return &index.Postings{Docs: docs} }

// The cursor contract every leaf iterator relies on: next walks the
// documents in order; advance(d) lands on the first document at or after
// d wherever the cursor is — on d itself right after next returned d,
// and back at an earlier document when d is behind (a restart).
func TestCursorContract(t *testing.T) {
	p := postings(2, 5, 9, 14)
	tests := []struct {
		name  string
		steps []string // "n" = next, "aX" = advance(X)
		want  []string // doc after each step, or "end"
	}{
		{"next walks in order", []string{"n", "n", "n", "n", "n"}, []string{"2", "5", "9", "14", "end"}},
		{"advance to the current document stays", []string{"n", "n", "a5"}, []string{"2", "5", "5"}},
		{"advance between documents", []string{"a6", "a9", "a10"}, []string{"9", "9", "14"}},
		{"advance backwards restarts", []string{"n", "n", "n", "a3", "n"}, []string{"2", "5", "9", "5", "9"}},
		{"advance before the start", []string{"a0"}, []string{"2"}},
		{"advance past the end", []string{"a15", "a2"}, []string{"end", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCursor(p)
			for i, s := range tt.steps {
				var ok bool
				if s == "n" {
					ok = c.next()
				} else {
					var d uint32
					fmt.Sscan(s[1:], &d)
					ok = c.advance(d)
				}
				got := "end"
				if ok {
					got = fmt.Sprint(c.doc())
				}
				if got != tt.want[i] {
					t.Fatalf("step %d (%s): at %s, want %s", i, s, got, tt.want[i])
				}
			}
		})
	}
}

// run returns "doc:score" for every match of n, in document order.
func run(t *testing.T, n query.Node, x *indextest.Index) []string {
	t.Helper()
	var out []string
	_, _, err := Run(n, x, Stats{Docs: x.NumDocs(), Tokens: x.Tokens}, Options{Seen: func(d uint32, s float64) {
		out = append(out, fmt.Sprintf("%d:%.6f", d, s))
	}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBM25Term(t *testing.T) {
	// Four documents, body lengths 2, 4, 6 and 4 (average 4); "gas"
	// occurs once in doc 0 and twice in doc 2, so df = 2 of N = 4.
	x := indextest.New([]indextest.Doc{
		indextest.Fields("body", "gas flow"),
		indextest.Fields("body", "heat flux wall layer"),
		indextest.Fields("body", "gas mixture gas in a tube"),
		indextest.Fields("body", "boundary layer in air"),
	})
	idf := math.Log(1 + (4-2+0.5)/(2+0.5))
	bm25 := func(tf, dl float64) float64 {
		return idf * tf * 2.2 / (tf + 1.2*(1-0.75+0.75*dl/4))
	}
	want := []string{fmt.Sprintf("0:%.6f", bm25(1, 2)), fmt.Sprintf("2:%.6f", bm25(2, 6))}
	if got := run(t, &query.Term{Term: "gas", Field: "body", Boost: 1}, x); !slices.Equal(got, want) {
		t.Errorf("BM25 of gas = %v, want %v", got, want)
	}
	// A shorter document with the same frequency scores higher.
	if a, b := bm25(1, 2), bm25(1, 6); a <= b {
		t.Fatalf("formula check: %v <= %v", a, b)
	}
}

// A word in the title outranks the same word in an equally long body
// (title weight 1.5 against 1): the title boost of BM25F.
func TestBM25FTitleOutranksBody(t *testing.T) {
	x := indextest.New([]indextest.Doc{
		indextest.Fields("title", "gas tables", "body", "values of flow"),
		indextest.Fields("title", "flow tables", "body", "values of gas"),
	})
	got := run(t, &query.Fields{Term: "gas", Fields: []string{"title", "body"}, Weights: []float64{1.5, 1}, Boost: 1, K1: 1.5}, x)
	var s0, s1 float64
	fmt.Sscanf(got[0], "0:%f", &s0)
	fmt.Sscanf(got[1], "1:%f", &s1)
	if len(got) != 2 || s0 <= s1 {
		t.Fatalf("scores %v: want the title match (doc 0) above the body match", got)
	}
	// Hand-computed: tf' = w·freq/norm, norm = 1 − b + b·dl/avg with
	// equal lengths (norm 1); score = idf · tf'·(k1+1)/(tf'+k1), idf of
	// df 1, k1 1.5.
	idf := math.Log(1 + (2-1+0.5)/(1+0.5))
	if want := idf * 1.5 * 2.5 / (1.5 + 1.5); math.Abs(s0-want) > 1e-6 {
		t.Errorf("title score %v, want %v", s0, want)
	}
}

// BM25F normalises each field's frequency by that field's length against
// its average, with each field's b, before the fields add up:
// hand-computed on bodies of 2, 6 and 4 words (average 4) and titles of
// 2, 2 and 4 words (average 8/3).
func TestBM25FLengthNormalisation(t *testing.T) {
	x := indextest.New([]indextest.Doc{
		indextest.Fields("title", "short note", "body", "gas flow"),
		indextest.Fields("title", "long note", "body", "heat flux of gas in tubes"),
		indextest.Fields("title", "gas note on air", "body", "boundary layer in air"),
	})
	idf := math.Log(1 + (3-2+0.5)/(2+0.5)) // df: the larger of title's 1 and body's 2
	// k1 2
	bm25f := func(tf float64) float64 { return idf * tf * 3 / (tf + 2) }
	norm := func(b, dl, avg float64) float64 { return 1 - b + b*dl/avg }
	for _, tt := range []struct {
		name          string
		b             []float64 // title, body; nil: 0.75 for both
		titleB, bodyB float64
	}{
		{"BM25's 0.75 when the query names none", nil, 0.75, 0.75},
		{"each field its own", []float64{0.75, 0.5}, 0.75, 0.5},
		{"title not normalised, body fully", []float64{0, 1}, 0, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := []float64{
				bm25f(1 / norm(tt.bodyB, 2, 4)),
				bm25f(1 / norm(tt.bodyB, 6, 4)),
				bm25f(1.5 / norm(tt.titleB, 4, 8.0/3)),
			}
			got := run(t, &query.Fields{Term: "gas", Fields: []string{"title", "body"}, Weights: []float64{1.5, 1}, Boost: 1, K1: 2, B: tt.b}, x)
			if len(got) != len(want) {
				t.Fatalf("BM25F of gas = %v, want %v", got, want)
			}
			for i, g := range got {
				var d int
				var s float64
				// Lengths come back from float32 norms: a few 1e-7 off.
				if fmt.Sscanf(g, "%d:%f", &d, &s); d != i || math.Abs(s-want[i]) > 1e-5 {
					t.Errorf("BM25F of gas = %v, want %v", got, want)
					break
				}
			}
		})
	}
	// The shorter body scores higher.
	if a, b := bm25f(1/norm(0.75, 2, 4)), bm25f(1/norm(0.75, 6, 4)); a <= b {
		t.Fatalf("formula check: %v <= %v", a, b)
	}
}

// bleve's term scoring: square root of the frequency, idf from the
// document frequency, the average length rounded up, boost × idf × norm.
func TestBTermMatchesBleveFormula(t *testing.T) {
	x := indextest.New([]indextest.Doc{
		indextest.Fields("body", "gas gas gas flow"),
		indextest.Fields("body", "flow"),
		indextest.Fields("body", "heat"),
	})
	// Tokens 6 over 3 docs: average 2, ceil 2. "gas": df 1, freq 3, length 4.
	idf := math.Log(1 + (3-1+0.5)/(1+0.5))
	tf := math.Sqrt(3)
	base := idf * tf * 1.2 / (tf + 1.2*(1-0.75+0.75*4/2))
	// Alone under a disjunction of one clause: norm 1/sqrt((2·idf)²).
	q := &query.Any{Clauses: []query.Node{&query.BTerm{Field: "body", Term: "gas", Boost: 2}}}
	norm := 1 / math.Sqrt((2*idf)*(2*idf))
	want := base * 2 * idf * norm
	if got := run(t, q, x); len(got) != 1 || got[0] != fmt.Sprintf("0:%.6f", want) {
		t.Errorf("got %v, want [0:%.6f]", got, want)
	}
}

func TestCompounds(t *testing.T) {
	x := indextest.New([]indextest.Doc{
		indextest.Fields("body", "wechat pay alipay"),   // 0
		indextest.Fields("body", "pay with wechat"),     // 1
		indextest.Fields("body", "alipay tencent"),      // 2
		indextest.Fields("body", "tencent wechat pay"),  // 3
		indextest.Fields("body", "nothing relevant at"), // 4
	})
	term := func(w string) query.Node { return &query.BTerm{Field: "body", Term: w, Boost: 1} }
	docs := func(n query.Node) string {
		var ds []string
		for _, s := range run(t, n, x) {
			ds = append(ds, s[:1])
		}
		return fmt.Sprint(ds)
	}
	tests := []struct {
		name string
		n    query.Node
		want string
	}{
		{"disjunction", &query.Any{Clauses: []query.Node{term("alipay"), term("tencent")}}, "[0 2 3]"},
		{"disjunction min 2", &query.Any{Clauses: []query.Node{term("wechat"), term("pay"), term("alipay")}, Min: 2}, "[0 1 3]"},
		{"conjunction", &query.Any{Clauses: []query.Node{term("wechat"), term("pay")}, All: true}, "[0 1 3]"},
		{"phrase", &query.Phrase{Field: "body", Terms: []string{"wechat", "pay"}, Boost: 1}, "[0 3]"},
		{"phrase order matters", &query.Phrase{Field: "body", Terms: []string{"pay", "wechat"}, Boost: 1}, "[]"},
		{"must and not", &query.Bool{Must: term("wechat"), Not: term("tencent")}, "[0 1]"},
		{"should and not", &query.Bool{Should: term("pay"), Not: term("alipay")}, "[1 3]"},
		{"not alone", &query.Bool{Not: term("wechat")}, "[2 4]"},
		{"must with optional should", &query.Bool{Must: term("tencent"), Should: term("wechat")}, "[2 3]"},
		{"none", &query.Bool{Must: &query.None{}}, "[]"},
		{"empty disjunction", &query.Any{}, "[]"},
		{"sum", &query.Sum{Clauses: []query.Node{&query.Term{Term: "alipay", Field: "body", Boost: 1}, &query.Term{Term: "nothing", Field: "body", Boost: 1}}}, "[0 2 4]"},
		{"title match needs every term", &query.TitleMatch{Terms: []string{"wechat", "pay"}, Field: "body", Boost: 1}, "[0 1 3]"},
		{"near, either order", &query.Near{Field: "body", A: "pay", B: "wechat", Window: 1, Boost: 1}, "[0 3]"},
		{"near, window 2", &query.Near{Field: "body", A: "pay", B: "wechat", Window: 2, Boost: 1}, "[0 1 3]"},
		{"near, anywhere", &query.Near{Field: "body", A: "alipay", B: "wechat", Window: 0, Boost: 1}, "[0]"},
		{"all", &query.All{}, "[0 1 2 3 4]"},
	}
	for _, tt := range tests {
		if got := docs(tt.n); got != tt.want {
			t.Errorf("%s: docs %s, want %s", tt.name, got, tt.want)
		}
	}
	// A disjunction multiplies the summed score by the fraction of
	// clauses matched, and its clauses share one query norm: doc 0 has
	// alipay (1 of 3 tokens) only, doc 2 alipay and tencent (1 of 2 each).
	n, avg := 5.0, math.Ceil(14.0/5)
	idf := func(df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }
	base := func(dl float64, idf float64) float64 { return idf * 1.2 / (1 + 1.2*(1-0.75+0.75*dl/avg)) }
	ia, it := idf(2), idf(2)
	norm := 1 / math.Sqrt(ia*ia+it*it)
	want := []string{
		fmt.Sprintf("0:%.6f", base(3, ia)*ia*norm*0.5),
		fmt.Sprintf("2:%.6f", (base(2, ia)*ia*norm+base(2, it)*it*norm)*1),
		fmt.Sprintf("3:%.6f", base(3, it)*it*norm*0.5),
	}
	if got := run(t, &query.Any{Clauses: []query.Node{term("alipay"), term("tencent")}}, x); !slices.Equal(got, want) {
		t.Errorf("disjunction scores %v, want %v", got, want)
	}
}

func TestRunPagingAndFilters(t *testing.T) {
	var docs []indextest.Doc
	for i := 0; i < 20; i++ {
		body := "gas"
		for j := 0; j < i%7; j++ {
			body += " filler"
		}
		docs = append(docs, indextest.Fields("body", body))
	}
	x := indextest.New(docs)
	st := Stats{Docs: x.NumDocs(), Tokens: x.Tokens}
	q := &query.Term{Term: "gas", Field: "body", Boost: 1}
	all, total, err := Run(q, x, st, Options{Size: 20})
	if err != nil || total != 20 || len(all) != 20 {
		t.Fatalf("all: %d hits of %d, %v", len(all), total, err)
	}
	for i := 1; i < len(all); i++ {
		if better(all[i], all[i-1]) {
			t.Fatalf("hits out of order at %d: %+v before %+v", i, all[i-1], all[i])
		}
	}
	page, _, _ := Run(q, x, st, Options{Size: 5, From: 5})
	if fmt.Sprint(page) != fmt.Sprint(all[5:10]) {
		t.Errorf("page 2 = %v, want %v", page, all[5:10])
	}
	var seen []uint32
	even, total, _ := Run(q, x, st, Options{Size: 100, Keep: func(d uint32) bool { return d%2 == 0 }, Seen: func(d uint32, _ float64) { seen = append(seen, d) }})
	if total != 10 || len(even) != 10 || len(seen) != 20 {
		t.Errorf("filtered: total %d, %d hits, %d seen; want 10, 10, 20", total, len(even), len(seen))
	}
	if late, _, _ := Run(q, x, st, Options{Size: 5, From: 30}); len(late) != 0 {
		t.Errorf("page past the end: %v", late)
	}
}

// Every iterator's advance agrees with next: advancing to a target after
// the current document lands where walking with next would (the first
// match at or after it, with the same score), and next goes on from
// there. Random queries of every kind over a random index.
func TestAdvanceAgreesWithNext(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"gas", "flow", "heat", "wall", "layer"}
	var docs []indextest.Doc
	for i := 0; i < 60; i++ {
		doc := indextest.Doc{}
		for _, f := range []string{"title", "body"} {
			for n := rng.IntN(6); n > 0; n-- {
				doc[f] = append(doc[f], words[rng.IntN(len(words))])
			}
		}
		docs = append(docs, doc)
	}
	x := indextest.New(docs)
	st := Stats{Docs: x.NumDocs(), Tokens: x.Tokens}
	word := func() string { return words[rng.IntN(len(words))] }
	var node func(depth int) query.Node
	node = func(depth int) query.Node {
		k := rng.IntN(9)
		if depth > 2 {
			k = rng.IntN(3)
		}
		switch k {
		case 0:
			return &query.BTerm{Field: "body", Term: word(), Boost: 1}
		case 1:
			return &query.Fields{Term: word(), Fields: []string{"title", "body"}, Weights: []float64{1.5, 1}, Boost: 1}
		case 2:
			return &query.Phrase{Field: "body", Terms: []string{word(), word()}, Boost: 1}
		case 3:
			return &query.Any{Clauses: []query.Node{node(depth + 1), node(depth + 1), node(depth + 1)}, Min: rng.IntN(3), All: rng.IntN(3) == 0}
		case 4:
			maybe := func() query.Node {
				if rng.IntN(3) == 0 {
					return nil
				}
				return node(depth + 1)
			}
			return &query.Bool{Must: maybe(), Should: maybe(), Not: node(depth + 1)}
		case 7:
			return &query.All{}
		case 8:
			return &query.Near{Field: "title", A: word(), B: word(), Window: rng.IntN(3), Boost: 1}
		case 5:
			rec := &query.Recorded{}
			for d := uint32(rng.IntN(3)); d < 60; d += 1 + uint32(rng.IntN(5)) {
				rec.Docs, rec.Scores = append(rec.Docs, d), append(rec.Scores, rng.Float64())
			}
			return rec
		default:
			return &query.TitleMatch{Terms: []string{word(), word()}, Field: "title", Boost: 1}
		}
	}
	type match struct {
		doc   uint32
		score float64
	}
	for i := 0; i < 500; i++ {
		n := node(0)
		c := &compiler{r: x, st: st}
		it, err := c.compile(n)
		if err != nil {
			t.Fatal(err)
		}
		var all []match
		for it.next() {
			all = append(all, match{it.doc(), it.score()})
		}
		it, _ = c.compile(n)
		at := -1 // index in all of the current match
		for step := 0; step < 20; step++ {
			if rng.IntN(3) == 0 {
				ok := it.next()
				at++
				if ok != (at < len(all)) || ok && (it.doc() != all[at].doc || math.Abs(it.score()-all[at].score) > 1e-9) {
					t.Fatalf("query %d, step %d: next = %v at %d, want match %d of %v", i, step, ok, it.doc(), at, all)
				}
				if !ok {
					break
				}
				continue
			}
			// A target after the current document, sometimes right after.
			from := uint32(0)
			if at >= 0 {
				from = all[at].doc + 1
			}
			target := from + uint32(rng.IntN(4))
			ok := it.advance(target)
			at, _ = slices.BinarySearchFunc(all, target, func(m match, d uint32) int { return int(m.doc) - int(d) })
			if ok != (at < len(all)) || ok && (it.doc() != all[at].doc || math.Abs(it.score()-all[at].score) > 1e-9) {
				t.Fatalf("query %d, step %d: advance(%d) = %v at %d, want match %d of %v", i, step, target, ok, it.doc(), at, all)
			}
			if !ok {
				break
			}
		}
	}
}

// Plain runs reuse the score arrays Options.Scores lends them: a run after
// others, on the same index or on a smaller or larger one, matches exactly
// what the document-at-a-time path (Vectors, which never uses them) finds,
// with the same scores.
func TestPooledAccumulators(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	words := []string{"gas", "flow", "heat", "wall", "layer", "jet"}
	index := func(n int) *indextest.Index {
		var docs []indextest.Doc
		for i := 0; i < n; i++ {
			doc := indextest.Doc{}
			for _, f := range []string{"title", "body"} {
				for k := 1 + rng.IntN(5); k > 0; k-- {
					doc[f] = append(doc[f], words[rng.IntN(len(words))])
				}
			}
			docs = append(docs, doc)
		}
		return indextest.New(docs)
	}
	big, small := index(300), index(7)
	fields := func(w string) query.Node {
		return &query.Fields{Term: w, Fields: []string{"title", "body"}, Weights: []float64{2, 1}, Boost: 1, K1: 2}
	}
	lent := &Scores{}
	matches := func(n query.Node, x *indextest.Index, vectors bool) []string {
		var out []string
		_, _, err := Run(n, x, Stats{Docs: x.NumDocs(), Tokens: x.Tokens}, Options{Vectors: vectors, Scores: lent, Seen: func(d uint32, s float64) {
			out = append(out, fmt.Sprintf("%d:%.9f", d, s))
		}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	runs := []struct {
		name string
		x    *indextest.Index
		n    query.Node
	}{
		{"big, two words", big, &query.Sum{Clauses: []query.Node{fields("gas"), fields("jet")}}},
		{"big, another word", big, fields("wall")},
		{"small after big", small, fields("heat")},
		{"small, another word", small, &query.Sum{Clauses: []query.Node{fields("flow"), fields("layer")}}},
		{"big after small", big, fields("layer")},
		{"big, a word in no document", big, fields("absent")},
		{"big, every document", big, &query.All{}},
		{"small after every document", small, fields("jet")},
	}
	for _, r := range runs {
		want := matches(r.n, r.x, true)
		if got := matches(r.n, r.x, false); !slices.Equal(got, want) {
			t.Errorf("%s: %d matches %v, want %d %v", r.name, len(got), got, len(want), want)
		}
		if cap(lent.score) < big.NumDocs() {
			t.Fatalf("%s: the arrays lent (%d) were not given back", r.name, cap(lent.score))
		}
	}
}
