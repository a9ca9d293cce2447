package engine

import (
	"fmt"
	"os"
	"strings"
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
	var setStop func(q, fb bool)
	reset := func() {
		searcher.ExpDelta, searcher.ExpDeltaTerm, searcher.ExpTermK1, searcher.ExpTermB, searcher.ExpIDF = 0, 0, 0, 0, 0
		searcher.ExpBM25L, searcher.ExpUnionDF = 0, false
		expFbScoreWeight = false
		plan.ExpBodyPair = 0
		plan.ExpTitlePairs = 0
		expFbDocCount = 0
		expFbProx = 0
		setStop(false, false)
		expFbSoftmax, expFbLogTF = false, false
		expFbIter = false
		feedbackDocs = 3
		expFbNoNum, expFbMinLen = false, 0
		expFbRel = 0
		expFbMinTF, expFbMinDF = 0, 0
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
	smartB, _ := os.ReadFile("/tmp/smart.txt")
	smart := map[string]bool{}
	for _, w := range strings.Fields(string(smartB)) {
		smart[w] = true
	}
	orig := []func(string) bool{cols[0].e.isStop, cols[1].e.isStop}
	setStop = func(q, fb bool) {
		for i, j := range cols {
			o := orig[i]
			f := func(w string) bool { return o(w) || smart[w] }
			j.e.isStop, j.e.cfg.IsStopWord = o, o
			if q {
				j.e.cfg.IsStopWord = f
			}
			if fb {
				j.e.isStop = f
			}
			j.e.tfCache = nil
		}
	}
	if os.Getenv("QUARRY_EXP") == "2" {
		vs = []v{
			{"fb tfx>=2", func() { expFbMinTF = 2 }},
			{"fb df>=3", func() { expFbMinDF = 3 }},
			{"fb df>=5", func() { expFbMinDF = 5 }},
		}
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
