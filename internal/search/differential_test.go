//go:build !js

package search

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	qbuild "github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/schema"
)

// scorchIndex builds a real bleve (scorch) index of docs with the same
// mapping, in one batch so it holds one segment like ours.
func scorchIndex(t *testing.T, docs []doc.Document) bleve.Index {
	t.Helper()
	im, err := schema.NewMapping(schema.Options{Language: "english"})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.New(t.TempDir()+"/scorch", im)
	if err != nil {
		t.Fatalf("bleve.New: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	b := idx.NewBatch()
	for i := range docs {
		if err := b.Index(docs[i].ID, qbuild.Fields(&docs[i], nil)); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatalf("batch: %v", err)
	}
	return idx
}

type scored struct {
	id    string
	score float64
}

// diffLimit is how many hits each side returns.
const diffLimit = 50

// groups orders hits by score and turns runs of tied scores into sets.
// When the list was cut at diffLimit, the last run may hold any of the
// tied documents, so only its score is kept.
func groups(hs []scored) []string {
	cut := len(hs) == diffLimit
	var out []string
	for i := 0; i < len(hs); {
		j := i
		var ids []string
		for j < len(hs) && math.Abs(hs[j].score-hs[i].score) <= 1e-9*math.Max(1, math.Abs(hs[i].score)) {
			ids = append(ids, hs[j].id)
			j++
		}
		sort.Strings(ids)
		if cut && j == len(hs) {
			ids = []string{"(cut)"}
		}
		out = append(out, fmt.Sprintf("%.9g:%v", hs[i].score, ids))
		i = j
	}
	return out
}

// differentialQueries are queries of every kind the engine plans.
var differentialQueries = []struct {
	text     string
	complete bool
}{
	{"alibaba", true}, {"alipay payments", true}, {"payment", true}, {"partnering", true},
	{"tenc", false}, {"wech", false}, {"alibbaba", true}, {"tencnet pay", true},
	{"\"wechat pay\"", true}, {"\"mobile payment\"", true}, {"+alipay -tencent", true},
	{"alipay AND wechat", true}, {"alipay NOT tencent", true}, {"title:alibaba", true},
	{"body:zuckerberg", true}, {"alibab~1", true}, {"ecommerc~2", true}, {"chin*", true},
	{"e-commerce platform", true}, {"the where and", true}, {"the market", true},
	{"retail^3 china", true}, {"/ali.*/", true}, {"windsor radio", false}, {"xyzzy", true},
	{"Zuckerberg WhatsApp", true}, {"U.S. market", true}, {"title:\"partner games\"", true},
	// Cranfield-style queries.
	{"boundary layer", true}, {"supersonic flow", true}, {"heat transfer", false},
	{"\"boundary layer\" -turbulent", true}, {"wing+", false}, {"aerodynamic", true},
	{"pressure distribution over a wing", true},
}

func runDifferential(t *testing.T, docs []doc.Document) {
	e, _ := openDocs(t, docs)
	idx := scorchIndex(t, docs)
	ours := e.Reader()
	theirsReader, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := theirsReader.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	analyze := e.analyzerFunc()
	for _, dq := range differentialQueries {
		t.Run(dq.text, func(t *testing.T) {
			pOurs, err := PlanQuery(ours, analyze, e.lang, e.boosts.title, e.boosts.body, e.fieldSet(), dq.text, dq.complete)
			if err != nil {
				t.Fatalf("plan (ours): %v", err)
			}
			pTheirs, err := PlanQuery(tr, analyze, e.lang, e.boosts.title, e.boosts.body, e.fieldSet(), dq.text, dq.complete)
			if err != nil {
				t.Fatalf("plan (scorch): %v", err)
			}
			if pOurs.Query == nil {
				t.Fatalf("empty plan")
			}
			got := runOurs(t, e, pOurs.Query)
			want := runBleve(t, e, idx, pTheirs.Query)
			g, w := groups(got), groups(want)
			if fmt.Sprint(g) != fmt.Sprint(w) {
				t.Errorf("mode %s\n got %v\nwant %v", pOurs.Mode, g, w)
			}
		})
	}
}

func runOurs(t *testing.T, e *Engine, q query.Query) []scored {
	ms, _, err := e.Run(context.Background(), q, diffLimit, 0, false)
	if err != nil {
		t.Fatalf("ours: %v", err)
	}
	out := make([]scored, len(ms))
	for i, m := range ms {
		out[i] = scored{m.ID, m.Score}
	}
	return out
}

func runBleve(t *testing.T, e *Engine, idx bleve.Index, q query.Query) []scored {
	req := bleve.NewSearchRequestOptions(q, diffLimit, 0, false)
	// Same BM25 statistics as ours (true average field length).
	res, err := idx.SearchInContext(e.WithStats(context.Background()), req)
	if err != nil {
		t.Fatalf("bleve: %v", err)
	}
	out := make([]scored, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = scored{h.ID, h.Score}
	}
	return out
}

func TestDifferentialSeeds(t *testing.T) {
	runDifferential(t, seedDocs(t))
}

func TestDifferentialCranfield(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	docs, _, _ := cranfield(t)
	runDifferential(t, docs)
}

// nativeQueries builds, from the index's own vocabulary, 25 bleve queries
// of each kind (match, phrase, prefix, fuzzy, boolean, query string), run
// with bleve's own searchers and BM25 (which reads FieldCardinality).
func nativeQueries(t *testing.T, e *Engine, docs []doc.Document) map[string][]query.Query {
	t.Helper()
	fd, err := e.Reader().FieldDict(schema.FieldBody)
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for {
		de, err := fd.Next()
		if err != nil {
			t.Fatal(err)
		}
		if de == nil {
			break
		}
		if len(de.Term) >= 5 && de.Count >= 2 && !strings.ContainsAny(de.Term, "0123456789") {
			words = append(words, de.Term)
		}
	}
	const n = 25
	if len(words) < 3*n {
		t.Fatalf("only %d candidate words", len(words))
	}
	step := len(words) / (3 * n)
	pick := func(i int) string { return words[(i*step)%len(words)] }
	var titles [][]string
	for _, d := range docs {
		if f := strings.Fields(strings.ToLower(d.Title)); len(f) >= 2 {
			titles = append(titles, f)
		}
	}
	kinds := map[string][]query.Query{}
	for i := 0; i < n; i++ {
		w1, w2, w3 := pick(3*i), pick(3*i+1), pick(3*i+2)
		m := query.NewMatchQuery(w1)
		m.SetField(schema.FieldBody)
		kinds["match"] = append(kinds["match"], m)

		tw := titles[(i*7)%len(titles)]
		ph := query.NewMatchPhraseQuery(tw[0] + " " + tw[1])
		ph.SetField(schema.FieldTitle)
		kinds["phrase"] = append(kinds["phrase"], ph)

		pq := query.NewPrefixQuery(w2[:3])
		pq.SetField(schema.FieldBody)
		kinds["prefix"] = append(kinds["prefix"], pq)

		typo := []byte(w3)
		typo[len(typo)/2] = 'x'
		fq := query.NewFuzzyQuery(string(typo))
		fq.SetField(schema.FieldBody)
		fq.SetFuzziness(1 + i%2)
		kinds["fuzzy"] = append(kinds["fuzzy"], fq)

		must, should, not := query.NewMatchQuery(w1), query.NewMatchQuery(w2), query.NewMatchQuery(w3)
		for _, q := range []*query.MatchQuery{must, should, not} {
			q.SetField(schema.FieldBody)
		}
		kinds["boolean"] = append(kinds["boolean"], query.NewBooleanQuery([]query.Query{must}, []query.Query{should}, []query.Query{not}))

		kinds["querystring"] = append(kinds["querystring"], query.NewQueryStringQuery(fmt.Sprintf("%s +body:%s -title:%s %s~1", w2, w1, w3, w3)))
	}
	return kinds
}

func runNative(t *testing.T, docs []doc.Document) {
	e, _ := openDocs(t, docs)
	idx := scorchIndex(t, docs)
	for kind, qs := range nativeQueries(t, e, docs) {
		nonEmpty := 0
		for i, q := range qs {
			t.Run(fmt.Sprintf("%s/%d", kind, i), func(t *testing.T) {
				ms, _, err := Execute(context.Background(), e.Reader(), e.Mapping(), q, diffLimit, 0, false)
				if err != nil {
					t.Fatalf("ours: %v", err)
				}
				got := make([]scored, len(ms))
				for i, m := range ms {
					got[i] = scored{m.ID, m.Score}
				}
				res, err := idx.Search(bleve.NewSearchRequestOptions(q, diffLimit, 0, false))
				if err != nil {
					t.Fatalf("bleve: %v", err)
				}
				want := make([]scored, len(res.Hits))
				for i, h := range res.Hits {
					want[i] = scored{h.ID, h.Score}
				}
				if len(got) > 0 {
					nonEmpty++
				}
				if g, w := groups(got), groups(want); fmt.Sprint(g) != fmt.Sprint(w) {
					t.Errorf("got %v\nwant %v", g, w)
				}
			})
		}
		if nonEmpty < len(qs)/2 {
			t.Errorf("%s: only %d of %d queries found anything; the comparison is too weak", kind, nonEmpty, len(qs))
		}
	}
}

func TestDifferentialNativeSeeds(t *testing.T) { runNative(t, seedDocs(t)) }

func TestDifferentialNativeCranfield(t *testing.T) {
	docs, _, _ := cranfield(t)
	runNative(t, docs)
}
