//go:build !js

package search

import (
	"context"
	"fmt"
	"math"
	"sort"
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

// groups orders hits by score and turns runs of tied scores into sets.
func groups(hs []scored) []string {
	var out []string
	for i := 0; i < len(hs); {
		j := i
		var ids []string
		for j < len(hs) && math.Abs(hs[j].score-hs[i].score) <= 1e-9*math.Max(1, math.Abs(hs[i].score)) {
			ids = append(ids, hs[j].id)
			j++
		}
		sort.Strings(ids)
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
	ms, _, err := e.Run(context.Background(), q, 50, 0, false)
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
	req := bleve.NewSearchRequestOptions(q, 50, 0, false)
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
