package indexfile

import (
	"bytes"
	"encoding/binary"
	"slices"

	"github.com/quarry-search/quarry/internal/errs"
)

// A part holds, for every text field, the terms of one range (Bounds[i]
// <= term < Bounds[i+1], compared as bytes) and their postings:
//
//	magic "QUARRYPT" (8 bytes), format version (uint32), part number (uint32)
//	per text field, in the head's order: the terms (front-coded), then
//	  per term: its document count, the length of its postings and the
//	  postings: document numbers as differences, then frequencies
//
// A positions part ("QUARRYPS", same header) holds, for every text field
// that keeps positions, per term of the part in the same order: the
// length of its positions and, per document, its positions as
// differences (as many as the term's frequency there).
//
// Ranges are cut on indexed, i.e. stemmed, terms, so a word and its
// inflections always share a part.

const (
	partMagic     = "QUARRYPT"
	posMagic      = "QUARRYPS"
	partHeaderLen = 8 + 4 + 4
)

// Part is a decoded part.
type Part struct {
	// Fields holds, per text field of the head, the part's terms.
	Fields []PartField
	docs   int
}

// PartField is one field's terms in a part.
type PartField struct {
	Terms []string
	DF    []uint32
	blobs [][]byte
}

// Find returns the position of term in the field's terms.
func (f *PartField) Find(term string) (int, bool) {
	return slices.BinarySearch(f.Terms, term)
}

func partHeader(magic string, i int) []byte {
	b := append([]byte(magic), 0, 0, 0, 0, 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[8:], Version)
	binary.LittleEndian.PutUint32(b[12:], uint32(i))
	return b
}

func checkPartHeader(data []byte, magic string, i int, name string) error {
	if len(data) < partHeaderLen || !bytes.Equal(data[:8], []byte(magic)) {
		return errs.Wrap(ErrText.Error()+": "+name+" is not a Quarry index part", ErrText)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != Version {
		return errs.Wrap(ErrText.Error()+": "+name+" has format "+errs.I(v)+", the index "+errs.I(Version), ErrText)
	}
	if n := binary.LittleEndian.Uint32(data[12:]); int(n) != i {
		return errs.Wrap(ErrText.Error()+": "+name+" holds part "+errs.I(n)+", the index expects part "+errs.I(i), ErrText)
	}
	return nil
}

// DecodePart reads part i of h from data. With verify, data must match
// the size and checksum the head lists (a part fetched on its own); a
// part that came inside the head is covered by the head's checksum.
func DecodePart(h *Head, i int, data []byte, verify bool) (*Part, error) {
	if i < 0 || i >= len(h.Parts) {
		return nil, errs.Wrap(ErrText.Error()+": part "+errs.I(i)+" of "+errs.I(len(h.Parts)), ErrText)
	}
	ref := h.Parts[i]
	if verify {
		if err := ref.Check(data); err != nil {
			return nil, err
		}
	}
	if err := checkPartHeader(data, partMagic, i, ref.Name); err != nil {
		return nil, err
	}
	r := &reader{b: data[partHeaderLen:]}
	p := &Part{Fields: make([]PartField, len(h.Fields)), docs: h.DocCount}
	lo := h.Bounds[i]
	hi := ""
	if i+1 < len(h.Bounds) {
		hi = h.Bounds[i+1]
	}
	for f := range p.Fields {
		pf := &p.Fields[f]
		pf.Terms = r.terms()
		if n := len(pf.Terms); n > 0 && (pf.Terms[0] < lo || hi != "" && pf.Terms[n-1] >= hi) {
			r.fail("terms outside the part's range")
		}
		if r.postings(pf, h.DocCount); r.err != nil {
			break
		}
	}
	r.end()
	if r.err != nil {
		return nil, errs.Wrap(ErrText.Error()+": "+ref.Name+": "+r.err.Error(), ErrText)
	}
	return p, nil
}

// postings reads the document count and postings of each of pf's terms
// (out of line: see uint32s).
//
//go:noinline
func (r *reader) postings(pf *PartField, docs int) {
	if len(pf.Terms) > r.left() {
		r.fail("postings past the end")
	}
	if r.err != nil {
		return
	}
	pf.DF = make([]uint32, len(pf.Terms))
	pf.blobs = make([][]byte, len(pf.Terms))
	for t := range pf.Terms {
		df := r.int()
		if df == 0 || df > docs {
			r.fail("document count of a term out of range")
		}
		pf.DF[t] = uint32(df)
		pf.blobs[t] = r.bytes(r.int())
		if r.err == nil && len(pf.blobs[t]) < 2*df {
			r.fail("postings shorter than their documents")
		}
	}
}

// Postings decodes the documents and frequencies of term t of field f.
func (p *Part) Postings(f, t int) (docs, freqs []uint32, err error) {
	pf := &p.Fields[f]
	df := int(pf.DF[t])
	r := &reader{b: pf.blobs[t]}
	docs = r.deltas(df, uint32(p.docs))
	freqs = make([]uint32, 0, df)
	for i := 0; i < df && r.err == nil; i++ {
		fr := r.int()
		if fr == 0 {
			r.fail("zero frequency")
		}
		freqs = append(freqs, uint32(fr))
	}
	r.end()
	if r.err != nil {
		return nil, nil, errs.Wrap(ErrText.Error()+": postings of "+errs.Q(pf.Terms[t])+": "+r.err.Error(), ErrText)
	}
	return docs, freqs, nil
}

// PosPart is a decoded positions part.
type PosPart struct {
	// blobs holds, per text field of the head (nil for fields without
	// positions), per term of the part, its positions.
	blobs [][][]byte
}

// DecodePosPart reads positions part i of h, whose part p was decoded.
func DecodePosPart(h *Head, i int, p *Part, data []byte, verify bool) (*PosPart, error) {
	ref := h.PosParts[i]
	if ref.Size == 0 {
		return nil, errs.Wrap(ErrText.Error()+": part "+errs.I(i)+" has no positions", ErrText)
	}
	if verify {
		if err := ref.Check(data); err != nil {
			return nil, err
		}
	}
	if err := checkPartHeader(data, posMagic, i, ref.Name); err != nil {
		return nil, err
	}
	r := &reader{b: data[partHeaderLen:]}
	pp := &PosPart{blobs: make([][][]byte, len(h.Fields))}
	for f, fh := range h.Fields {
		if !fh.Positions {
			continue
		}
		n := r.count(1)
		if r.err == nil && n != len(p.Fields[f].Terms) {
			r.fail("positions for " + itoa(n) + " terms, the part has " + itoa(len(p.Fields[f].Terms)))
		}
		if r.err != nil {
			break
		}
		pp.blobs[f] = make([][]byte, n)
		for t := range pp.blobs[f] {
			pp.blobs[f][t] = r.bytes(r.int())
		}
	}
	r.end()
	if r.err != nil {
		return nil, errs.Wrap(ErrText.Error()+": "+ref.Name+": "+r.err.Error(), ErrText)
	}
	return pp, nil
}

// Positions decodes the positions of term t of field f given the term's
// frequencies: document i's are pos[start[i]:start[i+1]].
func (pp *PosPart) Positions(f, t int, freqs []uint32) (start, pos []uint32, err error) {
	if f >= len(pp.blobs) || pp.blobs[f] == nil || t >= len(pp.blobs[f]) {
		return nil, nil, nil
	}
	r := &reader{b: pp.blobs[f][t]}
	total := 0
	for _, fr := range freqs {
		total += int(fr)
	}
	if total > r.left() {
		return nil, nil, errs.Wrap(ErrText.Error()+": positions shorter than their frequencies", ErrText)
	}
	start = make([]uint32, 0, len(freqs)+1)
	pos = make([]uint32, 0, total)
	start = append(start, 0)
	for _, fr := range freqs {
		var prev uint64
		for k := uint32(0); k < fr && r.err == nil; k++ {
			d := r.uint()
			if d == 0 {
				r.fail("positions not ascending")
			}
			prev += d
			if prev > 1<<31 {
				r.fail("position out of range")
			}
			pos = append(pos, uint32(prev))
		}
		start = append(start, uint32(len(pos)))
	}
	r.end()
	if r.err != nil {
		return nil, nil, errs.Wrap(ErrText.Error()+": positions: "+r.err.Error(), ErrText)
	}
	return start, pos, nil
}
