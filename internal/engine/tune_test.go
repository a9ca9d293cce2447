package engine

import (
	"fmt"
	"math"
	"os"
	"testing"
)

// TestTuningGrid reruns the joint grid behind the ranking's parameters
// (issue 13): BM25F's k1, the title weight, each field's b, and the
// feedback's number of terms and weight, on Cranfield and CACM together.
// Each setting is printed with its nDCG@10 on both and the change
// against the defaults (± one standard error of the questions' paired
// differences). It runs only with QUARRY_TUNE=1 (about a minute
// natively): it measures, it asserts nothing.
//
// The defaults sit inside the region where every setting near them
// helps both collections (see plan.Ranking and feedback.go for the
// figures); no single grid point was taken for its Cranfield figure.
func TestTuningGrid(t *testing.T) {
	if os.Getenv("QUARRY_TUNE") == "" {
		t.Skip("QUARRY_TUNE not set")
	}
	cols := []*judged{openJudged(t, "cranfield"), openJudged(t, "cacm")}
	type setting struct {
		k1, title, titleB, bodyB float64
		terms                    int
		weight                   float64
	}
	apply := func(s setting) {
		for _, j := range cols {
			j.e.cfg.Ranking.K1, j.e.cfg.TitleBoost = s.k1, s.title
			j.e.cfg.Ranking.TitleB, j.e.cfg.Ranking.BodyB = s.titleB, s.bodyB
		}
		feedbackTerms, feedbackWeight = s.terms, s.weight
	}
	run := func(s setting) (out [2]float64, per [2][]float64) {
		apply(s)
		for i, j := range cols {
			sc, p := j.scores(t, false)
			out[i], per[i] = sc.NDCG10, p
		}
		return out, per
	}
	r := cols[0].e.cfg.Ranking
	def := setting{r.K1, cols[0].e.cfg.TitleBoost, r.TitleB, r.BodyB, feedbackTerms, feedbackWeight}
	defer apply(def)
	base, basePer := run(def)
	t.Logf("defaults %+v: Cranfield %.4f, CACM %.4f", def, base[0], base[1])
	for _, k1 := range []float64{1.5, 2, 2.5} {
		for _, title := range []float64{1.5, 2, 3} {
			for _, titleB := range []float64{0.75, 1} {
				for _, bodyB := range []float64{0.5, 0.75} {
					for _, terms := range []int{10, 20} {
						for _, weight := range []float64{0.2, 0.4} {
							s := setting{k1, title, titleB, bodyB, terms, weight}
							got, per := run(s)
							line := fmt.Sprintf("%+v:", s)
							for i := range cols {
								m, se := pairedDiff(per[i], basePer[i])
								line += fmt.Sprintf("  %.4f (%+.4f ±%.4f)", got[i], m, se)
							}
							t.Log(line)
						}
					}
				}
			}
		}
	}
}

// pairedDiff is the mean of a[i]-b[i] and its standard error.
func pairedDiff(a, b []float64) (mean, se float64) {
	n := float64(len(a))
	for i := range a {
		mean += (a[i] - b[i]) / n
	}
	sq := 0.0
	for i := range a {
		d := a[i] - b[i] - mean
		sq += d * d
	}
	return mean, math.Sqrt(sq/(n-1)) / math.Sqrt(n)
}
