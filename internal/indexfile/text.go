package indexfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc64"
	"strconv"
	"sync"
)

// A text file holds the display text (the body used for excerpts) of a run
// of consecutive documents. Layout (integers little-endian):
//
//	offset 0   magic "QUARRYTX" (8 bytes)
//	offset 8   format version (uint32, = Version)
//	offset 12  first document number (uint32)
//	offset 16  number of documents N (uint32)
//	offset 20  N times: uvarint byte length, UTF-8 text
//
// The index lists every text file with its size and CRC-64, so a file
// that was damaged, truncated, swapped or left over from another build is
// refused before it is read.

// TextMagic opens every text file.
const TextMagic = "QUARRYTX"

const textHeaderSize = 8 + 4 + 4 + 4

// TextExt is the extension of text file names.
const TextExt = ".qtx"

// DefaultTextChunk is the raw size a text file is filled up to (a single
// document may overshoot it). Smaller files mean fewer bytes fetched for
// the results shown, larger ones compress better and make the index's
// list of files shorter. Measured on Cranfield (1398 documents, first
// query "boundary layer transition", 10 results, brotli): 2 kB files
// fetch 4.8 kB of text, 4 kB 11.4 kB, 8 kB 22.4 kB, 16 kB 35.6 kB, 32 kB
// 68.2 kB, while the index grows by a few kB per halving; 4 kB gives the
// smallest cold first query.
const DefaultTextChunk = 4 << 10

// TextFile describes one text file in the metadata. Only Count, Size and
// Sum are stored (this list has an entry per few kB of text, so it is kept
// small); Name and First follow from them.
type TextFile struct {
	// Name is the file's name, next to the index file:
	// "text.<first 12 hex digits of Sum>.qtx".
	Name string `json:"-"`
	// First is the first document number the file holds.
	First int `json:"-"`
	// Count is the number of documents it holds.
	Count int `json:"c"`
	// Size is the file's length in bytes.
	Size int `json:"s"`
	// Sum is the file's CRC-64 (ECMA), in hex (16 digits).
	Sum string `json:"h"`
}

// sumHexLen is the length of TextFile.Sum.
const sumHexLen = 16

func textName(sum string) string { return "text." + sum[:12] + TextExt }

// fillTexts derives the Name and First of every text file.
func fillTexts(ts []TextFile) error {
	first := 0
	for i := range ts {
		if len(ts[i].Sum) != sumHexLen {
			return fmt.Errorf("text file %d: checksum %q is not %d hex digits", i, ts[i].Sum, sumHexLen)
		}
		ts[i].Name, ts[i].First = textName(ts[i].Sum), first
		first += ts[i].Count
	}
	return nil
}

// sumOf is a file's checksum: CRC-64 (ECMA), in hex. It names the file
// (so a changed file gets a new name, and caches never serve a stale one)
// and catches damage; the files come from the same place as the index,
// so it need not resist forgery. (SHA-256, in format 2, linked Go's FIPS
// module into quarry.wasm: about 15 kB of brotli for AES, SHA-3 and the
// rest, which nothing else uses.)
func sumOf(b []byte) string {
	return strconv.FormatUint(crc64.Checksum(b, crcTable())|1<<63, 16)
}

var crcTable = sync.OnceValue(func() *crc64.Table { return crc64.MakeTable(crc64.ECMA) })

// ErrText marks every problem with a text file.
var ErrText = errors.New("document text file is damaged or does not belong to this index")

// EncodeTexts splits texts (one per document, in document order) into
// text files of about chunk raw bytes each (DefaultTextChunk when chunk
// <= 0) and returns their descriptions and their bytes concatenated.
func EncodeTexts(texts []string, chunk int) ([]TextFile, []byte) {
	if chunk <= 0 {
		chunk = DefaultTextChunk
	}
	var files []TextFile
	var all []byte
	for first := 0; first < len(texts); {
		end, size := first, 0
		for end < len(texts) && (end == first || size+len(texts[end]) <= chunk) {
			size += len(texts[end])
			end++
		}
		b := make([]byte, 0, textHeaderSize+size+4*(end-first))
		b = append(b, TextMagic...)
		b = binary.LittleEndian.AppendUint32(b, Version)
		b = binary.LittleEndian.AppendUint32(b, uint32(first))
		b = binary.LittleEndian.AppendUint32(b, uint32(end-first))
		for _, t := range texts[first:end] {
			b = binary.AppendUvarint(b, uint64(len(t)))
			b = append(b, t...)
		}
		h := sumOf(b)
		files = append(files, TextFile{Name: textName(h), First: first, Count: end - first, Size: len(b), Sum: h})
		all = append(all, b...)
		first = end
	}
	return files, all
}

// DecodeText checks data against its description tf and returns the
// texts of documents tf.First .. tf.First+tf.Count-1.
func DecodeText(tf TextFile, data []byte) ([]string, error) {
	return decodeText(tf, data, true)
}

// DecodeInlineText is DecodeText for a text file held inside an index
// file whose checksum was verified: its own checksum is not computed
// again (its structure still is).
func DecodeInlineText(tf TextFile, data []byte) ([]string, error) {
	return decodeText(tf, data, false)
}

func decodeText(tf TextFile, data []byte, sum bool) ([]string, error) {
	if len(data) != tf.Size {
		if len(data) >= len(TextMagic) && !bytes.Equal(data[:len(TextMagic)], []byte(TextMagic)) {
			return nil, fmt.Errorf("%w: %s is not a Quarry text file", ErrText, tf.Name)
		}
		return nil, fmt.Errorf("%w: %s has %d bytes, the index expects %d", ErrText, tf.Name, len(data), tf.Size)
	}
	if sum && sumOf(data) != tf.Sum {
		return nil, fmt.Errorf("%w: %s fails its checksum (CRC-64)", ErrText, tf.Name)
	}
	if len(data) < textHeaderSize || !bytes.Equal(data[:len(TextMagic)], []byte(TextMagic)) {
		return nil, fmt.Errorf("%w: %s is not a Quarry text file", ErrText, tf.Name)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != Version {
		return nil, fmt.Errorf("%w: %s has format %d, the index %d", ErrText, tf.Name, v, Version)
	}
	first, n := int(binary.LittleEndian.Uint32(data[12:])), int(binary.LittleEndian.Uint32(data[16:]))
	if first != tf.First || n != tf.Count {
		return nil, fmt.Errorf("%w: %s holds documents %d+%d, the index expects %d+%d", ErrText, tf.Name, first, n, tf.First, tf.Count)
	}
	out := make([]string, 0, n)
	rest := data[textHeaderSize:]
	for i := 0; i < n; i++ {
		l, k := binary.Uvarint(rest)
		if k <= 0 || l > uint64(len(rest)-k) {
			return nil, fmt.Errorf("%w: %s: document %d runs past the end", ErrText, tf.Name, first+i)
		}
		out = append(out, string(rest[k:k+int(l)]))
		rest = rest[k+int(l):]
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %s: %d bytes after the last document", ErrText, tf.Name, len(rest))
	}
	return out, nil
}

// checkTexts completes the text files' descriptions and verifies that
// they cover documents 0..docs-1 in order and, when the text is inline,
// that it has their total size.
func checkTexts(ts []TextFile, docs int, inline []byte) error {
	if err := fillTexts(ts); err != nil {
		return err
	}
	if len(ts) == 0 {
		if len(inline) > 0 {
			return fmt.Errorf("inline text but no text files listed")
		}
		return nil
	}
	next, size := 0, 0
	for _, t := range ts {
		if t.First != next || t.Count <= 0 || t.Size < textHeaderSize || t.Name == "" {
			return fmt.Errorf("text file %q: documents %d+%d, expected to start at %d", t.Name, t.First, t.Count, next)
		}
		next += t.Count
		size += t.Size
	}
	if next != docs {
		return fmt.Errorf("text files cover %d documents, the index has %d", next, docs)
	}
	if len(inline) > 0 && len(inline) != size {
		return fmt.Errorf("inline text has %d bytes, text files add up to %d", len(inline), size)
	}
	return nil
}

// InlineTexts splits a decoded file's inline text into its text files,
// by name; nil when the text is not inline.
func (f *File) InlineTexts() map[string][]byte {
	if len(f.Text) == 0 {
		return nil
	}
	out := make(map[string][]byte, len(f.Meta.Texts))
	at := 0
	for _, t := range f.Meta.Texts {
		out[t.Name] = f.Text[at : at+t.Size]
		at += t.Size
	}
	return out
}

// Externalize returns the index file data with its inline text and
// positions segment removed, and the files that held them, by name (the
// text files and the positions segment's file). An index whose parts are
// already separate comes back unchanged with no files.
func Externalize(data []byte) ([]byte, map[string][]byte, error) {
	f, err := Decode(data)
	if err != nil {
		return nil, nil, err
	}
	files := f.InlineTexts()
	if f.Positions != nil {
		if files == nil {
			files = map[string][]byte{}
		}
		files[f.Meta.Positions.Name] = f.Positions
	}
	if files == nil {
		return data, nil, nil
	}
	out, err := Encode(&f.Meta, nil, nil, f.Segment)
	if err != nil {
		return nil, nil, err
	}
	return out, files, nil
}

// Inline returns the index file data as shipped whole: the text stays
// inline and the positions segment, when inline, becomes the only segment
// (the light one, a subset of it, is dropped).
func Inline(data []byte) ([]byte, error) {
	f, err := Decode(data)
	if err != nil {
		return nil, err
	}
	if f.Positions == nil {
		return data, nil
	}
	f.Meta.Positions = nil
	return Encode(&f.Meta, f.Text, nil, f.Positions)
}
