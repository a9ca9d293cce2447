package analysis

import (
	"sync/atomic"
	"unicode/utf8"
)

// pattern is one of the word patterns of the scanner, in priority order:
// the longest match wins, and among matches of the same length the
// earliest pattern.
type pattern struct {
	last uint64 // accepting positions
	kind Kind
}

var (
	words    glushkov
	first    uint64 // positions that may start a word
	patterns []pattern
)

func init() {
	// A fresh symbol for every occurrence: positions are per occurrence.
	A := func() *rx { return sym(pALetter) }
	H := func() *rx { return sym(pHebrew) }
	N := func() *rx { return sym(pNumeric) }
	K := func() *rx { return sym(pKatakana) }
	E := func() *rx { return sym(pENL) }
	midLetter := func() *rx { return sym(pMidLetter | pMidNumLet | pSQ) }
	midNum := func() *rx { return sym(pMidNum | pMidNumLet | pSQ) }

	// Runs of numbers, of letters, a Hebrew letter before a quote, and
	// runs of Katakana, joined as segment's word rules join them (UAX #29
	// WB5-WB13b, and segment's own "_" rule).
	numbers := func() *rx { return seq(N(), star(seq(alt(star(E()), midNum()), N()))) }
	letters := func() *rx { return seq(A(), star(seq(alt(star(E()), midLetter()), A()))) }
	hebrew := func() *rx { return seq(H(), alt(sym(pSQ), seq(sym(pDQ), H()))) }
	katakana := func() *rx { return seq(K(), star(seq(star(E()), K()))) }

	word := seq(
		star(E()),
		alt(katakana(), plus(alt(hebrew(), numbers(), letters(), E()))),
		star(seq(plus(E()), alt(katakana(), plus(alt(hebrew(), numbers(), letters()))))),
		star(E()),
	)
	number := seq(star(E()), numbers(), star(E()))

	for _, p := range []struct {
		r    *rx
		kind Kind
	}{
		{number, Numeric},
		{plus(sym(pHangul)), AlphaNumeric},
		{plus(K()), Ideographic},
		{word, AlphaNumeric},
		{sym(pHan), Ideographic},
		{sym(pHiragana), Ideographic},
	} {
		f, l := words.add(p.r)
		first |= f
		patterns = append(patterns, pattern{last: l, kind: p.kind})
	}
}

// Tokenize splits text into words following the word boundaries of
// Unicode's UAX #29 as github.com/blevesearch/segment (bleve's "unicode"
// tokenizer) applies them; see the package documentation. Terms are
// substrings of text.
func Tokenize(text string) []Token {
	toks := make([]Token, 0, len(text)/8+1)
	eachWord(text, func(t Token) { toks = append(toks, t) })
	return toks
}

// eachWord calls fn for every word of text, in order, as Tokenize returns
// them (without building the list: a caller that keeps few words saves
// the allocation, which was half of Tokenize's time).
func eachWord(text string, fn func(Token)) {
	pos := 0
	for i := 0; i < len(text); {
		// An ASCII rune that starts no word (a space, most often) and is
		// not followed by Extend/Format runes is a segment of its own
		// (Tokenize on Cranfield's abstracts, compiled to WebAssembly
		// under Node: 27% less time; Find, 30%).
		if c := text[i]; c < utf8.RuneSelf && asciiProps[c]&starts == 0 &&
			(i+1 == len(text) || text[i+1] < utf8.RuneSelf) {
			i++
			continue
		}
		if end, kind, ok := matchWord(text, i); ok {
			pos++
			fn(Token{Term: text[i:end], Start: i, End: end, Position: pos, Kind: kind})
			i = end
			continue
		}
		i = skipNonWord(text, i)
	}
}

// decode returns the rune at text[i:], its size and its props; an invalid
// byte has no props.
func decode(text string, i int) (rune, int, uint32) {
	c := text[i]
	if c < utf8.RuneSelf {
		return rune(c), 1, asciiProps[c]
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	if r == utf8.RuneError && size == 1 {
		return r, 1, 0
	}
	return r, size, cachedProps(r)
}

// propsCache holds props(r) | propsKnown for the runes of the Basic
// Multilingual Plane once asked for (0 until then). Text repeats a few
// non-ASCII runes (no-break spaces, curly quotes, dashes, accented
// letters) and props walks a dozen of the unicode package's tables for
// each: on the seeds, a search's excerpts spent 0.25 of 2.1 ms there
// under V8's baseline compiler (node --liftoff-only --cpu-prof), and
// props ran often enough for V8 to recompile it with its optimizing
// compiler during the first search in Chromium (30–60 ms of compiler
// CPU beside the engine). 256 kB of zeros, never in the wasm file.
var propsCache [1 << 16]atomic.Uint32

// propsKnown marks a computed entry of propsCache; no property uses it.
const propsKnown uint32 = 1 << 31

func cachedProps(r rune) uint32 {
	if uint32(r) >= uint32(len(propsCache)) {
		return props(r)
	}
	if p := propsCache[r].Load(); p != 0 {
		return p &^ propsKnown
	}
	p := props(r)
	propsCache[r].Store(p | propsKnown)
	return p
}

// skipEF returns the end of the Extend/Format runes from i.
func skipEF(text string, i int) int {
	for i < len(text) {
		_, size, p := decode(text, i)
		if p&pEF == 0 {
			break
		}
		i += size
	}
	return i
}

// joins are the props of runes that may continue a word.
const joins = pALetter | pHebrew | pNumeric | pKatakana | pENL | pMidLetter | pMidNum | pMidNumLet | pSQ | pDQ | pEF | pHangul

// mids are the props of the runes that join two letters or two digits.
const mids = pMidLetter | pMidNum | pMidNumLet | pSQ

// starts are the props of the ASCII runes that may start a word.
const starts = pALetter | pNumeric | pENL

// asciiHas reports whether text[j] is an ASCII rune with one of props.
func asciiHas(text string, j int, props uint32) bool {
	return j < len(text) && text[j] < utf8.RuneSelf && asciiProps[text[j]]&props != 0
}

// endsWord reports whether no word continues at text[j:]: it is the end,
// or an ASCII rune that cannot continue any word.
func endsWord(text string, j int) bool {
	return j == len(text) || (text[j] < utf8.RuneSelf && asciiProps[text[j]]&joins == 0)
}

// matchWord returns the end and kind of the longest word starting at i.
func matchWord(text string, i int) (end int, kind Kind, ok bool) {
	// Fast path: a run of ASCII letters, or of ASCII digits, followed by
	// the end or by an ASCII rune that cannot continue any word, or by
	// one ASCII mid-word rune (". , ; : '") and then such an end: a
	// mid-word rune joins only two letters or two digits (ASCII is never
	// Hebrew, whose letters may end a word with a quote). Words ending a
	// clause came to the automaton below before (Tokenize on Cranfield's
	// abstracts, compiled to WebAssembly under Node: 4% less time).
	if p := asciiProps[text[i]&0x7F]; text[i] < utf8.RuneSelf && (p == pALetter || p == pNumeric) {
		j := i + 1
		for j < len(text) && text[j] < utf8.RuneSelf && asciiProps[text[j]] == p {
			j++
		}
		if endsWord(text, j) || (asciiHas(text, j, mids) && endsWord(text, j+1)) {
			if p == pNumeric {
				return j, Numeric, true
			}
			return j, AlphaNumeric, true
		}
	}
	var live uint64
	started := false
	for j := i; j < len(text); {
		_, size, p := decode(text, j)
		if p == 0 {
			break
		}
		j = skipEF(text, j+size) // the unit: the rune and its Extend/Format runes
		cand := first
		if started {
			cand = 0
			forEach(live, func(q int) { cand |= words.follow[q] })
		}
		started = true
		live = 0
		forEach(cand, func(q int) {
			if words.masks[q]&p != 0 {
				live |= 1 << q
			}
		})
		if live == 0 {
			break
		}
		for _, pt := range patterns {
			if live&pt.last != 0 {
				end, kind, ok = j, pt.kind, true
				break
			}
		}
	}
	return end, kind, ok
}

// skipNonWord returns the end of the non-word segment at i, where no word
// starts: as in segment, an ASCII rune or an invalid byte takes the
// Extend/Format runes after it, another rune does not (segment scans
// bytes); a run of Extend/Format runes, of regional indicators, or CR LF
// goes together.
func skipNonWord(text string, i int) int {
	r, size, p := decode(text, i)
	switch {
	case r == '\r':
		if i+1 < len(text) && text[i+1] == '\n' {
			return i + 2
		}
		return i + 1
	case p&pNewline != 0:
		return i + size
	case p&pEF != 0:
		return skipEF(text, i)
	case p&pRI != 0:
		for i < len(text) {
			if _, size, p := decode(text, i); p&pRI != 0 {
				i = skipEF(text, i+size)
				continue
			}
			break
		}
		return i
	case size == 1:
		return skipEF(text, i+1)
	}
	return i + size
}
