package indexfile

import (
	"bytes"
	"encoding/binary"

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
//	offset 12  first document number (uint32)
//	offset 16  number of documents N (uint32)
//	offset 20  N times: id, title, URL (strings), sections (count, then
//	           anchor, heading and start offset), body (string)
//
// Strings are a varint length and UTF-8.

// TextMagic opens every text file.
const TextMagic = "QUARRYTX"

const textHeaderSize = 8 + 4 + 4 + 4

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
// and returns their descriptions and bytes.
func encodeTexts(docs []Doc, chunk int) ([]TextFile, [][]byte) {
	if chunk <= 0 {
		chunk = DefaultTextChunk
	}
	var files []TextFile
	var all [][]byte
	for first := 0; first < len(docs); {
		end, size := first, 0
		for end < len(docs) && (end == first || size+docSize(&docs[end]) <= chunk) {
			size += docSize(&docs[end])
			end++
		}
		w := &writer{b: make([]byte, 0, textHeaderSize+size+16*(end-first))}
		w.b = append(w.b, TextMagic...)
		w.b = binary.LittleEndian.AppendUint32(w.b, Version)
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
		files = append(files, TextFile{FileRef: fileRef("text", TextExt, w.b), First: first, Count: end - first})
		all = append(all, w.b)
		first = end
	}
	return files, all
}

func docSize(d *Doc) int { return len(d.ID) + len(d.Title) + len(d.URL) + len(d.Body) }

// DecodeText checks data against its description tf and returns
// documents tf.First .. tf.First+tf.Count-1. With verify, data must match
// the size and checksum the head lists (a file fetched on its own).
func DecodeText(tf TextFile, data []byte, verify bool) ([]Doc, error) {
	if verify {
		if len(data) != tf.Size && len(data) >= len(TextMagic) && !bytes.Equal(data[:len(TextMagic)], []byte(TextMagic)) {
			return nil, errs.Wrap(ErrText.Error()+": "+tf.Name+" is not a Quarry text file", ErrText)
		}
		if err := tf.Check(data); err != nil {
			return nil, err
		}
	}
	if len(data) < textHeaderSize || !bytes.Equal(data[:len(TextMagic)], []byte(TextMagic)) {
		return nil, errs.Wrap(ErrText.Error()+": "+tf.Name+" is not a Quarry text file", ErrText)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != Version {
		return nil, errs.Wrap(ErrText.Error()+": "+tf.Name+" has format "+errs.I(v)+", the index "+errs.I(Version), ErrText)
	}
	first, n := int(binary.LittleEndian.Uint32(data[12:])), int(binary.LittleEndian.Uint32(data[16:]))
	if first != tf.First || n != tf.Count {
		return nil, errs.Wrap(ErrText.Error()+": "+tf.Name+" holds documents "+errs.I(first)+"+"+errs.I(n)+", the index expects "+errs.I(tf.First)+"+"+errs.I(tf.Count), ErrText)
	}
	r := &reader{b: data[textHeaderSize:]}
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
