// Package index defines what the search core needs from an index: term
// dictionaries per field (exact lookups, ranges, automata) and postings
// (documents, term frequencies, field norms, token positions). The
// planner, the searchers and the facet counter work through Reader, so
// the same code runs over a whole zap segment, over an index fetched in
// parts, and (in tests) over zapx as an oracle.
package index

// Want selects what Postings decodes beyond the document numbers.
type Want uint8

// Parts of a postings list.
const (
	// WantFreqNorm decodes term frequencies and field norms.
	WantFreqNorm Want = 1 << iota
	// WantPositions decodes token positions (for phrases and for the
	// terms a match shows).
	WantPositions
)

// Postings is one term's postings list in one field.
type Postings struct {
	// Docs are the document numbers, ascending.
	Docs []uint32
	// Freqs and Norms hold each document's term frequency and field
	// norm (1/sqrt(field length), as bleve stores it) with WantFreqNorm.
	Freqs []uint32
	Norms []float32
	// With WantPositions, document i's token positions are
	// Pos[PosStart[i]:PosStart[i+1]].
	PosStart []uint32
	Pos      []uint32
}

// Entry is one dictionary term met by Reader.Terms.
type Entry struct {
	// Term is only valid during the callback.
	Term []byte
	// DocFreq is the number of documents having the term.
	DocFreq int
	// EditDistance is the automaton's distance for fuzzy automata.
	EditDistance uint8
}

// Reader gives access to an index's terms and postings. Implementations
// are safe for concurrent use.
type Reader interface {
	// NumDocs is the number of documents.
	NumDocs() int
	// DocFreq is the number of documents having term in field (0 when
	// the field or term is absent).
	DocFreq(field, term string) (int, error)
	// Postings decodes term's postings in field, nil when absent.
	Postings(field, term string, want Want) (*Postings, error)
	// Terms calls fn for every term of field accepted by a (nil: all)
	// within [start, end) (nil: unbounded), in byte order, until fn
	// returns false. A reader fetched in parts may walk only its
	// expansion dictionary (the terms in enough documents) and the rare
	// terms stored near the range (or near the word of an Anchored
	// automaton); it decides which from the range alone, so the same
	// call always walks the same terms.
	Terms(field string, a Automaton, start, end []byte, fn func(Entry) bool) error
}

// Automaton is a deterministic automaton over bytes that term
// dictionaries are walked with: vellum's interface, so vellum's automata
// and Quarry's own (package fuzzy) both fit, without linking vellum into
// the browser engine. States are ints; 0 is conventionally dead.
type Automaton interface {
	Start() int
	IsMatch(state int) bool
	CanMatch(state int) bool
	WillAlwaysMatch(state int) bool
	Accept(state int, b byte) int
}

// FuzzyAutomaton is an Automaton that also reports the edit distance of
// the input read to a state (vellum.FuzzyAutomaton's method).
type FuzzyAutomaton interface {
	Automaton
	EditDistance(state int) uint8
}

// Anchored is implemented by automata that accept only terms near one
// word (Levenshtein automata): Anchor returns that word, near which a
// reader keeps the rare terms it also walks (see Reader.Terms).
type Anchored interface {
	Anchor() string
}

// PrefixEnd returns the first key after every key starting with p, or nil
// when there is none (p empty or all 0xff).
func PrefixEnd(p []byte) []byte {
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
