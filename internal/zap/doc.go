// Package zap reads the inverted index of the zap v16 segments Quarry's
// builder writes (bleve's zapx v16.2.8, New+WriteTo; its merger's output
// too), for the browser engine: term dictionaries and postings lists with
// frequencies, norms and positions. It links neither zapx nor bleve, only
// vellum (the FST dictionaries) and roaring (Dict.Docs).
//
// # Format subset read
//
// The footer (numDocs, stored fields index, fields index, sections index,
// doc values offset, chunk mode, version, CRC-32; big-endian); the
// sections index (uvarint field count, a uint64 offset per field, ending
// the segment); each field's entry (uvarint-prefixed name, uvarint
// section count, uint16 type and uint64 address pairs); of the sections,
// only the inverted text index (type 0): uvarint doc values start and end,
// uvarint dictionary offset; the dictionary (uvarint length, vellum FST
// from term to a uint64 value); the term's value, either "1-hit" (top bits
// 10: 31 bits of norm and 31 bits of document number, frequency 1, no
// locations) or the offset of a postings record (uvarint freq/norm
// offset, uvarint location offset, uvarint length and a roaring bitmap of
// documents); the freq/norm and location streams, chunked by document
// number (uvarint chunk count, uvarint chunk end offsets, then the chunks;
// the chunk size follows from the footer's chunk mode, the list's
// cardinality and numDocs as zapx's getChunkSize computes it); per
// document a uvarint freq<<1|hasLocations and, for a non-zero frequency, a
// uvarint norm (the field length); with locations, a uvarint byte count
// then per location uvarint field, position, start, end, array position
// count and array positions.
//
// Not read: stored fields, doc values, vector and synonym sections (their
// offsets are range-checked only), the "except" bitmap of deletions
// (segments written by the builder have none), and the footer's CRC-32:
// the index file carries a CRC-32C over everything (the separate
// positions file a SHA-256), so a damaged file is refused before it gets
// here, and a crafted one would recompute both; checking it would cost a
// pass over the segment at every Open for nothing.
//
// # Validation
//
// A crafted segment must not panic, loop or exhaust memory. Open checks
// the footer (version 16, a known chunk mode, every offset inside the
// data, the stored fields index holding numDocs entries — which bounds
// numDocs by the size), the sections index (its field count filling it
// exactly), each field's entry (name inside, unique; section list inside,
// no repeated type; addresses between the stored fields index and the
// entry), each inverted index section (doc values and dictionary before
// it) and each dictionary (inside the segment, vellum header, version 1,
// key count at most the segment size, root inside the FST, vellum.Load).
// Every later read checks each offset and length before slicing: a
// postings record lies between the stored fields index and its
// dictionary, its chunk streams before it, each chunk inside its stream,
// each location inside its document's byte count. Roaring bitmaps are
// decoded by this package (roaring's Validate is quadratic in runs and
// lets repeated values through), which checks them in full for Docs and
// Postings — layout, offsets table, keys and values ascending,
// cardinalities exact, every document below numDocs — and their layout
// and total for DocFreq and Iterate's counts. Counts are checked against the bytes that hold them
// before anything is allocated, so no allocation exceeds a small multiple
// of the segment size (the largest: Postings' arrays, bounded by numDocs ≤
// size/8 and by location bytes/5). Every error wraps ErrCorrupt and says
// what is wrong where ("field \"body\": term \"x\": freq/norm chunk 3 of 2
// out of range: zap segment is corrupt").
//
// # FST dictionaries: guarded, not pre-validated
//
// vellum indexes into the FST without bounds checks of its own and trusts
// node addresses, so a crafted FST can make it panic, cycle, or (as a
// DAG) have exponentially many paths. Two ways out were weighed:
// validating every node at Open (a second decoder of vellum's node
// format in the engine, plus a path count to bound iteration work), or
// guarding each vellum call. This package guards:
//
//   - every vellum call (Load, Get, Search, Next) runs under recover(),
//     a panic becoming an ErrCorrupt error (panics from the caller's
//     automaton, which vellum calls, are reported the same way);
//   - Iterate hands vellum a wrapper of the caller's automaton that
//     counts transitions (at most 16 per segment byte plus 65,536 per
//     Iterate; measured need: at most 0.05 per byte, see dict.go) and
//     carries the term length in the low 16 bits of each state (at most
//     32,767 bytes; vellum keeps about 200 bytes per level), so that a
//     cycle or a path explosion ends with an error. Counting each term's
//     documents (reading its bitmap's container headers) is charged to
//     the same budget. The wrapper is transparent: states are unpacked
//     before the caller's automaton sees them, and the edit distances it
//     reports are the caller's automaton's (0 when it is not a
//     vellum.FuzzyAutomaton, as vellum reports). A state of the caller's
//     that does not fit in 47 bits is an error of its own, not ErrCorrupt.
//
// The cost of the alternative, measured with vellum's own walk over every
// node (FST.Debug, which decodes each node once; BenchmarkFSTNodeWalk),
// native: 0.75 ms for Cranfield's five dictionaries (49 kB of FSTs, 6,007
// nodes, light segment) and 14 ms for the PHP manual's (571 kB, 136,398
// nodes, 22 MB of garbage) — several times that in the browser, at Open,
// where the first search waits, plus a second decoder of vellum's nodes
// in the engine. Guarding costs nothing at Open and nothing measurable
// per lookup (BenchmarkDocFreq: guarded and bare vellum Get within the
// noise, about 250 ns).
//
// # Behaviour
//
// Results match zapx's for the builder's segments (differential tests):
// same term order, Count as DocFreq, documents, frequencies, norms (as
// Posting.Norm computes them, bit for bit) and positions in Locations
// order, and the edit distances vellum reports for fuzzy automata. One
// deliberate difference: zapx's DictionaryIterator reports a count of 1
// for every term following a 1-hit term (it reuses a PostingsList whose
// read keeps the 1-hit fields); Iterate gives each term's real count.
// A 1-hit value with a zero norm reads, as in zapx, as an empty list.
package zap
