package zap

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strconv"

	"github.com/blevesearch/vellum"
)

// ErrCorrupt is wrapped by every error caused by malformed segment bytes.
var ErrCorrupt = errors.New("zap segment is corrupt")

// corruptError is a malformed-segment error: "op: reason: zap segment is
// corrupt", matching ErrCorrupt with errors.Is.
type corruptError struct{ msg string }

func (e *corruptError) Error() string { return e.msg + ": " + ErrCorrupt.Error() }
func (e *corruptError) Unwrap() error { return ErrCorrupt }

func corrupt(msg string) error { return &corruptError{msg} }

// footerSize is the zap v16 footer: numDocs, storedIndexOffset,
// fieldsIndexOffset, sectionsIndexOffset, docValueOffset (uint64 each),
// chunkMode, version, CRC-32 (uint32 each), all big-endian.
const footerSize = 5*8 + 3*4

const version = 16

// Section types of a field's section list (zapx's segmentSections).
const sectionInvertedText = 0

// noDocValues is the doc-value offset zapx writes for fields without doc
// values.
const noDocValues = math.MaxUint64

// Segment is an opened zap v16 segment. It aliases the bytes given to Open
// and is safe for concurrent use.
type Segment struct {
	mem       []byte // the segment without its footer
	numDocs   uint64
	chunkMode uint32
	// lo is where the inverted index may start (after the stored fields
	// index); sections is where the fields' section entries end (the
	// sections index). Every offset the inverted index holds lies
	// between them.
	lo, sections int
	fields       []string
	dicts        []*Dict // per field; nil without an inverted index
	byName       map[string]int
	// steps bounds the automaton transitions one Iterate may take
	// (see doc.go).
	steps int
}

// Open checks the structure of a zap v16 segment (data includes the
// footer; it is not copied and must not change) and loads each field's
// dictionary header.
func Open(data []byte) (*Segment, error) {
	if len(data) < footerSize {
		return nil, corrupt("open: " + strconv.Itoa(len(data)) + " bytes is shorter than the zap footer")
	}
	mem := data[:len(data)-footerSize]
	ft := data[len(mem):]
	s := &Segment{
		mem:       mem,
		numDocs:   binary.BigEndian.Uint64(ft[0:]),
		chunkMode: binary.BigEndian.Uint32(ft[40:]),
		steps:     stepsPerByte*len(data) + minSteps,
	}
	storedIndex := binary.BigEndian.Uint64(ft[8:])
	fieldsIndex := binary.BigEndian.Uint64(ft[16:])
	sectionsIndex := binary.BigEndian.Uint64(ft[24:])
	docValues := binary.BigEndian.Uint64(ft[32:])
	if v := binary.BigEndian.Uint32(ft[44:]); v != version {
		return nil, corrupt("open: zap version " + strconv.FormatUint(uint64(v), 10) + ", want 16")
	}
	if _, ok := chunkSize(s.chunkMode, 0, 1); !ok {
		return nil, corrupt("open: unknown chunk mode " + strconv.FormatUint(uint64(s.chunkMode), 10))
	}
	n := uint64(len(mem))
	// The stored fields index holds one uint64 per document: this bounds
	// numDocs by the data.
	if storedIndex > n || s.numDocs > (n-storedIndex)/8 || s.numDocs > math.MaxUint32 {
		return nil, corrupt("open: stored fields index of " + strconv.FormatUint(s.numDocs, 10) + " documents out of range")
	}
	s.lo = int(storedIndex + 8*s.numDocs)
	if fieldsIndex > n || (docValues > n && docValues != noDocValues) {
		return nil, corrupt("open: footer offsets out of range")
	}
	if sectionsIndex < uint64(s.lo) || sectionsIndex >= n {
		return nil, corrupt("open: sections index offset out of range")
	}
	s.sections = int(sectionsIndex)
	if err := s.loadFields(); err != nil {
		return nil, err
	}
	return s, nil
}

// loadFields reads the sections index (a uvarint field count and one
// uint64 per field, ending the segment) and each field's entry.
func (s *Segment) loadFields() error {
	r := cursor{b: s.mem, off: s.sections, end: len(s.mem)}
	nf, ok := r.uvarint()
	if !ok || nf == 0 || nf != uint64(r.end-r.off)/8 || uint64(r.end-r.off)%8 != 0 {
		return corrupt("open: sections index does not hold its field count")
	}
	s.fields = make([]string, nf)
	s.dicts = make([]*Dict, nf)
	s.byName = make(map[string]int, nf)
	for i := range s.fields {
		at := binary.BigEndian.Uint64(s.mem[r.off+8*i:])
		if err := s.loadField(i, at); err != nil {
			return err
		}
	}
	return nil
}

// loadField reads field i's entry at offset at: uvarint name length, name,
// uvarint section count, then (uint16 type, uint64 address) pairs.
func (s *Segment) loadField(i int, at uint64) error {
	op := "open: field " + strconv.Itoa(i)
	if at < uint64(s.lo) || at >= uint64(s.sections) {
		return corrupt(op + ": entry offset out of range")
	}
	r := cursor{b: s.mem, off: int(at), end: s.sections}
	name, ok := r.bytes()
	if !ok {
		return corrupt(op + ": name out of range")
	}
	s.fields[i] = string(name)
	op = "open: field " + quote(s.fields[i])
	if _, dup := s.byName[s.fields[i]]; dup {
		return corrupt(op + ": name repeated")
	}
	s.byName[s.fields[i]] = i
	ns, ok := r.uvarint()
	if !ok || ns > uint64(r.end-r.off)/10 {
		return corrupt(op + ": section list out of range")
	}
	var seen uint64 // section types met, as bits (types above 63 are not checked for repeats)
	for range ns {
		typ := uint64(binary.BigEndian.Uint16(s.mem[r.off:]))
		addr := binary.BigEndian.Uint64(s.mem[r.off+2:])
		r.off += 10
		if typ < 64 {
			if seen&(1<<typ) != 0 {
				return corrupt(op + ": section type " + strconv.FormatUint(typ, 10) + " repeated")
			}
			seen |= 1 << typ
		}
		if addr == 0 {
			continue // the field has no data in this section
		}
		if addr < uint64(s.lo) || addr >= at {
			return corrupt(op + ": section " + strconv.FormatUint(typ, 10) + " offset out of range")
		}
		if typ == sectionInvertedText {
			d, err := s.loadDict(op, i, int(addr), int(at))
			if err != nil {
				return err
			}
			s.dicts[i] = d
		}
	}
	return nil
}

// loadDict reads a field's inverted index section at addr (before the
// field's entry at end): uvarint doc values start and end, uvarint
// dictionary offset; the dictionary is a uvarint length and a vellum FST.
func (s *Segment) loadDict(op string, field, addr, end int) (*Dict, error) {
	r := cursor{b: s.mem, off: addr, end: end}
	dvStart, ok1 := r.uvarint()
	dvEnd, ok2 := r.uvarint()
	dictAt, ok3 := r.uvarint()
	if !ok1 || !ok2 || !ok3 {
		return nil, corrupt(op + ": inverted index section out of range")
	}
	if (dvStart != noDocValues || dvEnd != noDocValues) &&
		(dvStart < uint64(s.lo) || dvStart > dvEnd || dvEnd > uint64(addr)) {
		return nil, corrupt(op + ": doc values out of range")
	}
	if dictAt == 0 {
		return nil, nil // zapx reads this as "no dictionary"
	}
	if dictAt < uint64(s.lo) || dictAt >= uint64(addr) {
		return nil, corrupt(op + ": dictionary offset out of range")
	}
	r = cursor{b: s.mem, off: int(dictAt), end: addr}
	fstBytes, ok := r.bytes()
	if !ok {
		return nil, corrupt(op + ": dictionary out of range")
	}
	fst, err := loadFST(fstBytes, len(s.mem))
	if err != nil {
		return nil, corrupt(op + ": dictionary: " + err.Error())
	}
	return &Dict{s: s, field: s.fields[field], end: int(dictAt), fst: fst}, nil
}

// vellum's v1 layout: a 16-byte header (version, type) and a 16-byte
// footer (number of keys, root address), little-endian uint64s.
const fstHeader, fstFooter = 16, 16

// loadFST checks an FST's header and footer and loads it with vellum.
// The nodes themselves are not checked here: every vellum call is guarded
// (see doc.go).
func loadFST(b []byte, dataLen int) (fst *vellum.FST, err error) {
	if len(b) < fstHeader+fstFooter {
		return nil, errors.New("FST shorter than its header and footer")
	}
	if v := binary.LittleEndian.Uint64(b); v != 1 {
		return nil, errors.New("FST version " + strconv.FormatUint(v, 10) + ", want 1")
	}
	ft := b[len(b)-fstFooter:]
	if n := binary.LittleEndian.Uint64(ft); n > uint64(dataLen) {
		return nil, errors.New("FST claims " + strconv.FormatUint(n, 10) + " keys")
	}
	// Root 0 is vellum's empty final state; others are node addresses
	// (the top byte of a node) between the header and the footer.
	if root := binary.LittleEndian.Uint64(ft[8:]); root != 0 && (root < fstHeader || root >= uint64(len(b)-fstFooter)) {
		return nil, errors.New("FST root out of range")
	}
	err = guard(func() (err error) {
		fst, err = vellum.Load(b)
		return err
	})
	return fst, err
}

// NumDocs returns the number of documents in the segment.
func (s *Segment) NumDocs() int { return int(s.numDocs) }

// Fields returns the segment's field names in its field order ("_id"
// first).
func (s *Segment) Fields() []string { return slices.Clone(s.fields) }

// Dict returns field's dictionary, or nil when the segment has no such
// field or no inverted index for it. Dictionaries are loaded by Open; the
// error is always nil.
func (s *Segment) Dict(field string) (*Dict, error) {
	i, ok := s.byName[field]
	if !ok {
		return nil, nil
	}
	return s.dicts[i], nil
}

// chunkSize returns the number of documents per freq/norm and location
// chunk of a postings list of card documents, as zapx's getChunkSize does
// for the chunk modes it knows; ok is false for an unknown mode or a zero
// size.
func chunkSize(mode uint32, card, numDocs uint64) (uint64, bool) {
	var n uint64
	switch {
	case mode == 0:
		return 0, false
	case mode <= 1024:
		n = uint64(mode)
	case mode == 1025:
		n = 1024
		if card <= 1024 {
			n = numDocs
		}
	case mode == 1026:
		n = numDocs / (card/1024 + 1)
	default:
		return 0, false
	}
	return n, n > 0
}

// cursor reads uvarints and length-prefixed byte strings from b[off:end].
type cursor struct {
	b        []byte
	off, end int
}

func (r *cursor) uvarint() (uint64, bool) {
	// One byte is the common case (positions, frequencies, zero offsets):
	// reading it here makes Postings about 20% faster (BenchmarkPostings).
	if r.off < r.end && r.b[r.off] < 0x80 {
		r.off++
		return uint64(r.b[r.off-1]), true
	}
	v, n := binary.Uvarint(r.b[r.off:r.end])
	if n <= 0 {
		return 0, false
	}
	r.off += n
	return v, true
}

// bytes reads a uvarint length and that many bytes.
func (r *cursor) bytes() ([]byte, bool) {
	n, ok := r.uvarint()
	if !ok || n > uint64(r.end-r.off) {
		return nil, false
	}
	b := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return b, true
}

// quote renders a term for an error message: quoted, control bytes, quote
// and backslash escaped as \xNN, cut after 64 bytes (strconv.Quote would
// link Unicode tables). Not inlined: that saves the engine 4 kB.
//
//go:noinline
func quote(b string) string {
	const hex = "0123456789abcdef"
	const max = 64
	out := make([]byte, 0, len(b)+2)
	out = append(out, '"')
	for i := range len(b) {
		c := b[i]
		if i == max {
			out = append(out, "..."...)
			break
		}
		if c < 0x20 || c == 0x7f || c == '"' || c == '\\' {
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
			continue
		}
		out = append(out, c)
	}
	return string(append(out, '"'))
}

// guard runs f, turning a panic into an error: vellum and roaring index
// into the bytes they are given without checking every offset, and
// recovering is how a crafted FST or bitmap is refused rather than
// crashing the engine.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if g, ok := r.(stop); ok {
				err = errors.New(string(g))
				return
			}
			if r == errState {
				err = errState
				return
			}
			err = errors.New("malformed (decoder panicked)")
		}
	}()
	return f()
}

// stop is what the iteration guard panics with to end a vellum walk that
// exceeds its bounds; guard turns it into an error.
type stop string
