package indexfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/crc64"
	"math/rand"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// sampleIndex builds a small index value with two text fields (one with
// positions) and a facet.
func sampleIndex(nDocs, nTerms int) *Index {
	rng := rand.New(rand.NewSource(int64(nDocs*1000 + nTerms)))
	idx := &Index{Language: "english", Generator: "test", TitleBoost: 1.5, BodyBoost: 1}
	for d := 0; d < nDocs; d++ {
		idx.Docs = append(idx.Docs, Doc{ID: fmt.Sprint("d", d), Title: fmt.Sprint("Title ", d), URL: fmt.Sprint("/d/", d),
			Sections: []SectionMeta{{Anchor: "s", Heading: "S", Start: d}}, Body: strings.Repeat("word ", d%7+1)})
	}
	for _, name := range []string{"title", "body"} {
		f := Field{Name: name, Positions: name == "body", Lengths: make([]uint32, nDocs), ExpandMinDF: 1}
		if name == "body" {
			f.ExpandMinDF = 2
		}
		for t := 0; t < nTerms; t++ {
			term := Term{Text: fmt.Sprintf("%s%04d", []string{"a", "b", "c", "é"}[t%4], t)}
			for d := 0; d < nDocs; d++ {
				if rng.Intn(3) == 0 {
					fr := uint32(rng.Intn(3) + 1)
					term.Docs = append(term.Docs, uint32(d))
					term.Freqs = append(term.Freqs, fr)
					f.Lengths[d] += fr
					if f.Positions {
						var ps []uint32
						p := uint32(0)
						for k := uint32(0); k < fr; k++ {
							p += uint32(rng.Intn(5) + 1)
							ps = append(ps, p)
						}
						term.Pos = append(term.Pos, ps)
					}
				}
			}
			if len(term.Docs) > 0 {
				f.Terms = append(f.Terms, term)
			}
		}
		slices.SortFunc(f.Terms, func(a, b Term) int { return strings.Compare(a.Text, b.Text) })
		idx.Fields = append(idx.Fields, f)
	}
	idx.Facets = []Facet{{Field: "org", Values: []FacetValue{{Value: "Ant", Docs: []uint32{0}}, {Value: "Tencent", Docs: []uint32{uint32(nDocs - 1)}}}}}
	return idx
}

// readAll decodes every part, positions part and text file of an index
// given whole, and compares them with idx.
func readAll(t *testing.T, idx *Index, data []byte, files map[string][]byte) {
	t.Helper()
	h, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	verify := files != nil
	if files == nil {
		files = h.Inline()
	}
	if h.DocCount != len(idx.Docs) || h.Language != idx.Language || h.TitleBoost != 1.5 || !reflect.DeepEqual(h.Facets, idx.Facets) {
		t.Fatalf("head: %d docs, %q, %v, facets %v", h.DocCount, h.Language, h.TitleBoost, h.Facets)
	}
	for fi, f := range idx.Fields {
		if !reflect.DeepEqual(h.Fields[fi].Lengths, f.Lengths) {
			t.Fatalf("%s lengths differ", f.Name)
		}
		for _, term := range f.Terms {
			i := h.PartOf(term.Text)
			p, err := DecodePart(h, i, files[h.Parts[i].Name], verify)
			if err != nil {
				t.Fatalf("part %d: %v", i, err)
			}
			k, ok := p.Fields[fi].Find(term.Text)
			if !ok {
				t.Fatalf("%s: %q not in part %d", f.Name, term.Text, i)
			}
			docs, freqs, err := p.Postings(fi, k)
			if err != nil || !slices.Equal(docs, term.Docs) || !slices.Equal(freqs, term.Freqs) {
				t.Fatalf("%s %q: postings %v %v (%v), want %v %v", f.Name, term.Text, docs, freqs, err, term.Docs, term.Freqs)
			}
			if f.Positions {
				pp, err := DecodePosPart(h, i, p, files[h.PosParts[i].Name], verify)
				if err != nil {
					t.Fatalf("positions part %d: %v", i, err)
				}
				start, pos, err := pp.Positions(fi, k, freqs)
				if err != nil {
					t.Fatal(err)
				}
				for d := range term.Docs {
					if got := pos[start[d]:start[d+1]]; !slices.Equal(got, term.Pos[d]) {
						t.Fatalf("%q doc %d positions %v, want %v", term.Text, d, got, term.Pos[d])
					}
				}
			}
		}
		// The expansion dictionary holds the terms in enough documents.
		var want []string
		for _, term := range f.Terms {
			if len(term.Docs) >= f.ExpandMinDF {
				want = append(want, term.Text)
			}
		}
		if !slices.Equal(h.Fields[fi].Dict, want) {
			t.Errorf("%s dictionary: %d terms, want %d", f.Name, len(h.Fields[fi].Dict), len(want))
		}
	}
	for d, doc := range idx.Docs {
		ti := h.TextOf(d)
		docs, err := DecodeText(h.Texts[ti], files[h.Texts[ti].Name], verify)
		if err != nil {
			t.Fatalf("text %d: %v", ti, err)
		}
		if got := docs[d-h.Texts[ti].First]; !reflect.DeepEqual(got, doc) {
			t.Fatalf("doc %d = %+v, want %+v", d, got, doc)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name          string
		docs, terms   int
		opts          Options
		wantManyParts bool
	}{
		{"one document", 1, 3, Options{}, false},
		{"small", 20, 50, Options{}, false},
		{"split into parts", 300, 400, Options{PartSize: 4 << 10, TextChunk: 512}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := sampleIndex(tt.docs, tt.terms)
			data, err := Encode(idx, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			readAll(t, idx, data, nil)
			head, files, err := Externalize(data)
			if err != nil {
				t.Fatal(err)
			}
			readAll(t, idx, head, files)
			h, _ := Decode(head)
			if got := len(h.Parts) > 1; got != tt.wantManyParts {
				t.Errorf("%d parts", len(h.Parts))
			}
			if h.Inline() != nil || len(head) >= len(data) {
				t.Errorf("externalized head still holds its files")
			}
			back, err := Inline(head, files)
			if err != nil || !bytes.Equal(back, data) {
				t.Errorf("Inline(Externalize) differs from the original (%v)", err)
			}
			again, err := Encode(idx, tt.opts)
			if err != nil || !bytes.Equal(again, data) {
				t.Errorf("encoding is not deterministic")
			}
		})
	}
}

func fixCRC(b []byte) []byte {
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], castagnoli()))
	return b
}

func TestDecodeRefuses(t *testing.T) {
	good, err := Encode(sampleIndex(5, 10), Options{})
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(b []byte) []byte) []byte { return f(append([]byte{}, good...)) }
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotIndex},
		{"wrong magic", mutate(func(b []byte) []byte { b[0] = 'X'; return b }), ErrNotIndex},
		{"html page", []byte("<!doctype html><title>404</title>"), ErrNotIndex},
		{"header only", good[:16], ErrTruncated},
		{"older version", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], Version-1); return b }), ErrVersion},
		{"newer version", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], Version+1); return b }), ErrVersion},
		{"damaged version field", mutate(func(b []byte) []byte { copy(b[8:], "junk"); return b }), ErrCorrupt},
		{"inline length off", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[24:], 7); return fixCRC(b) }), ErrCorrupt},
		{"truncated", good[:len(good)-10], ErrTruncated},
		{"trailing garbage", append(append([]byte{}, good...), 0), ErrCorrupt},
		{"flipped byte", mutate(func(b []byte) []byte { b[40] ^= 0x01; return b }), ErrChecksum},
		{"flipped checksum", mutate(func(b []byte) []byte { b[len(b)-1] ^= 0xff; return b }), ErrChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.data); !errors.Is(err, tt.want) {
				t.Errorf("Decode error = %v, want %v", err, tt.want)
			}
		})
	}
}

// Damaged metadata with a recomputed checksum is refused or read; never a
// panic, and reading every file the head lists fails cleanly too.
func TestCraftedBytes(t *testing.T) {
	good, err := Encode(sampleIndex(30, 60), Options{PartSize: 1 << 10, TextChunk: 256})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 3000; i++ {
		b := append([]byte{}, good...)
		for k := 0; k < 1+rng.Intn(3); k++ {
			b[headerSize+rng.Intn(len(b)-headerSize-4)] = byte(rng.Intn(256))
		}
		fixCRC(b)
		h, err := Decode(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			continue
		}
		files := h.Inline()
		for p := range h.Parts {
			part, err := DecodePart(h, p, files[h.Parts[p].Name], false)
			if err != nil {
				continue
			}
			for f := range part.Fields {
				for k := range part.Fields[f].Terms {
					docs, freqs, err := part.Postings(f, k)
					if err == nil && h.PosParts[p].Size > 0 {
						if pp, err := DecodePosPart(h, p, part, files[h.PosParts[p].Name], false); err == nil {
							pp.Positions(f, k, freqs)
						}
					}
					_ = docs
				}
			}
		}
		for _, tf := range h.Texts {
			DecodeText(tf, files[tf.Name], false)
		}
	}
}

func TestFilesRefused(t *testing.T) {
	data, err := Encode(sampleIndex(40, 80), Options{PartSize: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	head, files, err := Externalize(data)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := Decode(head)
	if len(h.Parts) < 2 {
		t.Fatalf("%d parts", len(h.Parts))
	}
	p0, p1 := files[h.Parts[0].Name], files[h.Parts[1].Name]
	tests := []struct {
		name string
		i    int
		data []byte
	}{
		{"another part", 0, p1},
		{"truncated", 0, p0[:len(p0)-1]},
		{"damaged", 0, append(append([]byte{}, p0[:20]...), append([]byte{p0[20] ^ 1}, p0[21:]...)...)},
		{"a text file", 0, files[h.Texts[0].Name]},
		{"out of range", len(h.Parts), p0},
	}
	bad := sampleIndex(3, 3)
	bad.Facets[0].Values[0].Docs = []uint32{7}
	if _, err := Encode(bad, Options{}); err == nil {
		t.Errorf("Encode accepted a facet document out of range")
	}
	for _, tt := range tests {
		if _, err := DecodePart(h, tt.i, tt.data, true); !errors.Is(err, ErrText) {
			t.Errorf("%s: error %v, want ErrText", tt.name, err)
		}
	}
	tf := h.Texts[0]
	if _, err := DecodeText(tf, []byte("<!doctype html>"), true); !errors.Is(err, ErrText) {
		t.Errorf("html as text file: %v", err)
	}
	if _, err := Inline(head, map[string][]byte{}); err == nil {
		t.Errorf("Inline without the files succeeded")
	}
}

// A front-coded term list expands to at most maxTermsExpansion times its
// bytes: the writer stops sharing where it would go past, and the reader
// refuses a list that does (found by review for FuzzCraftedIndex: 6,000
// facet values each one byte longer than the previous took 36 kB and
// expanded to 60 MB when the index was opened).
func TestTermsExpansion(t *testing.T) {
	grow := func(n int) []string { // "a", "aa", "aaa"...
		out := make([]string, n)
		for i := range out {
			out[i] = strings.Repeat("a", i+1)
		}
		return out
	}
	expanded := func(ts []string) (n int) {
		for _, s := range ts {
			n += len(s)
		}
		return n
	}
	for _, ts := range [][]string{
		nil,
		{"a"},
		{"", "a", "ab", "abc", "b"},
		grow(3000),
		{strings.Repeat("x", 100000), strings.Repeat("x", 100000) + "y"},
	} {
		w := &writer{}
		w.terms(ts)
		if e := expanded(ts); e > maxTermsExpansion*len(w.b) {
			t.Errorf("%d terms: %d bytes expand to %d", len(ts), len(w.b), e)
		}
		r := &reader{b: w.b}
		got := r.terms()
		r.end()
		if r.err != nil || !slices.Equal(got, ts) {
			t.Errorf("%d terms: read back %d terms, %v", len(ts), len(got), r.err)
		}
	}
	// Written without the bound: each term shares all of the previous one.
	crafted := func(n, rest int) []byte {
		w := &writer{}
		w.uint(uint64(n))
		for i := 0; i < n; i++ {
			w.uint(uint64(i * rest))
			w.str(strings.Repeat("a", rest))
		}
		return w.b
	}
	for _, tt := range []struct {
		n, rest int
		ok      bool
	}{{8, 1, true}, {90, 1, true}, {200, 1, false}, {6000, 1, false}, {100000, 1, false}, {3, 1000, true}} {
		r := &reader{b: crafted(tt.n, tt.rest)}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		r.terms()
		runtime.ReadMemStats(&ms)
		if (r.err == nil) != tt.ok {
			t.Errorf("%d terms adding %d bytes each: error %v, want ok %v", tt.n, tt.rest, r.err, tt.ok)
		}
		if n := ms.TotalAlloc - before; n > uint64(64*len(r.b))+1<<20 {
			t.Errorf("%d terms adding %d bytes each: %d bytes allocated for %d", tt.n, tt.rest, n, len(r.b))
		}
	}
}

// Text files check themselves: the head lists only their sizes and one
// text set. A damaged file, one of another build, one in another file's
// place and a truncated one are refused, each with its reason; the names
// are distinct and all change when any document's text does.
func TestTextFilesCheckThemselves(t *testing.T) {
	idx := sampleIndex(40, 20)
	data, err := Encode(idx, Options{TextChunk: 64})
	if err != nil {
		t.Fatal(err)
	}
	head, files, err := Externalize(data)
	if err != nil {
		t.Fatal(err)
	}
	h, err := Decode(head)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Texts) < 3 {
		t.Fatalf("%d text files; want several", len(h.Texts))
	}
	names := map[string]bool{}
	for _, tf := range h.Texts {
		if !strings.HasPrefix(tf.Name, "text.") || !strings.HasSuffix(tf.Name, TextExt) || len(tf.Name) != len("text.")+12+len(TextExt) || names[tf.Name] {
			t.Errorf("text file name %q: want text.<12 hex>%s, each once", tf.Name, TextExt)
		}
		names[tf.Name] = true
		if _, err := DecodeText(tf, files[tf.Name], true); err != nil {
			t.Errorf("%s: %v", tf.Name, err)
		}
	}
	tf, good := h.Texts[1], files[h.Texts[1].Name]
	// resum rewrites a file's own CRC-64 after a change, so that only the
	// change is judged.
	resum := func(b []byte) []byte {
		body := b[:len(b)-textTrailerSize]
		return binary.LittleEndian.AppendUint64(append([]byte{}, body...), crc64Of(body))
	}
	flip := func(at int) []byte {
		b := append([]byte{}, good...)
		b[at] ^= 1
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"a byte of a document damaged", flip(textHeaderSize + 3), "checksum"},
		{"its checksum damaged", flip(len(good) - 1), "checksum"},
		{"another build's text set", resum(flip(12)), "another build"},
		{"another file's documents", resum(flip(20)), "holds documents"},
		{"truncated", good[:len(good)-1], "bytes, the index expects"},
		{"another text file", files[h.Texts[2].Name], ""},
	}
	for _, tt := range tests {
		_, err := DecodeText(tf, tt.data, true)
		if !errors.Is(err, ErrText) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want ErrText saying %q", tt.name, err, tt.want)
		}
	}
	// One document's text changed: every text file is renamed (a browser
	// never mixes files of two builds), the parts are not.
	idx2 := sampleIndex(40, 20)
	idx2.Docs[0].Title = "Changed"
	data2, err := Encode(idx2, Options{TextChunk: 64})
	if err != nil {
		t.Fatal(err)
	}
	h2, err := Decode(data2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range h.Texts {
		if i < len(h2.Texts) && h2.Texts[i].Name == h.Texts[i].Name {
			t.Errorf("text file %d keeps its name %s after a text changed", i, h.Texts[i].Name)
		}
	}
	if h2.Parts[0].Name != h.Parts[0].Name {
		t.Errorf("part 0 renamed after a title change that touches no term: %s, %s", h.Parts[0].Name, h2.Parts[0].Name)
	}
}

func crc64Of(b []byte) uint64 { return crc64.Checksum(b, crc64Table()) }
