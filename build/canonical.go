package build

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"sort"
)

// zapFooterSize is the size of the zap v16 footer (see internal/reader).
const zapFooterSize = 8*5 + 4*3

// canonicalize makes a zap v16 segment byte-identical across builds.
//
// zapx writes, for every field, the list of (section type, address) pairs
// by ranging over a Go map of registered sections, so the pairs come out
// in random order and two builds of the same documents differ by a few
// bytes. The pairs are fixed-size, so sorting them by section type in
// place changes no offset; the footer's CRC-32 (IEEE, over everything
// before the footer) is then recomputed.
func canonicalize(seg []byte) error {
	if len(seg) < zapFooterSize {
		return fmt.Errorf("segment too short")
	}
	memLen := len(seg) - zapFooterSize
	mem := seg[:memLen]
	footer := seg[memLen:]
	sectionsIndex := binary.BigEndian.Uint64(footer[24:])
	if sectionsIndex == 0 || sectionsIndex >= uint64(memLen) {
		return fmt.Errorf("sections index offset %d out of range", sectionsIndex)
	}
	r := bytes.NewReader(mem[sectionsIndex:])
	numFields, err := binary.ReadUvarint(r)
	if err != nil {
		return fmt.Errorf("fields count: %w", err)
	}
	pos := int(sectionsIndex) + (int(r.Size()) - r.Len())
	if numFields > uint64(memLen) || pos+8*int(numFields) > memLen {
		return fmt.Errorf("fields index out of range")
	}
	for i := 0; i < int(numFields); i++ {
		start := binary.BigEndian.Uint64(mem[pos+8*i:])
		if start >= uint64(memLen) {
			return fmt.Errorf("field %d offset out of range", i)
		}
		if err := sortSectionPairs(mem, int(start)); err != nil {
			return fmt.Errorf("field %d: %w", i, err)
		}
	}
	binary.BigEndian.PutUint32(footer[48:], crc32.ChecksumIEEE(mem))
	return nil
}

// sortSectionPairs sorts one field entry's (uint16 type, uint64 address)
// pairs by type. The entry is: uvarint name length, name, uvarint number
// of sections, then the pairs.
func sortSectionPairs(mem []byte, at int) error {
	r := bytes.NewReader(mem[at:])
	nameLen, err := binary.ReadUvarint(r)
	if err != nil || nameLen > uint64(r.Len()) {
		return fmt.Errorf("bad field name length")
	}
	if _, err := r.Seek(int64(nameLen), 1); err != nil {
		return err
	}
	n, err := binary.ReadUvarint(r)
	if err != nil || n > 64 {
		return fmt.Errorf("bad section count")
	}
	p := at + (int(r.Size()) - r.Len())
	const pair = 2 + 8
	if p+int(n)*pair > len(mem) {
		return fmt.Errorf("section pairs out of range")
	}
	pairs := make([][pair]byte, n)
	for i := range pairs {
		copy(pairs[i][:], mem[p+i*pair:])
	}
	sort.Slice(pairs, func(i, j int) bool {
		return binary.BigEndian.Uint16(pairs[i][:]) < binary.BigEndian.Uint16(pairs[j][:])
	})
	for i := range pairs {
		copy(mem[p+i*pair:], pairs[i][:])
	}
	return nil
}
