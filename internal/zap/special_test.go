package zap

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
	zapx "github.com/blevesearch/zapx/v16"

	"github.com/quarry-search/quarry/internal/doc"
)

// dict opens field's dictionary of seg, failing t when it has none.
func dict(t testing.TB, seg []byte, field string) *Dict {
	t.Helper()
	d, err := mustOpen(t, seg).Dict(field)
	if err != nil || d == nil {
		t.Fatalf("Dict(%q) = %v, %v", field, d, err)
	}
	return d
}

func terms(t testing.TB, d *Dict) []string {
	t.Helper()
	var out []string
	if err := d.Iterate(nil, nil, nil, func(e Entry) bool {
		out = append(out, string(e.Term))
		return true
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAbsentTerms(t *testing.T) {
	d := dict(t, seedSegments(t).full, "body")
	for _, term := range []string{"", "zzzzzzzz", "\x00", "\xff", "alipay\x00", strings.Repeat("a", 40000)} {
		t.Run(strconv.Quote(term[:min(len(term), 10)]), func(t *testing.T) { diffAbsent(t, d, term) })
	}
}

func TestEmptyDictionary(t *testing.T) {
	// Titles of punctuation only: the field exists, with no terms.
	docs := []doc.Document{
		{ID: "a", Title: "!!!", Body: "alpha beta", URL: "/a"},
		{ID: "b", Title: "...", Body: "beta gamma", URL: "/b"},
	}
	seg := buildSegments(t, docs).light
	s := mustOpen(t, seg)
	if !slices.Contains(s.Fields(), "title") {
		t.Fatalf("Fields = %q, want a title field", s.Fields())
	}
	d := dict(t, seg, "title")
	if n := d.Len(); n != 0 {
		t.Errorf("Len = %d, want 0", n)
	}
	if got := terms(t, d); len(got) != 0 {
		t.Errorf("Iterate = %q, want nothing", got)
	}
	diffAbsent(t, d, "the")
	if got, want := terms(t, dict(t, seg, "body")), []string{"alpha", "beta", "gamma"}; !slices.Equal(got, want) {
		t.Errorf("body terms = %q, want %q", got, want)
	}
}

func TestOneHit(t *testing.T) {
	segs := seedSegments(t)
	plain, one := dict(t, segs.light, "_id"), dict(t, merged(t, segs.light), "_id")
	ids := terms(t, one)
	if len(ids) != 5 {
		t.Fatalf("%d ids, want 5", len(ids))
	}
	for i, id := range ids {
		v, found, err := one.lookup([]byte(id))
		if err != nil || !found || v&encMask != enc1Hit {
			t.Fatalf("merged _id %q: value %#x, %v, %v; want the 1-hit encoding", id, v, found, err)
		}
		want := &Postings{Docs: []uint32{uint32(i)}, Freqs: []uint32{1}, Norms: []float32{1}, PosStart: []uint32{0, 0}}
		for _, d := range []*Dict{plain, one} {
			got, err := d.Postings([]byte(id), WantFreqNorm|WantPositions)
			if err != nil || !equalPostings(got, want) {
				t.Errorf("Postings(%q) = %+v, %v; want %+v", id, got, err, want)
			}
		}
		if n, err := one.DocFreq([]byte(id)); n != 1 || err != nil {
			t.Errorf("DocFreq(%q) = %d, %v", id, n, err)
		}
		if bm, err := one.Docs([]byte(id)); err != nil || !slices.Equal(bm.ToArray(), []uint32{uint32(i)}) {
			t.Errorf("Docs(%q) = %v, %v", id, bm, err)
		}
	}
	// Values the builder never writes.
	for _, c := range []struct {
		name string
		v    uint64
		want *Postings // nil: an error
	}{
		{"zero norm reads as empty, as in zapx", enc1Hit | 3, &Postings{PosStart: []uint32{0}}},
		{"norm bits", enc1Hit | 9<<31 | 2, &Postings{Docs: []uint32{2}, Freqs: []uint32{1}, Norms: []float32{norm(9)}, PosStart: []uint32{0, 0}}},
		{"document out of range", enc1Hit | 1<<31 | 5, nil},
		{"reserved encoding 01", 1 << 62, nil},
		{"reserved encoding 11", 3 << 62, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := one.postings([]byte("x"), c.v)
			var got *Postings
			if err == nil {
				var msg string
				if got, msg = p.decode(WantFreqNorm | WantPositions); msg != "" {
					err = errors.New(msg)
				}
			}
			if c.want == nil {
				if err == nil || !errors.Is(err, ErrCorrupt) {
					t.Errorf("got %+v, %v; want an ErrCorrupt error", got, err)
				}
				return
			}
			if err != nil || !equalPostings(got, c.want) {
				t.Errorf("got %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func equalPostings(a, b *Postings) bool {
	return slices.Equal(a.Docs, b.Docs) && slices.Equal(a.Freqs, b.Freqs) && slices.Equal(a.Norms, b.Norms) &&
		slices.Equal(a.PosStart, b.PosStart) && slices.Equal(a.Pos, b.Pos)
}

// expected computes, from the synthetic corpus's bodies (words separated
// by spaces, none removed by the analyzer), the postings of term.
func expected(docs []doc.Document, term string) *Postings {
	p := &Postings{PosStart: []uint32{0}}
	for i, d := range docs {
		words := strings.Fields(d.Body)
		var pos []uint32
		for j, w := range words {
			if w == term {
				pos = append(pos, uint32(j+1))
			}
		}
		if len(pos) == 0 {
			continue
		}
		p.Docs = append(p.Docs, uint32(i))
		p.Freqs = append(p.Freqs, uint32(len(pos)))
		p.Norms = append(p.Norms, norm(uint64(len(words))))
		p.Pos = append(p.Pos, pos...)
		p.PosStart = append(p.PosStart, uint32(len(p.Pos)))
	}
	return p
}

func TestMultiChunk(t *testing.T) {
	docs := synthetic(2100)
	for _, c := range []struct {
		name string
		seg  []byte
		docs []doc.Document
		term string
		// chunks is the number of freq/norm chunks: 1026 mode puts
		// 2100/(2100/1024+1) = 700 documents in a chunk, mode 3 three.
		chunks int
	}{
		{"mode 1026 common", buildSegments(t, docs).full, docs, "common", 3},
		{"mode 1026 every2", buildSegments(t, docs).full, docs, "every2", 2},
		{"mode 1026 every500", buildSegments(t, docs).full, docs, "every500", 1},
		{"mode 3 common", buildWithChunkMode(t, docs[:50], 3), docs[:50], "common", 17},
		{"mode 3 every7", buildWithChunkMode(t, docs[:50], 3), docs[:50], "every7", 17},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := dict(t, c.seg, "body")
			v, _, _ := d.lookup([]byte(c.term))
			p, err := d.postings([]byte(c.term), v)
			if err != nil {
				t.Fatal(err)
			}
			ch, _, msg := openChunks(p.s.mem, p.freqAt, p.at)
			if msg != "" || ch.n != c.chunks {
				t.Errorf("%d freq/norm chunks (%s), want %d", ch.n, msg, c.chunks)
			}
			got, err := d.Postings([]byte(c.term), WantFreqNorm|WantPositions)
			if want := expected(c.docs, c.term); err != nil || !equalPostings(got, want) {
				t.Errorf("Postings = %+v, %v;\nwant %+v", got, err, want)
			}
		})
	}
}

func TestNoPositions(t *testing.T) {
	segs := seedSegments(t)
	for _, c := range []struct {
		name, field string
		seg         []byte
		positions   bool
	}{
		{"light body", "body", segs.light, false},
		{"light title", "title", segs.light, true},
		{"full body", "body", segs.full, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := dict(t, c.seg, c.field)
			n := 0
			for _, term := range terms(t, d) {
				p, err := d.Postings([]byte(term), WantPositions)
				if err != nil {
					t.Fatal(err)
				}
				if len(p.PosStart) != len(p.Docs)+1 || int(p.PosStart[len(p.Docs)]) != len(p.Pos) {
					t.Fatalf("Postings(%q): %d docs, position starts %v, %d positions", term, len(p.Docs), p.PosStart, len(p.Pos))
				}
				n += len(p.Pos)
			}
			if (n > 0) != c.positions {
				t.Errorf("%d positions in the dictionary, want some: %v", n, c.positions)
			}
		})
	}
}

func TestFacetField(t *testing.T) {
	docs := synthetic(40)
	seg := buildSegments(t, docs).light
	d := dict(t, seg, facetField)
	want := map[string][]uint32{}
	for i, doc := range docs {
		for _, org := range doc.Facets[facetField] {
			want[org] = append(want[org], uint32(i))
		}
	}
	got := terms(t, d)
	if len(got) != len(want) {
		t.Errorf("terms %q, want the %d values %v", got, len(want), want)
	}
	for org, docs := range want {
		bm, err := d.Docs([]byte(org))
		if err != nil || !slices.Equal(bm.ToArray(), docs) {
			t.Errorf("Docs(%q) = %v, %v; want %v", org, bm, err, docs)
		}
		if n, err := d.DocFreq([]byte(org)); n != len(docs) || err != nil {
			t.Errorf("DocFreq(%q) = %d, %v; want %d", org, n, err, len(docs))
		}
	}
}

func TestIterateStops(t *testing.T) {
	d := dict(t, seedSegments(t).light, "body")
	all := terms(t, d)
	for _, n := range []int{1, 2, 10} {
		var got []string
		err := d.Iterate(nil, nil, nil, func(e Entry) bool {
			got = append(got, string(e.Term))
			return len(got) < n
		})
		if err != nil || !slices.Equal(got, all[:n]) {
			t.Errorf("stopping after %d: %q, %v; want %q", n, got, err, all[:n])
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	s := mustOpen(t, seedSegments(t).full)
	d, _ := s.Dict("body")
	all := terms(t, d)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(all); i += 4 {
				if _, err := d.Postings([]byte(all[i]), WantFreqNorm|WantPositions); err != nil {
					t.Error(err)
					return
				}
				if _, err := d.Docs([]byte(all[i])); err != nil {
					t.Error(err)
					return
				}
			}
			if got := terms(t, d); len(got) != len(all) {
				t.Errorf("%d terms, want %d", len(got), len(all))
			}
		})
	}
	wg.Wait()
}

// TestArrayPositions: locations of values in arrays carry array
// positions, which Postings skips. The builder's schema writes none
// (keyword facets have no term vectors), so a segment is made here with
// zapx from documents with a multi-valued field with term vectors.
func TestArrayPositions(t *testing.T) {
	values := [][]string{{"red", "green"}, {"blue"}, {"green", "green", "red"}}
	var docs []index.Document
	for i, vs := range values {
		d := document.NewDocument("d" + strconv.Itoa(i))
		for j, v := range vs {
			d.AddField(document.NewTextFieldWithIndexingOptions("tags", []uint64{uint64(j), uint64(i)}, []byte(v),
				index.IndexField|index.IncludeTermVectors))
		}
		d.AddIDField()
		d.VisitFields(func(f index.Field) { f.Analyze() })
		docs = append(docs, d)
	}
	seg, _, err := (&zapx.ZapPlugin{}).New(docs)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := seg.(*zapx.SegmentBase).WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	d := dict(t, buf.Bytes(), "tags")
	zd := zapxDict(t, buf.Bytes(), "tags")
	arrayPositions := 0
	for _, term := range terms(t, d) {
		pl, _ := zd.PostingsList([]byte(term), nil, nil)
		it := pl.Iterator(true, true, true, nil)
		for p, _ := it.Next(); p != nil; p, _ = it.Next() {
			for _, l := range p.Locations() {
				arrayPositions += len(l.ArrayPositions())
			}
		}
		diffTerm(t, d, zd, term)
	}
	if arrayPositions == 0 {
		t.Error("the segment has no array positions")
	}
}
