// Package wasmfile reads and rewrites WebAssembly modules for Quarry's
// build tools: the binary format's section framing and LEB128 numbers
// (Sections, Encode, Reader), the data section's active segments and the
// memory they fill (DataSegments, Image, Segments, PackData), and an added
// start function (AddStart). It knows only what those tools need; anything
// else in a module is carried through byte for byte.
package wasmfile

import (
	"errors"
	"fmt"
	"io"
)

// Section IDs used by Quarry's tools.
const (
	SectionCustom    = 0
	SectionType      = 1
	SectionImport    = 2
	SectionFunction  = 3
	SectionStart     = 8
	SectionCode      = 10
	SectionData      = 11
	SectionDataCount = 12
)

// magic is the module header: "\0asm" and binary format version 1.
const magic = "\x00asm\x01\x00\x00\x00"

// ErrNotWasm is returned for data that does not start like a module.
var ErrNotWasm = errors.New("not a WebAssembly module")

// Section is one section of a module: its ID and its bytes (without the
// ID and size that frame them).
type Section struct {
	ID   byte
	Body []byte
}

// Sections splits a module into its sections, in order. The bodies alias b.
func Sections(b []byte) ([]Section, error) {
	if len(b) < len(magic) || string(b[:len(magic)]) != magic {
		return nil, ErrNotWasm
	}
	var out []Section
	r := NewReader(b[len(magic):])
	for !r.Done() {
		at := len(magic) + r.i
		id := r.Byte()
		size := r.Uleb()
		if r.err != nil || size > uint64(r.Len()) {
			return nil, fmt.Errorf("section at byte %d: malformed header", at)
		}
		out = append(out, Section{ID: id, Body: r.Bytes(int(size))})
	}
	return out, nil
}

// Encode writes sections as a module.
func Encode(secs []Section) []byte {
	n := len(magic)
	for _, s := range secs {
		n += 1 + 10 + len(s.Body)
	}
	out := append(make([]byte, 0, n), magic...)
	for _, s := range secs {
		out = append(out, s.ID)
		out = AppendUleb(out, uint64(len(s.Body)))
		out = append(out, s.Body...)
	}
	return out
}

// Reader reads the numbers and names of a section's body. The first
// error sticks: later reads return zero values and Err reports it.
type Reader struct {
	b   []byte
	i   int
	err error
}

// NewReader reads b from its start.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Err is the first error met, nil if none.
func (r *Reader) Err() error { return r.err }

// Done reports whether everything was read (or an error stopped reading).
func (r *Reader) Done() bool { return r.err != nil || r.i >= len(r.b) }

// Len is the number of bytes left.
func (r *Reader) Len() int { return len(r.b) - r.i }

func (r *Reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.i = len(r.b)
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.i >= len(r.b) {
		r.fail(io.ErrUnexpectedEOF)
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

// Bytes reads the next n bytes (aliasing the reader's input).
func (r *Reader) Bytes(n int) []byte {
	if n < 0 || n > r.Len() {
		r.fail(io.ErrUnexpectedEOF)
		return nil
	}
	out := r.b[r.i : r.i+n : r.i+n]
	r.i += n
	return out
}

// Uleb reads an unsigned LEB128 number of at most 64 bits.
func (r *Reader) Uleb() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.Byte()
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	r.fail(errors.New("LEB128 number too long"))
	return 0
}

// Sleb32 reads a signed LEB128 number that must fit 32 bits (an i32.const).
func (r *Reader) Sleb32() int32 {
	var v int64
	for shift := 0; shift < 35; shift += 7 {
		c := r.Byte()
		v |= int64(c&0x7f) << shift
		if c < 0x80 {
			if c&0x40 != 0 && shift+7 < 64 {
				v |= -1 << (shift + 7)
			}
			if v < -1<<31 || v > 1<<31-1 {
				break
			}
			return int32(v)
		}
	}
	r.fail(errors.New("i32 LEB128 number out of range"))
	return 0
}

// Name reads a length-prefixed name.
func (r *Reader) Name() string {
	n := r.Uleb()
	if n > uint64(r.Len()) {
		r.fail(io.ErrUnexpectedEOF)
		return ""
	}
	return string(r.Bytes(int(n)))
}

// AppendUleb appends v as unsigned LEB128.
func AppendUleb(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// AppendSleb appends v as signed LEB128.
func AppendSleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
