package indexfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"hash/crc64"
	"math"
	"strconv"
	"sync"
)

// writer appends the primitives every part of the format is made of:
// unsigned varints, strings as a varint length and bytes, and
// front-coded term lists.
type writer struct{ b []byte }

func (w *writer) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *writer) str(s string)  { w.uint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *writer) f64(f float64) { w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(f)) }
func (w *writer) strs(ss []string) {
	w.uint(uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

// terms writes sorted terms front-coded: each as the length it shares
// with the previous one and the rest. A term is written whole instead
// when sharing would make the list expand past maxTermsExpansion times
// its bytes (see reader.terms).
func (w *writer) terms(ts []string) {
	start := len(w.b)
	w.uint(uint64(len(ts)))
	prev := ""
	expanded := 0
	for _, t := range ts {
		n := 0
		for n < len(t) && n < len(prev) && t[n] == prev[n] {
			n++
		}
		cost := uvarintLen(n) + uvarintLen(len(t)-n) + len(t) - n
		if expanded+len(t) > maxTermsExpansion*(len(w.b)-start+cost) {
			n = 0
		}
		w.uint(uint64(n))
		w.str(t[n:])
		expanded += len(t)
		prev = t
	}
}

// maxTermsExpansion bounds how many times its own bytes a front-coded
// term list may expand to. Without a bound a list of n terms, each
// sharing all but the last byte of the previous one and adding two,
// takes 4n bytes and expands to n²: 60 MB of terms from a 38 kB index,
// gigabytes from a few hundred kB. Real dictionaries expand 1.1 to 1.3
// times (Cranfield, CACM: a term shares a few bytes with the previous
// one); the writer gives up sharing, term by term, where a list would go
// past the bound.
const maxTermsExpansion = 16

func uvarintLen(v int) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

// deltas writes ascending numbers as their differences.
func (w *writer) deltas(vs []uint32) {
	prev := uint32(0)
	for _, v := range vs {
		w.uint(uint64(v - prev))
		prev = v
	}
}

// sum writes a checksum given in hex (16 digits) as its 8 bytes.
func (w *writer) sum(h string) {
	v, _ := strconv.ParseUint(h, 16, 64)
	w.b = binary.LittleEndian.AppendUint64(w.b, v)
}

var errShort = errors.New("truncated or malformed")

// reader reads what writer wrote; the first error sticks and every read
// after it returns zero values. Lengths and counts are checked against
// the bytes left before anything is allocated for them.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = errors.New(msg)
	}
}

func (r *reader) left() int { return len(r.b) - r.i }

func (r *reader) uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.fail("truncated or malformed number")
		return 0
	}
	r.i += n
	return v
}

// int reads a varint that must fit an int31.
func (r *reader) int() int {
	v := r.uint()
	if v > math.MaxInt32 {
		r.fail("number out of range")
		return 0
	}
	return int(v)
}

// uint32s reads n varints, each at most max, failing with "what out of
// range" past it.
//
// The loops over every document or term of a file live in small
// functions of their own, kept out of line: V8 recompiles a wasm function
// that runs long with its optimizing compiler, in the background, and a
// loop inlined into decodeMeta (10 kB of wasm) or DecodePart (7 kB) made
// that the whole function. In Chromium, cold, on the seeds, those two
// compiles took ~0.8 s of CPU (--trace-wasm-compilation-times) beside
// the worker on a 2-core machine; compiling the loop alone costs a few
// milliseconds.
//
//go:noinline
func (r *reader) uint32s(n, max int, what string) []uint32 {
	if r.err != nil {
		return nil
	}
	if n > r.left() {
		r.fail(what + " past the end")
		return nil
	}
	out := make([]uint32, n)
	for i := range out {
		v := r.int()
		if v > max {
			r.fail(what + " out of range")
			return nil
		}
		out[i] = uint32(v)
	}
	return out
}

// count reads the length of a list whose entries take at least min bytes
// each, refusing one the bytes left cannot hold.
func (r *reader) count(min int) int {
	n := r.uint()
	if r.err == nil && n > uint64(r.left()/min) {
		r.fail("count larger than the data")
		return 0
	}
	return int(n)
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || n > r.left() {
		r.fail("length past the end")
		return nil
	}
	b := r.b[r.i : r.i+n : r.i+n]
	r.i += n
	return b
}

func (r *reader) str() string { return string(r.bytes(r.int())) }

func (r *reader) strs() []string {
	n := r.count(1)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *reader) f64() float64 {
	b := r.bytes(8)
	if b == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// terms reads a front-coded term list, which must be strictly ascending
// and expand to at most maxTermsExpansion times its bytes (checked
// before each term is made, so a crafted list cannot make the reader
// allocate more).
//
// The terms are built in one buffer and cut from one string: the head of
// a large site holds 16,000 terms, and one allocation each was most of
// the time opening it took natively (1.2 of 2.1 ms for the PHP manual's);
// in the browser, allocations also keep the Go runtime's allocator hot,
// which V8 then recompiles in the background.
func (r *reader) terms() []string {
	start := r.i
	n := r.count(2)
	if n == 0 {
		return nil
	}
	ends := make([]int, n)
	var buf []byte
	prev, cur := 0, 0 // the previous term is buf[prev:cur]
	expanded := 0
	for i := range ends {
		shared := r.int()
		rest := r.bytes(r.int())
		if r.err != nil {
			return nil
		}
		if shared > cur-prev {
			r.fail("term shares more than the previous term has")
			return nil
		}
		if expanded += shared + len(rest); expanded > maxTermsExpansion*(r.i-start) {
			r.fail("terms expand past " + strconv.Itoa(maxTermsExpansion) + " times their bytes")
			return nil
		}
		buf = append(buf, buf[prev:prev+shared]...)
		buf = append(buf, rest...)
		if i > 0 && bytes.Compare(buf[cur:], buf[prev:cur]) <= 0 {
			r.fail("terms out of order")
			return nil
		}
		prev, cur = cur, len(buf)
		ends[i] = cur
	}
	all := string(buf)
	out := make([]string, n)
	from := 0
	for i, end := range ends {
		out[i] = all[from:end]
		from = end
	}
	return out
}

// deltas reads n ascending numbers below limit.
func (r *reader) deltas(n int, limit uint32) []uint32 {
	if r.err != nil {
		return nil
	}
	if n > r.left() {
		r.fail("count larger than the data")
		return nil
	}
	out := make([]uint32, n)
	var v uint64
	for i := range out {
		d := r.uint()
		if i > 0 && d == 0 {
			r.fail("numbers not ascending")
			return nil
		}
		v += d
		if v >= uint64(limit) {
			r.fail("number out of range")
			return nil
		}
		out[i] = uint32(v)
	}
	return out
}

func (r *reader) sum() string {
	b := r.bytes(8)
	if b == nil {
		return ""
	}
	return hexSum(binary.LittleEndian.Uint64(b))
}

// end fails unless every byte was read.
func (r *reader) end() {
	if r.err == nil && r.i != len(r.b) {
		r.fail(strconv.Itoa(r.left()) + " bytes after the end")
	}
}

// Checksums. Every file is named by its CRC-64 (ECMA), which also catches
// damage: the files come from the same place as the head, so the sum
// need not resist forgery (SHA-256, in format 2, linked Go's FIPS module
// into quarry.wasm: about 15 kB of brotli). The head itself ends with a
// CRC-32C. Both tables are made on first use, not at start-up (every
// package init delays the engine's first answer in a browser).
var (
	castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })
	crc64Table = sync.OnceValue(func() *crc64.Table { return crc64.MakeTable(crc64.ECMA) })
)

// sumOf returns b's CRC-64 as 16 hex digits.
func sumOf(b []byte) string { return hexSum(crc64.Checksum(b, crc64Table())) }

func hexSum(v uint64) string { return string(appendHex(make([]byte, 0, 16), v, 16)) }

// appendHex appends the first n of v's 16 hex digits, most significant
// first.
func appendHex(b []byte, v uint64, n int) []byte {
	const digits = "0123456789abcdef"
	for shift := 60; shift > 60-4*n; shift -= 4 {
		b = append(b, digits[v>>uint(shift)&15])
	}
	return b
}
