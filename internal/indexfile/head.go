package indexfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"slices"
	"strconv"

	"github.com/quarry-search/quarry/internal/errs"
)

// Magic opens every Quarry index file.
const Magic = "QUARRYIX"

// Version is the format version this code writes and reads. Version 1
// stored the display text inside a zap segment, versions 2 and 3 shipped
// whole zap segments (JSON, then binary metadata), version 4 listed a
// CRC-64 per text file in the head (now one text set for all).
const Version = 5

const headerSize = 8 + 4 + 8 + 4 + 8

// maxPlausibleVersion separates a future format version from a damaged
// header.
const maxPlausibleVersion = 1 << 16

// Sentinel errors, matched with errors.Is, each with a message a person
// can act on.
var (
	ErrNotIndex  = errors.New("not a Quarry index file (wrong magic bytes)")
	ErrVersion   = errors.New("index format version not supported by this Quarry: rebuild the index with this version")
	ErrTruncated = errors.New("index file is truncated: rebuild or re-download it")
	ErrChecksum  = errors.New("index file is corrupt (checksum mismatch): rebuild or re-download it")
	ErrCorrupt   = errors.New("index file is corrupt")
	// ErrText marks every problem with a file the head lists (a part, a
	// positions part, a text file).
	ErrText = errors.New("a file of the index is damaged or does not belong to it")
)

// FileRef names a file the head lists, with its size and checksum.
type FileRef struct {
	// Name is the file's name, next to the index: "<kind>.<12 hex>.<ext>".
	Name string
	// Size is its length in bytes (0: the file does not exist).
	Size int
	// Sum is its CRC-64 (ECMA), in hex; empty for a text file, which
	// checks itself against the head's text set.
	Sum string
	set string // a text file's text set
}

// Check verifies that data is the file r describes.
func (r FileRef) Check(data []byte) error {
	if len(data) != r.Size {
		return errs.Wrap(ErrText.Error()+": "+r.Name+" has "+errs.I(len(data))+" bytes, the index expects "+errs.I(r.Size), ErrText)
	}
	if r.set != "" {
		return checkText(r.Name, r.set, data)
	}
	if sumOf(data) != r.Sum {
		return errs.Wrap(ErrText.Error()+": "+r.Name+" fails its checksum (CRC-64)", ErrText)
	}
	return nil
}

// File extensions.
const (
	PartExt      = ".qpt"
	PositionsExt = ".qps"
	TextExt      = ".qtx"
)

func fileRef(kind, ext string, data []byte) FileRef {
	s := sumOf(data)
	return FileRef{Name: kind + "." + s[:12] + ext, Size: len(data), Sum: s}
}

// FieldHead is what the head holds about a text field.
type FieldHead struct {
	Name      string
	Positions bool
	// Lengths holds each document's number of tokens in the field.
	Lengths []uint32
	// Dict and DictDF are the expansion dictionary: terms, ascending, and
	// the number of documents having each.
	Dict   []string
	DictDF []uint32
	// DictMinDF is the fewest documents a term has to be in Dict: 1 when
	// Dict holds every term of the field, so a term absent from it is
	// absent from the index.
	DictMinDF int
}

// TextFile describes one text file: documents First .. First+Count-1.
type TextFile struct {
	FileRef
	First, Count int
}

// Head is a decoded index head.
type Head struct {
	Language, Generator   string
	TitleBoost, BodyBoost float64
	DocCount              int
	Fields                []FieldHead
	Facets                []Facet
	// Bounds[i] is the first term of part i's range (Bounds[0] is "").
	Bounds []string
	// Parts[i] is part i's file; PosParts[i] its positions part (Size 0
	// when its range has no positions).
	Parts, PosParts []FileRef
	Texts           []TextFile
	// TextSet is the CRC-64 of every text file's documents, in hex: the
	// text files' names derive from it (see text.go).
	TextSet string

	inline []byte // the inline files, or nil when they are separate
}

// FacetFields lists the names of the facets.
func (h *Head) FacetFields() []string {
	out := make([]string, len(h.Facets))
	for i, f := range h.Facets {
		out[i] = f.Field
	}
	return out
}

// FieldTokens returns the total number of tokens per field (facet values
// count one each), from which BM25 takes average field lengths.
func (h *Head) FieldTokens() map[string]int {
	out := make(map[string]int, len(h.Fields)+len(h.Facets))
	for _, f := range h.Fields {
		out[f.Name] = total(f.Lengths)
	}
	for _, f := range h.Facets {
		n := 0
		for _, v := range f.Values {
			n += len(v.Docs)
		}
		if n > 0 {
			out[f.Field] = n
		}
	}
	return out
}

// total returns the sum of ls (out of line, see uint32s: FieldTokens was
// inlined into engine.Open, whose 6 kB V8 then recompiled for a loop
// over every document).
//
//go:noinline
func total(ls []uint32) int {
	n := 0
	for _, l := range ls {
		n += int(l)
	}
	return n
}

// PartOf returns the part whose range holds term.
func (h *Head) PartOf(term string) int {
	i, found := slices.BinarySearch(h.Bounds, term)
	if found {
		return i
	}
	return i - 1
}

// Inline returns the files held inside the head, by name (nil when they
// are separate).
func (h *Head) Inline() map[string][]byte {
	if h.inline == nil {
		return nil
	}
	out := map[string][]byte{}
	at := 0
	for _, r := range h.files() {
		out[r.Name] = h.inline[at : at+r.Size : at+r.Size]
		at += r.Size
	}
	return out
}

// FileNames lists the names of the files the head lists, in order.
func (h *Head) FileNames() []string {
	fs := h.files()
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

// files lists every file the head names, in inline order.
func (h *Head) files() []FileRef {
	var out []FileRef
	out = append(out, h.Parts...)
	for _, p := range h.PosParts {
		if p.Size > 0 {
			out = append(out, p)
		}
	}
	for _, t := range h.Texts {
		out = append(out, t.FileRef)
	}
	return out
}

// Options configure Encode.
type Options struct {
	// TextChunk is the raw size text files are filled up to
	// (DefaultTextChunk when 0).
	TextChunk int
	// PartSize is the raw size of postings a part is filled up to
	// (DefaultPartSize when 0).
	PartSize int
}

// DefaultPartSize is the raw size of postings a part holds. Measured on
// the PHP manual (10,872 pages): 96 kB raw parts compress to 30-60 kB of
// brotli, the range the issue asked for; a two-word query fetched two.
const DefaultPartSize = 96 << 10

// Encode writes idx as one self-contained index file: the head with every
// part, positions part and text file inline (EncodeIndex(idx).Whole()).
func Encode(idx *Index, opts Options) ([]byte, error) {
	e, err := EncodeIndex(idx, opts)
	if err != nil {
		return nil, err
	}
	return e.Whole(), nil
}

func encodeHead(h *Head, inline []byte) []byte {
	return encodeFile(encodeMeta(h), [][]byte{inline})
}

// encodeFile writes an index file of the metadata meta followed by the
// inline files (none for a head alone), allocated once.
func encodeFile(meta []byte, inline [][]byte) []byte {
	n := 0
	for _, f := range inline {
		n += len(f)
	}
	total := headerSize + len(meta) + n + 4
	out := make([]byte, 0, total)
	out = append(out, Magic...)
	out = binary.LittleEndian.AppendUint32(out, Version)
	out = binary.LittleEndian.AppendUint64(out, uint64(total))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(meta)))
	out = binary.LittleEndian.AppendUint64(out, uint64(n))
	out = append(out, meta...)
	for _, f := range inline {
		out = append(out, f...)
	}
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli()))
}

// Decode checks and reads an index head. It refuses, in this order, a
// wrong magic, an unsupported version, a truncated or over-long file, a
// bad checksum and malformed metadata, each with its own error.
func Decode(data []byte) (*Head, error) {
	if len(data) < len(Magic) || !bytes.Equal(data[:len(Magic)], []byte(Magic)) {
		return nil, ErrNotIndex
	}
	if len(data) < headerSize+4 {
		return nil, errs.Wrap(ErrTruncated.Error()+" ("+errs.I(len(data))+" bytes, header alone needs "+errs.I(headerSize+4)+")", ErrTruncated)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v > maxPlausibleVersion {
		return nil, errs.Wrap(ErrCorrupt.Error()+": header damaged (version field "+errs.I(v)+")", ErrCorrupt)
	} else if v < Version {
		return nil, errs.Wrap(ErrVersion.Error()+" (it was built by an older Quarry: format "+errs.I(v)+", this one reads format "+errs.I(Version)+")", ErrVersion)
	} else if v != Version {
		return nil, errs.Wrap(ErrVersion.Error()+" (file has version "+errs.I(v)+", this Quarry reads version "+errs.I(Version)+")", ErrVersion)
	}
	total := binary.LittleEndian.Uint64(data[12:])
	if uint64(len(data)) < total {
		return nil, errs.Wrap(ErrTruncated.Error()+" ("+errs.I(len(data))+" of "+errs.I(total)+" bytes)", ErrTruncated)
	}
	if uint64(len(data)) > total {
		return nil, errs.Wrap(ErrCorrupt.Error()+" ("+errs.I(uint64(len(data))-total)+" bytes of trailing garbage)", ErrCorrupt)
	}
	body := data[:len(data)-4]
	if got, want := crc32.Checksum(body, castagnoli()), binary.LittleEndian.Uint32(data[len(data)-4:]); got != want {
		return nil, errs.Wrap(ErrChecksum.Error()+" (crc32c "+errs.Hex8(got)+", expected "+errs.Hex8(want)+")", ErrChecksum)
	}
	ml := uint64(binary.LittleEndian.Uint32(data[20:]))
	il := binary.LittleEndian.Uint64(data[24:])
	if headerSize+ml > uint64(len(body)) || il != uint64(len(body))-headerSize-ml {
		return nil, errs.Wrap(ErrCorrupt.Error()+": metadata length "+errs.I(ml)+" and inline length "+errs.I(il)+" do not add up to the file", ErrCorrupt)
	}
	h, err := decodeMeta(body[headerSize : headerSize+ml])
	if err != nil {
		return nil, errs.Wrap(ErrCorrupt.Error()+": metadata: "+err.Error(), ErrCorrupt)
	}
	if il > 0 {
		n := 0
		for _, r := range h.files() {
			n += r.Size
		}
		if uint64(n) != il {
			return nil, errs.Wrap(ErrCorrupt.Error()+": inline files of "+errs.I(il)+" bytes, the metadata lists "+errs.I(n), ErrCorrupt)
		}
		h.inline = body[headerSize+ml:]
	}
	return h, nil
}

// Externalize returns the head of the index file data without its inline
// files, and those files by name (none when they are already separate),
// with the rest bundle when the index has one (see Head.Rest).
func Externalize(data []byte) ([]byte, map[string][]byte, error) {
	h, err := Decode(data)
	if err != nil {
		return nil, nil, err
	}
	files := h.Inline()
	if files == nil {
		return data, nil, nil
	}
	if name := h.restName(); name != "" {
		files[name] = h.joinRest(func(n string) []byte { return files[n] })
	}
	return encodeHead(h, nil), files, nil
}

// Inline returns the index file data with every file inline; files must
// hold the separate files by name (nil when data is already whole).
func Inline(data []byte, files map[string][]byte) ([]byte, error) {
	h, err := Decode(data)
	if err != nil {
		return nil, err
	}
	if h.inline != nil {
		return data, nil
	}
	var inline []byte
	for _, r := range h.files() {
		b, ok := files[r.Name]
		if !ok {
			return nil, errors.New("inline: " + r.Name + " missing")
		}
		if err := r.Check(b); err != nil {
			return nil, err
		}
		inline = append(inline, b...)
	}
	return encodeHead(h, inline), nil
}

func itoa(i int) string { return strconv.Itoa(i) }
