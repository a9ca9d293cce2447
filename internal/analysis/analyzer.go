package analysis

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Analyzer turns text into the terms of a language's index: words
// (Tokenize), lower-cased, with apostrophes handled and stemmed. It is
// safe for concurrent use.
type Analyzer struct {
	lang     Language
	elisions map[string]bool

	mu    sync.Mutex
	stems map[string]string // memoised stems, at most maxStems
}

// maxStems bounds the memoised stems of an Analyzer: stemming dominates
// analysis time and natural text repeats words.
const maxStems = 1 << 16

// New returns an analyzer for lang.
func New(lang Language) *Analyzer {
	a := &Analyzer{lang: lang, elisions: map[string]bool{}, stems: map[string]string{}}
	for _, e := range lang.Elisions {
		a.elisions[e] = true
	}
	return a
}

// Analyze returns the words of text with their indexed forms as terms:
// lower-cased as bleve's lowercase filter does, typographic apostrophes
// made straight, elided articles ("l'"), possessive "'s" and apostrophes
// at either end removed, and AlphaNumeric words stemmed. Start and End
// stay the word's offsets in text. Terms may share memory with text.
func (a *Analyzer) Analyze(text string) []Token {
	toks := Tokenize(text)
	for i := range toks {
		t := &toks[i]
		term := a.apostrophes(lower(t.Term))
		if t.Kind == AlphaNumeric {
			term = a.stem(term)
		}
		t.Term = term
	}
	return toks
}

// lower lower-cases s rune by rune as bleve's lowercase filter does: a
// capital sigma ending the word becomes final sigma, and from the first
// rune whose lower case is longer in UTF-8 (Ⱥ, Ⱦ) on, the rest is
// lower-cased without the final-sigma rule.
func lower(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			break
		}
		i++
	}
	if i == len(s) {
		return s
	}
	return lowerFrom(s, i)
}

// lowerFrom lower-cases s, whose first i bytes are lower-case ASCII.
// Out of lower's line, so that lower, called for every word of every
// text the engine reads, stays small: V8 recompiles a hot wasm function
// with its optimizing compiler, in the background, and with this part
// lower was 4 kB.
//
//go:noinline
func lowerFrom(s string, i int) string {
	b := make([]byte, i, len(s)+4)
	copy(b, s[:i])
	// ASCII first, a byte at a time: capitalised words are most of what
	// comes here, and this loop alone keeps lowerFrom small (it was 3.8 kB
	// of wasm, recompiled by V8's optimizing compiler during the first
	// search: 50–85 ms of compiler CPU in Chromium, cold, the seeds).
	for ; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return lowerRunes(b, s, i)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// lowerRunes is lowerFrom from the first non-ASCII rune, at s[i:], with
// the lower-cased s[:i] in b.
//
//go:noinline
func lowerRunes(b []byte, s string, i int) string {
	for i < len(s) {
		r, wid := utf8.DecodeRuneInString(s[i:])
		l := unicode.ToLower(r)
		switch {
		case l == r:
			b = append(b, s[i:i+wid]...)
		case utf8.RuneLen(l) > wid:
			for _, r := range s[i:] {
				b = utf8.AppendRune(b, unicode.ToLower(r))
			}
			return string(b)
		default:
			if l == 'σ' && i+wid == len(s) {
				l = 'ς'
			}
			b = utf8.AppendRune(b, l)
		}
		i += wid
	}
	return string(b)
}

// apostrophes handles the apostrophes of a lower-cased term: ’ ‘ and `
// become ', an elided article before the first apostrophe is removed
// ("l'avion" is "avion" in French), then a final "'s" and apostrophes at
// either end. A term that would be left empty is kept as it was.
func (a *Analyzer) apostrophes(term string) string {
	if !hasApostrophe(term) {
		return term
	}
	var b strings.Builder
	b.Grow(len(term))
	for _, r := range term {
		if r == '’' || r == '‘' || r == '`' {
			r = '\''
		}
		b.WriteRune(r)
	}
	t := b.String()
	if i := strings.IndexByte(t, '\''); i > 0 && i+1 < len(t) && a.elisions[t[:i]] {
		t = t[i+1:]
	}
	t = strings.Trim(strings.TrimSuffix(t, "'s"), "'")
	if t == "" || !utf8.ValidString(t) {
		return term
	}
	return t
}

// hasApostrophe reports whether term contains ' ` ’ or ‘.
func hasApostrophe(term string) bool {
	for i := 0; i < len(term); i++ {
		switch term[i] {
		case '\'', '`':
			return true
		case 0xE2: // ’ and ‘ are E2 80 99 and E2 80 98
			if i+2 < len(term) && term[i+1] == 0x80 && (term[i+2] == 0x98 || term[i+2] == 0x99) {
				return true
			}
		}
	}
	return false
}

// stem returns the stem of a lower-cased word, memoised.
func (a *Analyzer) stem(w string) string {
	if a.lang.Stem == nil {
		return w
	}
	a.mu.Lock()
	s, ok := a.stems[w]
	a.mu.Unlock()
	if ok {
		return s
	}
	s = a.lang.Stem(w)
	if s == "" {
		s = w
	}
	a.mu.Lock()
	if len(a.stems) < maxStems {
		// Words may be substrings of a long text: keep copies.
		k := strings.Clone(w)
		if s == w {
			s = k
		} else {
			s = strings.Clone(s)
		}
		a.stems[k] = s
	}
	a.mu.Unlock()
	return s
}

// NormalizeSurface returns a word as typed, lower-cased (strings.ToLower)
// with typographic apostrophes (’ ‘) made straight: the form queries
// compare with stop words and with each other.
func NormalizeSurface(s string) string {
	s = strings.ToLower(s)
	if !strings.ContainsAny(s, "’‘") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == '’' || r == '‘' {
			r = '\''
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Find returns the words of text whose terms are among terms, as Analyze
// would give them (so a search can mark its matches in a document without
// stemming every word of it). A word is stemmed only when its first runes
// (lower-cased) begin one of the terms: stems begin with their word's
// first Language.StemKeeps runes (one for every Snowball stemmer, two for
// English but for a few rewritten words); words with apostrophes, which
// may lose an elided article, are always analyzed. TestFindMatchesAnalyze
// holds this to Analyze on every corpus, in every language.
//
// Measured on Cranfield (each question's content words, looked for in
// ten abstracts): the first rune let 41.9% of the words through to
// stemming, the first two runes let 13.9%; Find took a quarter less time
// (and the excerpts of a search were a quarter of its time natively).
func (a *Analyzer) Find(text string, terms []string) []Token {
	if len(terms) == 0 {
		return nil
	}
	want := make(map[string]bool, len(terms))
	f := prefixes{keeps: a.lang.StemKeeps}
	for _, t := range terms {
		want[t] = true
		f.add(t)
	}
	for _, w := range a.lang.StemRewrites {
		if want[a.stem(w)] {
			f.rewrites = append(f.rewrites, w)
		}
	}
	var out []Token
	eachWord(text, func(t Token) {
		if !hasApostrophe(t.Term) && !f.mayBegin(t.Term) {
			return
		}
		term := a.apostrophes(lower(t.Term))
		if t.Kind == AlphaNumeric {
			term = a.stem(term)
		}
		if want[term] {
			t.Term = term
			out = append(out, t)
		}
	})
	return out
}

// prefixes are the first runes of the terms Find looks for, and what the
// language's stems keep of their words (Language.StemKeeps).
type prefixes struct {
	first    []rune    // of every term
	one      []rune    // the terms of one rune
	two      [][2]rune // the first two runes of the longer terms
	keeps    int
	rewrites []string // the words of StemRewrites that give a term
}

func (f *prefixes) add(term string) {
	r1, n := utf8.DecodeRuneInString(term)
	if !slices.Contains(f.first, r1) {
		f.first = append(f.first, r1)
	}
	if n == len(term) {
		f.one = append(f.one, r1)
		return
	}
	r2, _ := utf8.DecodeRuneInString(term[n:])
	if p := [2]rune{r1, r2}; !slices.Contains(f.two, p) {
		f.two = append(f.two, p)
	}
}

// mayBegin reports whether word (as in the text, without apostrophes) may
// have one of the terms as its stem, stems beginning with their word's
// first keeps runes but for the rewrites.
func (f *prefixes) mayBegin(word string) bool {
	r1, n := utf8.DecodeRuneInString(word)
	// lower() lower-cases rune by rune, but for a final capital sigma (ς,
	// not σ): those words are let through.
	l1 := unicode.ToLower(r1)
	if l1 == 'σ' {
		return true
	}
	if f.keeps < 2 || n == len(word) {
		return slices.Contains(f.first, l1)
	}
	r2, _ := utf8.DecodeRuneInString(word[n:])
	l2 := unicode.ToLower(r2)
	if l2 == 'σ' || slices.Contains(f.one, l1) || slices.Contains(f.two, [2]rune{l1, l2}) {
		return true
	}
	return len(f.rewrites) > 0 && slices.Contains(f.first, l1) && slices.Contains(f.rewrites, lower(word))
}
