package indexfile

import "github.com/quarry-search/quarry/internal/errs"

// The rest bundle: a small index served in parts also ships its parts and
// text files as one file, "rest.<12 hex>.qrs", their bytes one after the
// other in the head's order (the parts, then the text files; no
// positions part: only a phrase reads one, and it asks for its own). The
// browser fetches it in the background once a first answer is shown, so
// that the next queries wait for no download: one request instead of
// hundreds (Cranfield's 448 files took 2.7-2.9 s fetched two or six at a
// time in Chromium over HTTP/1.1, its queries meanwhile 10-400 ms). Its
// name derives from the parts' checksums and the text set, so the head
// names it without listing it; every file in it is checked against the
// head as a file fetched on its own.

// RestExt is the rest bundle's extension.
const RestExt = ".qrs"

// RestLimit is the largest total of parts and text files (raw bytes)
// bundled: about 0.9 MB of brotli (they pack to 26-29% at brotli 5; the
// site writes the bundle at brotli 3, the Hugo docs' 1.47 MB to 428 kB
// instead of 380). The bundles of Cranfield (1.9 MB; 555 kB at brotli 5),
// CACM (1.8 MB) and the Hugo docs (1.5 MB) are below it, the PHP manual
// (17.4 MB of index in all) far above. The bundle duplicates them on the
// server's disk; on the wire only the files the first answer fetched
// come again inside it (Cranfield's page-load query: 94 kB of brotli).
const RestLimit = 3 << 20

// restSize is the size of the rest bundle: the parts and text files.
func (h *Head) restSize() int {
	n := 0
	for _, r := range h.Parts {
		n += r.Size
	}
	for _, t := range h.Texts {
		n += t.Size
	}
	return n
}

// Rest returns the name of the index's rest bundle, "" when it has none:
// a whole index, or parts and text files above RestLimit.
func (h *Head) Rest() string {
	if h.inline != nil {
		return ""
	}
	return h.restName()
}

// restName is Rest's name for the head's files, inline or not.
func (h *Head) restName() string {
	if !h.bundles(h.restSize()) {
		return ""
	}
	var key []byte
	for _, r := range h.Parts {
		key = append(key, r.Sum...)
	}
	return "rest." + sumOf(append(key, h.TextSet...))[:12] + RestExt
}

// bundles reports whether the head's files, size bytes of parts and text
// files, make a rest bundle (inline or not).
func (h *Head) bundles(size int) bool { return len(h.Parts) > 0 && size <= RestLimit }

// SplitRest cuts data, the rest bundle, into its files: the parts' bytes,
// then the text files', in the head's order. Only the length is checked
// here; each file is checked (DecodePart, DecodeText with verify) when
// first read.
func (h *Head) SplitRest(data []byte) (parts, texts [][]byte, err error) {
	if n := h.restSize(); len(data) != n || h.inline != nil || !h.bundles(n) {
		return nil, nil, errs.Wrap(ErrText.Error()+": the rest bundle has "+errs.I(len(data))+" bytes, the index expects "+errs.I(n), ErrText)
	}
	parts, texts = make([][]byte, len(h.Parts)), make([][]byte, len(h.Texts))
	at := 0
	for i, r := range h.Parts {
		parts[i] = data[at : at+r.Size : at+r.Size]
		at += r.Size
	}
	for i, t := range h.Texts {
		texts[i] = data[at : at+t.Size : at+t.Size]
		at += t.Size
	}
	return parts, texts, nil
}

// joinRest lays out the rest bundle (the inverse of SplitRest) from the
// bytes of the files, which data returns by name.
func (h *Head) joinRest(data func(name string) []byte) []byte {
	out := make([]byte, 0, h.restSize())
	for _, r := range h.Parts {
		out = append(out, data(r.Name)...)
	}
	for _, t := range h.Texts {
		out = append(out, data(t.Name)...)
	}
	return out
}

// Rest returns the rest bundle of the index (see Head.Rest), or false
// when it has none.
func (e *Encoded) Rest() (File, bool) {
	name := e.head.Rest()
	if name == "" {
		return File{}, false
	}
	byName := make(map[string][]byte, len(e.files))
	for _, f := range e.files {
		byName[f.Name] = f.Data
	}
	return File{Name: name, Data: e.head.joinRest(func(n string) []byte { return byName[n] })}, true
}
