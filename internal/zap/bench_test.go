package zap

import (
	"sync"
	"testing"

	zapx "github.com/blevesearch/zapx/v16"

	"github.com/quarry-search/quarry/internal/testcorpus"
)

// Each benchmark runs this package's reader ("zap") and zapx ("zapx") on
// the same Cranfield segments, to be compared in one run:
//
//	go test -run '^$' -bench . -benchmem ./internal/zap/

var (
	cranOnce sync.Once
	cranSegs segments
)

func cranfield(b *testing.B) segments {
	skipOnJS(b, "builds a 1,400-document index")
	docs := withFacets(testcorpus.Cranfield(b).Docs)
	cranOnce.Do(func() { cranSegs = buildSegments(b, docs) })
	return cranSegs
}

// frequent returns the body term with the most documents.
func frequent(b *testing.B, d *Dict) []byte {
	var best []byte
	n := 0
	if err := d.Iterate(nil, nil, nil, func(e Entry) bool {
		if e.DocFreq > n {
			best, n = append(best[:0], e.Term...), e.DocFreq
		}
		return true
	}); err != nil {
		b.Fatal(err)
	}
	return best
}

func BenchmarkOpen(b *testing.B) {
	seg := cranfield(b).full
	b.Run("zap", func(b *testing.B) {
		for b.Loop() {
			if _, err := Open(seg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("zapx", func(b *testing.B) {
		for b.Loop() {
			openZapx(b, seg)
		}
	})
}

func BenchmarkPostings(b *testing.B) {
	for _, c := range []struct {
		name string
		want Want
	}{{"freqnorm", WantFreqNorm}, {"positions", WantFreqNorm | WantPositions}} {
		seg := cranfield(b).full
		d := dict(b, seg, "body")
		zd := zapxDict(b, seg, "body")
		term := frequent(b, d)
		b.Run(c.name+"/zap", func(b *testing.B) {
			for b.Loop() {
				if _, err := d.Postings(term, c.want); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/zapx", func(b *testing.B) {
			locs := c.want&WantPositions != 0
			for b.Loop() {
				pl, err := zd.PostingsList(term, nil, nil)
				if err != nil {
					b.Fatal(err)
				}
				it := pl.Iterator(true, true, locs, nil)
				for p, err := it.Next(); p != nil || err != nil; p, err = it.Next() {
					if err != nil {
						b.Fatal(err)
					}
					_, _ = p.Frequency(), p.Norm()
					for _, l := range p.Locations() {
						_ = l.Pos()
					}
				}
			}
		})
	}
}

func BenchmarkDocFreq(b *testing.B) {
	seg := cranfield(b).light
	d := dict(b, seg, "body")
	zd := zapxDict(b, seg, "body")
	term := frequent(b, d)
	b.Run("zap", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.DocFreq(term); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("zapx", func(b *testing.B) {
		for b.Loop() {
			pl, err := zd.PostingsList(term, nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			_ = pl.Count()
		}
	})
	// The cost of the guard: a bare vellum lookup against the guarded one.
	b.Run("vellum-get", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := d.fst.Get(term); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("guarded-get", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := d.lookup(term); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkIterate(b *testing.B) {
	seg := cranfield(b).light
	d := dict(b, seg, "body")
	zd := zapxDict(b, seg, "body")
	lb := levBuilders(b)
	q := frequent(b, d) // a frequent term with its second byte dropped
	q = append(q[:1:1], q[2:]...)
	dfa, err := lb[2].BuildDfa(string(q), 2)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name        string
		fuzzy       bool
		start, end  []byte
		wantAtLeast int
	}{
		{"prefix-co", false, []byte("co"), []byte("cp"), 50},
		{"fuzzy-2", true, nil, nil, 2},
	} {
		n := len(ourEntries(b, d, nil, c.start, c.end))
		if c.fuzzy {
			n = len(ourEntries(b, d, dfa, nil, nil))
		}
		if n < c.wantAtLeast {
			b.Fatalf("%s: %d terms", c.name, n)
		}
		b.Run(c.name+"/zap", func(b *testing.B) {
			for b.Loop() {
				var err error
				if c.fuzzy {
					err = d.Iterate(dfa, nil, nil, func(Entry) bool { return true })
				} else {
					err = d.Iterate(nil, c.start, c.end, func(Entry) bool { return true })
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/zapx", func(b *testing.B) {
			for b.Loop() {
				it := zd.AutomatonIterator(nil, c.start, c.end)
				if c.fuzzy {
					it = zd.AutomatonIterator(dfa, nil, nil)
				}
				for e, err := it.Next(); e != nil || err != nil; e, err = it.Next() {
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkFSTNodeWalk measures what validating every FST node at Open
// would cost at least: vellum's own walk decoding each node once
// (FST.Debug), over every dictionary of a segment (see doc.go).
func BenchmarkFSTNodeWalk(b *testing.B) {
	skipOnJS(b, "builds large indexes")
	for _, c := range []struct {
		name string
		seg  func() []byte
	}{
		{"cranfield", func() []byte { return cranfield(b).light }},
		{"phpdocs", func() []byte { return buildSegments(b, testcorpus.PHPDocs(b).Docs).light }},
	} {
		seg := c.seg()
		s := mustOpen(b, seg)
		nodes, fstBytes := 0, 0
		for _, f := range s.Fields() {
			d, _ := s.Dict(f)
			if err := d.fst.Debug(func(int, any) error { nodes++; return nil }); err != nil {
				b.Fatal(err)
			}
			r := cursor{b: s.mem, off: d.end, end: len(s.mem)}
			fst, _ := r.bytes()
			fstBytes += len(fst)
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for _, f := range s.Fields() {
					d, _ := s.Dict(f)
					if err := d.fst.Debug(func(int, any) error { return nil }); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(nodes), "nodes")
			b.ReportMetric(float64(fstBytes), "fst-bytes")
		})
	}
}

func zapxDict(b testing.TB, seg []byte, field string) *zapx.Dictionary {
	d, err := openZapx(b, seg).Dictionary(field)
	if err != nil {
		b.Fatal(err)
	}
	return d.(*zapx.Dictionary)
}
