package zap

import (
	"math"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"
	zapx "github.com/blevesearch/zapx/v16"

	"github.com/quarry-search/quarry/internal/testcorpus"
)

// entry is one dictionary entry as both readers give it.
type entry struct {
	Term    string
	Count   int
	EditDis uint8
}

// posting is one document of a postings list as both readers give it.
type posting struct {
	Doc, Freq uint32
	NormBits  uint32 // math.Float32bits of the norm
	Pos       []uint32
}

// zapxEntries lists zapx's AutomatonIterator entries, taking each count
// from PostingsList(term).Count(): zapx's DictionaryIterator reuses one
// PostingsList whose read does not clear the 1-hit fields, so after a
// 1-hit term (merged segments only: the builder never writes 1-hit) it
// reports a count of 1 for every term.
func zapxEntries(t *testing.T, d *zapx.Dictionary, a vellum.Automaton, start, end []byte) []entry {
	t.Helper()
	it := d.AutomatonIterator(a, start, end)
	var out []entry
	for {
		e, err := it.Next()
		if err != nil {
			t.Fatalf("zapx iterate: %v", err)
		}
		if e == nil {
			return out
		}
		pl, err := d.PostingsList([]byte(e.Term), nil, nil)
		if err != nil {
			t.Fatalf("zapx postings %q: %v", e.Term, err)
		}
		out = append(out, entry{e.Term, int(pl.Count()), e.EditDistance})
	}
}

func ourEntries(t testing.TB, d *Dict, a vellum.Automaton, start, end []byte) []entry {
	t.Helper()
	var out []entry
	if err := d.Iterate(a, start, end, func(e Entry) bool {
		out = append(out, entry{string(e.Term), e.DocFreq, e.EditDistance})
		return true
	}); err != nil {
		t.Fatalf("Iterate: %v", err)
	}
	return out
}

// zapxPostings lists term's postings with zapx's iterator (freq, norm,
// locations).
func zapxPostings(t testing.TB, d *zapx.Dictionary, term string) (int, []posting) {
	t.Helper()
	pl, err := d.PostingsList([]byte(term), nil, nil)
	if err != nil {
		t.Fatalf("zapx postings %q: %v", term, err)
	}
	it := pl.Iterator(true, true, true, nil)
	var out []posting
	for {
		p, err := it.Next()
		if err != nil {
			t.Fatalf("zapx postings %q: %v", term, err)
		}
		if p == nil {
			return int(pl.Count()), out
		}
		q := posting{Doc: uint32(p.Number()), Freq: uint32(p.Frequency()), NormBits: math.Float32bits(float32(p.Norm()))}
		for _, l := range p.Locations() {
			q.Pos = append(q.Pos, uint32(l.Pos()))
		}
		out = append(out, q)
	}
}

// ourPostings lists term's postings from Postings with every want,
// checking that lesser wants give the same documents and leave the rest
// nil.
func ourPostings(t testing.TB, d *Dict, term string) []posting {
	t.Helper()
	all, err := d.Postings([]byte(term), WantFreqNorm|WantPositions)
	if err != nil {
		t.Fatalf("Postings(%q): %v", term, err)
	}
	if all == nil {
		return nil
	}
	if len(all.PosStart) != len(all.Docs)+1 || len(all.Freqs) != len(all.Docs) || len(all.Norms) != len(all.Docs) {
		t.Fatalf("Postings(%q): %d docs, %d freqs, %d norms, %d position starts", term, len(all.Docs), len(all.Freqs), len(all.Norms), len(all.PosStart))
	}
	out := make([]posting, len(all.Docs))
	for i, doc := range all.Docs {
		out[i] = posting{Doc: doc, Freq: all.Freqs[i], NormBits: math.Float32bits(all.Norms[i])}
		if p := all.Pos[all.PosStart[i]:all.PosStart[i+1]]; len(p) > 0 {
			out[i].Pos = p
		}
	}
	for _, want := range []Want{0, WantFreqNorm, WantPositions} {
		p, err := d.Postings([]byte(term), want)
		if err != nil {
			t.Fatalf("Postings(%q, %d): %v", term, want, err)
		}
		if !slices.Equal(p.Docs, all.Docs) {
			t.Fatalf("Postings(%q, %d).Docs = %v, want %v", term, want, p.Docs, all.Docs)
		}
		if want&WantFreqNorm == 0 && (p.Freqs != nil || p.Norms != nil) {
			t.Errorf("Postings(%q, %d) filled Freqs or Norms", term, want)
		}
		if want&WantFreqNorm != 0 && (!slices.Equal(p.Freqs, all.Freqs) || !slices.Equal(p.Norms, all.Norms)) {
			t.Errorf("Postings(%q, %d) freqs/norms differ from Postings with every want", term, want)
		}
		if want&WantPositions == 0 && (p.PosStart != nil || p.Pos != nil) {
			t.Errorf("Postings(%q, %d) filled positions", term, want)
		}
		if want&WantPositions != 0 && (!slices.Equal(p.PosStart, all.PosStart) || !slices.Equal(p.Pos, all.Pos)) {
			t.Errorf("Postings(%q, %d) positions differ from Postings with every want", term, want)
		}
	}
	return out
}

var (
	levOnce sync.Once
	lev     [3]*levenshtein.LevenshteinAutomatonBuilder
	levErr  error
)

// levBuilders returns levenshtein builders for distances 1 and 2 with
// transpositions, as bleve's fuzzy query uses them.
func levBuilders(t testing.TB) [3]*levenshtein.LevenshteinAutomatonBuilder {
	t.Helper()
	levOnce.Do(func() {
		for d := 1; d <= 2; d++ {
			if lev[d], levErr = levenshtein.NewLevenshteinAutomatonBuilder(uint8(d), true); levErr != nil {
				return
			}
		}
	})
	if levErr != nil {
		t.Fatal(levErr)
	}
	return lev
}

// diffSegment compares everything Segment reads from seg with zapx.
// Every sample-th term is also used for prefix and fuzzy iterations.
func diffSegment(t *testing.T, seg []byte, sample int) {
	zs := openZapx(t, seg)
	s := mustOpen(t, seg)
	if got, want := s.NumDocs(), int(zs.Count()); got != want {
		t.Errorf("NumDocs = %d, want %d", got, want)
	}
	if got, want := s.Fields(), zs.Fields(); !slices.Equal(got, want) {
		t.Fatalf("Fields = %q, want %q", got, want)
	}
	if !slices.Contains(s.Fields(), facetField) {
		t.Fatalf("segment has no %q field", facetField)
	}
	if d, err := s.Dict("nosuchfield"); d != nil || err != nil {
		t.Errorf("Dict(nosuchfield) = %v, %v; want nil, nil", d, err)
	}
	lb := levBuilders(t)
	for _, field := range s.Fields() {
		t.Run(field, func(t *testing.T) {
			zdi, err := zs.Dictionary(field)
			if err != nil {
				t.Fatal(err)
			}
			zd := zdi.(*zapx.Dictionary)
			d, err := s.Dict(field)
			if err != nil || d == nil {
				t.Fatalf("Dict = %v, %v", d, err)
			}
			if got, want := d.Len(), zd.Cardinality(); got != want {
				t.Errorf("Len = %d, want %d", got, want)
			}
			want := zapxEntries(t, zd, nil, nil, nil)
			got := ourEntries(t, d, nil, nil, nil)
			if !slices.Equal(got, want) {
				t.Fatalf("Iterate(all): %d entries, want %d (first difference %s)", len(got), len(want), firstDiff(got, want))
			}
			t.Logf("%d terms", len(want))
			if len(want) != d.Len() {
				t.Errorf("Len = %d, iteration gives %d terms", d.Len(), len(want))
			}
			for _, e := range want {
				diffTerm(t, d, zd, e.Term)
			}
			for _, term := range []string{"", "\x00", "\xff\xff", "zzzzzzzzzz", want[0].Term + "\x00", want[len(want)-1].Term + "~"} {
				if slices.ContainsFunc(want, func(e entry) bool { return e.Term == term }) {
					continue
				}
				diffAbsent(t, d, term)
			}
			// Prefix ranges, open ranges and fuzzy automata.
			var prefixes [][]byte
			seen := map[string]bool{}
			for i, e := range want {
				for _, n := range []int{1, 2, 3} {
					if len(e.Term) >= n && (n == 1 || i%sample == 0) && !seen[e.Term[:n]] {
						seen[e.Term[:n]] = true
						prefixes = append(prefixes, []byte(e.Term[:n]))
					}
				}
			}
			for _, p := range prefixes {
				end := prefixEnd(p)
				if got, want := ourEntries(t, d, nil, p, end), zapxEntries(t, zd, nil, p, end); !slices.Equal(got, want) {
					t.Errorf("Iterate(prefix %q): %s", p, firstDiff(got, want))
				}
			}
			mid := []byte(want[len(want)/2].Term)
			for _, r := range [][2][]byte{{nil, mid}, {mid, nil}, {mid, mid}, {[]byte("b"), []byte("a")}} {
				if got, want := ourEntries(t, d, nil, r[0], r[1]), zapxEntries(t, zd, nil, r[0], r[1]); !slices.Equal(got, want) {
					t.Errorf("Iterate([%q, %q)): %s", r[0], r[1], firstDiff(got, want))
				}
			}
			for i := 0; i < len(want); i += sample {
				q := want[i].Term
				queries := []string{q}
				if len(q) > 3 {
					queries = append(queries, q[:1]+q[2:], q[:2]+"x"+q[2:], q[:1]+q[2:3]+q[1:2]+q[3:])
				}
				for _, q := range queries {
					for dist := uint8(1); dist <= 2; dist++ {
						dfa, err := lb[dist].BuildDfa(q, dist)
						if err != nil {
							t.Fatal(err)
						}
						if got, want := ourEntries(t, d, dfa, nil, nil), zapxEntries(t, zd, dfa, nil, nil); !slices.Equal(got, want) {
							t.Errorf("Iterate(fuzzy %q~%d): %s", q, dist, firstDiff(got, want))
						}
						p := []byte(q[:1])
						if got, want := ourEntries(t, d, dfa, p, prefixEnd(p)), zapxEntries(t, zd, dfa, p, prefixEnd(p)); !slices.Equal(got, want) {
							t.Errorf("Iterate(fuzzy %q~%d, prefix %q): %s", q, dist, p, firstDiff(got, want))
						}
					}
				}
			}
		})
	}
}

// diffTerm compares one present term's postings, count and documents.
func diffTerm(t testing.TB, d *Dict, zd *zapx.Dictionary, term string) {
	t.Helper()
	count, want := zapxPostings(t, zd, term)
	got := ourPostings(t, d, term)
	if !slices.EqualFunc(got, want, func(a, b posting) bool {
		return a.Doc == b.Doc && a.Freq == b.Freq && a.NormBits == b.NormBits && slices.Equal(a.Pos, b.Pos)
	}) {
		t.Fatalf("Postings(%q) = %v, want %v", term, got, want)
	}
	if n, err := d.DocFreq([]byte(term)); err != nil || n != count {
		t.Errorf("DocFreq(%q) = %d, %v; want %d", term, n, err, count)
	}
	bm, err := d.Docs([]byte(term))
	if err != nil {
		t.Fatalf("Docs(%q): %v", term, err)
	}
	docs := make([]uint32, len(want))
	for i, p := range want {
		docs[i] = p.Doc
	}
	if got := bm.ToArray(); !slices.Equal(got, docs) {
		t.Errorf("Docs(%q) = %v, want %v", term, got, docs)
	}
	bm.Add(uint32(len(docs)) + 1000) // the caller may modify it
	if again, _ := d.Docs([]byte(term)); !slices.Equal(again.ToArray(), docs) {
		t.Errorf("Docs(%q) after modifying a previous result = %v, want %v", term, again.ToArray(), docs)
	}
}

// diffAbsent checks the answers for a term the dictionary lacks.
func diffAbsent(t testing.TB, d *Dict, term string) {
	t.Helper()
	if n, err := d.DocFreq([]byte(term)); n != 0 || err != nil {
		t.Errorf("DocFreq(absent %q) = %d, %v", term, n, err)
	}
	if p, err := d.Postings([]byte(term), WantFreqNorm|WantPositions); p != nil || err != nil {
		t.Errorf("Postings(absent %q) = %v, %v", term, p, err)
	}
	if bm, err := d.Docs([]byte(term)); err != nil || bm == nil || !bm.IsEmpty() {
		t.Errorf("Docs(absent %q) = %v, %v", term, bm, err)
	}
}

func firstDiff(got, want []entry) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return "at " + strconv.Itoa(i) + ": got " + strconv.Quote(got[i].Term) + " count " + strconv.Itoa(got[i].Count) +
				" distance " + strconv.Itoa(int(got[i].EditDis)) + ", want " + strconv.Quote(want[i].Term) +
				" count " + strconv.Itoa(want[i].Count) + " distance " + strconv.Itoa(int(want[i].EditDis))
		}
	}
	return strconv.Itoa(len(got)) + " entries, want " + strconv.Itoa(len(want))
}

func TestDiffSeeds(t *testing.T) {
	segs := seedSegments(t)
	for _, c := range []struct {
		name string
		seg  []byte
	}{
		{"light", segs.light},
		{"full", segs.full},
		{"merged-light", merged(t, segs.light)},
		{"merged-full", merged(t, segs.full)},
	} {
		t.Run(c.name, func(t *testing.T) { diffSegment(t, c.seg, 7) })
	}
}

func TestDiffSynthetic(t *testing.T) {
	docs := synthetic(2100) // "common" is in 2100 documents: three chunks of 700
	segs := buildSegments(t, docs)
	for _, c := range []struct {
		name string
		seg  []byte
	}{
		{"light", segs.light},
		{"full", segs.full},
		{"merged-full", merged(t, segs.full)},
		{"chunk-mode-3", buildWithChunkMode(t, docs[:50], 3)},
		{"chunk-mode-1025", buildWithChunkMode(t, docs, 1025)},
	} {
		t.Run(c.name, func(t *testing.T) { diffSegment(t, c.seg, 97) })
	}
}

func TestDiffCranfield(t *testing.T) {
	docs := withFacets(testcorpus.Cranfield(t).Docs)
	segs := buildSegments(t, docs)
	t.Run("light", func(t *testing.T) { diffSegment(t, segs.light, 211) })
	t.Run("full", func(t *testing.T) { diffSegment(t, segs.full, 211) })
}

func TestDiffPHPDocs(t *testing.T) {
	skipOnJS(t, "builds a 2,000-document index")
	if testing.Short() {
		t.Skip("-short: skipping the 2,000-document PHP manual sample")
	}
	docs := withFacets(testcorpus.PHPDocs(t).Sample(2000))
	segs := buildSegments(t, docs)
	t.Run("light", func(t *testing.T) { diffSegment(t, segs.light, 997) })
	t.Run("full", func(t *testing.T) { diffSegment(t, segs.full, 997) })
}
