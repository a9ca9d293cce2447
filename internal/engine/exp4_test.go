package engine

import (
	"os"
	"testing"

	"github.com/quarry-search/quarry/internal/eval"
	"github.com/quarry-search/quarry/internal/query"
)

func TestExpModes(t *testing.T) {
	if os.Getenv("QUARRY_EXP") == "" {
		t.Skip()
	}
	for _, name := range []string{"cranfield", "cacm"} {
		j := openJudged(t, name)
		modes := map[string]int{}
		for _, q := range j.c.Queries {
			if _, ok := j.judg[q.ID]; !ok {
				continue
			}
			pl, _ := j.e.Plan(q.Text, true)
			modes[pl.Mode]++
			if pl.Mode == "fuzzy" {
				t.Logf("%s %d corrections %v", name, q.ID, pl.Corrections)
			}
		}
		t.Logf("%s %v", name, modes)
	}
}

func TestExpStrip(t *testing.T) {
	if os.Getenv("QUARRY_EXP") == "" {
		t.Skip()
	}
	for _, name := range []string{"cranfield", "cacm"} {
		j := openJudged(t, name)
		var a, b float64
		n := 0
		for _, q := range j.c.Queries {
			jq, ok := j.judg[q.ID]
			if !ok {
				continue
			}
			n++
			x := eval.NDCG(ids(t, j.e, q.Text, true, 100), jq, 10)
			text := q.Text
			if pl, _ := j.e.Plan(q.Text, true); pl.Mode == "syntax" {
				text = query.StripSyntax(text)
			}
			y := eval.NDCG(ids(t, j.e, text, true, 100), jq, 10)
			if x != y {
				t.Logf("%s %d %.3f -> %.3f", name, q.ID, x, y)
			}
			a += x
			b += y
		}
		t.Logf("%s %.4f -> %.4f", name, a/float64(n), b/float64(n))
	}
}

func TestExpFbTerms(t *testing.T) {
	if os.Getenv("QUARRY_EXP") == "" {
		t.Skip()
	}
	for _, name := range []string{"cranfield", "cacm"} {
		j := openJudged(t, name)
		expFbLog = func(ts []string) { t.Logf("%s %v", name, ts) }
		for _, q := range j.c.Queries[:8] {
			ids(t, j.e, q.Text, true, 10)
		}
		expFbLog = nil
	}
}
