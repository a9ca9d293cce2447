package eval

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestNDCG(t *testing.T) {
	j := Judgements{"a": 3, "b": 2, "c": 0, "d": 1}
	ideal := 3 + 2/math.Log2(3) + 1/math.Log2(4)
	tests := []struct {
		name   string
		ranked []string
		k      int
		want   float64
	}{
		{"ideal order", []string{"a", "b", "d"}, 10, 1},
		{"reversed", []string{"d", "b", "a"}, 10, (1 + 2/math.Log2(3) + 3/math.Log2(4)) / ideal},
		{"irrelevant first", []string{"c", "a"}, 10, (3 / math.Log2(3)) / ideal},
		{"cut at k", []string{"c", "a"}, 1, 0},
		{"nothing", nil, 10, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NDCG(tt.ranked, j, tt.k); !near(got, tt.want) {
				t.Errorf("NDCG(%v, k=%d) = %v, want %v", tt.ranked, tt.k, got, tt.want)
			}
		})
	}
	if got := NDCG([]string{"a"}, Judgements{"a": 0}, 10); got != 0 {
		t.Errorf("NDCG with no relevant docs = %v, want 0", got)
	}
}

func TestAveragePrecisionAndP10(t *testing.T) {
	j := Judgements{"a": 1, "b": 1, "x": 0}
	tests := []struct {
		name   string
		ranked []string
		ap, p2 float64
	}{
		{"both first", []string{"a", "b", "x"}, 1, 1},
		{"one late", []string{"x", "a", "y", "b"}, (0.5 + 0.5) / 2, 0.5},
		{"one missing", []string{"a"}, 0.5, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AveragePrecision(tt.ranked, j); !near(got, tt.ap) {
				t.Errorf("AveragePrecision(%v) = %v, want %v", tt.ranked, got, tt.ap)
			}
			if got := PrecisionAt(tt.ranked, j, 2); !near(got, tt.p2) {
				t.Errorf("PrecisionAt(%v, 2) = %v, want %v", tt.ranked, got, tt.p2)
			}
		})
	}
}

func TestCranfieldGain(t *testing.T) {
	for grade, want := range map[int]float64{1: 4, 2: 3, 3: 2, 4: 1, -1: 0, 0: 0, 5: 0} {
		if got := CranfieldGain(grade); got != want {
			t.Errorf("CranfieldGain(%d) = %v, want %v", grade, got, want)
		}
	}
}

func TestAccumulator(t *testing.T) {
	var a Accumulator
	a.Add([]string{"a"}, Judgements{"a": 1})
	a.Add(nil, Judgements{"a": 1})
	s := a.Scores()
	if s.Queries != 2 || !near(s.NDCG10, 0.5) || s.ZeroResults != 1 || !near(s.MAP, 0.5) {
		t.Errorf("Scores() = %+v, want 2 queries, nDCG 0.5, MAP 0.5, 1 zero-result", s)
	}
}
