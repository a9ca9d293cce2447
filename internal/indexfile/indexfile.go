// Package indexfile reads and writes Quarry's index file: a small header
// (magic, format version, lengths), binary metadata (language, documents'
// titles and URLs, facet fields, the list of text files), optionally the
// documents' display text inline, one zap v16 segment holding the bleve
// index (postings only: no stored text), and a CRC-32C checksum over
// everything before it.
//
// Layout (integers little-endian):
//
//	offset 0   magic "QUARRYIX" (8 bytes)
//	offset 8   format version (uint32)
//	offset 12  total file length in bytes (uint64)
//	offset 20  metadata length M (uint32)
//	offset 24  inline text length T (uint32; 0 when the text is in separate files)
//	offset 28  positions segment length P (uint32; 0 when absent or separate)
//	offset 32  metadata, binary (M bytes; see meta.go)
//	...        inline text: the text files of Meta.Texts, concatenated (T bytes)
//	...        positions segment: zap, every field with token positions (P bytes)
//	...        zap segment including its footer (the rest)
//	end-4      CRC-32C (Castagnoli) of bytes [0, end-4)
//
// Two segments: token positions of the body take a third of an index, and
// only phrase (and other query-syntax) searches need them. When
// Meta.Positions is set, the main segment has no body positions and the
// positions segment — the same index with them — is inline (P > 0, as
// built) or a separate file fetched for the first query that needs it.
// Inline strips the light segment for indexes shipped whole (small ones,
// the single file): the positions segment becomes the only one.
//
// The documents' display text (for excerpts) lives in text files (see
// text.go): chunks of consecutive documents that a browser fetches only
// for the results it shows. A freshly built index holds them inline;
// Externalize moves them out into separate files.
package indexfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"sync"
)

// Magic opens every Quarry index file.
const Magic = "QUARRYIX"

// Version is the format version this code writes and reads. Version 1
// stored the display text inside the zap segment, version 2 the
// metadata as JSON (see meta.go).
const Version = 3

const headerSize = 8 + 4 + 8 + 4 + 4 + 4

// maxPlausibleVersion separates a future format version from a damaged
// header.
const maxPlausibleVersion = 1 << 16

// maxMetaSize bounds the metadata block a reader accepts.
const maxMetaSize = 1 << 30

// castagnoli is made on first use, not at start-up (every package init
// delays the engine's first answer in a browser).
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// DocMeta is what results show about a document without touching the segment.
type DocMeta struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
	// Sections are the document's headed parts that can be linked to.
	Sections []SectionMeta `json:"sections,omitempty"`
}

// SectionMeta locates a headed section inside a document's body text.
type SectionMeta struct {
	// Anchor is the fragment id of the heading (without '#').
	Anchor string `json:"a"`
	// Heading is the heading's text.
	Heading string `json:"h"`
	// Start is the byte offset in the body where the section begins.
	Start int `json:"s"`
}

// EntityMeta is an entity found in the corpus: its canonical name (the
// value of its facet field), type (the facet field), the other forms it
// was written in, and the ids of the documents mentioning it.
type EntityMeta struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Aliases []string `json:"aliases"`
	Docs    []string `json:"docs"`
}

// Meta is the index file's metadata block.
type Meta struct {
	// Language is the analyzer language the index was built with.
	Language string `json:"language"`
	// DocCount is the number of documents in the segment.
	DocCount int `json:"doc_count"`
	// Docs holds per-document metadata, indexed by segment doc number.
	Docs []DocMeta `json:"docs"`
	// FacetFields lists the keyword fields that can filter and facet.
	FacetFields []string `json:"facet_fields,omitempty"`
	// FieldTokens is the total number of tokens indexed per text field,
	// from which BM25 takes the true average field length.
	FieldTokens map[string]int `json:"field_tokens,omitempty"`
	// TitleBoost and BodyBoost are the query-time field weights.
	TitleBoost float64 `json:"title_boost,omitempty"`
	BodyBoost  float64 `json:"body_boost,omitempty"`
	// Entities lists the entities found at build time (for listing and
	// for the widget's filter labels).
	Entities []EntityMeta `json:"entities,omitempty"`
	// Generator names the program that wrote the file.
	Generator string `json:"generator,omitempty"`
	// Texts lists the text files holding the documents' display text, in
	// document order.
	Texts []TextFile `json:"texts,omitempty"`
	// Positions describes the positions segment when the main segment
	// lacks body positions (nil: the main segment has them).
	Positions *PositionsFile `json:"positions,omitempty"`
}

// PositionsFile describes the positions segment.
type PositionsFile struct {
	// Name is its file name next to the index: "positions.<12 hex>.qzp".
	Name string `json:"-"`
	// Size is its length in bytes.
	Size int `json:"s"`
	// Sum is its CRC-64 (ECMA), in hex (16 digits).
	Sum string `json:"h"`
}

// PositionsExt is the extension of the positions segment's file.
const PositionsExt = ".qzp"

// NewPositionsFile describes seg as a positions segment.
func NewPositionsFile(seg []byte) *PositionsFile {
	h := sumOf(seg)
	return &PositionsFile{Name: "positions." + h[:12] + PositionsExt, Size: len(seg), Sum: h}
}

// Check verifies that data is the positions segment p describes.
func (p *PositionsFile) Check(data []byte) error {
	if len(data) != p.Size {
		return fmt.Errorf("%w: %s has %d bytes, the index expects %d", ErrText, p.Name, len(data), p.Size)
	}
	if sumOf(data) != p.Sum {
		return fmt.Errorf("%w: %s fails its checksum (CRC-64)", ErrText, p.Name)
	}
	return nil
}

// Sentinel errors, matched with errors.Is, each with a message a person
// can act on.
var (
	ErrNotIndex  = errors.New("not a Quarry index file (wrong magic bytes)")
	ErrVersion   = errors.New("index format version not supported by this Quarry: rebuild the index with this version")
	ErrTruncated = errors.New("index file is truncated: rebuild or re-download it")
	ErrChecksum  = errors.New("index file is corrupt (checksum mismatch): rebuild or re-download it")
	ErrCorrupt   = errors.New("index file is corrupt")
)

// Encode assembles an index file from its metadata, inline text (the
// concatenated text files of meta.Texts, or nil when they are separate
// files), inline positions segment (or nil) and zap segment bytes.
func Encode(meta *Meta, text, positions, segment []byte) ([]byte, error) {
	mj := encodeMeta(meta)
	if len(text) > 0 {
		n := 0
		for _, t := range meta.Texts {
			n += t.Size
		}
		if n != len(text) {
			return nil, fmt.Errorf("encode: inline text of %d bytes, text files add up to %d", len(text), n)
		}
	}
	if len(positions) > 0 && (meta.Positions == nil || meta.Positions.Size != len(positions)) {
		return nil, fmt.Errorf("encode: inline positions segment not described in the metadata")
	}
	total := headerSize + len(mj) + len(text) + len(positions) + len(segment) + 4
	out := make([]byte, 0, total)
	out = append(out, Magic...)
	out = binary.LittleEndian.AppendUint32(out, Version)
	out = binary.LittleEndian.AppendUint64(out, uint64(total))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(mj)))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(text)))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(positions)))
	out = append(out, mj...)
	out = append(out, text...)
	out = append(out, positions...)
	out = append(out, segment...)
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli()))
	return out, nil
}

// File is a decoded index file. Text and Segment alias the input bytes.
type File struct {
	Meta Meta
	// Text is the inline text (the text files concatenated), or nil when
	// the text files are separate.
	Text []byte
	// Positions is the inline positions segment, or nil.
	Positions []byte
	Segment   []byte
}

// Decode checks and splits an index file. It refuses, in this order, a
// wrong magic, an unsupported version, a truncated or over-long file, a
// bad checksum and malformed metadata, each with its own error.
func Decode(data []byte) (*File, error) {
	if len(data) < len(Magic) || !bytes.Equal(data[:len(Magic)], []byte(Magic)) {
		return nil, ErrNotIndex
	}
	if len(data) < headerSize+4 {
		return nil, fmt.Errorf("%w (%d bytes, header alone needs %d)", ErrTruncated, len(data), headerSize+4)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v > maxPlausibleVersion {
		return nil, fmt.Errorf("%w: header damaged (version field %d)", ErrCorrupt, v)
	} else if v < Version {
		return nil, fmt.Errorf("%w (it was built by an older Quarry: format %d, this one reads format %d)", ErrVersion, v, Version)
	} else if v != Version {
		return nil, fmt.Errorf("%w (file has version %d, this Quarry reads version %d)", ErrVersion, v, Version)
	}
	total := binary.LittleEndian.Uint64(data[12:])
	if uint64(len(data)) < total {
		return nil, fmt.Errorf("%w (%d of %d bytes)", ErrTruncated, len(data), total)
	}
	if uint64(len(data)) > total {
		return nil, fmt.Errorf("%w (%d bytes of trailing garbage)", ErrCorrupt, uint64(len(data))-total)
	}
	body := data[:len(data)-4]
	if got, want := crc32.Checksum(body, castagnoli()), binary.LittleEndian.Uint32(data[len(data)-4:]); got != want {
		return nil, fmt.Errorf("%w (crc32c %08x, expected %08x)", ErrChecksum, got, want)
	}
	ml := uint64(binary.LittleEndian.Uint32(data[20:]))
	tl := uint64(binary.LittleEndian.Uint32(data[24:]))
	pl := uint64(binary.LittleEndian.Uint32(data[28:]))
	if ml > maxMetaSize || headerSize+ml > uint64(len(body)) {
		return nil, fmt.Errorf("%w: metadata length %d out of range", ErrCorrupt, ml)
	}
	if headerSize+ml+tl > uint64(len(body)) {
		return nil, fmt.Errorf("%w: inline text length %d out of range", ErrCorrupt, tl)
	}
	if headerSize+ml+tl+pl > uint64(len(body)) {
		return nil, fmt.Errorf("%w: positions segment length %d out of range", ErrCorrupt, pl)
	}
	f := &File{Segment: body[headerSize+ml+tl+pl:]}
	if tl > 0 {
		f.Text = body[headerSize+ml : headerSize+ml+tl]
	}
	if pl > 0 {
		f.Positions = body[headerSize+ml+tl : headerSize+ml+tl+pl]
	}
	meta, err := decodeMeta(body[headerSize : headerSize+ml])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	f.Meta = meta
	if f.Meta.DocCount != len(f.Meta.Docs) {
		return nil, fmt.Errorf("%w: metadata lists %d documents, header says %d", ErrCorrupt, len(f.Meta.Docs), f.Meta.DocCount)
	}
	if err := checkTexts(f.Meta.Texts, f.Meta.DocCount, f.Text); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if p := f.Meta.Positions; p != nil {
		if len(p.Sum) != sumHexLen {
			return nil, fmt.Errorf("%w: positions segment checksum %q", ErrCorrupt, p.Sum)
		}
		p.Name = "positions." + p.Sum[:12] + PositionsExt
		if pl > 0 && uint64(p.Size) != pl {
			return nil, fmt.Errorf("%w: positions segment of %d bytes, metadata says %d", ErrCorrupt, pl, p.Size)
		}
	} else if pl > 0 {
		return nil, fmt.Errorf("%w: positions segment not described in the metadata", ErrCorrupt)
	}
	return f, nil
}
