// Package breakdown splits a Quarry index file into its parts — the
// header, each piece of the metadata, and inside the zap segment the
// stored documents, term dictionaries (vellum FSTs), postings bitmaps,
// frequency/norm chunks, location chunks and doc values, per field — so
// that the bytes an index ships can be attributed and cut where they are.
package breakdown

import (
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/blevesearch/vellum"

	"github.com/quarry-search/quarry/internal/indexfile"
)

// Part is one named share of an index file. Data holds the part's bytes,
// concatenated when they are scattered (e.g. all postings of one field),
// so that compressing Data estimates what the part costs compressed.
type Part struct {
	Name string
	Data []byte
}

// zapFooterSize is the zap v16 footer (see internal/reader).
const zapFooterSize = 8*5 + 4*3

// Split returns the parts of the index file data: those of the main
// segment named "zap: ...", those of an inline positions segment
// "positions zap: ...".
func Split(data []byte) ([]Part, error) {
	f, err := indexfile.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("decode index: %w", err)
	}
	metaLen := int(binary.LittleEndian.Uint32(data[20:]))
	headerLen := 32 // see indexfile: magic, version, length, meta, text and positions lengths
	seg := f.Segment
	segStart := len(data) - 4 - len(seg)
	parts := []Part{{Name: "header+crc", Data: append(append([]byte{}, data[:headerLen]...), data[len(data)-4:]...)}}
	parts = append(parts, metaParts(&f.Meta, metaLen)...)
	if len(f.Text) > 0 {
		parts = append(parts, Part{Name: "inline text files", Data: f.Text})
	}
	_ = segStart
	zp, err := zapParts(seg)
	if err != nil {
		return nil, fmt.Errorf("segment: %w", err)
	}
	parts = append(parts, zp...)
	if len(f.Positions) > 0 {
		pp, err := zapParts(f.Positions)
		if err != nil {
			return nil, fmt.Errorf("positions segment: %w", err)
		}
		for _, p := range pp {
			parts = append(parts, Part{Name: "positions " + p.Name, Data: p.Data})
		}
	}
	return parts, nil
}

// metaParts splits the metadata by piece (documents further into ids,
// titles, URLs and sections); the pieces are encoded apart, so their
// sizes add up to the block's within the bytes of their counts, put in
// "meta: counts".
func metaParts(m *indexfile.Meta, size int) []Part {
	var parts []Part
	total := 0
	for _, p := range indexfile.MetaParts(m) {
		parts = append(parts, Part{Name: "meta: " + p.Name, Data: p.Data})
		total += len(p.Data)
	}
	if total < size {
		parts = append(parts, Part{Name: "meta: counts", Data: make([]byte, size-total)})
	}
	return parts
}

// zapParts attributes every byte of a zap v16 segment.
func zapParts(seg []byte) ([]Part, error) {
	if len(seg) < zapFooterSize {
		return nil, fmt.Errorf("segment too short")
	}
	mem := seg[:len(seg)-zapFooterSize]
	ft := seg[len(mem):]
	numDocs := binary.BigEndian.Uint64(ft[0:])
	storedIndex := binary.BigEndian.Uint64(ft[8:])
	sectionsIndex := binary.BigEndian.Uint64(ft[24:])
	if storedIndex+8*numDocs > uint64(len(mem)) || sectionsIndex >= uint64(len(mem)) {
		return nil, fmt.Errorf("footer offsets out of range")
	}
	owner := make([]string, len(mem)) // part name per byte, "" = unattributed
	mark := func(from, to uint64, name string) error {
		if from > to || to > uint64(len(mem)) {
			return fmt.Errorf("%s: range %d..%d out of bounds", name, from, to)
		}
		for i := from; i < to; i++ {
			owner[i] = name
		}
		return nil
	}
	if err := mark(0, storedIndex, "zap: stored fields"); err != nil {
		return nil, err
	}
	if err := mark(storedIndex, storedIndex+8*numDocs, "zap: stored index"); err != nil {
		return nil, err
	}
	nf, n := binary.Uvarint(mem[sectionsIndex:])
	pos := sectionsIndex + uint64(n)
	for i := uint64(0); i < nf; i++ {
		if pos+8 > uint64(len(mem)) {
			return nil, fmt.Errorf("fields index out of range")
		}
		addr := binary.BigEndian.Uint64(mem[pos:])
		pos += 8
		if err := fieldParts(mem, addr, mark); err != nil {
			return nil, err
		}
	}
	byName := map[string][]byte{}
	var names []string
	for i, o := range owner {
		if o == "" {
			o = "zap: other (field and section indexes)"
		}
		if _, ok := byName[o]; !ok {
			names = append(names, o)
		}
		byName[o] = append(byName[o], mem[i])
	}
	sort.Strings(names)
	var parts []Part
	for _, nm := range names {
		parts = append(parts, Part{Name: nm, Data: byName[nm]})
	}
	return append(parts, Part{Name: "zap: footer", Data: ft}), nil
}

// fieldGroup names the share of a field: title, body, url and _id by
// name, every other (keyword facet) field as "facets".
func fieldGroup(name string) string {
	switch name {
	case "title", "body", "url", "_id":
		return name
	}
	return "facets"
}

func fieldParts(mem []byte, addr uint64, mark func(from, to uint64, name string) error) error {
	if addr == 0 || addr >= uint64(len(mem)) {
		return nil
	}
	nameLen, n := binary.Uvarint(mem[addr:])
	p := addr + uint64(n)
	if p+nameLen > uint64(len(mem)) {
		return fmt.Errorf("field name out of range")
	}
	name := string(mem[p : p+nameLen])
	g := fieldGroup(name)
	p += nameLen
	nsec, n := binary.Uvarint(mem[p:])
	p += uint64(n)
	for s := uint64(0); s < nsec; s++ {
		typ := binary.BigEndian.Uint16(mem[p:])
		sa := binary.BigEndian.Uint64(mem[p+2:])
		p += 10
		if typ != 0 || sa == 0 {
			continue
		}
		dvStart, n1 := binary.Uvarint(mem[sa:])
		dvEnd, n2 := binary.Uvarint(mem[sa+uint64(n1):])
		dictLoc, _ := binary.Uvarint(mem[sa+uint64(n1+n2):])
		if dvEnd > dvStart && dvStart != ^uint64(0) {
			if err := mark(dvStart, dvEnd, "zap: "+g+" doc values"); err != nil {
				return err
			}
		}
		if dictLoc == 0 {
			continue
		}
		fstLen, n := binary.Uvarint(mem[dictLoc:])
		fstStart := dictLoc + uint64(n)
		if err := mark(dictLoc, fstStart+fstLen, "zap: "+g+" dictionary (FST)"); err != nil {
			return err
		}
		fst, err := vellum.Load(mem[fstStart : fstStart+fstLen])
		if err != nil {
			return fmt.Errorf("field %s dictionary: %w", name, err)
		}
		it, err := fst.Iterator(nil, nil)
		for err == nil {
			_, off := it.Current()
			if e := postingParts(mem, off, g, mark); e != nil {
				return fmt.Errorf("field %s: %w", name, e)
			}
			err = it.Next()
		}
		if err != vellum.ErrIteratorDone {
			return fmt.Errorf("field %s dictionary: %w", name, err)
		}
	}
	return nil
}

// postingParts marks one term's postings: frequency/norm chunks, location
// chunks, then at off the offsets and the roaring bitmap.
func postingParts(mem []byte, off uint64, g string, mark func(from, to uint64, name string) error) error {
	if off&(1<<63) != 0 || off >= uint64(len(mem)) { // 1-hit encoding: no postings bytes
		return nil
	}
	tf, n1 := binary.Uvarint(mem[off:])
	loc, n2 := binary.Uvarint(mem[off+uint64(n1):])
	bl, n3 := binary.Uvarint(mem[off+uint64(n1+n2):])
	bmStart := off + uint64(n1+n2+n3)
	// An empty chunk list is written at offset 0.
	tfEnd := loc
	if loc == 0 {
		tfEnd = off
	}
	if tf > 0 {
		if err := mark(tf, tfEnd, "zap: "+g+" freq/norm"); err != nil {
			return err
		}
	}
	if loc > 0 {
		if err := mark(loc, off, "zap: "+g+" locations"); err != nil {
			return err
		}
	}
	return mark(off, bmStart+bl, "zap: "+g+" postings bitmaps")
}
