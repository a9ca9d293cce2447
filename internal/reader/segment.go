// Package reader opens a zap v16 segment held in memory and exposes it as
// a read-only bleve index.IndexReader, so that bleve's own searchers,
// collectors, facet builders and highlighters run over a prebuilt index
// without a filesystem, mmap or the scorch engine (none of which exist in
// the browser).
package reader

import (
	"encoding/binary"
	"fmt"

	zap "github.com/blevesearch/zapx/v16"
)

// footerSize is the size of the zap v16 footer: numDocs, storedIndexOffset,
// fieldsIndexOffset, sectionsIndexOffset, docValueOffset (8 bytes each),
// chunkMode, version and CRC (4 bytes each), all big-endian.
const footerSize = 8*5 + 4*3

// zapVersion is the only zap file version this reader understands.
const zapVersion = 16

// footer is the decoded zap footer.
type footer struct {
	numDocs             uint64
	storedIndexOffset   uint64
	fieldsIndexOffset   uint64
	sectionsIndexOffset uint64
	docValueOffset      uint64
	chunkMode           uint32
	version             uint32
	crc                 uint32
}

func parseFooter(seg []byte) (footer, error) {
	var f footer
	if len(seg) < footerSize {
		return f, fmt.Errorf("segment of %d bytes is shorter than the %d-byte zap footer", len(seg), footerSize)
	}
	p := seg[len(seg)-footerSize:]
	f.numDocs = binary.BigEndian.Uint64(p[0:])
	f.storedIndexOffset = binary.BigEndian.Uint64(p[8:])
	f.fieldsIndexOffset = binary.BigEndian.Uint64(p[16:])
	f.sectionsIndexOffset = binary.BigEndian.Uint64(p[24:])
	f.docValueOffset = binary.BigEndian.Uint64(p[32:])
	f.chunkMode = binary.BigEndian.Uint32(p[40:])
	f.version = binary.BigEndian.Uint32(p[44:])
	f.crc = binary.BigEndian.Uint32(p[48:])
	if f.version != zapVersion {
		return f, fmt.Errorf("zap segment version %d, want %d", f.version, zapVersion)
	}
	memLen := uint64(len(seg) - footerSize)
	if f.storedIndexOffset > memLen || f.sectionsIndexOffset > memLen || f.fieldsIndexOffset > memLen {
		return f, fmt.Errorf("zap footer offsets out of range (segment body is %d bytes)", memLen)
	}
	return f, nil
}

// openSegment initialises a zap SegmentBase over seg (zap bytes including
// the footer) without copying. zap panics on some malformed inputs; the
// panic is turned into an error.
func openSegment(seg []byte) (sb *zap.SegmentBase, err error) {
	f, err := parseFooter(seg)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			sb, err = nil, fmt.Errorf("malformed zap segment: %v", r)
		}
	}()
	sb, err = zap.InitSegmentBase(seg[:len(seg)-footerSize], f.crc, f.chunkMode, f.numDocs,
		f.storedIndexOffset, f.sectionsIndexOffset)
	if err != nil {
		return nil, fmt.Errorf("malformed zap segment: %w", err)
	}
	return sb, nil
}
