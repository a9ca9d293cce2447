package engine

import (
	"os"
	"sort"
	"testing"

	"github.com/quarry-search/quarry/internal/eval"
	"github.com/quarry-search/quarry/internal/searcher"
)

func runScores(t *testing.T, e *Engine, text string) map[string]float64 {
	resp, err := e.Search(Request{Query: text, Limit: 100, Complete: true, NoExcerpt: true, NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]float64{}
	for i, h := range resp.Hits {
		_ = i
		m[h.ID] = h.Score
	}
	return m
}

func TestExpFusion(t *testing.T) {
	if os.Getenv("QUARRY_EXP") == "" {
		t.Skip()
	}
	defer func() { searcher.ExpModel = 0 }()
	cols := []*judged{openJudged(t, "cranfield"), openJudged(t, "cacm")}
	for _, j := range cols {
		var base, dph, fuse, rrf []float64
		for _, q := range j.c.Queries {
			jq, ok := j.judg[q.ID]
			if !ok {
				continue
			}
			searcher.ExpModel = 0
			a := runScores(t, j.e, q.Text)
			searcher.ExpModel = 1
			b := runScores(t, j.e, q.Text)
			searcher.ExpModel = 0
			rank := func(m map[string]float64) []string {
				var ks []string
				for k := range m {
					ks = append(ks, k)
				}
				sort.Slice(ks, func(x, y int) bool {
					if m[ks[x]] != m[ks[y]] {
						return m[ks[x]] > m[ks[y]]
					}
					return ks[x] < ks[y]
				})
				return ks
			}
			norm := func(m map[string]float64) map[string]float64 {
				mx, mn := -1e300, 1e300
				for _, v := range m {
					mx, mn = max(mx, v), min(mn, v)
				}
				o := map[string]float64{}
				for k, v := range m {
					if mx > mn {
						o[k] = (v - mn) / (mx - mn)
					}
				}
				return o
			}
			ra, rb := rank(a), rank(b)
			na, nb := norm(a), norm(b)
			f := map[string]float64{}
			r := map[string]float64{}
			for k, v := range na {
				f[k] += v
			}
			for k, v := range nb {
				f[k] += v
			}
			for i, k := range ra {
				r[k] += 1 / float64(60+i+1)
			}
			for i, k := range rb {
				r[k] += 1 / float64(60+i+1)
			}
			base = append(base, eval.NDCG(ra, jq, 10))
			dph = append(dph, eval.NDCG(rb, jq, 10))
			fuse = append(fuse, eval.NDCG(rank(f), jq, 10))
			rrf = append(rrf, eval.NDCG(rank(r), jq, 10))
		}
		mean := func(x []float64) float64 {
			s := 0.0
			for _, v := range x {
				s += v
			}
			return s / float64(len(x))
		}
		m1, s1 := pairedDiff(dph, base)
		m2, s2 := pairedDiff(fuse, base)
		m3, s3 := pairedDiff(rrf, base)
		t.Logf("%s base %.4f dph %.4f (%+.4f ±%.4f) combsum %.4f (%+.4f ±%.4f) rrf %.4f (%+.4f ±%.4f)", j.name, mean(base), mean(dph), m1, s1, mean(fuse), m2, s2, mean(rrf), m3, s3)
	}
}
