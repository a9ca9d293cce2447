package indexfile

import (
	"bytes"
	"encoding/binary"
	"hash/crc64"

	"github.com/quarry-search/quarry/internal/errs"
)

// A text file holds what results show about a run of consecutive
// documents — id, title, URL, headed sections and the body excerpts are
// cut from — so that a page fetches only those of the results it shows
// (Pagefind's per-page fragments do the same job). Layout (integers
// little-endian):
//
//	offset 0   magic "QUARRYTX" (8 bytes)
//	offset 8   format version (uint32, = Version)
//	offset 12  the index's text set (8 bytes: see below)
//	offset 20  first document number (uint32)
//	offset 24  number of documents N (uint32)
//	offset 28  N times: id, title, URL (strings), sections (count, then
//	           anchor, heading and start offset), body (string)
//	end-8      CRC-64 (ECMA) of bytes [0, end-8)
//
// Strings are a varint length and UTF-8.
//
// The head lists text files by size and document count only, plus one
// text set for all of them: the CRC-64 of every file's documents, in
// order. A file's name is derived from the set and its number, so a
// changed text renames every text file (as it renames the head), and a
// file checks itself: its own CRC-64 catches damage, its set a file left
// over from another build. Measured on the first 10,000 pages of the PHP
// manual: a CRC-64 per file in the head (the format before) took 30 of
// the head's 80 kB of brotli, growing with the site.

// TextMagic opens every text file.
const TextMagic = "QUARRYTX"

const (
	textHeaderSize  = 8 + 4 + 8 + 4 + 4
	textTrailerSize = 8
)

// DefaultTextChunk is the raw size a text file is filled up to (a single
// document may overshoot it). Smaller files mean fewer bytes fetched for
// the results shown, larger ones compress better and make the head's
// list of files shorter. Measured on Cranfield (1398 documents, first
// query "boundary layer transition", 10 results, brotli): 2 kB files
// fetch 4.8 kB of text, 4 kB 11.4 kB, 8 kB 22.4 kB, 16 kB 35.6 kB, 32 kB
// 68.2 kB, while the index grows by a few kB per halving; 4 kB gives the
// smallest cold first query.
const DefaultTextChunk = 4 << 10

// encodeTexts splits docs into text files of about chunk raw bytes each
// and returns their descriptions, their bytes and their text set.
func encodeTexts(docs []Doc, chunk int) ([]TextFile, [][]byte, string) {
	if chunk <= 0 {
		chunk = DefaultTextChunk
	}
	var files []TextFile
	var bodies [][]byte
	set := uint64(0)
	for first := 0; first < len(docs); {
		end, size := first, 0
		for end < len(docs) && (end == first || size+docSize(&docs[end]) <= chunk) {
			size += docSize(&docs[end])
			end++
		}
		w := &writer{b: make([]byte, 0, 8+size+16*(end-first))}
		w.b = binary.LittleEndian.AppendUint32(w.b, uint32(first))
		w.b = binary.LittleEndian.AppendUint32(w.b, uint32(end-first))
		for i := first; i < end; i++ {
			d := &docs[i]
			w.str(d.ID)
			w.str(d.Title)
			w.str(d.URL)
			w.uint(uint64(len(d.Sections)))
			for _, s := range d.Sections {
				w.str(s.Anchor)
				w.str(s.Heading)
				w.uint(uint64(s.Start))
			}
			w.str(d.Body)
		}
		set = crc64.Update(set, crc64Table(), w.b)
		files = append(files, TextFile{First: first, Count: end - first})
		bodies = append(bodies, w.b)
		first = end
	}
	setHex := hexSum(set)
	all := make([][]byte, len(bodies))
	for i, body := range bodies {
		b := make([]byte, 0, textHeaderSize-8+len(body)+textTrailerSize)
		b = append(b, TextMagic...)
		b = binary.LittleEndian.AppendUint32(b, Version)
		b = binary.LittleEndian.AppendUint64(b, set)
		b = append(b, body...)
		b = binary.LittleEndian.AppendUint64(b, crc64.Checksum(b, crc64Table()))
		all[i] = b
		files[i].FileRef = textRef(set, setHex, i, len(b))
	}
	return files, all, setHex
}

// textRef describes text file i, of size bytes, of the text set whose
// CRC-64 is set (setHex in hex).
func textRef(set uint64, setHex string, i, size int) FileRef {
	return FileRef{Name: textName(set, i), Size: size, set: setHex}
}

// textName is the name of text file i of the text set whose CRC-64 is
// set: "text.", the first 12 hex digits of the CRC-64 of set and i (little
// endian, 8 and 4 bytes), ".qtx". Built in one allocation: the head of a
// large site names 3,137 text files as it opens.
func textName(set uint64, i int) string {
	var key [12]byte
	binary.LittleEndian.PutUint64(key[:8], set)
	binary.LittleEndian.PutUint32(key[8:], uint32(i))
	name := make([]byte, 0, len("text.")+12+len(TextExt))
	name = appendHex(append(name, "text."...), crc64.Checksum(key[:], crc64Table()), 12)
	return string(append(name, TextExt...))
}

// checkText verifies that data is a whole text file of the text set set:
// its CRC-64 and its set.
func checkText(name, set string, data []byte) error {
	if len(data) < textHeaderSize+textTrailerSize || !bytes.Equal(data[:len(TextMagic)], []byte(TextMagic)) {
		return errs.Wrap(ErrText.Error()+": "+name+" is not a Quarry text file", ErrText)
	}
	body := data[:len(data)-textTrailerSize]
	if crc64.Checksum(body, crc64Table()) != binary.LittleEndian.Uint64(data[len(body):]) {
		return errs.Wrap(ErrText.Error()+": "+name+" fails its checksum (CRC-64)", ErrText)
	}
	if hexSum(binary.LittleEndian.Uint64(data[12:])) != set {
		return errs.Wrap(ErrText.Error()+": "+name+" belongs to another build of the index", ErrText)
	}
	return nil
}

func docSize(d *Doc) int { return len(d.ID) + len(d.Title) + len(d.URL) + len(d.Body) }

// DecodeText checks data against its description tf and returns
// documents tf.First .. tf.First+tf.Count-1. With verify, data must have
// the size the head lists and check itself (its CRC-64 and text set: a
// file fetched on its own).
func DecodeText(tf TextFile, data []byte, verify bool) ([]Doc, error) {
	if verify {
		if len(data) != tf.Size && len(data) >= len(TextMagic) && !bytes.Equal(data[:len(TextMagic)], []byte(TextMagic)) {
			return nil, errs.Wrap(ErrText.Error()+": "+tf.Name+" is not a Quarry text file", ErrText)
		}
		if err := tf.Check(data); err != nil {
			return nil, err
		}
	}
	if len(data) < textHeaderSize+textTrailerSize || !bytes.Equal(data[:len(TextMagic)], []byte(TextMagic)) {
		return nil, errs.Wrap(ErrText.Error()+": "+tf.Name+" is not a Quarry text file", ErrText)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != Version {
		return nil, errs.Wrap(ErrText.Error()+": "+tf.Name+" has format "+errs.I(v)+", the index "+errs.I(Version), ErrText)
	}
	first, n := int(binary.LittleEndian.Uint32(data[20:])), int(binary.LittleEndian.Uint32(data[24:]))
	if first != tf.First || n != tf.Count {
		return nil, errs.Wrap(ErrText.Error()+": "+tf.Name+" holds documents "+errs.I(first)+"+"+errs.I(n)+", the index expects "+errs.I(tf.First)+"+"+errs.I(tf.Count), ErrText)
	}
	r := &reader{b: data[textHeaderSize : len(data)-textTrailerSize]}
	if n > r.left()/5 {
		return nil, errs.Wrap(ErrText.Error()+": "+tf.Name+": "+errs.I(n)+" documents in "+errs.I(r.left())+" bytes", ErrText)
	}
	out := make([]Doc, n)
	for i := range out {
		d := &out[i]
		d.ID, d.Title, d.URL = r.str(), r.str(), r.str()
		if k := r.count(3); k > 0 {
			d.Sections = make([]SectionMeta, k)
			for j := range d.Sections {
				d.Sections[j] = SectionMeta{Anchor: r.str(), Heading: r.str(), Start: r.int()}
			}
		}
		d.Body = r.str()
	}
	r.end()
	if r.err != nil {
		return nil, errs.Wrap(ErrText.Error()+": "+tf.Name+": "+r.err.Error(), ErrText)
	}
	return out, nil
}

// TextOf returns the index of the text file holding document num, or -1.
func (h *Head) TextOf(num int) int {
	lo, hi := 0, len(h.Texts)
	for lo < hi {
		m := (lo + hi) / 2
		if t := h.Texts[m]; t.First+t.Count <= num {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(h.Texts) || h.Texts[lo].First > num {
		return -1
	}
	return lo
}
