package engine

import (
	"fmt"
	"os"
	"testing"

	"github.com/quarry-search/quarry/internal/plan"
	"github.com/quarry-search/quarry/internal/searcher"
)

func TestExp(t *testing.T) {
	if os.Getenv("QUARRY_EXP") == "" {
		t.Skip()
	}
	cols := []*judged{openJudged(t, "cranfield"), openJudged(t, "cacm")}
	run := func() (out [2]float64, per [2][]float64) {
		for i, j := range cols {
			sc, p := j.scores(t, false)
			out[i], per[i] = sc.NDCG10, p
		}
		return out, per
	}
	base, basePer := run()
	t.Logf("base %.4f %.4f", base[0], base[1])
	type v struct {
		name string
		set  func()
	}
	reset := func() {
		searcher.ExpDelta, searcher.ExpDeltaTerm, searcher.ExpTermK1, searcher.ExpTermB, searcher.ExpIDF = 0, 0, 0, 0, 0
		expFbScoreWeight = false
		plan.ExpBodyPair = 0
	}
	vs := []v{
		{"delta 1", func() { searcher.ExpDelta = 1 }},
		{"delta 0.5", func() { searcher.ExpDelta = 0.5 }},
		{"delta 1 + term delta 1", func() { searcher.ExpDelta, searcher.ExpDeltaTerm = 1, 1 }},
		{"term delta 1", func() { searcher.ExpDeltaTerm = 1 }},
		{"fb same model (k1 2, b 0.5)", func() { searcher.ExpTermK1, searcher.ExpTermB = 2, 0.5 }},
		{"fb score-weighted docs", func() { expFbScoreWeight = true }},
		{"idf RSJ", func() { searcher.ExpIDF = 1 }},
		{"idf logN/df", func() { searcher.ExpIDF = 2 }},
		{"idf (N+1)/(df+.5)", func() { searcher.ExpIDF = 3 }},
		{"body pair 0.15", func() { plan.ExpBodyPair = 0.15 }},
		{"body pair 0.05", func() { plan.ExpBodyPair = 0.05 }},
	}
	if os.Getenv("QUARRY_EXP") == "2" {
		vs = vs[:0]
	}
	for _, x := range vs {
		reset()
		x.set()
		got, per := run()
		line := x.name + ":"
		for i := range cols {
			m, se := pairedDiff(per[i], basePer[i])
			line += " " + fmtf(got[i], m, se)
		}
		t.Log(line)
	}
	reset()
}

func fmtf(g, m, se float64) string {
	return fmt.Sprintf("%.4f (%+.4f ±%.4f)", g, m, se)
}
