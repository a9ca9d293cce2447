package zap

import (
	"encoding/binary"
	"math/bits"
)

// Roaring bitmap serialization (github.com/RoaringBitmap/RoaringFormatSpec),
// little-endian: a cookie; with runs, the container count is in the
// cookie's high half and an is-run bit per container follows, else it is
// a uint32; then per container a uint16 key and uint16 cardinality-1;
// then per container a uint32 offset (omitted with runs below 4
// containers); then the containers: runs (uint16 count, then uint16
// start and length-1 pairs), bitmaps (cardinality above 4096: 1024
// uint64 words) or arrays (sorted uint16 values).
const (
	cookieNoRuns      = 12346
	cookieRuns        = 12347
	noOffsetThreshold = 4
	maxArray          = 4096
	bitmapBytes       = 8192
)

// roaringLayout is a parsed bitmap header.
type roaringLayout struct {
	b       []byte
	n       int    // containers
	runs    []byte // is-run bits, nil without runs
	keycard []byte // key, cardinality-1 pairs
	offsets []byte // container offsets, nil when omitted
	body    int    // where the containers start
}

func parseRoaring(b []byte) (l roaringLayout, msg string) {
	l.b = b
	if len(b) < 4 {
		return l, "truncated"
	}
	cookie := binary.LittleEndian.Uint32(b)
	p := 4
	switch {
	case cookie&0xffff == cookieRuns:
		l.n = int(cookie>>16) + 1
		nr := (l.n + 7) / 8
		if nr > len(b)-p {
			return l, "truncated"
		}
		l.runs = b[p : p+nr]
		p += nr
	case cookie == cookieNoRuns:
		if len(b)-p < 4 {
			return l, "truncated"
		}
		n := binary.LittleEndian.Uint32(b[p:])
		if n > 1<<16 {
			return l, "too many containers"
		}
		l.n = int(n)
		p += 4
	default:
		return l, "unknown cookie"
	}
	if 4*l.n > len(b)-p {
		return l, "truncated"
	}
	l.keycard = b[p : p+4*l.n]
	p += 4 * l.n
	if l.runs == nil || l.n >= noOffsetThreshold {
		if 4*l.n > len(b)-p {
			return l, "truncated"
		}
		l.offsets = b[p : p+4*l.n]
		p += 4 * l.n
	}
	l.body = p
	return l, ""
}

// container returns container i's key, header cardinality, whether it is
// a run container, and its bytes starting at p; ok is false when they do
// not fit in the bitmap or the offset table disagrees.
func (l *roaringLayout) container(i, p int) (key uint16, card int, run bool, c []byte, ok bool) {
	key = binary.LittleEndian.Uint16(l.keycard[4*i:])
	card = int(binary.LittleEndian.Uint16(l.keycard[4*i+2:])) + 1
	if l.offsets != nil && binary.LittleEndian.Uint32(l.offsets[4*i:]) != uint32(p) {
		return
	}
	rest := l.b[p:]
	size := 2 * card
	switch {
	case l.runs != nil && l.runs[i/8]&(1<<(i%8)) != 0:
		run = true
		if len(rest) < 2 {
			return
		}
		size = 2 + 4*int(binary.LittleEndian.Uint16(rest))
	case card > maxArray:
		size = bitmapBytes
	}
	if size > len(rest) {
		return
	}
	return key, card, run, rest[:size], true
}

// roaringCount checks a bitmap's layout (every container inside the
// bytes, none beyond them) and returns the sum of the containers'
// cardinalities, which must not exceed numDocs, and the number of
// containers. It does not read values.
func roaringCount(b []byte, numDocs uint64) (int, int, string) {
	l, msg := parseRoaring(b)
	if msg != "" {
		return 0, 0, msg
	}
	p, total := l.body, 0
	for i := range l.n {
		_, card, _, c, ok := l.container(i, p)
		if !ok {
			return 0, 0, "container out of range"
		}
		p += len(c)
		total += card
	}
	if p != len(b) {
		return 0, 0, "trailing bytes"
	}
	if uint64(total) > numDocs {
		return 0, 0, "more documents than the segment"
	}
	return total, l.n, ""
}

// decodeRoaring checks a bitmap in full — layout, keys and values
// strictly ascending, cardinalities exact, every value below numDocs —
// and, when values is set, returns its values. Nothing is appended before
// it is checked, so the result never outgrows the header's total.
func decodeRoaring(b []byte, numDocs uint64, values bool) ([]uint32, string) {
	total, _, msg := roaringCount(b, numDocs)
	if msg != "" {
		return nil, msg
	}
	l, _ := parseRoaring(b)
	var out []uint32
	if values {
		out = make([]uint32, 0, total) // total <= numDocs <= len(data)/8
	}
	var next uint64 // smallest value allowed next
	p := l.body
	for i := range l.n {
		key, card, run, c, _ := l.container(i, p)
		p += len(c)
		base := uint64(key) << 16
		if base < next {
			return nil, "containers out of order"
		}
		got := 0
		switch {
		case run:
			for r := c[2:]; len(r) > 0; r = r[4:] {
				start := base + uint64(binary.LittleEndian.Uint16(r))
				n := int(binary.LittleEndian.Uint16(r[2:])) + 1
				if start < next || start+uint64(n) > base+1<<16 {
					return nil, "runs out of order"
				}
				if got += n; got > card {
					return nil, "container cardinality mismatch"
				}
				if next = start + uint64(n); next > numDocs {
					return nil, "document out of range"
				}
				if values {
					for v := range uint32(n) {
						out = append(out, uint32(start)+v)
					}
				}
			}
		case card > maxArray:
			for w := range bitmapBytes / 8 {
				word := binary.LittleEndian.Uint64(c[8*w:])
				if word == 0 {
					continue
				}
				if got += bits.OnesCount64(word); got > card {
					return nil, "container cardinality mismatch"
				}
				if next = base + uint64(64*w+64-bits.LeadingZeros64(word)); next > numDocs {
					return nil, "document out of range"
				}
				if values {
					for ; word != 0; word &= word - 1 {
						out = append(out, uint32(base)+uint32(64*w+bits.TrailingZeros64(word)))
					}
				}
			}
		default:
			for j := range card {
				v := base + uint64(binary.LittleEndian.Uint16(c[2*j:]))
				if v < next {
					return nil, "values out of order"
				}
				if next = v + 1; next > numDocs {
					return nil, "document out of range"
				}
				if values {
					out = append(out, uint32(v))
				}
			}
			got = card
		}
		if got != card {
			return nil, "container cardinality mismatch"
		}
	}
	return out, ""
}
