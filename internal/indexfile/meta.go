package indexfile

import (
	"math"
	"strconv"
)

// The metadata block (binary; format 2 held JSON, which would link
// encoding/json into quarry.wasm, about 120 kB of brotli):
//
//	language, generator (strings); title boost, body boost (float64)
//	document count
//	text fields: count, then per field: name, flags (1: positions), the
//	  expansion dictionary's document-count threshold, each document's
//	  length, the expansion dictionary (front-coded terms) and each
//	  term's document count
//	facets: count, then per facet: field, values (front-coded), per value
//	  its documents (count, ascending as differences)
//	parts: count, their first terms (front-coded; the first is ""), then
//	  per part: size, sum, positions part size (0: none) and sum
//	text files: count, then per file: documents, size, sum
//
// Numbers are unsigned varints, strings a varint length and UTF-8, sums 8
// bytes. Every count is checked against the bytes left before anything
// is allocated for it.

const flagPositions = 1

func encodeMeta(h *Head) []byte {
	w := &writer{}
	w.str(h.Language)
	w.str(h.Generator)
	w.f64(h.TitleBoost)
	w.f64(h.BodyBoost)
	w.uint(uint64(h.DocCount))
	w.uint(uint64(len(h.Fields)))
	for _, f := range h.Fields {
		w.str(f.Name)
		flags := uint64(0)
		if f.Positions {
			flags |= flagPositions
		}
		w.uint(flags)
		w.uint(uint64(f.DictMinDF))
		w.uints(f.Lengths)
		w.terms(f.Dict)
		w.uints(f.DictDF)
	}
	w.uint(uint64(len(h.Facets)))
	for _, f := range h.Facets {
		w.facet(f)
	}
	w.terms(h.Bounds)
	for i, p := range h.Parts {
		w.uint(uint64(p.Size))
		w.sum(p.Sum)
		pp := h.PosParts[i]
		w.uint(uint64(pp.Size))
		if pp.Size > 0 {
			w.sum(pp.Sum)
		}
	}
	w.uint(uint64(len(h.Texts)))
	if len(h.Texts) > 0 {
		w.sum(h.TextSet)
	}
	for _, t := range h.Texts {
		w.uint(uint64(t.Count))
		w.uint(uint64(t.Size))
	}
	return w.b
}

func decodeMeta(b []byte) (*Head, error) {
	r := &reader{b: b}
	h := &Head{}
	h.Language = r.str()
	h.Generator = r.str()
	h.TitleBoost = r.f64()
	h.BodyBoost = r.f64()
	h.DocCount = r.count(1)
	nf := r.count(2)
	h.Fields = make([]FieldHead, nf)
	for i := range h.Fields {
		f := &h.Fields[i]
		f.Name = r.str()
		f.Positions = r.uint()&flagPositions != 0
		if f.DictMinDF = r.int(); f.DictMinDF < 1 {
			r.fail("field " + f.Name + ": dictionary threshold 0")
		}
		if f.Lengths = r.uint32s(h.DocCount, math.MaxInt32, "field lengths"); r.err != nil {
			break
		}
		f.Dict = r.terms()
		if f.DictDF = r.uint32s(len(f.Dict), h.DocCount, "document count of a term"); r.err != nil {
			break
		}
	}
	nfa := r.count(2)
	h.Facets = make([]Facet, nfa)
	for i := range h.Facets {
		f := &h.Facets[i]
		f.Field = r.str()
		vals := r.terms()
		f.Values = make([]FacetValue, len(vals))
		for v := range f.Values {
			f.Values[v] = FacetValue{Value: vals[v], Docs: r.deltas(r.count(1), uint32(h.DocCount))}
		}
	}
	h.Bounds = r.terms()
	if r.err == nil && (len(h.Bounds) == 0 || h.Bounds[0] != "") {
		r.fail("part ranges do not start at the first term")
	}
	h.Parts = make([]FileRef, len(h.Bounds))
	h.PosParts = make([]FileRef, len(h.Bounds))
	for i := range h.Parts {
		h.Parts[i] = r.ref("part", PartExt)
		h.PosParts[i] = r.ref("positions", PositionsExt)
	}
	nt := r.count(2) // a count and a size, at least a byte each
	if nt > 0 {
		h.TextSet = r.sum()
	}
	h.Texts = r.texts(nt, h.TextSet, h.DocCount)
	r.end()
	if r.err != nil {
		return nil, r.err
	}
	return h, nil
}

// texts reads the document count and size of each of the n text files
// of set, which must cover the docs documents (out of line: see
// uint32s; a manual of 10,872 pages has 3,137 text files).
//
//go:noinline
func (r *reader) texts(n int, set string, docs int) []TextFile {
	out := make([]TextFile, n)
	setv, _ := strconv.ParseUint(set, 16, 64)
	first := 0
	for i := range out {
		count := r.int()
		size := r.int()
		if count <= 0 || size < textHeaderSize+textTrailerSize {
			r.fail("text file " + itoa(i) + " empty")
		}
		out[i] = TextFile{FileRef: textRef(setv, set, i, size), First: first, Count: count}
		first += count
	}
	if r.err == nil && n > 0 && first != docs {
		r.fail("text files cover " + itoa(first) + " documents, the index has " + itoa(docs))
	}
	return out
}

// ref reads a file's size and, when it exists, its sum.
func (r *reader) ref(kind, ext string) FileRef {
	size := r.int()
	if size == 0 {
		return FileRef{}
	}
	s := r.sum()
	if s == "" {
		return FileRef{}
	}
	return FileRef{Name: kind + "." + s[:12] + ext, Size: size, Sum: s}
}

// Piece is one named share of a head's metadata, encoded on its own (for
// size breakdowns; see internal/breakdown).
type Piece struct {
	Name string
	Data []byte
}

// MetaParts encodes the pieces of h's metadata apart: per field its
// lengths, dictionary terms and their counts; the facets;
// the part bounds; the files' sizes and sums. Their sizes add up to the
// metadata's, within the bytes of its counts.
func MetaParts(h *Head) []Piece {
	var out []Piece
	piece := func(name string, fill func(w *writer)) {
		w := &writer{}
		fill(w)
		out = append(out, Piece{Name: name, Data: w.b})
	}
	for _, f := range h.Fields {
		piece("lengths ("+f.Name+")", func(w *writer) { w.uints(f.Lengths) })
		piece("dictionary ("+f.Name+")", func(w *writer) { w.terms(f.Dict) })
		piece("dictionary counts ("+f.Name+")", func(w *writer) { w.uints(f.DictDF) })
	}
	piece("facets", func(w *writer) {
		for _, f := range h.Facets {
			w.facet(f)
		}
	})
	piece("part bounds", func(w *writer) { w.terms(h.Bounds) })
	piece("file sizes and sums", func(w *writer) {
		for _, r := range h.files() {
			w.uint(uint64(r.Size))
			if r.Sum != "" {
				w.sum(r.Sum)
			}
		}
		if len(h.Texts) > 0 {
			w.sum(h.TextSet)
		}
	})
	return out
}

// uints writes each number of ns (a field's lengths, its dictionary's
// counts), without a count: the reader knows how many follow.
func (w *writer) uints(ns []uint32) {
	for _, n := range ns {
		w.uint(uint64(n))
	}
}

// facet writes one facet: its field, its values (front-coded), and per
// value its documents.
func (w *writer) facet(f Facet) {
	w.str(f.Field)
	vals := make([]string, len(f.Values))
	for i, v := range f.Values {
		vals[i] = v.Value
	}
	w.terms(vals)
	for _, v := range f.Values {
		w.uint(uint64(len(v.Docs)))
		w.deltas(v.Docs)
	}
}

// entity writes one entity: name, type, aliases, documents.
func (w *writer) entity(e EntityMeta) {
	w.str(e.Name)
	w.str(e.Type)
	w.strs(e.Aliases)
	w.strs(e.Docs)
}
