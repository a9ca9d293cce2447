package search

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// pathological is the set of hostile or absurd queries a public search box
// receives; each must be answered within the limits.
func pathological() []struct{ name, q string } {
	var distinct strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&distinct, "w%d ", i)
	}
	var must strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&must, "+a%d* ", i%50)
	}
	long := strings.Repeat("pneumonoultramicroscopicsilicovolcanoconiosis", 20)
	return []struct{ name, q string }{
		{"3000 words", strings.Repeat("flow pressure wing ", 1000)},
		{"3000 distinct words", distinct.String()},
		{"3000 prefix clauses", must.String()},
		{"star", "*"},
		{"leading wildcard", "*ing"},
		{"many wildcards", "*a* *e* *i* *o* *u* *n* *s* *t*"},
		{"regexp all", "/.*/"},
		{"regexp nested", "/(a+)+(b+)+.*(c|d)*[a-z]{1,100}/"},
		{"fuzzy 2 long word", "supercalifragilisticexpialidocious~2"},
		{"fuzzy 2 very long word", long + "~2"},
		{"many fuzzy 2", strings.Repeat("aerodynamics~2 ", 40)},
		{"four fuzzy 2", "aerodynamics~2 supersonically~2 temperatures~2 compressibility~2"},
		{"four broad prefixes", "s* c* p* t*"},
		{"nested parentheses", strings.Repeat("(", 5000) + "flow" + strings.Repeat(")", 5000)},
		{"megabyte", strings.Repeat("x", 1<<20)},
		{"megabyte of words", strings.Repeat("flow ", 1<<18)},
		{"long phrase", `"` + strings.Repeat("the flow of ", 300) + `"`},
	}
}

func benchPathological(b *testing.B, e *Engine) {
	worst, worstName := time.Duration(0), ""
	for _, p := range pathological() {
		var lat []time.Duration
		b.Run(p.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				start := time.Now()
				resp, err := e.Search(context.Background(), Request{Query: p.q, Limit: 10})
				lat = append(lat, time.Since(start))
				if err != nil {
					b.Logf("%s: %v", p.name, err)
				} else if i == 0 {
					b.Logf("%s: mode %s total %d notice %q", p.name, resp.Mode, resp.Total, resp.Notice)
				}
			}
		})
		if len(lat) == 0 { // not selected by -bench
			continue
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		if m := lat[len(lat)/2]; m > worst {
			worst, worstName = m, p.name
		}
	}
	b.Logf("worst case: %s, median %v", worstName, worst)
}

// BenchmarkPathologicalSeeds runs the pathological queries on the seeds.
func BenchmarkPathologicalSeeds(b *testing.B) {
	e, _ := openDocs(b, seedDocs(b))
	benchPathological(b, e)
}

// BenchmarkPathologicalCranfield runs them on Cranfield (1400 documents).
func BenchmarkPathologicalCranfield(b *testing.B) {
	docs, _, _ := cranfield(b)
	e, _ := openDocs(b, docs)
	benchPathological(b, e)
}
