package engine

import (
	"os"
	"testing"

	"github.com/quarry-search/quarry/internal/eval"
)

func TestExpDiag(t *testing.T) {
	if os.Getenv("QUARRY_EXP") == "" {
		t.Skip()
	}
	j := openJudged(t, "cranfield")
	for _, q := range j.c.Queries {
		jq, ok := j.judg[q.ID]
		if !ok {
			continue
		}
		ranked := ids(t, j.e, q.Text, true, 100)
		n := eval.NDCG(ranked, jq, 10)
		pl, _ := j.e.Plan(q.Text, true)
		if n < 0.15 {
			t.Logf("%d %.3f %q words=%v rel=%d", q.ID, n, q.Text, pl.Words, len(jq))
		}
	}
}
