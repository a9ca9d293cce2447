package zap

import (
	"math"
	"strconv"
)

// A term's FST value: the top two bits select the encoding. "General" (00)
// is the offset of the postings record; "1-hit" (10) packs a single
// document with frequency 1 and no locations: 31 bits of norm (the field
// length) above 31 bits of document number.
const (
	encMask  = 0xc000000000000000
	enc1Hit  = 0x8000000000000000
	mask31   = 1<<31 - 1
	minLocSz = 5 // bytes of a location at least: field, pos, start, end, array positions count
)

// postingsRef locates a term's postings list.
type postingsRef struct {
	s *Segment
	// 1-hit encoding
	oneHit   bool
	card     int // 1, or 0 for a zero norm (zapx then reads the list as empty)
	doc      uint32
	normBits uint64
	// general encoding: the record at holds the freq/norm and location
	// chunk offsets (0: none) and the roaring bitmap of documents.
	at            int
	freqAt, locAt uint64
	bitmap        []byte
}

// postings reads the postings record term's FST value v points to.
func (d *Dict) postings(term []byte, v uint64) (postingsRef, error) {
	s := d.s
	p := postingsRef{s: s}
	switch v & encMask {
	case enc1Hit:
		p.oneHit = true
		p.doc, p.normBits = uint32(v&mask31), v>>31&mask31
		if p.normBits != 0 {
			p.card = 1
		}
		if uint64(p.doc) >= s.numDocs {
			return p, d.corrupt(term, "1-hit document out of range")
		}
		return p, nil
	case 0:
	default:
		return p, d.corrupt(term, "postings value uses a reserved encoding")
	}
	if v < uint64(s.lo) || v >= uint64(d.end) {
		return p, d.corrupt(term, "postings offset out of range")
	}
	p.at = int(v)
	r := cursor{b: s.mem, off: p.at, end: d.end}
	var ok1, ok2, ok3 bool
	p.freqAt, ok1 = r.uvarint()
	p.locAt, ok2 = r.uvarint()
	p.bitmap, ok3 = r.bytes()
	if !ok1 || !ok2 || !ok3 {
		return p, d.corrupt(term, "postings record out of range")
	}
	if p.freqAt != 0 && (p.freqAt < uint64(s.lo) || p.freqAt >= v) {
		return p, d.corrupt(term, "freq/norm offset out of range")
	}
	if p.locAt != 0 && (p.locAt < uint64(s.lo) || p.locAt >= v) {
		return p, d.corrupt(term, "location offset out of range")
	}
	return p, nil
}

// norm is zapx's Posting.Norm: the stored bits are the field length,
// read as a float32 whose bits give it back.
func norm(bits uint64) float32 { return float32(1 / math.Sqrt(float64(uint32(bits)))) }

// decode decodes the postings list; the message is empty on success.
func (p *postingsRef) decode(want Want) (*Postings, string) {
	out := &Postings{}
	wantFN, wantPos := want&WantFreqNorm != 0, want&WantPositions != 0
	if p.oneHit {
		if p.card == 1 {
			out.Docs = []uint32{p.doc}
		}
		if wantFN && p.card == 1 {
			out.Freqs, out.Norms = []uint32{1}, []float32{norm(p.normBits)}
		}
		if wantPos {
			out.PosStart = make([]uint32, p.card+1)
		}
		return out, ""
	}
	docs, msg := decodeRoaring(p.bitmap, p.s.numDocs, true)
	if msg != "" {
		return nil, "postings bitmap: " + msg
	}
	out.Docs = docs
	if !wantFN && !wantPos {
		return out, ""
	}
	if wantPos {
		out.PosStart = make([]uint32, len(docs)+1)
	}
	if len(docs) == 0 {
		return out, ""
	}
	cs, ok := chunkSize(p.s.chunkMode, uint64(len(docs)), p.s.numDocs)
	if !ok {
		return nil, "chunk size is zero"
	}
	if p.freqAt == 0 {
		return nil, "no freq/norm data"
	}
	freqs, _, msg := openChunks(p.s.mem, p.freqAt, p.at)
	if msg != "" {
		return nil, "freq/norm " + msg
	}
	var locs chunks
	if wantPos && p.locAt != 0 {
		var total uint64
		locs, total, msg = openChunks(p.s.mem, p.locAt, p.at)
		if msg != "" {
			return nil, "location " + msg
		}
		out.Pos = make([]uint32, 0, total/minLocSz)
	}
	if wantFN {
		out.Freqs = make([]uint32, len(docs))
		out.Norms = make([]float32, len(docs))
	}
	numFields := uint64(len(p.s.fields))
	chunk := -1
	for i, doc := range docs {
		if c := int(uint64(doc) / cs); c != chunk {
			chunk = c
			if msg := freqs.load(c); msg != "" {
				return nil, "freq/norm " + msg
			}
			if locs.mem != nil {
				if msg := locs.load(c); msg != "" {
					return nil, "location " + msg
				}
			}
		}
		fh, ok := freqs.cur.uvarint()
		if !ok {
			return nil, "freq/norm data truncated"
		}
		freq, hasLocs := fh>>1, fh&1 != 0
		var nb uint64
		if freq > 0 { // zapx writes no norm for a zero frequency
			if nb, ok = freqs.cur.uvarint(); !ok {
				return nil, "freq/norm data truncated"
			}
		}
		if freq > math.MaxUint32 || nb > math.MaxUint32 {
			return nil, "freq/norm out of range"
		}
		if wantFN {
			out.Freqs[i], out.Norms[i] = uint32(freq), norm(nb)
		}
		if !wantPos {
			continue
		}
		if hasLocs {
			if locs.mem == nil {
				return nil, "no location data"
			}
			r := &locs.cur
			n, ok := r.uvarint()
			if !ok || n > uint64(r.end-r.off) {
				return nil, "location data truncated"
			}
			l := cursor{b: r.b, off: r.off, end: r.off + int(n)}
			r.off = l.end
			for l.off < l.end {
				field, ok1 := l.uvarint()
				pos, ok2 := l.uvarint()
				_, ok3 := l.uvarint() // start
				_, ok4 := l.uvarint() // end
				nap, ok5 := l.uvarint()
				if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || nap > uint64(l.end-l.off) {
					return nil, "location data truncated"
				}
				if field >= numFields || pos > math.MaxUint32 {
					return nil, "location out of range"
				}
				for range nap { // array positions
					if _, ok := l.uvarint(); !ok {
						return nil, "location data truncated"
					}
				}
				out.Pos = append(out.Pos, uint32(pos))
			}
		}
		out.PosStart[i+1] = uint32(len(out.Pos))
	}
	return out, ""
}

// chunks reads zapx's chunked integer streams (freq/norm, locations): a
// uvarint chunk count, each chunk's end offset (non-decreasing uvarints),
// then the chunks' bytes. Chunks are loaded in ascending order.
type chunks struct {
	mem     []byte
	n       int    // number of chunks
	table   cursor // the end offsets not read yet
	next    int    // index of the next end offset in table
	nextEnd uint64 // start of chunk next (end of chunk next-1)
	base    int    // where the chunks' bytes start
	cur     cursor // the loaded chunk
}

// openChunks checks the chunk table at offset at, whose data must end by
// limit, and returns the data's total length.
func openChunks(mem []byte, at uint64, limit int) (chunks, uint64, string) {
	r := cursor{b: mem, off: int(at), end: limit}
	n, ok := r.uvarint()
	if !ok || n > uint64(r.end-r.off) {
		return chunks{}, 0, "chunk table out of range"
	}
	c := chunks{mem: mem, n: int(n), table: r}
	var prev uint64
	for range n {
		e, ok := r.uvarint()
		if !ok || e < prev {
			return chunks{}, 0, "chunk table malformed"
		}
		prev = e
	}
	c.base = r.off
	if prev > uint64(limit-c.base) {
		return chunks{}, 0, "chunk data out of range"
	}
	return c, prev, ""
}

// load makes chunk k (above the last loaded one) current.
func (c *chunks) load(k int) string {
	if k >= c.n {
		return "chunk " + strconv.Itoa(k) + " of " + strconv.Itoa(c.n) + " out of range"
	}
	start := c.nextEnd
	for c.next <= k {
		start = c.nextEnd
		c.nextEnd, _ = c.table.uvarint() // checked by openChunks
		c.next++
	}
	c.cur = cursor{b: c.mem, off: c.base + int(start), end: c.base + int(c.nextEnd)}
	return ""
}
