package indexfile

import (
	"errors"
	"slices"
	"strings"

	"github.com/quarry-search/quarry/internal/errs"
)

// split turns idx into a head and its files (parts, positions
// parts, text files) in the head's order (Head.FileNames).
func split(idx *Index, opts Options) (*Head, []File, error) {
	n := len(idx.Docs)
	if n == 0 {
		return nil, nil, errors.New("encode: no documents")
	}
	h := &Head{Language: idx.Language, Generator: idx.Generator, TitleBoost: idx.TitleBoost, BodyBoost: idx.BodyBoost,
		DocCount: n, Facets: idx.Facets}
	for _, f := range idx.Fields {
		if len(f.Lengths) != n {
			return nil, nil, errors.New("encode: field " + f.Name + " has lengths for " + errs.I(len(f.Lengths)) + " documents, not " + errs.I(n))
		}
		fh := FieldHead{Name: f.Name, Positions: f.Positions, Lengths: f.Lengths, DictMinDF: max(f.ExpandMinDF, 1)}
		for i := range f.Terms {
			t := &f.Terms[i]
			if i > 0 && t.Text <= f.Terms[i-1].Text {
				return nil, nil, errors.New("encode: field " + f.Name + ": terms not in order at " + errs.Q(t.Text))
			}
			if len(t.Docs) == 0 || len(t.Freqs) != len(t.Docs) || f.Positions && len(t.Pos) != len(t.Docs) {
				return nil, nil, errors.New("encode: field " + f.Name + ": postings of " + errs.Q(t.Text) + " inconsistent")
			}
			if len(t.Docs) >= max(f.ExpandMinDF, 1) {
				fh.Dict = append(fh.Dict, t.Text)
				fh.DictDF = append(fh.DictDF, uint32(len(t.Docs)))
			}
		}
		h.Fields = append(h.Fields, fh)
	}
	for _, f := range idx.Facets {
		for _, v := range f.Values {
			for k, d := range v.Docs {
				if int(d) >= n || k > 0 && d <= v.Docs[k-1] {
					return nil, nil, errors.New("encode: facet " + f.Field + " value " + errs.Q(v.Value) + ": documents out of order or range")
				}
			}
		}
	}
	var parts, posParts []File
	h.Bounds = bounds(idx.Fields, opts.PartSize)
	for i := range h.Bounds {
		lo, hi := h.Bounds[i], ""
		if i+1 < len(h.Bounds) {
			hi = h.Bounds[i+1]
		}
		part, pos := encodePart(idx.Fields, i, lo, hi)
		ref := fileRef("part", PartExt, part)
		h.Parts = append(h.Parts, ref)
		parts = append(parts, File{ref.Name, part})
		var pref FileRef
		if pos != nil {
			pref = fileRef("positions", PositionsExt, pos)
			posParts = append(posParts, File{pref.Name, pos})
		}
		h.PosParts = append(h.PosParts, pref)
	}
	texts, data, set := encodeTexts(idx.Docs, opts.TextChunk)
	files := append(parts, posParts...)
	for i, t := range texts {
		files = append(files, File{t.Name, data[i]})
	}
	h.Texts, h.TextSet = texts, set
	return h, files, nil
}

// termSize estimates the bytes a term's postings take in a part.
func termSize(t *Term) int { return len(t.Text) + 4 + 3*len(t.Docs) }

// bounds cuts the terms of all fields, in byte order, into ranges whose
// postings add up to about size raw bytes; it returns each range's first
// term ("" for the first).
func bounds(fields []Field, size int) []string {
	if size <= 0 {
		size = DefaultPartSize
	}
	var terms []string
	weight := map[string]int{}
	for _, f := range fields {
		for i := range f.Terms {
			t := &f.Terms[i]
			if _, ok := weight[t.Text]; !ok {
				terms = append(terms, t.Text)
			}
			weight[t.Text] += termSize(t)
		}
	}
	slices.Sort(terms)
	out := []string{""}
	acc := 0
	for _, t := range terms {
		if acc >= size && t > out[len(out)-1] {
			out = append(out, t)
			acc = 0
		}
		acc += weight[t]
	}
	return out
}

// encodePart writes part i (terms in [lo, hi); hi "" for no bound) and its
// positions part, nil when none of its terms has positions.
func encodePart(fields []Field, i int, lo, hi string) (part, pos []byte) {
	w := &writer{b: partHeader(partMagic, i)}
	pw := &writer{b: partHeader(posMagic, i)}
	hasPos := false
	for _, f := range fields {
		from, _ := slices.BinarySearchFunc(f.Terms, lo, func(t Term, s string) int { return strings.Compare(t.Text, s) })
		to := len(f.Terms)
		if hi != "" {
			to, _ = slices.BinarySearchFunc(f.Terms, hi, func(t Term, s string) int { return strings.Compare(t.Text, s) })
		}
		terms := f.Terms[from:to]
		names := make([]string, len(terms))
		for k := range terms {
			names[k] = terms[k].Text
		}
		w.terms(names)
		if f.Positions {
			pw.uint(uint64(len(terms)))
		}
		for k := range terms {
			t := &terms[k]
			blob := &writer{}
			blob.deltas(t.Docs)
			for _, fr := range t.Freqs {
				blob.uint(uint64(fr))
			}
			w.uint(uint64(len(t.Docs)))
			w.uint(uint64(len(blob.b)))
			w.b = append(w.b, blob.b...)
			if f.Positions {
				pb := &writer{}
				for _, ps := range t.Pos {
					pb.deltas0(ps)
				}
				pw.uint(uint64(len(pb.b)))
				pw.b = append(pw.b, pb.b...)
				hasPos = hasPos || len(terms) > 0
			}
		}
	}
	if !hasPos {
		return w.b, nil
	}
	return w.b, pw.b
}

// deltas0 writes ascending positive numbers as differences from 0.
func (w *writer) deltas0(vs []uint32) {
	prev := uint32(0)
	for _, v := range vs {
		w.uint(uint64(v - prev))
		prev = v
	}
}
