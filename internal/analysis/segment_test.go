package analysis

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/segment"
)

// segmentTokens is the reference: blevesearch/segment's words as bleve's
// unicode tokenizer keeps them (None segments dropped, positions counted
// over the rest), on text whose invalid bytes are made spaces: Tokenize
// treats them as separators, segment stops at some of them.
func segmentTokens(text string) []Token {
	b := []byte(text)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			b[i] = ' '
		}
		i += size
	}
	var out []Token
	seg := segment.NewWordSegmenterDirect(b)
	start := 0
	for seg.Segment() {
		end := start + len(seg.Bytes())
		if typ := seg.Type(); typ != segment.None {
			kind := AlphaNumeric
			switch typ {
			case segment.Number:
				kind = Numeric
			case segment.Ideo, segment.Kana:
				kind = Ideographic
			}
			out = append(out, Token{Term: text[start:end], Start: start, End: end, Position: len(out) + 1, Kind: kind})
		}
		start = end
	}
	return out
}

// firstDiff returns the index of the first token where got and want
// differ, or -1.
func firstDiff(got, want []Token) int {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return i
		}
	}
	if len(got) != len(want) {
		return min(len(got), len(want))
	}
	return -1
}

func describeDiff(text string, got, want []Token, i int) string {
	var b strings.Builder
	lo := max(0, i-1)
	b.WriteString("got ")
	b.WriteString(fmtTokens(got[lo:min(len(got), i+2)]))
	b.WriteString(" want ")
	b.WriteString(fmtTokens(want[lo:min(len(want), i+2)]))
	at := len(text)
	if i < len(want) {
		at = want[i].Start
	} else if i < len(got) {
		at = got[i].Start
	}
	b.WriteString(" near ")
	b.WriteString(strconvQuote(text[max(0, at-20):min(len(text), at+30)]))
	return b.String()
}
