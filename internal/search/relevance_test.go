package search

import (
	"context"
	"testing"

	"github.com/quarry-search/quarry/internal/eval"
)

// lunrNDCG is the best in-browser peer's Cranfield nDCG@10 (lunr 2.3.9),
// measured with the same gains.
const lunrNDCG = 0.374

// cranfieldScores runs every Cranfield query and scores the rankings.
func cranfieldScores(t testing.TB, e *Engine, qs []cranQuery, qr []cranQrel) eval.Scores {
	judg := map[int]eval.Judgements{}
	for _, r := range qr {
		if judg[r.Query] == nil {
			judg[r.Query] = eval.Judgements{}
		}
		judg[r.Query][r.Doc.String()] = eval.CranfieldGain(r.Grade)
	}
	var acc eval.Accumulator
	for _, q := range qs {
		resp, err := e.Search(context.Background(), Request{Query: q.Text, Limit: 100, Complete: true, NoExcerpt: true})
		if err != nil {
			t.Fatalf("query %d %q: %v", q.ID, q.Text, err)
		}
		ranked := make([]string, len(resp.Hits))
		for i, h := range resp.Hits {
			ranked[i] = h.ID
		}
		acc.Add(ranked, judg[q.ID])
	}
	return acc.Scores()
}

// TestCranfieldRelevance reports nDCG@10, MAP and P@10 over the 225
// Cranfield queries and requires beating lunr's nDCG@10.
func TestCranfieldRelevance(t *testing.T) {
	docs, qs, qr := cranfield(t)
	e, _ := openDocs(t, docs)
	s := cranfieldScores(t, e, qs, qr)
	t.Logf("Cranfield (%d queries): nDCG@10 %.4f  MAP %.4f  P@10 %.4f  zero-result queries %d (lunr nDCG@10 %.3f)",
		s.Queries, s.NDCG10, s.MAP, s.P10, s.ZeroResults, lunrNDCG)
	if s.Queries != 225 {
		t.Errorf("evaluated %d queries, want 225", s.Queries)
	}
	if s.NDCG10 <= lunrNDCG {
		t.Errorf("nDCG@10 = %.4f, want above lunr's %.3f", s.NDCG10, lunrNDCG)
	}
}
