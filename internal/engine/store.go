package engine

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/quarry-search/quarry/internal/errs"
	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// The store holds what the engine has of an index: the head, always, and
// the files the head lists (parts, positions parts, text files) as they
// arrive — inline in the index file, or fetched and handed over with
// Engine.Add. Searches read it through a view, which notes every file a
// search touched and did not have (see load.go).

// fileKind tells the three kinds of files apart.
type fileKind uint8

const (
	kindPart fileKind = iota
	kindPositions
	kindText
)

// fileID names a file of the head: its kind and number.
type fileID struct {
	kind fileKind
	i    int
}

// slot is one file's state: not there yet, raw (inline bytes, decoded on
// first use: the head's checksum covers them), decoded, damaged (err:
// for good) or not obtained (failed: tried again by the next request
// that needs it).
type slot struct {
	raw []byte
	// unchecked: raw came in the rest bundle, and is checked against the
	// head when decoded (inline bytes are covered by the head's
	// checksum); if it fails, it is dropped and fetched on its own.
	unchecked bool
	part      *indexfile.Part
	pos       *indexfile.PosPart
	docs      []indexfile.Doc
	err       error
	failed    error
}

func (s *slot) loaded() bool { return s.part != nil || s.pos != nil || s.docs != nil }

// missing reports whether the file is neither held (decoded or raw) nor
// refused as damaged: what the rest bundle may supply.
func (s *slot) missing() bool { return !s.loaded() && s.raw == nil && s.err == nil }

// store is safe for concurrent use.
type store struct {
	head     *indexfile.Head
	byName   map[string]fileID
	fieldIdx map[string]int // text field -> index in head.Fields
	facetIdx map[string]int // facet field -> index in head.Facets
	norms    [][]float32    // per text field, per document

	mu    sync.Mutex
	files [3][]slot // per kind
	// epoch counts the files added or failed, so a cached answer made
	// before is not reused after (see load.go).
	epoch uint64
	// rest is the name of the index's rest bundle ("" when it has none);
	// restErr: it was refused (not offered again).
	rest    string
	restErr error

	facetNorms map[string][]float32 // per facet field, made on first use

	cache  map[postingsKey]*index.Postings
	cached int // bytes held by cache
}

type postingsKey struct {
	field, term string
	want        index.Want
}

// maxPostingsCache bounds the bytes of decoded postings kept; the cache
// is emptied when it would grow past it. A person typing repeats most of
// a query's terms at every keystroke, and a results page asks for the
// same terms for hits, facets and feedback.
const maxPostingsCache = 4 << 20

func newStore(h *indexfile.Head) (*store, error) {
	s := &store{head: h, byName: map[string]fileID{}, fieldIdx: map[string]int{}, facetIdx: map[string]int{},
		cache: map[postingsKey]*index.Postings{}, facetNorms: map[string][]float32{}, rest: h.Rest()}
	for i, f := range h.Fields {
		s.fieldIdx[f.Name] = i
		s.norms = append(s.norms, norms(f.Lengths))
	}
	for i, f := range h.Facets {
		if _, dup := s.fieldIdx[f.Field]; dup {
			return nil, errs.Wrap(indexfile.ErrCorrupt.Error()+": facet "+errs.Q(f.Field)+" is also a text field", indexfile.ErrCorrupt)
		}
		s.facetIdx[f.Field] = i
	}
	s.files[kindPart] = make([]slot, len(h.Parts))
	s.files[kindPositions] = make([]slot, len(h.PosParts))
	s.files[kindText] = make([]slot, len(h.Texts))
	for i, r := range h.Parts {
		s.byName[r.Name] = fileID{kindPart, i}
	}
	for i, r := range h.PosParts {
		if r.Size > 0 {
			s.byName[r.Name] = fileID{kindPositions, i}
		}
	}
	s.nameTexts(h.Texts)
	for name, data := range h.Inline() {
		id := s.byName[name]
		s.files[id.kind][id.i].raw = data
	}
	return s, nil
}

// norms returns 1/√length per document (0 for an empty field).
//
// This loop and nameTexts' run over every document or text file of the
// index, and are kept out of newStore: V8 recompiles a wasm function that
// runs long with its optimizing compiler, in the background, beside the
// engine's own thread (2 cores here); for a loop inlined in a 6 kB
// function that is the whole function (see indexfile.uint32s).
//
//go:noinline
func norms(lengths []uint32) []float32 {
	out := make([]float32, len(lengths))
	for d, l := range lengths {
		if l > 0 {
			out[d] = float32(1 / math.Sqrt(float64(l)))
		}
	}
	return out
}

// nameTexts indexes the text files by name (out of line: see norms).
//
//go:noinline
func (s *store) nameTexts(texts []indexfile.TextFile) {
	for i, t := range texts {
		s.byName[t.Name] = fileID{kindText, i}
	}
}

// name returns the file name of id.
func (s *store) name(id fileID) string {
	switch id.kind {
	case kindPart:
		return s.head.Parts[id.i].Name
	case kindPositions:
		return s.head.PosParts[id.i].Name
	}
	return s.head.Texts[id.i].Name
}

// decode turns data into file id's value; verify checks it against the
// head first (a file fetched on its own).
func (s *store) decode(id fileID, sl *slot, data []byte, verify bool) error {
	switch id.kind {
	case kindPart:
		p, err := indexfile.DecodePart(s.head, id.i, data, verify)
		if err != nil {
			return err
		}
		sl.part = p
	case kindPositions:
		pp, err := indexfile.DecodePosPart(s.head, id.i, s.files[kindPart][id.i].part, data, verify)
		if err != nil {
			return err
		}
		sl.pos = pp
	case kindText:
		docs, err := indexfile.DecodeText(s.head.Texts[id.i], data, verify)
		if err != nil {
			return err
		}
		sl.docs = docs
	}
	return nil
}

// errNotLoaded marks a file the engine does not have yet.
var errNotLoaded = errors.New("not loaded")

// ready decodes sl's inline bytes if it has some (s.mu held) and returns
// the file's error, errNotLoaded when it is not there.
func (s *store) ready(id fileID, sl *slot) error {
	// A positions part is read against its part's terms, so it waits
	// for its part (views ask for the part first; Add may get them in
	// any order).
	if sl.raw != nil && id.kind == kindPositions {
		if err := s.ready(fileID{kindPart, id.i}, &s.files[kindPart][id.i]); err != nil {
			return errNotLoaded
		}
	}
	if sl.raw != nil {
		raw, verify := sl.raw, sl.unchecked
		sl.raw, sl.unchecked = nil, false
		if err := s.decode(id, sl, raw, verify); err != nil && !verify {
			sl.err = err
		}
		// A file of the rest bundle that fails its check is dropped: it
		// is then asked for on its own.
	}
	switch {
	case sl.loaded():
		return nil
	case sl.err != nil:
		return sl.err
	case sl.failed != nil:
		return sl.failed
	}
	return errNotLoaded
}

// get returns file id's slot once ready, or the reason it is not.
func (s *store) get(id fileID) (*slot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sl := &s.files[id.kind][id.i]
	if err := s.ready(id, sl); err != nil {
		return nil, err
	}
	return sl, nil
}

// misses collects, for one search, the files it touched and did not
// have: needed (never obtained) and failed (damaged, or not obtained).
type misses struct {
	need   map[fileID]bool
	failed map[fileID]error
}

func (m *misses) note(id fileID, err error) {
	if errors.Is(err, errNotLoaded) {
		if m.need == nil {
			m.need = map[fileID]bool{}
		}
		m.need[id] = true
		return
	}
	if m.failed == nil {
		m.failed = map[fileID]error{}
	}
	m.failed[id] = err
}

func (m *misses) complete() bool { return len(m.need) == 0 && len(m.failed) == 0 }

// view reads the store for one search, through index.Reader, noting in m
// every file it lacks. A term in a missing part has no postings.
type view struct {
	s *store
	m *misses
}

var _ index.Reader = view{}

func (v view) file(id fileID) *slot {
	sl, err := v.s.get(id)
	if err != nil {
		v.m.note(id, err)
		return nil
	}
	return sl
}

func (v view) NumDocs() int { return v.s.head.DocCount }

func (v view) DocFreq(field, term string) (int, error) {
	if fi, ok := v.s.fieldIdx[field]; ok {
		fh := &v.s.head.Fields[fi]
		if k, found := slices.BinarySearch(fh.Dict, term); found {
			return int(fh.DictDF[k]), nil
		}
		if fh.DictMinDF <= 1 {
			return 0, nil // the dictionary holds every term
		}
		sl := v.file(fileID{kindPart, v.s.head.PartOf(term)})
		if sl == nil {
			return 0, nil
		}
		pf := &sl.part.Fields[fi]
		if k, found := pf.Find(term); found {
			return int(pf.DF[k]), nil
		}
		return 0, nil
	}
	if vi, ok := v.s.facetValue(field, term); ok {
		return len(v.s.head.Facets[v.s.facetIdx[field]].Values[vi].Docs), nil
	}
	return 0, nil
}

// facetValue finds value in facet field.
func (s *store) facetValue(field, value string) (int, bool) {
	fi, ok := s.facetIdx[field]
	if !ok {
		return 0, false
	}
	return slices.BinarySearchFunc(s.head.Facets[fi].Values, value, func(v indexfile.FacetValue, t string) int {
		return strings.Compare(v.Value, t)
	})
}

// Postings returns term's postings in field; callers must not modify them
// (they may be shared through the cache).
func (v view) Postings(field, term string, want index.Want) (*index.Postings, error) {
	key := postingsKey{field, term, want}
	s := v.s
	s.mu.Lock()
	p, ok := s.cache[key]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	p, complete, err := v.postings(field, term, want)
	if err != nil || !complete {
		return p, err
	}
	size := 64 + len(field) + len(term)
	if p != nil {
		size += 4 * (len(p.Docs) + len(p.Freqs) + len(p.Norms) + len(p.PosStart) + len(p.Pos))
	}
	s.mu.Lock()
	if s.cached+size > maxPostingsCache {
		clear(s.cache)
		s.cached = 0
	}
	s.cache[key] = p
	s.cached += size
	s.mu.Unlock()
	return p, nil
}

// postings decodes term's postings; complete is false when a file they
// need is missing (the answer is then not cached).
func (v view) postings(field, term string, want index.Want) (p *index.Postings, complete bool, err error) {
	s := v.s
	fi, ok := s.fieldIdx[field]
	if !ok {
		return s.facetPostings(field, term, want), true, nil
	}
	i := s.head.PartOf(term)
	sl := v.file(fileID{kindPart, i})
	if sl == nil {
		return nil, false, nil
	}
	pf := &sl.part.Fields[fi]
	k, found := pf.Find(term)
	if !found {
		return nil, true, nil
	}
	docs, freqs, err := sl.part.Postings(fi, k)
	if err != nil {
		return nil, false, err
	}
	p = &index.Postings{Docs: docs}
	if want&(index.WantFreqNorm|index.WantPositions) != 0 {
		p.Freqs = freqs
		p.Norms = make([]float32, len(docs))
		for j, d := range docs {
			p.Norms[j] = s.norms[fi][d]
		}
	}
	if want&index.WantPositions == 0 || !s.head.Fields[fi].Positions {
		return p, true, nil
	}
	ps := v.file(fileID{kindPositions, i})
	if ps == nil {
		return p, false, nil
	}
	p.PosStart, p.Pos, err = ps.pos.Positions(fi, k, freqs)
	if err != nil {
		return nil, false, err
	}
	return p, true, nil
}

// facetPostings serves a facet value as postings: frequency 1 and the
// norm of the document's number of values, as bleve indexes a keyword
// field.
func (s *store) facetPostings(field, value string, want index.Want) *index.Postings {
	vi, ok := s.facetValue(field, value)
	if !ok {
		return nil
	}
	docs := s.head.Facets[s.facetIdx[field]].Values[vi].Docs
	p := &index.Postings{Docs: docs}
	if want&(index.WantFreqNorm|index.WantPositions) != 0 {
		norms := s.facetNormsOf(field)
		p.Freqs = make([]uint32, len(docs))
		p.Norms = make([]float32, len(docs))
		for j, d := range docs {
			p.Freqs[j], p.Norms[j] = 1, norms[d]
		}
	}
	if want&index.WantPositions != 0 {
		p.PosStart = make([]uint32, len(docs)+1)
		p.Pos = make([]uint32, len(docs))
		for j := range docs {
			p.PosStart[j+1], p.Pos[j] = uint32(j+1), 1
		}
	}
	return p
}

func (s *store) facetNormsOf(field string) []float32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.facetNorms[field]; ok {
		return n
	}
	counts := make([]uint32, s.head.DocCount)
	for _, v := range s.head.Facets[s.facetIdx[field]].Values {
		for _, d := range v.Docs {
			counts[d]++
		}
	}
	norms := make([]float32, len(counts))
	for d, c := range counts {
		if c > 0 {
			norms[d] = float32(1 / math.Sqrt(float64(c)))
		}
	}
	s.facetNorms[field] = norms
	return norms
}

// Terms walks the head's expansion dictionary of a text field, or the
// values of a facet. When the dictionary leaves rare terms out (a large
// site), the rare terms of the parts near the walk are merged in, in byte
// order: those of the parts a range spans (when they are at most
// maxRareParts), or of the part holding an Anchored automaton's word. The
// parts are chosen from the range and the head alone, so a query walks
// the same terms whatever is already loaded; the part a term lives in is
// fetched anyway to search it, so typo correction and completion of rare
// words cost no extra round, and a prefix at most maxRareParts - 1 more
// parts.
func (v view) Terms(field string, a index.Automaton, start, end []byte, fn func(index.Entry) bool) error {
	s := v.s
	if fi, ok := s.fieldIdx[field]; ok {
		fh := &s.head.Fields[fi]
		rare, next := v.rareTerms(fi, a, start, end), 0
		if !walkTerms(fh.Dict, func(k int) int { return int(fh.DictDF[k]) }, a, start, end, func(e index.Entry) bool {
			for ; next < len(rare) && bytes.Compare(rare[next].Term, e.Term) < 0; next++ {
				if !fn(rare[next]) {
					return false
				}
			}
			return fn(e)
		}) {
			return nil
		}
		for ; next < len(rare) && fn(rare[next]); next++ {
		}
		return nil
	}
	if fi, ok := s.facetIdx[field]; ok {
		vals := s.head.Facets[fi].Values
		terms := make([]string, len(vals))
		for k, val := range vals {
			terms[k] = val.Value
		}
		walkTerms(terms, func(k int) int { return len(vals[k].Docs) }, a, start, end, fn)
	}
	return nil
}

// maxRareParts is the most parts a prefix's range may span for their
// rare terms to be completions. On the PHP manual (10,872 pages, 27
// parts) a prefix of two letters or more spans one or two.
const maxRareParts = 2

// rareTerms returns, in byte order, the terms of field fi that the head's
// dictionary leaves out and that a accepts within [start, end), from the
// parts near the walk (see Terms). A part not loaded yet is noted as
// missing and adds nothing.
func (v view) rareTerms(fi int, a index.Automaton, start, end []byte) []index.Entry {
	h := v.s.head
	minDF := h.Fields[fi].DictMinDF
	if minDF <= 1 || len(h.Parts) == 0 {
		return nil
	}
	var lo, hi int // parts lo..hi
	if an, ok := a.(index.Anchored); ok {
		lo = h.PartOf(an.Anchor())
		hi = lo
	} else if start != nil {
		lo, hi = h.PartOf(string(start)), len(h.Parts)-1
		if end != nil {
			if hi = h.PartOf(string(end)); h.Bounds[hi] == string(end) {
				hi--
			}
		}
		if hi-lo+1 > maxRareParts {
			return nil
		}
	} else {
		return nil
	}
	var out []index.Entry
	for i := lo; i <= hi; i++ {
		sl := v.file(fileID{kindPart, i})
		if sl == nil {
			continue
		}
		pf := &sl.part.Fields[fi]
		walkTerms(pf.Terms, func(k int) int { return int(pf.DF[k]) }, a, start, end, func(e index.Entry) bool {
			if e.DocFreq < minDF {
				e.Term = bytes.Clone(e.Term) // only valid during the callback
				out = append(out, e)
			}
			return true
		})
	}
	return out
}

// walkTerms calls fn for the terms of a sorted list within [start, end)
// (nil: unbounded) that a accepts (nil: all), in order, until fn returns
// false, and reports whether it went to the end. The automaton's states
// are kept along the current term, so terms sharing a prefix share the
// work, and once a prefix leads to a state that cannot match, every term
// under it is skipped with one binary search.
func walkTerms(terms []string, df func(int) int, a index.Automaton, start, end []byte, fn func(index.Entry) bool) bool {
	lo, hi := 0, len(terms)
	if start != nil {
		lo, _ = slices.BinarySearch(terms, string(start))
	}
	if end != nil {
		hi, _ = slices.BinarySearch(terms, string(end))
	}
	if a == nil {
		for k := lo; k < hi; k++ {
			if !fn(index.Entry{Term: []byte(terms[k]), DocFreq: df(k)}) {
				return false
			}
		}
		return true
	}
	fa, _ := a.(index.FuzzyAutomaton)
	states := []int{a.Start()} // states[j]: after reading j bytes of prev
	prev := ""
	for k := lo; k < hi; {
		t := terms[k]
		c := 0
		for c < len(prev) && c < len(t) && c+1 < len(states) && prev[c] == t[c] {
			c++
		}
		states = states[:c+1]
		dead := -1
		for j := c; j < len(t); j++ {
			if !a.CanMatch(states[j]) {
				dead = j
				break
			}
			states = append(states, a.Accept(states[j], t[j]))
		}
		prev = t
		if dead >= 0 {
			if dead == 0 {
				return true
			}
			next := index.PrefixEnd([]byte(t[:dead]))
			if next == nil {
				return true
			}
			j, _ := slices.BinarySearch(terms[k+1:hi], string(next))
			k += 1 + j
			continue
		}
		if s := states[len(t)]; a.IsMatch(s) {
			e := index.Entry{Term: []byte(t), DocFreq: df(k)}
			if fa != nil {
				e.EditDistance = fa.EditDistance(s)
			}
			if !fn(e) {
				return false
			}
		}
		k++
	}
	return true
}
