package reader

import (
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	lev "github.com/blevesearch/vellum/levenshtein"
	zap "github.com/blevesearch/zapx/v16"
)

// Reader is a read-only index.IndexReader over one zap segment. It also
// implements index.BM25Reader (so BM25 scores equal scorch's over the same
// segment) and index.IndexReaderFuzzy (typo tolerance). A Reader is safe
// for concurrent use.
type Reader struct {
	sb      *zap.SegmentBase
	numDocs uint64

	mu          sync.Mutex
	cardinality map[string]int

	// dicts holds one dictionary per field for postings lookups (its FST
	// reader is reused, not allocated per term); dictMu serialises them.
	dictMu sync.Mutex
	dicts  map[string]segment.TermDictionary
}

var (
	_ index.IndexReader      = (*Reader)(nil)
	_ index.BM25Reader       = (*Reader)(nil)
	_ index.IndexReaderFuzzy = (*Reader)(nil)
)

// Open returns a Reader over seg, the bytes of a zap v16 segment
// including its footer. seg is not copied and must not be modified.
func Open(seg []byte) (*Reader, error) {
	sb, err := openSegment(seg)
	if err != nil {
		return nil, err
	}
	return &Reader{sb: sb, numDocs: sb.Count(), cardinality: map[string]int{}, dicts: map[string]segment.TermDictionary{}}, nil
}

// InternalIDOf encodes a segment doc number as an index.IndexInternalID.
func InternalIDOf(num uint64) index.IndexInternalID { return internalID(num) }

func internalID(num uint64) index.IndexInternalID {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], num)
	return b[:]
}

// DocNum decodes an internal id produced by this reader.
func DocNum(id index.IndexInternalID) (uint64, error) {
	if len(id) != 8 {
		return 0, fmt.Errorf("invalid internal id of %d bytes", len(id))
	}
	return binary.BigEndian.Uint64(id), nil
}

// TermFieldReader implements index.IndexReader.
func (r *Reader) TermFieldReader(_ context.Context, term []byte, field string, includeFreq, includeNorm, includeTermVectors bool) (index.TermFieldReader, error) {
	pl, err := r.postingsList(field, term)
	if err != nil {
		return nil, err
	}
	t := &termFieldReader{
		term: string(term), field: field, pl: pl,
		freq: includeFreq, norm: includeNorm, vectors: includeTermVectors,
	}
	t.it = pl.Iterator(includeFreq, includeNorm, includeTermVectors, nil)
	return t, nil
}

// postingsList looks term up in field's dictionary, kept per field.
func (r *Reader) postingsList(field string, term []byte) (segment.PostingsList, error) {
	r.dictMu.Lock()
	defer r.dictMu.Unlock()
	dict, ok := r.dicts[field]
	if !ok {
		d, err := r.sb.Dictionary(field)
		if err != nil {
			return nil, fmt.Errorf("dictionary %q: %w", field, err)
		}
		r.dicts[field], dict = d, d
	}
	pl, err := dict.PostingsList(term, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("postings %q:%q: %w", field, term, err)
	}
	return pl, nil
}

// DocIDReaderAll implements index.IndexReader.
func (r *Reader) DocIDReaderAll() (index.DocIDReader, error) {
	nums := make([]uint64, r.numDocs)
	for i := range nums {
		nums[i] = uint64(i)
	}
	return &docIDReader{nums: nums}, nil
}

// DocIDReaderOnly implements index.IndexReader.
func (r *Reader) DocIDReaderOnly(ids []string) (index.DocIDReader, error) {
	bm, err := r.sb.DocNumbers(ids)
	if err != nil {
		return nil, fmt.Errorf("doc numbers: %w", err)
	}
	arr := bm.ToArray()
	nums := make([]uint64, len(arr))
	for i, n := range arr {
		nums[i] = uint64(n)
	}
	return &docIDReader{nums: nums}, nil
}

func (r *Reader) fieldDict(field string, a segment.Automaton, start, end []byte) (*fieldDict, error) {
	dict, err := r.sb.Dictionary(field)
	if err != nil {
		return nil, fmt.Errorf("dictionary %q: %w", field, err)
	}
	return &fieldDict{it: dict.AutomatonIterator(a, start, end), card: dict.Cardinality()}, nil
}

// FieldDict implements index.IndexReader.
func (r *Reader) FieldDict(field string) (index.FieldDict, error) {
	return r.fieldDict(field, nil, nil, nil)
}

// FieldDictRange implements index.IndexReader (both ends inclusive).
func (r *Reader) FieldDictRange(field string, startTerm []byte, endTerm []byte) (index.FieldDict, error) {
	var end []byte
	if endTerm != nil {
		end = append(append([]byte{}, endTerm...), 0)
	}
	return r.fieldDict(field, nil, startTerm, end)
}

// FieldDictPrefix implements index.IndexReader.
func (r *Reader) FieldDictPrefix(field string, termPrefix []byte) (index.FieldDict, error) {
	return r.fieldDict(field, nil, termPrefix, prefixEnd(termPrefix))
}

// prefixEnd returns the first key after every key starting with p, or nil.
func prefixEnd(p []byte) []byte {
	if len(p) == 0 {
		return nil
	}
	out := append([]byte{}, p...)
	for i := len(out) - 1; i >= 0; i-- {
		out[i]++
		if out[i] != 0 {
			return out[:i+1]
		}
	}
	return nil
}

var (
	levOnce [3]sync.Once
	levB    [3]*lev.LevenshteinAutomatonBuilder
	levErr  [3]error
)

// levBuilder returns the (costly to build, so shared) automaton builder
// for edit distance d, with transpositions counted as one edit.
func levBuilder(d int) (*lev.LevenshteinAutomatonBuilder, error) {
	if d < 1 || d > 2 {
		return nil, fmt.Errorf("fuzziness %d out of range 1..2", d)
	}
	levOnce[d].Do(func() { levB[d], levErr[d] = lev.NewLevenshteinAutomatonBuilder(uint8(d), true) })
	return levB[d], levErr[d]
}

// FieldDictFuzzy implements index.IndexReaderFuzzy.
func (r *Reader) FieldDictFuzzy(field string, term string, fuzziness int, prefix string) (index.FieldDict, error) {
	fd, _, err := r.FieldDictFuzzyAutomaton(field, term, fuzziness, prefix)
	return fd, err
}

// FieldDictFuzzyAutomaton implements index.IndexReaderFuzzy.
func (r *Reader) FieldDictFuzzyAutomaton(field string, term string, fuzziness int, prefix string) (index.FieldDict, index.FuzzyAutomaton, error) {
	b, err := levBuilder(fuzziness)
	if err != nil {
		return nil, nil, err
	}
	dfa, err := b.BuildDfa(term, uint8(fuzziness))
	if err != nil {
		return nil, nil, fmt.Errorf("fuzzy automaton for %q: %w", term, err)
	}
	var start, end []byte
	if prefix != "" {
		start = []byte(prefix)
		end = prefixEnd(start)
	}
	fd, err := r.fieldDict(field, dfa, start, end)
	if err != nil {
		return nil, nil, err
	}
	return fd, dfa, nil
}

// FieldCardinality implements index.BM25Reader: the number of distinct
// terms in field, which bleve divides by the document count to estimate
// the average field length.
func (r *Reader) FieldCardinality(field string) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.cardinality[field]; ok {
		return c, nil
	}
	dict, err := r.sb.Dictionary(field)
	if err != nil {
		return 0, fmt.Errorf("dictionary %q: %w", field, err)
	}
	c := dict.Cardinality()
	r.cardinality[field] = c
	return c, nil
}

// Document implements index.IndexReader: the stored fields of the
// document with external id, or nil when there is none.
func (r *Reader) Document(id string) (index.Document, error) {
	iid, err := r.InternalID(id)
	if err != nil || iid == nil {
		return nil, err
	}
	num, _ := DocNum(iid)
	return r.DocumentByNumber(num)
}

// DocumentByNumber returns the stored fields of doc number num.
func (r *Reader) DocumentByNumber(num uint64) (*document.Document, error) {
	if num >= r.numDocs {
		return nil, fmt.Errorf("document number %d out of range (%d documents)", num, r.numDocs)
	}
	var d *document.Document
	var visitErr error
	err := r.sb.VisitStoredFields(num, func(field string, typ byte, value []byte, pos []uint64) bool {
		if field == "_id" {
			d = document.NewDocument(string(value))
			return true
		}
		if d == nil {
			visitErr = fmt.Errorf("document %d: stored fields before _id", num)
			return false
		}
		v := append([]byte{}, value...)
		ap := append([]uint64{}, pos...)
		switch typ {
		case 't':
			d.AddField(document.NewTextField(field, ap, v))
		case 'n':
			d.AddField(document.NewNumericFieldFromBytes(field, ap, v))
		case 'd':
			d.AddField(document.NewDateTimeFieldFromBytes(field, ap, v))
		case 'b':
			d.AddField(document.NewBooleanFieldFromBytes(field, ap, v))
		}
		return true
	})
	if err == nil {
		err = visitErr
	}
	if err != nil {
		return nil, fmt.Errorf("stored fields of document %d: %w", num, err)
	}
	return d, nil
}

// DocValueReader implements index.IndexReader.
func (r *Reader) DocValueReader(fields []string) (index.DocValueReader, error) {
	return &docValueReader{sb: r.sb, fields: fields}, nil
}

// Fields implements index.IndexReader.
func (r *Reader) Fields() ([]string, error) {
	f := append([]string{}, r.sb.Fields()...)
	sort.Strings(f)
	return f, nil
}

// GetInternal implements index.IndexReader; a prebuilt segment has no
// internal key/value data.
func (r *Reader) GetInternal([]byte) ([]byte, error) { return nil, nil }

// DocCount implements index.IndexReader.
func (r *Reader) DocCount() (uint64, error) { return r.numDocs, nil }

// ExternalID implements index.IndexReader.
func (r *Reader) ExternalID(id index.IndexInternalID) (string, error) {
	num, err := DocNum(id)
	if err != nil {
		return "", err
	}
	b, err := r.sb.DocID(num)
	if err != nil {
		return "", fmt.Errorf("external id of %d: %w", num, err)
	}
	return string(b), nil
}

// InternalID implements index.IndexReader; nil when id is unknown.
func (r *Reader) InternalID(id string) (index.IndexInternalID, error) {
	bm, err := r.sb.DocNumbers([]string{id})
	if err != nil {
		return nil, fmt.Errorf("internal id of %q: %w", id, err)
	}
	if bm.IsEmpty() {
		return nil, nil
	}
	return internalID(uint64(bm.Minimum())), nil
}

// Close implements index.IndexReader.
func (r *Reader) Close() error { return nil }

// Terms calls fn for every term of field accepted by a (nil: all) in
// [start, end) with its document count and, for fuzzy automata, its edit
// distance, until fn returns false.
func (r *Reader) Terms(field string, a segment.Automaton, start, end []byte, fn func(term []byte, count uint64, dist uint8) bool) error {
	fd, err := r.fieldDict(field, a, start, end)
	if err != nil {
		return err
	}
	for {
		e, err := fd.Next()
		if err != nil {
			return err
		}
		if e == nil || !fn([]byte(e.Term), e.Count, e.EditDistance) {
			return nil
		}
	}
}
