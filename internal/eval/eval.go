// Package eval computes ranking-quality metrics (nDCG@k, average
// precision, precision@k) from graded relevance judgements, as used to
// compare Quarry with other engines on the Cranfield collection.
package eval

import (
	"math"
	"sort"
)

// Judgements maps a document id to its gain (0 = not relevant).
type Judgements map[string]float64

// CranfieldGain converts a Cranfield grade to a gain: 5 - grade for the
// grades 1 (complete answer) to 4 (minimum interest); anything else
// (including the -1 given to each query's source paper) is 0.
func CranfieldGain(grade int) float64 {
	if grade >= 1 && grade <= 4 {
		return float64(5 - grade)
	}
	return 0
}

// NDCG returns nDCG@k of ranked ids (gain / log2(rank+1), normalised by
// the ideal ordering of all judged gains). A query with no relevant
// document scores 0.
func NDCG(ranked []string, j Judgements, k int) float64 {
	dcg := 0.0
	for i, id := range ranked {
		if i >= k {
			break
		}
		dcg += j[id] / math.Log2(float64(i+2))
	}
	gains := make([]float64, 0, len(j))
	for _, g := range j {
		if g > 0 {
			gains = append(gains, g)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(gains)))
	ideal := 0.0
	for i, g := range gains {
		if i >= k {
			break
		}
		ideal += g / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// AveragePrecision returns the average precision of ranked ids, counting
// a document relevant when its gain is positive.
func AveragePrecision(ranked []string, j Judgements) float64 {
	rel := 0
	for _, g := range j {
		if g > 0 {
			rel++
		}
	}
	if rel == 0 {
		return 0
	}
	hits, sum := 0, 0.0
	for i, id := range ranked {
		if j[id] > 0 {
			hits++
			sum += float64(hits) / float64(i+1)
		}
	}
	return sum / float64(rel)
}

// PrecisionAt returns the fraction of the first k ranks that are relevant.
func PrecisionAt(ranked []string, j Judgements, k int) float64 {
	if k <= 0 {
		return 0
	}
	hits := 0
	for i, id := range ranked {
		if i >= k {
			break
		}
		if j[id] > 0 {
			hits++
		}
	}
	return float64(hits) / float64(k)
}

// Scores are metrics averaged over queries.
type Scores struct {
	Queries     int     `json:"queries"`
	NDCG10      float64 `json:"ndcg10"`
	MAP         float64 `json:"map"`
	P10         float64 `json:"p10"`
	ZeroResults int     `json:"zero_results"`
}

// Accumulator averages metrics over queries.
type Accumulator struct{ s Scores }

// Add records one query's ranking.
func (a *Accumulator) Add(ranked []string, j Judgements) {
	a.s.Queries++
	a.s.NDCG10 += NDCG(ranked, j, 10)
	a.s.MAP += AveragePrecision(ranked, j)
	a.s.P10 += PrecisionAt(ranked, j, 10)
	if len(ranked) == 0 {
		a.s.ZeroResults++
	}
}

// Scores returns the averages so far.
func (a *Accumulator) Scores() Scores {
	s := a.s
	if s.Queries > 0 {
		n := float64(s.Queries)
		s.NDCG10 /= n
		s.MAP /= n
		s.P10 /= n
	}
	return s
}
