package reader

import (
	"encoding/binary"
	"reflect"

	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v16"
)

var sizeOfTermFieldReader = int(reflect.TypeOf(termFieldReader{}).Size())

// termFieldReader walks one term's postings in one field.
type termFieldReader struct {
	term, field         string
	pl                  segment.PostingsList
	it                  segment.PostingsIterator
	freq, norm, vectors bool
	last                uint64
	started             bool
}

func (t *termFieldReader) fill(p segment.Posting, pre *index.TermFieldDoc) *index.TermFieldDoc {
	rv := pre
	if rv == nil {
		rv = &index.TermFieldDoc{}
	} else {
		rv.Reset()
	}
	num := p.Number()
	t.last, t.started = num, true
	rv.Term = t.term
	// The caller's ID buffer is reused, as scorch does.
	if cap(rv.ID) >= 8 {
		rv.ID = rv.ID[:8]
	} else {
		rv.ID = make(index.IndexInternalID, 8)
	}
	binary.BigEndian.PutUint64(rv.ID, num)
	if t.freq {
		rv.Freq = p.Frequency()
	}
	if t.norm {
		rv.Norm = p.Norm()
	}
	if t.vectors {
		locs := p.Locations()
		if len(locs) > 0 {
			// Reused like the ID: readers of a TermFieldDoc copy what
			// they keep (bleve's scorers do, as scorch reuses them too).
			if cap(rv.Vectors) < len(locs) {
				rv.Vectors = make([]*index.TermFieldVector, len(locs))
				backing := make([]index.TermFieldVector, len(locs))
				for i := range backing {
					rv.Vectors[i] = &backing[i]
				}
			}
			rv.Vectors = rv.Vectors[:len(locs)]
			for i, l := range locs {
				if rv.Vectors[i] == nil {
					rv.Vectors[i] = new(index.TermFieldVector)
				}
				*rv.Vectors[i] = index.TermFieldVector{
					Field: l.Field(), ArrayPositions: l.ArrayPositions(),
					Pos: l.Pos(), Start: l.Start(), End: l.End(),
				}
			}
		}
	}
	return rv
}

// Next implements index.TermFieldReader.
func (t *termFieldReader) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	p, err := t.it.Next()
	if err != nil || p == nil {
		return nil, err
	}
	return t.fill(p, pre), nil
}

// Advance implements index.TermFieldReader: the first posting at or after id.
func (t *termFieldReader) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	num, err := DocNum(id)
	if err != nil {
		return nil, err
	}
	if t.started && num <= t.last {
		// zap iterators only move forward: restart.
		t.it = t.pl.Iterator(t.freq, t.norm, t.vectors, nil)
		t.started = false
	}
	p, err := t.it.Advance(num)
	if err != nil || p == nil {
		return nil, err
	}
	return t.fill(p, pre), nil
}

// Count implements index.TermFieldReader.
func (t *termFieldReader) Count() uint64 { return t.pl.Count() }

// Close implements index.TermFieldReader.
func (t *termFieldReader) Close() error { return nil }

// Size implements index.TermFieldReader.
func (t *termFieldReader) Size() int { return sizeOfTermFieldReader + len(t.term) + len(t.field) }

// docIDReader walks a sorted list of doc numbers.
type docIDReader struct {
	nums []uint64
	i    int
}

// Next implements index.DocIDReader.
func (d *docIDReader) Next() (index.IndexInternalID, error) {
	if d.i >= len(d.nums) {
		return nil, nil
	}
	d.i++
	return internalID(d.nums[d.i-1]), nil
}

// Advance implements index.DocIDReader.
func (d *docIDReader) Advance(id index.IndexInternalID) (index.IndexInternalID, error) {
	num, err := DocNum(id)
	if err != nil {
		return nil, err
	}
	lo, hi := 0, len(d.nums)
	for lo < hi {
		m := (lo + hi) / 2
		if d.nums[m] < num {
			lo = m + 1
		} else {
			hi = m
		}
	}
	d.i = lo
	return d.Next()
}

// Size implements index.DocIDReader.
func (d *docIDReader) Size() int { return 32 + 8*len(d.nums) }

// Close implements index.DocIDReader.
func (d *docIDReader) Close() error { return nil }

// fieldDict adapts a zap dictionary iterator to index.FieldDict.
type fieldDict struct {
	it   segment.DictionaryIterator
	card int
}

// Next implements index.FieldDict.
func (f *fieldDict) Next() (*index.DictEntry, error) {
	e, err := f.it.Next()
	if err != nil || e == nil {
		return nil, err
	}
	c := *e
	return &c, nil
}

// Close implements index.FieldDict.
func (f *fieldDict) Close() error { return nil }

// Cardinality implements index.FieldDict.
func (f *fieldDict) Cardinality() int { return f.card }

// BytesRead implements index.FieldDict.
func (f *fieldDict) BytesRead() uint64 { return 0 }

// docValueReader visits the doc values of fixed fields.
type docValueReader struct {
	sb     *zap.SegmentBase
	fields []string
	state  segment.DocVisitState
}

// VisitDocValues implements index.DocValueReader.
func (d *docValueReader) VisitDocValues(id index.IndexInternalID, visitor index.DocValueVisitor) error {
	num, err := DocNum(id)
	if err != nil {
		return err
	}
	d.state, err = d.sb.VisitDocValues(num, d.fields, visitor, d.state)
	return err
}

// BytesRead implements index.DocValueReader.
func (d *docValueReader) BytesRead() uint64 { return 0 }
