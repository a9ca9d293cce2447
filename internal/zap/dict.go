package zap

import (
	"errors"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/vellum"
)

// Dict is one field's term dictionary: a vellum FST from each term to its
// postings. It is safe for concurrent use.
type Dict struct {
	s     *Segment
	field string
	end   int // where the FST starts: the field's postings lie before it
	fst   *vellum.FST
}

// Len returns the number of terms (as the FST's footer states it; Open
// bounds it by the segment size).
func (d *Dict) Len() int { return d.fst.Len() }

// lookup returns term's FST value.
func (d *Dict) lookup(term []byte) (v uint64, found bool, err error) {
	err = guard(func() (err error) {
		v, found, err = d.fst.Get(term)
		return err
	})
	if err != nil {
		return 0, false, d.corrupt(term, "dictionary lookup: "+err.Error())
	}
	return v, found, nil
}

func (d *Dict) corrupt(term []byte, msg string) error {
	return corrupt("field " + quote(d.field) + ": term " + quote(string(term)) + ": " + msg)
}

// DocFreq returns the number of documents having term, 0 when absent
// (zapx's PostingsList.Count). It checks the postings' layout but not
// every document number; Docs and Postings do.
func (d *Dict) DocFreq(term []byte) (int, error) {
	v, found, err := d.lookup(term)
	if err != nil || !found {
		return 0, err
	}
	n, _, err := d.count(term, v)
	return n, err
}

// count returns the number of documents of the postings list term's FST
// value v points to, and the work done: the bitmap's containers.
func (d *Dict) count(term []byte, v uint64) (n, work int, err error) {
	p, err := d.postings(term, v)
	if err != nil {
		return 0, 0, err
	}
	if p.oneHit {
		return p.card, 0, nil
	}
	n, work, msg := roaringCount(p.bitmap, d.s.numDocs)
	if msg != "" {
		return 0, 0, d.corrupt(term, "postings bitmap: "+msg)
	}
	return n, work, nil
}

// Docs returns the documents having term (an empty bitmap when it is
// absent). The bitmap shares the segment's bytes copy-on-write: the
// caller may modify it.
func (d *Dict) Docs(term []byte) (*roaring.Bitmap, error) {
	v, found, err := d.lookup(term)
	if err != nil {
		return nil, err
	}
	bm := roaring.New()
	if !found {
		return bm, nil
	}
	p, err := d.postings(term, v)
	if err != nil {
		return nil, err
	}
	if p.oneHit {
		if p.card > 0 {
			bm.Add(p.doc)
		}
		return bm, nil
	}
	if _, msg := decodeRoaring(p.bitmap, d.s.numDocs, false); msg != "" {
		return nil, d.corrupt(term, "postings bitmap: "+msg)
	}
	// The bitmap has just been checked in full; the guard is a second line.
	if err := guard(func() error { _, err := bm.FromBuffer(p.bitmap); return err }); err != nil {
		return nil, d.corrupt(term, "postings bitmap: "+err.Error())
	}
	return bm, nil
}

// Want selects what Postings decodes beyond document numbers.
type Want uint8

const (
	// WantFreqNorm fills Postings.Freqs and Postings.Norms.
	WantFreqNorm Want = 1 << iota
	// WantPositions fills Postings.PosStart and Postings.Pos. A field
	// indexed without positions gives every document none, as zapx does.
	WantPositions
)

// Postings is a term's postings list, decoded.
type Postings struct {
	// Docs are the document numbers, ascending.
	Docs []uint32
	// Freqs is the term's frequency in each document (WantFreqNorm).
	Freqs []uint32
	// Norms is each document's field norm, 1/sqrt(field length), as zapx's
	// Posting.Norm computes it (WantFreqNorm).
	Norms []float32
	// PosStart and Pos hold token positions (WantPositions): document i's
	// are Pos[PosStart[i]:PosStart[i+1]], in the order zapx's Locations
	// gives them.
	PosStart []uint32
	Pos      []uint32
}

// Postings decodes term's postings list, or returns nil when term is
// absent.
func (d *Dict) Postings(term []byte, want Want) (*Postings, error) {
	v, found, err := d.lookup(term)
	if err != nil || !found {
		return nil, err
	}
	p, err := d.postings(term, v)
	if err != nil {
		return nil, err
	}
	out, msg := p.decode(want)
	if msg != "" {
		return nil, d.corrupt(term, msg)
	}
	return out, nil
}

// Entry is a term met by Iterate. Term is only valid during the call.
type Entry struct {
	Term    []byte
	DocFreq int
	// EditDistance is what a vellum.FuzzyAutomaton reports for the term
	// (as vellum's iterator does), else 0.
	EditDistance uint8
}

// Iterate calls fn for each term accepted by automaton a (nil: every
// term) in [start, end) (nil: unbounded), in byte order, until fn returns
// false, as zapx's Dictionary.AutomatonIterator does.
func (d *Dict) Iterate(a vellum.Automaton, start, end []byte, fn func(e Entry) bool) error {
	g := &walk{a: a, steps: d.s.steps}
	g.fa, _ = a.(vellum.FuzzyAutomaton)
	var it *vellum.FSTIterator
	var term []byte
	var v uint64
	var ed uint8
	err := guard(func() (err error) {
		it, err = d.fst.Search(g, start, end)
		if err == nil {
			term, v = it.Current()
			ed = it.EditDistance()
		}
		return err
	})
	for {
		if err == vellum.ErrIteratorDone {
			return nil
		}
		if err == errState {
			return err
		}
		if err != nil {
			return corrupt("field " + quote(d.field) + ": dictionary iteration: " + err.Error())
		}
		n, work, cerr := d.count(term, v)
		if cerr != nil {
			return cerr
		}
		// Counting is charged to the walk's budget too: terms of a
		// crafted FST could all point to one bitmap of many containers.
		if g.steps -= work; g.steps < 0 {
			return corrupt("field " + quote(d.field) + ": dictionary iteration: " + overBudget)
		}
		if !fn(Entry{Term: term, DocFreq: n, EditDistance: ed}) {
			return nil
		}
		err = guard(func() (err error) {
			if err = it.Next(); err == nil {
				term, v = it.Current()
				ed = it.EditDistance()
			}
			return err
		})
	}
}

// The walk guard wraps the caller's automaton for vellum's iterator: it
// counts transitions against the segment's budget and tracks the depth
// (term length) in the low bits of each state, so that a crafted FST
// (a cycle, exponentially many paths) ends with an error rather than
// looping or growing vellum's stacks without bound.
const (
	depthBits = 16
	// maxTermLen bounds term length (Lucene's limit is 32766 bytes);
	// vellum's iterator keeps about 200 bytes per level, 6.5 MB at most.
	maxTermLen = 1<<15 - 1
	// A walk may take stepsPerByte transitions per segment byte, plus
	// minSteps. A walk takes one transition per distinct term prefix it
	// visits, a full iteration the most: measured on Cranfield, CACM,
	// the Hugo docs and the PHP manual (every field, light and full
	// segments), at most 0.05 per segment byte (Hugo's body dictionary:
	// 32,750 for 665 kB). 16 leaves room for odd dictionaries (long
	// keyword values sharing long suffixes) and still ends a crafted
	// walk after a few seconds on a 16 MB segment.
	stepsPerByte = 16
	minSteps     = 1 << 16
)

const overBudget = "walk exceeds its step budget (FST malformed)"

type walk struct {
	a     vellum.Automaton // nil: every term
	fa    vellum.FuzzyAutomaton
	steps int
}

func (w *walk) Start() int {
	s := 0
	if w.a != nil {
		s = w.a.Start()
	}
	return pack(s, 0)
}

func (w *walk) IsMatch(s int) bool  { return w.a == nil || w.a.IsMatch(s>>depthBits) }
func (w *walk) CanMatch(s int) bool { return w.a == nil || w.a.CanMatch(s>>depthBits) }
func (w *walk) WillAlwaysMatch(s int) bool {
	return w.a == nil || w.a.WillAlwaysMatch(s>>depthBits)
}

func (w *walk) Accept(s int, b byte) int {
	if w.steps--; w.steps < 0 {
		panic(stop(overBudget))
	}
	depth := s&(1<<depthBits-1) + 1
	if depth > maxTermLen {
		panic(stop("term longer than 32767 bytes (FST malformed)"))
	}
	next := 0
	if w.a != nil {
		next = w.a.Accept(s>>depthBits, b)
	}
	return pack(next, depth)
}

// errState is the caller's automaton's fault, not the segment's.
var errState = errors.New("zap: iterate: automaton state out of range (it must fit in 47 bits)")

func pack(s, depth int) int {
	p := s<<depthBits | depth
	if p>>depthBits != s {
		panic(errState)
	}
	return p
}

// EditDistance and MatchAndDistance make every walk a
// vellum.FuzzyAutomaton: vellum then asks each matching term's distance,
// which is the caller's automaton's when it is one, else 0 (what vellum
// reports for other automata). One type rather than two saves the
// engine 2 kB of method wrappers.
func (w *walk) EditDistance(s int) uint8 {
	if w.fa == nil {
		return 0
	}
	return w.fa.EditDistance(s >> depthBits)
}

func (w *walk) MatchAndDistance(input string) (bool, uint8) {
	if w.fa == nil {
		return false, 0
	}
	return w.fa.MatchAndDistance(input)
}
