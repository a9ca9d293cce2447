// Package indexfile reads and writes Quarry's index, format 5: a small
// head that the browser fetches first, the postings split by term range
// into parts fetched for the words a query needs, positions parts for
// phrases, and text files holding what results show (title, URL,
// sections, body) for runs of consecutive documents.
//
// The builder hands Encode a value (Index: documents, per-field terms
// with their postings, facets) and gets one self-contained file back,
// every part inline: what the single-file page and small sites ship.
// Externalize turns it into a head and separate files (parts named by
// their checksum, text files by the index's text set and their number),
// for sites served over HTTP; Inline goes back. EncodeIndex
// encodes once and gives both forms (Encoded), and the entity list,
// which only the command line reads, as a file of its own (entities.go).
//
// Head layout (integers little-endian):
//
//	offset 0   magic "QUARRYIX" (8 bytes)
//	offset 8   format version (uint32)
//	offset 12  total file length in bytes (uint64)
//	offset 20  metadata length M (uint32)
//	offset 24  inline files length F (uint64; 0 when they are separate)
//	offset 32  metadata, binary (M bytes; see meta.go)
//	...        inline files: parts, positions parts, text files, in the
//	           order the metadata lists them (F bytes)
//	end-4      CRC-32C (Castagnoli) of bytes [0, end-4)
//
// The metadata holds what every search needs before it fetches
// anything: collection statistics, each document's field lengths (BM25's
// norms), the facets, the term ranges of the parts, and a dictionary of
// the terms prefix and typo expansion may reach (all of them on small
// sites; on large ones at most 8,192, those in the most documents, every
// field's above one threshold: FieldHead.DictMinDF, chosen by the
// builder). A word outside it is still found exactly (its part holds
// every term of its range), and the engine completes and corrects rare
// words from the parts a query fetches anyway.
//
// Part layout ("QUARRYPT"), positions part layout ("QUARRYPS") and text
// file layout ("QUARRYTX") are described in part.go and text.go. Every
// file names the part number or first document it holds; a part's
// checksum is in the head, a text file carries its own and the index's
// text set (the head lists one set for all of them, not a sum per file:
// 25 of the head's 80 kB on a 10,000-page site), so a file that is
// damaged, truncated, swapped or left over from another build is refused
// before it is read; every count read
// from any file is bounded by the bytes that would hold it, and a
// front-coded term list expands to at most 16 times its bytes, so damaged
// or crafted bytes cannot make a reader allocate more than a small
// multiple of their own size (FuzzCraftedIndex, in package engine,
// checks it with every length and checksum recomputed).
package indexfile
