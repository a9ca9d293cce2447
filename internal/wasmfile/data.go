package wasmfile

import (
	"cmp"
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

// maxImage bounds the memory image a module's data may describe
// (quarry.wasm's ends at 1.6 MB): a crafted offset must not make a tool
// allocate gigabytes.
const maxImage = 64 << 20

// Image returns the memory that segs fill when a module is instantiated,
// from address 0 to the end of the last segment. Segments that overlap
// are an error (their order would then matter), as is data ending past
// 64 MiB.
func Image(segs []Segment) ([]byte, error) {
	sorted := slices.Clone(segs)
	slices.SortStableFunc(sorted, func(a, b Segment) int { return cmp.Compare(a.Offset, b.Offset) })
	var end uint64
	for i, s := range sorted {
		if i > 0 && uint64(s.Offset) < end {
			return nil, fmt.Errorf("data segments at %#x and %#x overlap", sorted[i-1].Offset, s.Offset)
		}
		end = uint64(s.Offset) + uint64(len(s.Data))
		if end > maxImage {
			return nil, fmt.Errorf("data segment at %#x ends past %d MiB", s.Offset, maxImage>>20)
		}
	}
	mem := make([]byte, end)
	for _, s := range sorted {
		copy(mem[s.Offset:], s.Data)
	}
	return mem, nil
}

// Segments returns segments that fill memory with mem, leaving out runs
// of zeros (fresh memory holds zeros already) longer than maxGap bytes;
// shorter runs are written, since each segment's header costs more than
// a few zeros. The segments alias mem.
func Segments(mem []byte, maxGap int) []Segment {
	var out []Segment
	start, zeros := -1, 0 // current segment's start; zeros at its end
	for i, b := range mem {
		if b != 0 {
			if start < 0 {
				start = i
			}
			zeros = 0
			continue
		}
		if start < 0 {
			continue
		}
		zeros++
		if zeros > maxGap {
			out = append(out, Segment{Offset: uint32(start), Data: mem[start : i-zeros+1]})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, Segment{Offset: uint32(start), Data: mem[start : len(mem)-zeros]})
	}
	return out
}

// ErrNoData is returned by PackData for a module without a data section.
var ErrNoData = errors.New("no data section")

// PackData rewrites a module's data section as Segments(maxGap) of the
// memory its segments fill, after edit (if not nil) has changed that
// memory image in place (index = address), and its data count section to
// match; every other section is kept as it is. It returns the module and
// the segment counts before and after.
func PackData(module []byte, maxGap int, edit func(mem []byte) error) (out []byte, before, after int, err error) {
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
	mem, err := Image(segs)
	if err != nil {
		return nil, 0, 0, err
	}
	if edit != nil {
		if err := edit(mem); err != nil {
			return nil, 0, 0, err
		}
	}
	packed := Segments(mem, maxGap)
	secs = slices.Clone(secs)
	secs[data].Body = EncodeData(packed)
	for i, s := range secs {
		if s.ID == SectionDataCount {
			secs[i].Body = AppendUleb(nil, uint64(len(packed)))
		}
	}
	return Encode(secs), len(segs), len(packed), nil
}
