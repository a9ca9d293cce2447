package indexfile

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strconv"
)

// The metadata block is binary (format 3; format 2 held JSON): the
// browser engine would otherwise link encoding/json, about 120 kB of
// brotli in quarry.wasm, to read it. Layout, integers as unsigned
// varints, strings as a varint length and UTF-8 bytes:
//
//	language, generator (strings)
//	title boost, body boost (float64 bits, 8 bytes little-endian each)
//	facet fields: count, strings
//	field tokens: count, then (field string, tokens) sorted by field
//	documents: count, then per document id, title, url and its
//	  sections: count, then (anchor, heading, start)
//	entities: count, then (name, type, aliases: count + strings,
//	  document ids: count + strings)
//	text files: count, then (documents, size, 8-byte checksum)
//	positions segment: 0, or 1 followed by (size, 8-byte checksum)
//
// Every count is checked against the bytes left before anything is
// allocated for it, so damaged metadata cannot ask for more memory than
// its own size.

// encodeMeta writes m's binary form.
func encodeMeta(m *Meta) []byte {
	w := &metaWriter{}
	w.str(m.Language)
	w.str(m.Generator)
	w.f64(m.TitleBoost)
	w.f64(m.BodyBoost)
	w.strs(m.FacetFields)
	fields := make([]string, 0, len(m.FieldTokens))
	for f := range m.FieldTokens {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	w.uint(uint64(len(fields)))
	for _, f := range fields {
		w.str(f)
		w.uint(uint64(m.FieldTokens[f]))
	}
	w.uint(uint64(len(m.Docs)))
	for _, d := range m.Docs {
		w.str(d.ID)
		w.str(d.Title)
		w.str(d.URL)
		w.uint(uint64(len(d.Sections)))
		for _, s := range d.Sections {
			w.str(s.Anchor)
			w.str(s.Heading)
			w.uint(uint64(s.Start))
		}
	}
	w.uint(uint64(len(m.Entities)))
	for _, e := range m.Entities {
		w.str(e.Name)
		w.str(e.Type)
		w.strs(e.Aliases)
		w.strs(e.Docs)
	}
	w.uint(uint64(len(m.Texts)))
	for _, t := range m.Texts {
		w.uint(uint64(t.Count))
		w.uint(uint64(t.Size))
		w.sum(t.Sum)
	}
	if p := m.Positions; p != nil {
		w.uint(1)
		w.uint(uint64(p.Size))
		w.sum(p.Sum)
	} else {
		w.uint(0)
	}
	return w.b
}

type metaWriter struct{ b []byte }

func (w *metaWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *metaWriter) str(s string)  { w.uint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *metaWriter) f64(f float64) { w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(f)) }
func (w *metaWriter) strs(ss []string) {
	w.uint(uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

// sum writes a checksum given in hex (sumHexLen digits) as its bytes.
func (w *metaWriter) sum(h string) {
	var b [sumHexLen / 2]byte
	for i := range b {
		v, _ := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		b[i] = byte(v)
	}
	w.b = append(w.b, b[:]...)
}

// decodeMeta reads the binary metadata.
func decodeMeta(b []byte) (Meta, error) {
	r := &metaReader{b: b}
	var m Meta
	m.Language = r.str()
	m.Generator = r.str()
	m.TitleBoost = r.f64()
	m.BodyBoost = r.f64()
	m.FacetFields = r.strs()
	if n := r.count(2); n > 0 {
		m.FieldTokens = make(map[string]int, n)
		for i := 0; i < n; i++ {
			f := r.str()
			m.FieldTokens[f] = r.int()
		}
	}
	n := r.count(4)
	m.Docs = make([]DocMeta, n)
	for i := range m.Docs {
		d := &m.Docs[i]
		d.ID, d.Title, d.URL = r.str(), r.str(), r.str()
		if k := r.count(3); k > 0 {
			d.Sections = make([]SectionMeta, k)
			for j := range d.Sections {
				d.Sections[j] = SectionMeta{Anchor: r.str(), Heading: r.str(), Start: r.int()}
			}
		}
	}
	m.DocCount = len(m.Docs)
	if k := r.count(4); k > 0 {
		m.Entities = make([]EntityMeta, k)
		for i := range m.Entities {
			e := &m.Entities[i]
			e.Name, e.Type = r.str(), r.str()
			e.Aliases, e.Docs = r.strs(), r.strs()
			if e.Aliases == nil {
				e.Aliases = []string{}
			}
		}
	}
	if k := r.count(2 + sumHexLen/2); k > 0 {
		m.Texts = make([]TextFile, k)
		for i := range m.Texts {
			m.Texts[i] = TextFile{Count: r.int(), Size: r.int(), Sum: r.sum()}
		}
	}
	if r.uint() == 1 {
		m.Positions = &PositionsFile{Size: r.int(), Sum: r.sum()}
	}
	if r.err != nil {
		return Meta{}, r.err
	}
	if r.i != len(r.b) {
		return Meta{}, errors.New("metadata: " + strconv.Itoa(len(r.b)-r.i) + " bytes after the end")
	}
	return m, nil
}

var errMetaShort = errors.New("metadata: truncated or malformed")

type metaReader struct {
	b   []byte
	i   int
	err error
}

func (r *metaReader) uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.err = errMetaShort
		return 0
	}
	r.i += n
	return v
}

// int reads a varint that must fit an int31 (lengths, offsets, counts).
func (r *metaReader) int() int {
	v := r.uint()
	if v > math.MaxInt32 {
		r.fail()
		return 0
	}
	return int(v)
}

// count reads the length of a list whose entries take at least min
// bytes each, refusing one the remaining bytes cannot hold.
func (r *metaReader) count(min int) int {
	n := r.uint()
	if r.err == nil && n > uint64((len(r.b)-r.i)/min) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *metaReader) fail() {
	if r.err == nil {
		r.err = errMetaShort
	}
}

func (r *metaReader) str() string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.b)-r.i) {
		r.fail()
		return ""
	}
	s := string(r.b[r.i : r.i+int(n)])
	r.i += int(n)
	return s
}

func (r *metaReader) strs() []string {
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

func (r *metaReader) f64() float64 {
	if r.err != nil || len(r.b)-r.i < 8 {
		r.fail()
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b[r.i:]))
	r.i += 8
	return v
}

const hexDigits = "0123456789abcdef"

func (r *metaReader) sum() string {
	const n = sumHexLen / 2
	if r.err != nil || len(r.b)-r.i < n {
		r.fail()
		return ""
	}
	out := make([]byte, 0, sumHexLen)
	for _, c := range r.b[r.i : r.i+n] {
		out = append(out, hexDigits[c>>4], hexDigits[c&15])
	}
	r.i += n
	return string(out)
}

// MetaPart is one share of the metadata block, for size breakdowns.
type MetaPart struct {
	Name string
	Data []byte
}

// MetaParts encodes m's pieces separately, as the metadata block holds
// them (documents split into their ids, titles, URLs and sections), so
// each can be measured and compressed on its own. Their sizes add up to
// the block's within a few bytes of counts.
func MetaParts(m *Meta) []MetaPart {
	piece := func(name string, fill func(w *metaWriter)) MetaPart {
		w := &metaWriter{}
		fill(w)
		return MetaPart{name, w.b}
	}
	docs := func(name string, get func(d DocMeta, w *metaWriter)) MetaPart {
		return piece("docs."+name, func(w *metaWriter) {
			for _, d := range m.Docs {
				get(d, w)
			}
		})
	}
	all := encodeMeta(&Meta{Language: m.Language, Generator: m.Generator, TitleBoost: m.TitleBoost, BodyBoost: m.BodyBoost})
	return []MetaPart{
		{"language, generator, boosts", all},
		piece("facet fields", func(w *metaWriter) { w.strs(m.FacetFields) }),
		piece("field tokens", func(w *metaWriter) {
			for f, n := range m.FieldTokens {
				w.str(f)
				w.uint(uint64(n))
			}
		}),
		docs("id", func(d DocMeta, w *metaWriter) { w.str(d.ID) }),
		docs("title", func(d DocMeta, w *metaWriter) { w.str(d.Title) }),
		docs("url", func(d DocMeta, w *metaWriter) { w.str(d.URL) }),
		docs("sections", func(d DocMeta, w *metaWriter) {
			w.uint(uint64(len(d.Sections)))
			for _, s := range d.Sections {
				w.str(s.Anchor)
				w.str(s.Heading)
				w.uint(uint64(s.Start))
			}
		}),
		piece("entities", func(w *metaWriter) {
			for _, e := range m.Entities {
				w.str(e.Name)
				w.str(e.Type)
				w.strs(e.Aliases)
				w.strs(e.Docs)
			}
		}),
		piece("text files", func(w *metaWriter) {
			for _, t := range m.Texts {
				w.uint(uint64(t.Count))
				w.uint(uint64(t.Size))
				w.sum(t.Sum)
			}
		}),
	}
}
