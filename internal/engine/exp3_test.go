package engine

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestExpShow(t *testing.T) {
	if os.Getenv("QUARRY_SHOW") == "" {
		t.Skip()
	}
	j := openJudged(t, "cranfield")
	title := map[string]string{}
	for _, d := range j.c.Docs {
		title[d.ID] = d.Title
	}
	for _, s := range strings.Split(os.Getenv("QUARRY_SHOW"), ",") {
		id, _ := strconv.Atoi(s)
		for _, q := range j.c.Queries {
			if q.ID != id {
				continue
			}
			t.Logf("Q%d %s", id, q.Text)
			for i, d := range ids(t, j.e, q.Text, true, 10) {
				t.Logf("  %d %s g=%v %s", i+1, d, j.judg[id][d], title[d])
			}
			for d, g := range j.judg[id] {
				t.Logf("  REL %s g=%v %s", d, g, title[d])
			}
		}
	}
}
