package wasmfile

import (
	"errors"
	"fmt"
	"slices"
)

// Segment is an active data segment of memory 0: Data is copied to
// Offset when the module is instantiated.
type Segment struct {
	Offset uint32
	Data   []byte
}

// Opcodes of a segment's offset expression (i32.const N; end).
const (
	opI32Const = 0x41
	opEnd      = 0x0b
)

// DataSegments reads a data section's segments. Only active segments of
// memory 0 placed by an i32.const (what the Go linker writes) are
// understood; any other form is an error, so that a tool never rewrites a
// section it has not fully read.
func DataSegments(body []byte) ([]Segment, error) {
	r := NewReader(body)
	n := r.Uleb()
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("data section: %w", err)
	}
	if n > uint64(r.Len()) {
		return nil, fmt.Errorf("data section: %d segments in %d bytes", n, r.Len())
	}
	segs := make([]Segment, 0, n)
	for k := uint64(0); k < n && r.Err() == nil; k++ {
		if kind := r.Byte(); kind != 0 {
			if r.Err() == nil {
				return nil, fmt.Errorf("data segment %d: kind %d (only active segments of memory 0 are read)", k, kind)
			}
			break
		}
		if op := r.Byte(); op != opI32Const {
			if r.Err() == nil {
				return nil, fmt.Errorf("data segment %d: offset is not an i32.const", k)
			}
			break
		}
		off := r.Sleb32()
		if end := r.Byte(); end != opEnd {
			if r.Err() == nil {
				return nil, fmt.Errorf("data segment %d: offset expression longer than i32.const", k)
			}
			break
		}
		size := r.Uleb()
		if size > uint64(r.Len()) {
			return nil, fmt.Errorf("data segment %d: %d bytes past the section's end", k, size)
		}
		segs = append(segs, Segment{Offset: uint32(off), Data: r.Bytes(int(size))})
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("data section: %w", err)
	}
	if !r.Done() {
		return nil, fmt.Errorf("data section: %d bytes after its %d segments", r.Len(), n)
	}
	return segs, nil
}

// EncodeData writes segments as a data section's body.
func EncodeData(segs []Segment) []byte {
	n := 5
	for _, s := range segs {
		n += 12 + len(s.Data)
	}
	out := AppendUleb(make([]byte, 0, n), uint64(len(segs)))
	for _, s := range segs {
		out = append(out, 0, opI32Const)
		out = AppendSleb(out, int64(int32(s.Offset)))
		out = append(out, opEnd)
		out = AppendUleb(out, uint64(len(s.Data)))
		out = append(out, s.Data...)
	}
	return out
}

// MergeSegments returns segments that fill memory exactly as segs do,
// with neighbours no more than maxGap bytes apart joined into one segment
// (the gap written as zeros, which fresh memory holds anyway). Segments
// that overlap are an error: their order would then matter.
func MergeSegments(segs []Segment, maxGap int) ([]Segment, error) {
	sorted := slices.Clone(segs)
	slices.SortStableFunc(sorted, func(a, b Segment) int {
		switch {
		case a.Offset < b.Offset:
			return -1
		case a.Offset > b.Offset:
			return 1
		}
		return 0
	})
	var out []Segment
	owned := false // out's last Data is a copy, which may grow in place
	for _, s := range sorted {
		if len(out) > 0 {
			last := &out[len(out)-1]
			end := uint64(last.Offset) + uint64(len(last.Data))
			if uint64(s.Offset) < end {
				return nil, fmt.Errorf("data segments at %#x and %#x overlap", last.Offset, s.Offset)
			}
			if gap := uint64(s.Offset) - end; gap <= uint64(maxGap) {
				if !owned {
					last.Data = slices.Clone(last.Data)
					owned = true
				}
				last.Data = append(append(last.Data, make([]byte, gap)...), s.Data...)
				continue
			}
		}
		out = append(out, s)
		owned = false
	}
	return out, nil
}

// ErrNoData is returned by PackData for a module without a data section.
var ErrNoData = errors.New("no data section")

// PackData rewrites a module's data section with MergeSegments(maxGap),
// and its data count section to match; every other section is kept as
// it is. It returns the module and the segment counts before and after.
func PackData(module []byte, maxGap int) (out []byte, before, after int, err error) {
	secs, err := Sections(module)
	if err != nil {
		return nil, 0, 0, err
	}
	data := slices.IndexFunc(secs, func(s Section) bool { return s.ID == SectionData })
	if data < 0 {
		return nil, 0, 0, ErrNoData
	}
	segs, err := DataSegments(secs[data].Body)
	if err != nil {
		return nil, 0, 0, err
	}
	merged, err := MergeSegments(segs, maxGap)
	if err != nil {
		return nil, 0, 0, err
	}
	secs = slices.Clone(secs)
	secs[data].Body = EncodeData(merged)
	for i, s := range secs {
		if s.ID == SectionDataCount {
			secs[i].Body = AppendUleb(nil, uint64(len(merged)))
		}
	}
	return Encode(secs), len(segs), len(merged), nil
}
